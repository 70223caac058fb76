import { type AppointmentView, type PlanView, homeCareForDay, homeCareWeekdays, maintenanceDue, planReviewAlerts, reassessmentDue } from './sweeps';

const PLAN = '9a1d2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b';
const NOW = new Date('2026-11-24T12:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);
const daysAhead = (n: number) => new Date(NOW.getTime() + n * 86_400_000);
let seq = 0;
const appt = (startsAt: Date, status: AppointmentView['status'], over: Partial<AppointmentView> = {}): AppointmentView => ({
  id: `a${++seq}`,
  startsAt,
  status,
  kind: 'SESSION',
  phaseIndex: 0,
  ...over,
});
const phases: PlanView['body']['phases'] = [
  { index: 0, kind: 'initial', label: 'Initial', frequency: { value: { sessions: 2, perWeeks: 1 } }, reassessment: { value: { everySessions: 4, everyWeeks: 4 } } },
  { index: 1, kind: 'maintenance', label: 'Maintenance', frequency: { value: { sessions: 1, perWeeks: 4 } }, reassessment: { value: { everySessions: 3, everyWeeks: 12 } } },
];
const plan = (appointments: AppointmentView[], over: Partial<PlanView> = {}, phase = 0): PlanView => ({
  planId: PLAN,
  status: 'ACTIVE',
  versionChangedAt: daysAgo(21),
  body: { currentPhaseIndex: phase, phaseStartedAtSession: 0, phases, homeCare: [] },
  appointments,
  ...over,
});

describe('re-assessment due (cadence: 4 sessions or 4 weeks, whichever first; the planning package decides)', () => {
  const done = (...days: number[]) => days.map((n) => appt(daysAgo(n), 'COMPLETED'));
  // [label, appointments, last re-assessment, days since the plan last changed course, expected reason]
  it.each<[string, AppointmentView[], { id: string; assessedAt: Date; sessionsCompleted: number } | null, number, RegExp | null]>([
    ['3 sessions in 3 weeks: not yet', done(20, 13, 6), null, 21, null],
    ['4 sessions: due by sessions', done(1, 4, 8, 12), null, 21, /4 session\(s\) attended since the start of the phase/],
    ['no-shows do not count', done(1, 4, 8).concat(appt(daysAgo(10), 'NO_SHOW')), null, 21, null],
    ['checked-in (not yet completed) sessions do not count, as in the API', done(1, 4, 8).concat(appt(daysAgo(0.1), 'CHECKED_IN')), null, 21, null],
    ['sessions before the last re-assessment do not count', done(1, 4, 8, 12), { id: 'r1', assessedAt: daysAgo(5), sessionsCompleted: 2 }, 21, null],
    ['4 weeks since the last re-assessment: due by weeks', done(3), { id: 'r1', assessedAt: daysAgo(29), sessionsCompleted: 0 }, 29, /4 week\(s\) since the last re-assessment/],
    ['a later change of course than the last re-assessment is the anchor (3 weeks: not yet)', done(3), { id: 'r0', assessedAt: daysAgo(40), sessionsCompleted: 0 }, 21, null],
  ])('%s', (_label, appts, last, changedDaysAgo, reason) => {
    const due = reassessmentDue(plan(appts, { versionChangedAt: daysAgo(changedDaysAgo) }), last, NOW);
    if (reason === null) expect(due).toBeNull();
    else expect(due?.reason).toMatch(reason);
  });

  it('reminds the client unless the next booked session is already the re-assessment; the key is stable', () => {
    const done = [1, 4, 8, 12].map((n) => appt(daysAgo(n), 'COMPLETED'));
    const a = reassessmentDue(plan([...done, appt(daysAhead(2), 'BOOKED')]), null, NOW);
    const b = reassessmentDue(plan([...done, appt(daysAhead(2), 'BOOKED', { kind: 'REASSESSMENT' })]), null, NOW);
    expect(a?.remindClient).toBe(true);
    expect(b?.remindClient).toBe(false);
    expect(a?.dedupeKey).toBe(b?.dedupeKey);
    expect(reassessmentDue(plan(done), { id: 'r9', assessedAt: daysAgo(60), sessionsCompleted: 0 }, NOW)?.dedupeKey).toBe(`reassessment-due:${PLAN}:r9`);
  });

  it('nothing for a completed or discontinued plan', () => {
    expect(reassessmentDue(plan([1, 4, 8, 12].map((n) => appt(daysAgo(n), 'COMPLETED')), { status: 'COMPLETED' }), null, NOW)).toBeNull();
  });
});

describe('maintenance due (every 4 weeks)', () => {
  const m = (appts: AppointmentView[]) => plan(appts, { status: 'MAINTENANCE' }, 1);
  it.each([
    ['last visit 2 weeks ago: nothing yet', [appt(daysAgo(14), 'COMPLETED', { phaseIndex: 1 })], []],
    ['last visit 3 weeks ago: remind to book (due in a week)', [appt(daysAgo(21), 'COMPLETED', { phaseIndex: 1 })], ['MAINTENANCE_DUE']],
    ['due 2 weeks ago, nothing booked: reminder and follow-up', [appt(daysAgo(42), 'COMPLETED', { phaseIndex: 1 })], ['MAINTENANCE_DUE', 'MAINTENANCE_FOLLOW_UP']],
    ['overdue but booked: nothing', [appt(daysAgo(42), 'COMPLETED', { phaseIndex: 1 }), appt(daysAhead(3), 'BOOKED', { phaseIndex: 1 })], []],
  ])('%s', (_label, appts, kinds) => {
    expect(maintenanceDue(m(appts), NOW).map((x) => x.kind)).toEqual(kinds);
  });

  it('keys carry the due date, so each interval reminds once', () => {
    const [due] = maintenanceDue(m([appt(daysAgo(21), 'COMPLETED', { phaseIndex: 1 })]), NOW);
    expect(due.dedupeKey).toBe(`maintenance-due:${PLAN}:${daysAhead(7).toISOString().slice(0, 10)}`);
    expect(due.intervalWeeks).toBe(4);
  });

  it('nothing during the active phases', () => {
    expect(maintenanceDue(plan([appt(daysAgo(60), 'COMPLETED')]), NOW)).toEqual([]);
  });
});

describe('home care nudges', () => {
  it.each([
    [7, [1, 2, 3, 4, 5, 6, 7]],
    [5, [1, 2, 3, 5, 6]],
    [3, [1, 3, 5]],
    [2, [1, 4]],
    [1, [1]],
    [0, []],
  ])('%i days a week → ISO weekdays %j', (n, days) => {
    expect(homeCareWeekdays(n)).toEqual(days);
  });

  const body: PlanView['body'] = {
    currentPhaseIndex: 0,
    phaseStartedAtSession: 0,
    phases,
    homeCare: [
      { kind: 'stretch', description: 'Upper-trapezius stretch', daysPerWeek: { value: 5 } },
      { kind: 'posture', description: 'Stand up every 30–45 minutes', daysPerWeek: { value: 2 } },
    ],
  };
  it('lists what the plan prescribes for the day, and stops when the plan ends', () => {
    expect(homeCareForDay({ status: 'ACTIVE', body }, 1).map((i) => i.kind)).toEqual(['stretch', 'posture']);
    expect(homeCareForDay({ status: 'ACTIVE', body }, 2).map((i) => i.kind)).toEqual(['stretch']);
    expect(homeCareForDay({ status: 'ACTIVE', body }, 7)).toEqual([]);
    expect(homeCareForDay({ status: 'COMPLETED', body }, 1)).toEqual([]);
    expect(homeCareForDay({ status: 'DISCONTINUED', body }, 1)).toEqual([]);
  });
});

describe('plan-review alerts (twice a week)', () => {
  const regular = [2, 5, 9, 12, 16, 19].map((n) => appt(daysAgo(n), 'COMPLETED'));
  it.each([
    ['regular attendance: none', regular, []],
    ['one no-show: none', [...regular, appt(daysAgo(7), 'NO_SHOW')], []],
    ['a no-show and a late cancel in the phase: missed sessions', [...regular, appt(daysAgo(7), 'NO_SHOW'), appt(daysAgo(3), 'LATE_CANCELLED')], ['missed']],
    ['two misses in an earlier phase do not count', [...regular, appt(daysAgo(7), 'NO_SHOW', { phaseIndex: null }), appt(daysAgo(3), 'NO_SHOW', { phaseIndex: null })], []],
    ['one session in three weeks: attendance', [appt(daysAgo(20), 'COMPLETED'), appt(daysAgo(9), 'CANCELLED')], ['attendance']],
    ['phase started 10 days ago: too early to judge attendance', [appt(daysAgo(10), 'COMPLETED')], []],
  ])('%s', (_label, appts, causes) => {
    const p = plan(appts, _label.startsWith('phase started') ? { versionChangedAt: daysAgo(10) } : {});
    expect(planReviewAlerts(p, NOW).map((a) => a.dedupeKey.split(':')[1])).toEqual(causes);
  });

  it('says why', () => {
    const [missed] = planReviewAlerts(plan([...regular, appt(daysAgo(7), 'NO_SHOW'), appt(daysAgo(3), 'LATE_CANCELLED')]), NOW);
    expect(missed.reason).toBe(`2 missed sessions in the initial phase (no-show ${daysAgo(7).toISOString().slice(0, 10)}, late cancel ${daysAgo(3).toISOString().slice(0, 10)}).`);
    const [low] = planReviewAlerts(plan([appt(daysAgo(20), 'COMPLETED')]), NOW);
    expect(low.reason).toBe("Attendance below the plan's rhythm: 1 session(s) in the last 21 days against 2 a week (about 6 expected).");
  });
});
