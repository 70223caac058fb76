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

  it('writes observance starts on whole minutes', () => {
    const lines = vtimezone('Europe/London', from, to);
    expect(lines.filter((l) => l.startsWith('DTSTART:'))).toEqual(['DTSTART:20260922T100200', 'DTSTART:20261025T020000', 'DTSTART:20270328T010000']);
  });
});
