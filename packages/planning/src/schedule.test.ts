import { DateTime } from 'luxon';
import { expandSchedule, PlanningInputError, proposePlan, TreatmentPlan } from './index';
import type { ExpandScheduleInput, IntakeInput, WeeklyWindow } from './index';
import { baseIntake, NOW } from './testing/fixtures';

function planFor(o: Partial<IntakeInput>): TreatmentPlan {
  const p = proposePlan(baseIntake(o), { now: NOW });
  if (p.blocked) throw new Error('blocked');
  return p;
}
const acuteCalf = planFor({
  complaints: [{ id: 'a', region: 'calf', side: 'left', onsetDate: '2026-02-25', cause: 'strain', painNow: 4, painWorst: 5 }],
  function: {},
  goals: ['pain-relief'],
}); // 3 weekly sessions of 45 minutes, no later phases
const chronicNeck = planFor({
  complaints: [{ id: 'n', region: 'neck', side: 'central', onsetDate: '2025-01-01', cause: 'posture', painNow: 5, painWorst: 7 }],
  function: {},
}); // twice weekly × 8, then fortnightly × 3, then maintenance
const every = (start: string, end: string, days = [1, 2, 3, 4, 5, 6, 7]): WeeklyWindow[] => days.map((weekday) => ({ weekday, start, end }));

const base = (o: Partial<ExpandScheduleInput>): ExpandScheduleInput => ({
  plan: acuteCalf,
  timeZone: 'America/New_York',
  availability: every('09:00', '17:00'),
  openingHours: every('08:00', '20:00'),
  startFrom: '2026-03-02',
  ...o,
});
const hhmm = (s: { localStart: string }) => s.localStart.slice(11);

describe('schedule expansion rules', () => {
  it('weekly sessions 7 days apart, within availability, one per session of the likely count', () => {
    const s = expandSchedule(base({}));
    expect(s.slots.map((x) => x.localStart)).toEqual(['2026-03-02T09:00', '2026-03-09T09:00', '2026-03-16T09:00']);
    expect(s.slots.map((x) => x.durationMinutes)).toEqual([45, 45, 45]);
  });

  it('twice weekly sessions alternate 4 and 3 days apart (at least 2), then fortnightly tapering', () => {
    const s = expandSchedule(base({ plan: chronicNeck, timeZone: 'Europe/London' }));
    const dates = s.slots.map((x) => DateTime.fromISO(x.localStart));
    const gaps = dates.slice(1).map((d, k) => d.diff(dates[k], 'days').days);
    expect(gaps.slice(0, 7)).toEqual([4, 3, 4, 3, 4, 3, 4]);
    expect(gaps.slice(7)).toEqual([14, 14, 14]);
    expect(s.slots.map((x) => x.phaseKind)).toEqual([...Array(8).fill('initial'), ...Array(3).fill('tapering')]);
  });

  it('maintenance visits are laid out when asked', () => {
    const s = expandSchedule(base({ plan: chronicNeck, maintenanceVisits: 2 }));
    const m = s.slots.filter((x) => x.phaseKind === 'maintenance');
    expect(m).toHaveLength(2);
    const d = m.map((x) => DateTime.fromISO(x.localStart));
    expect(d[1].diff(d[0], 'weeks').weeks).toBe(chronicNeck.phases[2].frequency.value.perWeeks);
  });

  describe('DST (a slot keeps its local wall time; its UTC moves)', () => {
    const rows = [
      { zone: 'America/New_York', change: '2026-03-08', start: '2026-03-02', before: '14:00', after: '13:00', kind: 'spring forward' },
      { zone: 'America/New_York', change: '2026-11-01', start: '2026-10-26', before: '13:00', after: '14:00', kind: 'fall back' },
      { zone: 'Europe/London', change: '2026-03-29', start: '2026-03-23', before: '09:00', after: '08:00', kind: 'spring forward' },
      { zone: 'Europe/London', change: '2026-10-25', start: '2026-10-19', before: '08:00', after: '09:00', kind: 'fall back' },
    ];
    it.each(rows)('$zone $kind on $change: 09:00 stays 09:00', ({ zone, start, before, after }) => {
      const s = expandSchedule(base({ timeZone: zone, startFrom: start }));
      expect(s.slots.map(hhmm)).toEqual(['09:00', '09:00', '09:00']);
      expect(s.slots[0].startUtc.slice(11, 16)).toBe(before);
      expect(s.slots[1].startUtc.slice(11, 16)).toBe(after);
    });

    it('never produces a local time in the spring-forward gap, nor a session spanning the change (New York 2026-03-08)', () => {
      const s = expandSchedule(base({ startFrom: '2026-03-08', availability: every('01:30', '05:00', [7]), openingHours: every('00:00', '06:00', [7]) }));
      expect(s.slots[0].localStart).toBe('2026-03-08T03:00');
      expect(s.slots[0].startUtc).toBe('2026-03-08T07:00:00.000Z');
      expect(s.slots.map(hhmm)).toEqual(['03:00', '03:00', '03:00']); // keeps the first slot's local time
    });

    it('never produces a local time in the spring-forward gap (London 2026-03-29, 01:00–02:00)', () => {
      const s = expandSchedule(base({ timeZone: 'Europe/London', startFrom: '2026-03-29', availability: every('00:30', '04:00', [7]), openingHours: every('00:00', '06:00', [7]) }));
      expect(s.slots[0].localStart).toBe('2026-03-29T02:00');
      expect(s.slots[0].startUtc).toBe('2026-03-29T01:00:00.000Z');
    });

    it('a session is not placed across the fall-back hour (New York 2026-11-01)', () => {
      const s = expandSchedule(base({ startFrom: '2026-11-01', availability: every('01:00', '04:00', [7]), openingHours: every('00:00', '06:00', [7]) }));
      // 01:00–01:45 EDT is whole and unambiguous in wall-clock terms; it resolves to the first occurrence.
      expect(s.slots[0].localStart).toBe('2026-11-01T01:00');
      expect(s.slots[0].startUtc).toBe('2026-11-01T05:00:00.000Z');
      expect(s.slots[0].localEnd).toBe('2026-11-01T01:45');
    });
  });

  it('a missed session is rebooked after the miss and shifts the rest of its phase, keeping the count', () => {
    const first = expandSchedule(base({ plan: chronicNeck }));
    const missedSlot = first.slots[2];
    const again = expandSchedule(base({ plan: chronicNeck, missed: [{ sessionNumber: 3, at: missedSlot.startUtc }] }));
    expect(again.slots).toHaveLength(first.slots.length);
    expect(again.slots.slice(0, 2)).toEqual(first.slots.slice(0, 2));
    expect(again.slots[2].rescheduledFrom).toBe(DateTime.fromISO(missedSlot.startUtc).toUTC().toISO());
    expect(again.slots[2].localStart > missedSlot.localStart).toBe(true);
    expect(again.slots[2].localStart.slice(0, 10)).not.toBe(missedSlot.localStart.slice(0, 10));
    for (let k = 3; k < first.slots.length; k++) expect(again.slots[k].startUtc >= first.slots[k].startUtc).toBe(true);
    expect(again.slots.filter((x) => x.phaseKind === 'initial')).toHaveLength(8);
    expect(again.missed).toEqual([{ sessionNumber: 3, at: DateTime.fromISO(missedSlot.startUtc).toUTC().toISO() }]);
  });

  it('honours preferred weekdays and times', () => {
    const s = expandSchedule(base({ preferences: { weekdays: [4], times: [{ start: '14:00', end: '17:00' }] } }));
    expect(s.slots.map((x) => [x.weekday, hhmm(x)])).toEqual([[4, '14:00'], [4, '14:00'], [4, '14:00']]);
  });

  it('skips avoided dates and existing bookings', () => {
    const s = expandSchedule(
      base({
        avoidDates: ['2026-03-09'],
        existing: [{ startUtc: '2026-03-02T14:00:00Z', endUtc: '2026-03-02T16:00:00Z' }],
      }),
    );
    expect(s.slots.map((x) => x.localStart)).toEqual(['2026-03-02T11:00', '2026-03-10T11:00', '2026-03-17T11:00']);
  });

  it('continues from the current phase after a step down', () => {
    const stepped: TreatmentPlan = { ...chronicNeck, currentPhaseIndex: 1, phaseStartedAtSession: 6 };
    const s = expandSchedule(base({ plan: stepped, sessionsCompleted: 7 }));
    expect(s.slots.map((x) => [x.sessionNumber, x.phaseKind, x.indexInPhase])).toEqual([
      [8, 'tapering', 2],
      [9, 'tapering', 3],
    ]);
  });

  describe('bad input is a typed error naming the field', () => {
    const rows: { name: string; o: Partial<ExpandScheduleInput>; field: string }[] = [
      { name: 'unknown time zone', o: { timeZone: 'Mars/Olympus' }, field: 'timeZone' },
      { name: 'no availability at all', o: { availability: [] }, field: 'availability' },
      { name: 'no opening hours', o: { openingHours: [] }, field: 'openingHours' },
      { name: 'availability outside opening hours', o: { availability: every('06:00', '07:30') }, field: 'availability' },
      { name: 'window too short for the session', o: { availability: every('09:00', '09:30') }, field: 'availability' },
      { name: 'end before start', o: { availability: [{ weekday: 1, start: '17:00', end: '09:00' }] }, field: 'availability[0].end' },
      { name: 'weekday 8', o: { availability: [{ weekday: 8, start: '09:00', end: '17:00' }] }, field: 'availability[0].weekday' },
      { name: 'bad time', o: { openingHours: [{ weekday: 1, start: '9am', end: '17:00' }] }, field: 'openingHours[0].start' },
      { name: 'bad avoid date', o: { avoidDates: ['2026-13-01'] }, field: 'avoidDates[0]' },
      { name: 'bad start', o: { startFrom: 'soon' }, field: 'startFrom' },
      { name: 'every day avoided', o: { availability: every('09:00', '17:00', [1]), avoidDates: Array.from({ length: 60 }, (_, k) => DateTime.fromISO('2026-03-02').plus({ weeks: k }).toISODate()!), searchDays: 400 }, field: 'availability' },
    ];
    it.each(rows)('$name → $field', ({ o, field }) => {
      try {
        expandSchedule(base(o));
        throw new Error('expected error');
      } catch (e) {
        expect(e).toBeInstanceOf(PlanningInputError);
        expect((e as PlanningInputError).issues.map((i) => i.field)).toContain(field);
      }
    });
    it('a blocked plan has no schedule', () => {
      const blocked = proposePlan(baseIntake({ health: { fever: true } }), { now: NOW });
      expect(() => expandSchedule(base({ plan: blocked as unknown as TreatmentPlan }))).toThrow(PlanningInputError);
    });
  });
});
