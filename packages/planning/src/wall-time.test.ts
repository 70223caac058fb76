import { localDateTimeOf, resolveLocalDateTime, resolveWallTime } from './wall-time';
import { formatHhmm, parseHhmm, TIME_OF_DAY, TIME_OF_DAY_OR_MIDNIGHT } from './time';

// One rule for a clinic-local wall time (the API's booking start, the schedule's slots, the
// reminders' quiet hours): spring gap = does not exist (pushed forward by the gap when an instant
// is needed), autumn overlap = the first occurrence. 2026: London changes on 29 March and
// 25 October at 01:00 UTC; New York on 8 March (02:00 EST → 03:00 EDT) and 1 November (02:00 EDT → 01:00 EST).
describe('resolveWallTime: a local time across daylight-saving changes', () => {
  it.each([
    // zone, local wall time, kind, instant (UTC) it means, second instant (overlap only)
    ['Europe/London', '2026-06-10T10:00', 'exact', '2026-06-10T09:00:00.000Z', null],
    ['Europe/London', '2026-01-14T10:00', 'exact', '2026-01-14T10:00:00.000Z', null],
    ['Europe/London', '2026-03-29T00:59', 'exact', '2026-03-29T00:59:00.000Z', null],
    ['Europe/London', '2026-03-29T01:00', 'skipped', '2026-03-29T01:00:00.000Z', null], // 01:00 GMT never shows: 02:00 BST
    ['Europe/London', '2026-03-29T01:30', 'skipped', '2026-03-29T01:30:00.000Z', null], // read as 02:30 BST
    ['Europe/London', '2026-03-29T02:00', 'exact', '2026-03-29T01:00:00.000Z', null],
    ['Europe/London', '2026-10-25T00:59', 'exact', '2026-10-24T23:59:00.000Z', null],
    ['Europe/London', '2026-10-25T01:00', 'ambiguous', '2026-10-25T00:00:00.000Z', '2026-10-25T01:00:00.000Z'],
    ['Europe/London', '2026-10-25T01:30', 'ambiguous', '2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z'],
    ['Europe/London', '2026-10-25T02:00', 'exact', '2026-10-25T02:00:00.000Z', null],
    ['America/New_York', '2026-03-08T01:59', 'exact', '2026-03-08T06:59:00.000Z', null],
    ['America/New_York', '2026-03-08T02:30', 'skipped', '2026-03-08T07:30:00.000Z', null], // read as 03:30 EDT
    ['America/New_York', '2026-03-08T03:00', 'exact', '2026-03-08T07:00:00.000Z', null],
    ['America/New_York', '2026-11-01T00:59', 'exact', '2026-11-01T04:59:00.000Z', null],
    ['America/New_York', '2026-11-01T01:30', 'ambiguous', '2026-11-01T05:30:00.000Z', '2026-11-01T06:30:00.000Z'],
    ['America/New_York', '2026-11-01T02:00', 'exact', '2026-11-01T07:00:00.000Z', null],
    // A half-hour change (Lord Howe, 5 April 2026 02:00 → 01:30): the first 01:45 is still on +11:00.
    ['Australia/Lord_Howe', '2026-04-05T01:45', 'ambiguous', '2026-04-04T14:45:00.000Z', '2026-04-04T15:15:00.000Z'],
  ])('%s %s is %s', (zone, local, kind, at, later) => {
    const r = resolveLocalDateTime(local, zone);
    expect(r.kind).toBe(kind);
    if (r.kind === 'invalid') throw new Error('unexpected');
    expect(r.at.toUTC().toISO()).toBe(at);
    if (r.kind === 'ambiguous') expect(r.later.toUTC().toISO()).toBe(later);
    // An existing wall time reads back as itself.
    if (r.kind !== 'skipped') expect(localDateTimeOf(r.at.toJSDate(), zone)).toBe(local);
  });

  it.each([
    ['not a calendar date', '2026-02-30T10:00', 'Europe/London'],
    ['not a time of day', '2026-03-10T24:00', 'Europe/London'],
    ['not the format', '2026-03-10 10:00', 'Europe/London'],
    ['an unknown zone', '2026-03-10T10:00', 'Mars/Olympus'],
  ])('%s is invalid', (_label, local, zone) => {
    expect(resolveLocalDateTime(local, zone).kind).toBe('invalid');
  });

  it('takes the parts of a wall time as well as its text', () => {
    const r = resolveWallTime({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, 'America/New_York');
    expect(r.kind).toBe('ambiguous');
  });
});

describe('HH:mm: the one rule for a time of day', () => {
  it.each([
    ['00:00', 0, 0],
    ['09:05', 545, 545],
    ['23:59', 1439, 1439],
    ['24:00', 1440, undefined], // only as the end of a window
    ['9:05', undefined, undefined],
    ['24:01', undefined, undefined],
    ['12:60', undefined, undefined],
    ['1200', undefined, undefined],
    [' 12:00', undefined, undefined],
  ])('%s → %s minutes (as a window end), %s (as a time of day)', (text, asEnd, asTime) => {
    expect(parseHhmm(text)).toBe(asEnd);
    expect(parseHhmm(text, { endOfDay: false })).toBe(asTime);
    expect(TIME_OF_DAY_OR_MIDNIGHT.test(text)).toBe(asEnd !== undefined);
    expect(TIME_OF_DAY.test(text)).toBe(asTime !== undefined);
  });

  it('formats minutes back', () => {
    expect([0, 545, 1439, 1440].map(formatHhmm)).toEqual(['00:00', '09:05', '23:59', '24:00']);
  });
});
