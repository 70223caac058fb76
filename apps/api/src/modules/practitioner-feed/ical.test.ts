import { transitions, vtimezone } from './ical';

describe('VTIMEZONE transitions', () => {
  // A read at 09:02:53 UTC: the changes are still found at their exact minute.
  const from = new Date('2026-09-29T09:02:53.685Z');
  const to = new Date('2027-05-28T09:02:53.685Z');

  it.each([
    ['Europe/London', ['2026-10-25T01:00:00.000Z', '2027-03-28T01:00:00.000Z']],
    ['America/New_York', ['2026-11-01T06:00:00.000Z', '2027-03-14T07:00:00.000Z']],
  ])('%s changes at the exact minute, whatever the seconds of the moment read', (zone, expected) => {
    expect(transitions(zone, from.getTime(), to.getTime()).map((t) => new Date(t.at).toISOString())).toEqual(expected);
  });

  it('writes observance starts on whole minutes, the first at the change that began it', () => {
    const lines = vtimezone('Europe/London', from, to);
    // Summer time in force at the window's start began on 29 March 2026 at 01:00 GMT.
    expect(lines.filter((l) => l.startsWith('DTSTART:'))).toEqual(['DTSTART:20260329T010000', 'DTSTART:20261025T020000', 'DTSTART:20270328T010000']);
    expect(lines.slice(2, 6)).toEqual(['BEGIN:DAYLIGHT', 'DTSTART:20260329T010000', 'TZOFFSETFROM:+0000', 'TZOFFSETTO:+0100']);
  });

  it('gives a zone without changes one standard observance from 1970', () => {
    const lines = vtimezone('Asia/Tokyo', from, to);
    expect(lines).toEqual(['BEGIN:VTIMEZONE', 'TZID:Asia/Tokyo', 'BEGIN:STANDARD', 'DTSTART:19700101T000000', 'TZOFFSETFROM:+0900', 'TZOFFSETTO:+0900', 'END:STANDARD', 'END:VTIMEZONE']);
  });
});
