import fc from 'fast-check';
import { lifestyleArb } from '../test/arbitraries';
import { DateTime } from 'luxon';
import {
  BODY_REGIONS, CAUSES, CONDITIONS, expandSchedule, GOALS, nextStep, PlanningInputError, proposePlan, PRESSURE_TOLERANCES, sessionsPerWeek, TreatmentPlan,
} from './index';
import type { IntakeInput, Range, Reasoned, WeeklyWindow } from './index';
import { NOW } from './testing/fixtures';

const nowDate = DateTime.fromISO(NOW, { zone: 'utc' });

const complaintArb = fc
  .record({
    region: fc.constantFrom(...BODY_REGIONS),
    side: fc.constantFrom('left', 'right', 'bilateral', 'central' as const),
    daysAgo: fc.integer({ min: 0, max: 3000 }),
    cause: fc.constantFrom(...CAUSES),
    painNow: fc.integer({ min: 0, max: 10 }),
    extra: fc.integer({ min: 0, max: 10 }),
  })
  .map((c) => ({
    region: c.region,
    side: c.side,
    onsetDate: nowDate.minus({ days: c.daysAgo }).toISODate()!,
    cause: c.cause,
    painNow: c.painNow,
    painWorst: Math.min(10, c.painNow + c.extra),
  }));

const intakeArb: fc.Arbitrary<IntakeInput> = fc
  .record({
    age: fc.integer({ min: 16, max: 95 }),
    generalHealth: fc.constantFrom('good', 'fair', 'poor' as const),
    complaints: fc.array(complaintArb, { minLength: 1, maxLength: 3 }),
    conditions: fc.uniqueArray(fc.constantFrom(...CONDITIONS), { maxLength: 3 }),
    pressureTolerance: fc.constantFrom(...PRESSURE_TOLERANCES),
    lifestyle: lifestyleArb,
    goals: fc.uniqueArray(fc.constantFrom(...GOALS), { minLength: 1, maxLength: 4 }),
    commitment: fc.record({ sessionsPerWeek: fc.constantFrom(0.25, 0.5, 1, 1.5, 2, 3) }),
    selfCareWillingness: fc.constantFrom('none', 'some', 'high' as const),
    osteoporosis: fc.boolean(),
    anticoagulant: fc.boolean(),
  })
  .map(({ osteoporosis, anticoagulant, ...i }) => ({
    ...i,
    goals: i.complaints.every((c) => c.painWorst === 0) && i.goals.length === 1 && i.goals[0] === 'pain-relief' ? ['relaxation' as const] : i.goals,
    medications: anticoagulant ? [{ name: 'warfarin', class: 'anticoagulant' as const }] : [],
    health: { osteoporosis },
  }));

const inRange = (r: Range): boolean => r.min <= r.likely && r.likely <= r.max && r.min >= 0;

describe('plan invariants (fast-check)', () => {
  it('likely counts lie within their range; frequency never rises between phases; every number has reason and evidence', () => {
    fc.assert(
      fc.property(intakeArb, (input) => {
        const p = proposePlan(input, { now: NOW });
        if (p.blocked) return;
        expect(inRange(p.expectedSessions.value)).toBe(true);
        for (const ph of p.phases) {
          expect(inRange(ph.sessions.value)).toBe(true);
          if (ph.durationWeeks) expect(inRange(ph.durationWeeks.value)).toBe(true);
          expect(ph.sessionLengthMinutes.value).toBeGreaterThan(0);
          expect(sessionsPerWeek(ph.frequency.value)).toBeLessThanOrEqual(input.commitment.sessionsPerWeek);
          const nums: Reasoned<unknown>[] = [ph.frequency, ph.sessions, ph.sessionLengthMinutes, ph.reassessment];
          for (const n of nums) expect(n.reason.length > 0 && !!n.evidence.kind).toBe(true);
        }
        for (let k = 1; k < p.phases.length; k++) {
          expect(sessionsPerWeek(p.phases[k].frequency.value)).toBeLessThanOrEqual(sessionsPerWeek(p.phases[k - 1].frequency.value));
        }
        const tol = PRESSURE_TOLERANCES.indexOf(p.intake.pressureTolerance);
        for (const t of p.techniques) expect(PRESSURE_TOLERANCES.indexOf(t.pressure)).toBeLessThanOrEqual(tol);
        if (input.medications?.length) expect(p.techniques.every((t) => t.pressure === 'light')).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

// ---------- schedules ----------

const plans: TreatmentPlan[] = (
  [
    { region: 'calf', onsetDate: '2026-02-25', cause: 'strain', painNow: 4 },
    { region: 'neck', onsetDate: '2025-01-01', cause: 'posture', painNow: 8 },
    { region: 'lower-back', onsetDate: '2025-01-01', cause: 'posture', painNow: 5 },
  ] as const
).map((c) => {
  const p = proposePlan(
    {
      age: 40, generalHealth: 'good', pressureTolerance: 'firm', selfCareWillingness: 'some', goals: ['pain-relief'],
      lifestyle: { activity: 'moderate', workPosture: 'mixed', stress: 3, sleep: 'good' },
      commitment: { sessionsPerWeek: 3 },
      complaints: [{ id: 'x', side: 'central', painWorst: 9, ...c }],
    },
    { now: NOW },
  );
  if (p.blocked) throw new Error('blocked');
  return p;
});

const ZONES = ['America/New_York', 'Europe/London', 'Australia/Sydney', 'Asia/Kolkata', 'UTC', 'America/Sao_Paulo'];
const windowArb = (weekday: number) =>
  fc.record({ startQ: fc.integer({ min: 0, max: 80 }), lenQ: fc.integer({ min: 2, max: 48 }) }).map(({ startQ, lenQ }) => {
    const s = startQ * 15;
    const e = Math.min(24 * 60, s + lenQ * 15);
    const f = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    return { weekday, start: f(s), end: f(e) };
  });
const weekArb = fc
  .tuple(...[1, 2, 3, 4, 5, 6, 7].map((d) => fc.option(windowArb(d), { nil: undefined })))
  .map((ws) => ws.filter((w): w is WeeklyWindow => w !== undefined));
const startArb = fc.integer({ min: 0, max: 400 }).map((d) => DateTime.fromISO('2026-01-01').plus({ days: d }).toISODate()!);

const mins = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
function within(windows: WeeklyWindow[], weekday: number, s: number, e: number): boolean {
  return windows.some((w) => w.weekday === weekday && mins(w.start) <= s && e <= (w.end === '24:00' ? 1440 : mins(w.end)));
}

describe('schedule invariants (fast-check)', () => {
  it('no slot outside availability or opening hours, no overlaps, local time consistent with UTC, counts kept', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...plans), fc.constantFrom(...ZONES), weekArb, weekArb, startArb,
        (plan, zone, availability, openingHours, startFrom) => {
          let s;
          try {
            s = expandSchedule({ plan, timeZone: zone, availability, openingHours, startFrom, maintenanceVisits: 2 });
          } catch (e) {
            expect(e).toBeInstanceOf(PlanningInputError);
            expect((e as PlanningInputError).issues[0].field).toMatch(/^(availability|openingHours)/);
            return;
          }
          const expected = plan.phases.reduce((n, ph) => n + (ph.kind === 'maintenance' ? 2 : ph.sessions.value.likely), 0);
          expect(s.slots).toHaveLength(expected);
          const spans = s.slots.map((x) => [Date.parse(x.startUtc), Date.parse(x.endUtc)] as const).sort((a, b) => a[0] - b[0]);
          for (let k = 1; k < spans.length; k++) expect(spans[k][0]).toBeGreaterThanOrEqual(spans[k - 1][1]);
          for (const x of s.slots) {
            const local = DateTime.fromISO(x.startUtc, { zone });
            expect(local.toFormat("yyyy-MM-dd'T'HH:mm")).toBe(x.localStart);
            expect(local.weekday).toBe(x.weekday);
            const st = mins(x.localStart.slice(11));
            const en = st + x.durationMinutes;
            expect(Date.parse(x.endUtc) - Date.parse(x.startUtc)).toBe(x.durationMinutes * 60000);
            expect(within(availability, x.weekday, st, en)).toBe(true);
            expect(within(openingHours, x.weekday, st, en)).toBe(true);
            expect(x.localStart.slice(0, 10) >= startFrom).toBe(true);
          }
          // spacing: consecutive sessions of a phase at least the phase interval's floor apart (≥ 2 days twice weekly, 7 weekly)
          for (let k = 1; k < s.slots.length; k++) {
            const a = s.slots[k - 1];
            const b = s.slots[k];
            if (a.phaseIndex !== b.phaseIndex) continue;
            const f = plan.phases[b.phaseIndex].frequency.value;
            const days = DateTime.fromISO(b.localStart.slice(0, 10)).diff(DateTime.fromISO(a.localStart.slice(0, 10)), 'days').days;
            expect(days).toBeGreaterThanOrEqual(Math.floor((7 * f.perWeeks) / f.sessions));
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('is stable across DST: with one daily window, every slot keeps the same local time while the UTC offset changes', () => {
    const transitions = ['2026-03-08', '2026-11-01', '2026-03-29', '2026-10-25'];
    fc.assert(
      fc.property(
        fc.constantFrom(...plans),
        fc.constantFrom('America/New_York', 'Europe/London'),
        fc.constantFrom(...transitions),
        fc.integer({ min: -20, max: 3 }),
        fc.integer({ min: 6 * 4, max: 18 * 4 }),
        (plan, zone, t, offsetDays, q) => {
          const start = `${String(Math.floor((q * 15) / 60)).padStart(2, '0')}:${String((q * 15) % 60).padStart(2, '0')}`;
          const win = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end: '23:00' }));
          const startFrom = DateTime.fromISO(t).plus({ days: offsetDays }).toISODate()!;
          const s = expandSchedule({ plan, timeZone: zone, availability: win, openingHours: win, startFrom });
          expect(new Set(s.slots.map((x) => x.localStart.slice(11)))).toEqual(new Set([start]));
          // the same wall time maps to the zone's offset of that day
          for (const x of s.slots) expect(DateTime.fromISO(x.startUtc, { zone }).offset).toBe(x.utcOffsetMinutes);
          // deterministic: same input, same output
          expect(expandSchedule({ plan, timeZone: zone, availability: win, openingHours: win, startFrom })).toEqual(s);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('a missed session keeps the count and never moves later sessions earlier', () => {
    fc.assert(
      fc.property(fc.constantFrom(...plans), fc.constantFrom(...ZONES), fc.nat(), startArb, (plan, zone, pick, startFrom) => {
        const win = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00' }));
        const input = { plan, timeZone: zone, availability: win, openingHours: win, startFrom };
        const first = expandSchedule(input);
        const k = pick % first.slots.length;
        const again = expandSchedule({ ...input, missed: [{ sessionNumber: first.slots[k].sessionNumber, at: first.slots[k].startUtc }] });
        expect(again.slots).toHaveLength(first.slots.length);
        expect(again.slots.slice(0, k)).toEqual(first.slots.slice(0, k));
        expect(Date.parse(again.slots[k].startUtc)).toBeGreaterThan(Date.parse(first.slots[k].startUtc));
        expect(again.slots[k].localStart.slice(0, 10) > first.slots[k].localStart.slice(0, 10)).toBe(true);
        for (let j = k + 1; j < first.slots.length; j++) expect(Date.parse(again.slots[j].startUtc)).toBeGreaterThanOrEqual(Date.parse(first.slots[j].startUtc));
      }),
      { numRuns: 100 },
    );
  });
});

describe('next-step invariants (fast-check)', () => {
  it('over any run of re-assessments: versions grow by one, ranges stay ordered, frequency never rises between phases', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...plans),
        fc.array(fc.record({ pain: fc.integer({ min: 0, max: 10 }), sessions: fc.integer({ min: 1, max: 5 }) }), { minLength: 1, maxLength: 6 }),
        (plan0, steps) => {
          let plan = plan0;
          let done = 0;
          const history: { sessionsCompleted: number; measures: { pain: { complaintId: string; score: number }[] } }[] = [];
          for (const st of steps) {
            if (plan.status === 'stopped' || plan.status === 'on-hold-referral') break;
            done += st.sessions;
            const measures = { pain: [{ complaintId: 'x', score: st.pain }] };
            const r = nextStep({ plan, sessionsCompleted: done, reassessment: { measures }, history, now: NOW });
            expect(r.plan.version).toBe(plan.version + 1);
            expect(inRange(r.plan.expectedSessions.value)).toBe(true);
            for (const ph of r.plan.phases) expect(inRange(ph.sessions.value)).toBe(true);
            for (let k = 1; k < r.plan.phases.length; k++) {
              expect(sessionsPerWeek(r.plan.phases[k].frequency.value)).toBeLessThanOrEqual(sessionsPerWeek(r.plan.phases[k - 1].frequency.value));
            }
            history.push({ sessionsCompleted: done, measures });
            plan = r.plan;
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
