import { DateTime } from 'luxon';
import { expandSchedule, proposePlan, replanSeries, TreatmentPlan } from './index';
import type { PlanBooking, ReplanInput, WeeklyWindow } from './index';
import { baseIntake, NOW } from './testing/fixtures';

const proposed = proposePlan(
  baseIntake({
    complaints: [{ id: 'n', region: 'neck', side: 'central', onsetDate: '2025-01-01', cause: 'posture', painNow: 5, painWorst: 7 }],
    function: {},
  }),
  { now: NOW },
);
if (proposed.blocked) throw new Error('blocked');
/** Twice weekly × 12, then fortnightly × 3, then maintenance: 4 done, 8 twice-weekly sessions booked. */
const twiceWeekly: TreatmentPlan = {
  ...proposed,
  phases: proposed.phases.map((p, i) => (i === 0 ? { ...p, sessions: { ...p.sessions, value: { ...p.sessions.value, likely: 12 } } } : p)),
};
/** The accepted step-down: the tapering phase (every two weeks) from session 4. */
const steppedDown: TreatmentPlan = { ...twiceWeekly, version: twiceWeekly.version + 1, currentPhaseIndex: 1, phaseStartedAtSession: 4 };

const every = (start: string, end: string, days = [1, 2, 3, 4, 5]): WeeklyWindow[] => days.map((weekday) => ({ weekday, start, end }));
const availability = every('09:00', '17:00');
const openingHours = every('08:00', '20:00');

/** The series as it was booked: the old plan's sessions 5–12 from `from`, at 09:00. */
function booked(plan: TreatmentPlan, zone: string, from: string, done = 4): PlanBooking[] {
  return expandSchedule({ plan, timeZone: zone, availability, openingHours, startFrom: from, sessionsCompleted: done, preferences: { times: [{ start: '09:00', end: '10:00' }] } })
    .slots.filter((s) => s.phaseIndex === 0)
    .map((s, k) => ({ id: `b${k + 5}`, startUtc: s.startUtc, endUtc: s.endUtc, practitionerId: 'p', clinicId: 'c', status: 'BOOKED' as const, sessionNumber: s.sessionNumber, phaseIndex: 0 }));
}

const base = (o: Partial<ReplanInput>): ReplanInput => ({
  plan: steppedDown,
  sessionsCompleted: 4,
  timeZone: 'Europe/London',
  bookings: [],
  now: '2026-04-13T12:00:00Z',
  lastSessionAt: '2026-04-13T08:00:00Z',
  availability,
  openingHours,
  ...o,
});
const day = (iso: string, zone: string) => DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).startOf('day');

describe('replanSeries: an accepted next step reaches the booked series', () => {
  it('issue 13 item 7: a step-down from twice weekly to every two weeks keeps the 2 bookings that fit the fortnightly rhythm, cancels the other 6 and adds the third', () => {
    const bookings = booked(twiceWeekly, 'Europe/London', '2026-04-16');
    expect(bookings).toHaveLength(8);
    const r = replanSeries(base({ bookings }));
    expect(r.keep).toHaveLength(2);
    expect(r.cancel).toHaveLength(6);
    expect(r.move).toHaveLength(0);
    expect(r.add).toHaveLength(1);
    expect(r.summary).toBe('keeps 2, moves 0, cancels 6, adds 1');
    // Kept ones lie within 3 days of 2 and 4 weeks after the last session, at their own 09:00.
    const last = day('2026-04-13T08:00:00Z', 'Europe/London');
    r.keep.forEach((k, i) => {
      expect(Math.abs(day(k.startUtc, 'Europe/London').diff(last, 'days').days - 14 * (i + 1))).toBeLessThanOrEqual(3);
      expect(k.localStart.slice(11)).toBe('09:00');
      expect(k.phaseKind).toBe('tapering');
    });
    expect(r.keep.map((k) => k.sessionNumber)).toEqual([5, 6]);
    // The added session follows the last kept one by two weeks, at the same local time.
    expect(day(r.add[0].startUtc, 'Europe/London').diff(day(r.keep[1].startUtc, 'Europe/London'), 'days').days).toBe(14);
    expect(r.add[0].localStart.slice(11)).toBe('09:00');
    expect(r.add[0].sessionNumber).toBe(7);
    // Every booking is accounted for exactly once.
    expect([...r.keep.map((k) => k.bookingId), ...r.cancel.map((x) => x.bookingId)].sort()).toEqual(bookings.map((b) => b.id).sort());
  });

  it('an unchanged rhythm (CONTINUE) keeps every booking', () => {
    const bookings = booked(twiceWeekly, 'Europe/London', '2026-04-16');
    const r = replanSeries(base({ plan: twiceWeekly, bookings }));
    expect(r.keep.map((k) => k.bookingId)).toEqual(bookings.map((b) => b.id));
    expect(r.cancel).toEqual([]);
    expect(r.move).toEqual([]);
  });

  it('a step-up (weekly → twice weekly) keeps the weekly bookings and adds sessions between them', () => {
    const weeklyPlan: TreatmentPlan = { ...twiceWeekly, phases: twiceWeekly.phases.map((p, i) => (i === 0 ? { ...p, frequency: { ...p.frequency, value: { sessions: 1, perWeeks: 1 } } } : p)) };
    const bookings = booked(weeklyPlan, 'Europe/London', '2026-04-20').slice(0, 4); // Mondays 20, 27 Apr; 4, 11 May
    const r = replanSeries(base({ plan: twiceWeekly, bookings }));
    expect(r.cancel).toEqual([]);
    expect(r.keep.length + r.move.length).toBe(4);
    expect(r.add.length).toBeGreaterThanOrEqual(4);
    const all = [...r.keep, ...r.move, ...r.add].sort((a, b) => a.sessionNumber - b.sessionNumber);
    const initial = all.filter((x) => x.phaseKind === 'initial').map((x) => day(x.startUtc, 'Europe/London'));
    initial.slice(1).forEach((d, k) => expect(d.diff(initial[k], 'days').days).toBeLessThanOrEqual(5));
  });

  it('a booking that misses the new rhythm by more than the tolerance but within a week is moved, keeping its local time', () => {
    // Fortnightly from Mon 13 Apr: 27 Apr is the new date; the only booking is Thu 23 Apr (4 days off).
    const bookings: PlanBooking[] = [{ id: 'x', startUtc: '2026-04-23T08:00:00Z', endUtc: '2026-04-23T09:00:00Z', practitionerId: 'p', clinicId: 'c', status: 'BOOKED' }];
    const r = replanSeries(base({ bookings }));
    expect(r.move).toHaveLength(1);
    expect(r.move[0]).toMatchObject({ bookingId: 'x', fromLocalStart: '2026-04-23T09:00', localStart: '2026-04-27T09:00' });
    expect(r.cancel).toEqual([]);
  });

  describe('DST week (Europe/London, clocks go back on 25 Oct 2026)', () => {
    it('kept and added sessions stay at 09:00 local; the UTC hour moves', () => {
      const bookings = booked(twiceWeekly, 'Europe/London', '2026-10-12');
      const r = replanSeries(base({ bookings, now: '2026-10-09T12:00:00Z', lastSessionAt: '2026-10-09T08:00:00Z' }));
      const all = [...r.keep, ...r.move, ...r.add];
      expect(all.every((x) => x.localStart.endsWith('T09:00'))).toBe(true);
      const utcHours = new Set(all.map((x) => new Date(x.startUtc).getUTCHours()));
      expect(utcHours).toEqual(new Set([8, 9])); // BST before 25 Oct, GMT after
    });

    it('America/New_York (clocks go back on 1 Nov 2026): the same rule', () => {
      const bookings = booked(twiceWeekly, 'America/New_York', '2026-10-19');
      const r = replanSeries(base({ bookings, timeZone: 'America/New_York', now: '2026-10-16T18:00:00Z', lastSessionAt: '2026-10-16T13:00:00Z' }));
      expect([...r.keep, ...r.move, ...r.add].every((x) => x.localStart.endsWith('T09:00'))).toBe(true);
      expect(r.keep.length + r.move.length + r.cancel.length).toBe(8);
    });
  });

  it('a stopped plan cancels every booking and adds none', () => {
    const bookings = booked(twiceWeekly, 'Europe/London', '2026-04-16');
    const r = replanSeries(base({ plan: { ...steppedDown, status: 'stopped' }, bookings }));
    expect(r.cancel).toHaveLength(8);
    expect(r.keep.length + r.move.length + r.add.length).toBe(0);
  });

  it('a kept booking outside today’s availability is flagged, not dropped', () => {
    const bookings = booked(twiceWeekly, 'Europe/London', '2026-04-16');
    const r = replanSeries(base({ bookings, availability: every('10:00', '17:00') }));
    expect(r.keep.every((k) => k.conflict !== null)).toBe(true);
    expect(r.add.every((a) => a.localStart.endsWith('T10:00'))).toBe(true);
  });

  it('an unknown zone is refused', () => {
    expect(() => replanSeries(base({ timeZone: 'Mars/Olympus' }))).toThrow(/timeZone/);
  });
});
