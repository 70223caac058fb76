import { quietWindowAt, sendTimeFor } from './quiet-hours';

const NIGHT = { start: '21:00', end: '08:00' };
const LUNCH = { start: '12:00', end: '13:30' };
const d = (iso: string) => new Date(iso);

describe('sendTimeFor (quiet hours in the clinic time zone)', () => {
  it.each([
    // label, due (UTC), appointment (UTC), quiet, zone, expected (UTC)
    ['outside quiet hours: at the due time', '2026-06-10T10:00:00Z', '2026-06-12T10:00:00Z', NIGHT, 'Europe/London', '2026-06-10T10:00:00Z'],
    ['no quiet hours (start = end)', '2026-06-10T22:00:00Z', '2026-06-12T10:00:00Z', { start: '00:00', end: '00:00' }, 'Europe/London', '2026-06-10T22:00:00Z'],
    ['null policy quiet hours', '2026-06-10T22:00:00Z', '2026-06-12T10:00:00Z', null, 'Europe/London', '2026-06-10T22:00:00Z'],
    // 23:00 BST (22:00Z) is quiet; ends 08:00 BST next day (07:00Z), before a 10:00Z appointment.
    ['due 23:00 local (summer): at the end of quiet hours', '2026-06-10T22:00:00Z', '2026-06-12T10:00:00Z', NIGHT, 'Europe/London', '2026-06-11T07:00:00Z'],
    ['due 03:00 local: the same morning at 08:00', '2026-06-11T02:00:00Z', '2026-06-12T10:00:00Z', NIGHT, 'Europe/London', '2026-06-11T07:00:00Z'],
    ['exactly at the start of quiet hours counts as quiet', '2026-06-10T20:00:00Z', '2026-06-12T10:00:00Z', NIGHT, 'Europe/London', '2026-06-11T07:00:00Z'],
    ['exactly at the end of quiet hours is not quiet', '2026-06-11T07:00:00Z', '2026-06-12T10:00:00Z', NIGHT, 'Europe/London', '2026-06-11T07:00:00Z'],
    // Appointment at 07:30 BST: the end of quiet hours (08:00) is too late → 20:59 the evening before.
    ['quiet hours end after the appointment: just before they began', '2026-06-11T04:30:00Z', '2026-06-11T06:30:00Z', NIGHT, 'Europe/London', '2026-06-10T19:59:00Z'],
    ['quiet hours end exactly at the appointment: earlier', '2026-06-11T05:00:00Z', '2026-06-11T07:00:00Z', NIGHT, 'Europe/London', '2026-06-10T19:59:00Z'],
    ['a daytime window (lunch), same day', '2026-06-10T11:15:00Z', '2026-06-10T16:00:00Z', LUNCH, 'Europe/London', '2026-06-10T12:30:00Z'],
    // Winter (GMT): local = UTC.
    ['winter in London: 23:00 GMT → 08:00 GMT', '2026-01-14T23:00:00Z', '2026-01-16T10:00:00Z', NIGHT, 'Europe/London', '2026-01-15T08:00:00Z'],
    // DST starts in London on 29 March 2026 at 01:00 UTC: the night is 23 hours long.
    ['London, spring forward: 23:00 GMT → 08:00 BST (07:00Z)', '2026-03-28T23:00:00Z', '2026-03-29T12:00:00Z', NIGHT, 'Europe/London', '2026-03-29T07:00:00Z'],
    // DST ends in London on 25 October 2026 at 01:00 UTC: 25-hour night.
    ['London, fall back: 23:00 BST (22:00Z) → 08:00 GMT (08:00Z)', '2026-10-24T22:00:00Z', '2026-10-25T12:00:00Z', NIGHT, 'Europe/London', '2026-10-25T08:00:00Z'],
    ['London, fall back: the repeated 01:30 hour is quiet', '2026-10-25T01:30:00Z', '2026-10-26T12:00:00Z', NIGHT, 'Europe/London', '2026-10-25T08:00:00Z'],
    // A window edge in the repeated hour is its first occurrence (planning's resolveWallTime, as bookings read it):
    // quiet from 01:30 begins at 01:30 BST (00:30Z), so 01:45 BST (00:45Z) is quiet. Luxon alone took the second 01:30.
    ['London, fall back: a quiet start in the repeated hour is its first occurrence', '2026-10-25T00:45:00Z', '2026-10-26T12:00:00Z', { start: '01:30', end: '06:00' }, 'Europe/London', '2026-10-25T06:00:00Z'],
    ['New York, fall back: a quiet start in the repeated hour is its first occurrence', '2026-11-01T05:45:00Z', '2026-11-02T15:00:00Z', { start: '01:30', end: '06:00' }, 'America/New_York', '2026-11-01T11:00:00Z'],
    // New York: DST starts 8 March 2026 at 02:00 local (07:00Z), ends 1 November at 02:00 local (06:00Z).
    ['New York, winter: 22:00 EST (03:00Z) → 08:00 EST (13:00Z)', '2026-02-11T03:00:00Z', '2026-02-12T15:00:00Z', NIGHT, 'America/New_York', '2026-02-11T13:00:00Z'],
    ['New York, spring forward: 23:00 EST → 08:00 EDT (12:00Z)', '2026-03-08T04:00:00Z', '2026-03-08T15:00:00Z', NIGHT, 'America/New_York', '2026-03-08T12:00:00Z'],
    ['New York, fall back: 23:00 EDT (03:00Z) → 08:00 EST (13:00Z)', '2026-11-01T03:00:00Z', '2026-11-02T15:00:00Z', NIGHT, 'America/New_York', '2026-11-01T13:00:00Z'],
    ['New York, fall back, appointment 07:30 EST: 20:59 EDT the evening before', '2026-11-01T10:30:00Z', '2026-11-01T12:30:00Z', NIGHT, 'America/New_York', '2026-11-01T00:59:00Z'],
    // A quiet window whose end falls in the spring-forward gap (02:30 does not exist) moves forward by the gap: 03:30 EDT.
    ['New York, quiet end in the DST gap moves forward', '2026-03-08T06:00:00Z', '2026-03-09T15:00:00Z', { start: '00:00', end: '02:30' }, 'America/New_York', '2026-03-08T07:30:00Z'],
    ['sweep reminder (no appointment): waits for the end', '2026-06-10T22:00:00Z', null, NIGHT, 'Europe/London', '2026-06-11T07:00:00Z'],
  ])('%s', (_label, due, appt, quiet, zone, expected) => {
    const out = sendTimeFor(d(due), appt ? d(appt) : null, quiet, zone);
    expect(out.toISOString()).toBe(d(expected).toISOString());
    if (appt) expect(out.getTime()).toBeLessThan(d(appt).getTime());
  });

  it('finds the window around a time, or none', () => {
    expect(quietWindowAt(d('2026-06-10T12:00:00Z'), NIGHT, 'Europe/London')).toBeNull();
    expect(quietWindowAt(d('2026-06-10T22:00:00Z'), NIGHT, 'Europe/London')).toEqual({ start: d('2026-06-10T20:00:00Z'), end: d('2026-06-11T07:00:00Z') });
  });

  it('refuses an unknown time zone and a malformed time', () => {
    expect(() => sendTimeFor(d('2026-06-10T22:00:00Z'), null, NIGHT, 'Mars/Olympus')).toThrow(/time zone/);
    expect(() => sendTimeFor(d('2026-06-10T22:00:00Z'), null, { start: '25:00', end: '08:00' }, 'Europe/London')).toThrow(/HH:mm/);
  });
});
