import { csvCell } from './audit.service';

describe('csvCell', () => {
  it.each([
    [null, ''],
    ['client.read', 'client.read'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    // A spreadsheet runs a cell that starts with = + - @ as a formula: an apostrophe makes it text.
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+44 20', "'+44 20"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
  ])('%j → %s', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });
});
