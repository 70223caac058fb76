import { nextStep, PlanningInputError, proposePlan, STALL_SESSIONS, TreatmentPlan } from './index';
import type { IntakeInput, Measures } from './index';
import { baseIntake, NOW } from './testing/fixtures';

const LATER = '2026-04-01T10:00:00Z';

function chronicShoulder(o: Partial<IntakeInput> = {}): TreatmentPlan {
  const p = proposePlan(
    baseIntake({
      complaints: [{ id: 's', region: 'shoulder', side: 'right', onsetDate: '2025-06-01', cause: 'posture', painNow: 6, painWorst: 8 }],
      function: { psfs: [{ activity: 'reach overhead', score: 4 }] },
      commitment: { sessionsPerWeek: 2 },
      ...o,
    }),
    { now: NOW },
  );
  if (p.blocked) throw new Error('blocked');
  return p;
}
const m = (pain: number, psfs = 4): Measures => ({ pain: [{ complaintId: 's', score: pain }], psfs: [{ activity: 'reach overhead', score: psfs }] });

describe('next step from a re-assessment (one row per decision rule)', () => {
  const rows: {
    rule: string;
    source: string;
    sessions: number;
    measures: Measures;
    prepare?: (p: TreatmentPlan) => TreatmentPlan;
    health?: Record<string, unknown>;
    history?: { sessionsCompleted: number; measures: Measures }[];
    decision: string;
    check?: (r: ReturnType<typeof nextStep>) => void;
  }[] = [
    {
      rule: 'benchmarks met early → step down to tapering',
      source: 'seed 003: "Periodic assessments and benchmarks allow … to make any necessary adjustments"; Farrar 2001 (−2 points/30 %), Stratford 1995 (PSFS +2)',
      sessions: 3,
      measures: m(3, 7),
      decision: 'STEP_DOWN',
      check: (r) => {
        expect(r.plan.currentPhaseIndex).toBe(1);
        expect(r.plan.phases[0].completedSessions).toBe(3);
        expect(r.reason).toMatch(/early, after 3 of 4/);
        expect(r.plan.phaseStartedAtSession).toBe(3);
      },
    },
    {
      rule: 'benchmarks met in tapering → maintenance',
      source: 'seed 001: "Following this initial period, maintenance visits could be scheduled anywhere from once every 1 to 3 months."',
      sessions: 7,
      measures: m(2, 8),
      prepare: (p) => nextStep({ plan: p, sessionsCompleted: 4, reassessment: { measures: m(3, 7) }, now: NOW }).plan,
      decision: 'MOVE_TO_MAINTENANCE',
      check: (r) => expect(r.plan.phases[r.plan.currentPhaseIndex].kind).toBe('maintenance'),
    },
    {
      rule: 'improving → continue',
      source: 'SPEC: "continue when improving"; seed 001: "The frequency is guided by how you respond to treatment"',
      sessions: 2,
      measures: m(5, 5),
      decision: 'CONTINUE',
    },
    {
      rule: 'improving with the phase used up → continue, phase extended',
      source: 'seed 003: "Having regularly scheduled appointments until the ailment, or issue, is “under control” is suggested."',
      sessions: 4,
      measures: m(5, 5),
      decision: 'CONTINUE',
      check: (r) => expect(r.plan.phases[0].sessions.value.likely).toBe(8),
    },
    {
      rule: `stalled, fewer than ${STALL_SESSIONS} sessions → continue (too early)`,
      source: 'clinical practice: stall judged over 4 sessions',
      sessions: 2,
      measures: m(6, 4),
      decision: 'CONTINUE',
      check: (r) => expect(r.reason).toMatch(/too early|judge after/),
    },
    {
      rule: `stalled over ${STALL_SESSIONS} sessions → change approach (frequency may rise)`,
      source: 'seed 002: "what worked in your first session may be too gentle or too pressurizing in your subsequent session"; clinical practice',
      sessions: 4,
      measures: m(6, 4),
      prepare: (p) => ({ ...p, phases: p.phases.map((ph, k) => (k === 0 ? { ...ph, frequency: { ...ph.frequency, value: { sessions: 1, perWeeks: 1 } } } : ph)) }),
      decision: 'CHANGE_APPROACH',
      check: (r) => {
        expect(r.plan.approachChanges).toBe(1);
        expect(r.plan.approachStartedAtSession).toBe(4);
        expect(r.plan.phases[0].frequency.value).toEqual({ sessions: 2, perWeeks: 1 });
        expect(r.plan.phases[0].frequencyRaisedAtVersion).toBe(2);
        expect(r.changes.join(' ')).toMatch(/Frequency raised/);
      },
    },
    {
      rule: 'plateau after early improvement over 4 sessions → change approach',
      source: 'seed 004: "Ongoing assessments … allow for adjustments to the treatment plan"',
      sessions: 8,
      measures: m(5, 5),
      history: [{ sessionsCompleted: 4, measures: m(5, 5) }],
      prepare: (p) => ({ ...p, phases: p.phases.map((ph, k) => (k === 0 ? { ...ph, sessions: { ...ph.sessions, value: { min: 2, likely: 8, max: 10 } } } : ph)) }),
      decision: 'CHANGE_APPROACH',
      check: (r) => expect(r.reason).toMatch(/No further change since the re-assessment after session 4/),
    },
    {
      rule: 'stalled again after a change of approach → refer (chronic → pain specialist)',
      source: 'seed 001: "Collaboration with other healthcare practitioners, such as acupuncturists, physical therapists, or pain management specialists…"',
      sessions: 8,
      measures: m(6, 4),
      prepare: (p) => nextStep({ plan: p, sessionsCompleted: 4, reassessment: { measures: m(6, 4) }, now: NOW }).plan,
      decision: 'REFER',
      check: (r) => {
        expect(r.referral?.to).toBe('pain-specialist');
        expect(r.plan.status).toBe('on-hold-referral');
      },
    },
    {
      rule: 'worse pain → refer to a physician',
      source: 'SPEC: "refer … when progress stalls or worsens"; Farrar 2001 threshold used for worsening',
      sessions: 2,
      measures: m(9, 4),
      decision: 'REFER',
      check: (r) => expect(r.referral).toMatchObject({ to: 'physician', urgency: 'urgent' }),
    },
    {
      rule: 'red flag at re-assessment overrides everything → stop and refer',
      source: 'SPEC: "Red flags and contraindications … block … the plan and propose a referral"',
      sessions: 3,
      measures: m(2, 9),
      health: { suspectedDvt: true },
      decision: 'STOP_AND_REFER',
      check: (r) => {
        expect(r.plan.status).toBe('stopped');
        expect(r.referral).toMatchObject({ to: 'physician', urgency: 'emergency' });
      },
    },
    {
      rule: 'several red flags at re-assessment → the referral takes the most urgent (fever urgent + cauda equina emergency → emergency)',
      source: 'clinical practice: the most urgent finding sets the referral, as in proposePlan',
      sessions: 3,
      measures: m(2, 9),
      health: { fever: true, saddleAnaesthesia: true },
      decision: 'STOP_AND_REFER',
      check: (r) => {
        expect(r.referral).toMatchObject({ to: 'physician', urgency: 'emergency' });
        expect(r.plan.referral?.urgency).toBe('emergency');
      },
    },
  ];
  it.each(rows)('$rule ($source)', ({ sessions, measures, prepare, health, history, decision, check }) => {
    const plan = prepare ? prepare(chronicShoulder()) : chronicShoulder();
    const r = nextStep({ plan, sessionsCompleted: sessions, reassessment: { measures, ...(health ? { health } : {}) }, history, now: LATER, by: 'therapist-1' });
    expect(r.decision).toBe(decision);
    expect(r.plan.version).toBe(plan.version + 1);
    const last = r.plan.changeLog[r.plan.changeLog.length - 1];
    expect(last).toMatchObject({ version: r.plan.version, at: '2026-04-01T10:00:00.000Z', by: 'therapist-1', decision });
    expect(r.reason.length).toBeGreaterThan(10);
    check?.(r);
  });

  it('does not mutate the input plan', () => {
    const plan = chronicShoulder();
    const before = JSON.stringify(plan);
    nextStep({ plan, sessionsCompleted: 3, reassessment: { measures: m(3, 7) }, now: LATER });
    expect(JSON.stringify(plan)).toBe(before);
  });

  it('a new area to avoid found at re-assessment is kept in the plan', () => {
    const r = nextStep({ plan: chronicShoulder(), sessionsCompleted: 2, reassessment: { measures: m(5, 5), health: { openWounds: [{ region: 'calf', side: 'left' }] } }, now: LATER });
    expect(r.plan.restrictions.avoidAreas).toEqual([{ region: 'calf', side: 'left' }]);
  });

  it.each([
    ['pain score of 11', 'reassessment.measures.pain[0].score', { measures: { pain: [{ complaintId: 's', score: 11 }] } }, 3],
    ['unknown complaint', 'reassessment.measures.pain[0].complaintId', { measures: { pain: [{ complaintId: 'zz', score: 3 }] } }, 3],
    ['negative sessions', 'sessionsCompleted', { measures: m(3) }, -1],
  ])('bad input: %s → %s', (_n, field, reassessment, sessions) => {
    try {
      nextStep({ plan: chronicShoulder(), sessionsCompleted: sessions as number, reassessment: reassessment as never, now: LATER });
      throw new Error('expected error');
    } catch (e) {
      expect(e).toBeInstanceOf(PlanningInputError);
      expect((e as PlanningInputError).issues[0].field).toBe(field);
    }
  });
});

describe('re-assessment health answers re-screen without re-judging the stored complaints', () => {
  // Acute calf strain 29 days old at intake (stated acute, within the slack), re-assessed 4 weeks later.
  const acuteCalf = (): TreatmentPlan => {
    const p = proposePlan(
      baseIntake({
        complaints: [{ id: 'cf', region: 'calf', side: 'left', onsetDate: '2026-02-01', chronicity: 'acute', cause: 'strain', painNow: 5, painWorst: 7 }],
        function: { psfs: [{ activity: 'running', score: 4 }] },
      }),
      { now: NOW },
    );
    if (p.blocked) throw new Error('blocked');
    return p;
  };
  const cm = (pain: number, psfs = 4): Measures => ({ pain: [{ complaintId: 'cf', score: pain }], psfs: [{ activity: 'running', score: psfs }] });
  it.each([
    { rule: 'health answers at re-assessment validate the health block only (stated acute chronicity is not re-checked against the new date)', health: { osteoporosis: false }, decision: 'CONTINUE' },
    { rule: 'a red flag given at that re-assessment still stops and refers', health: { suspectedDvt: true }, decision: 'STOP_AND_REFER' },
  ])('$rule', ({ health, decision }) => {
    const r = nextStep({ plan: acuteCalf(), sessionsCompleted: 2, reassessment: { measures: cm(4, 5), health }, now: '2026-03-30T10:00:00Z' });
    expect(r.decision).toBe(decision);
    expect(r.plan.intake.complaints[0].chronicity).toBe('acute');
  });
  it('bad health answers at re-assessment are still rejected', () => {
    expect(() =>
      nextStep({ plan: acuteCalf(), sessionsCompleted: 2, reassessment: { measures: cm(4, 5), health: { fever: 'yes' } as never }, now: '2026-03-30T10:00:00Z' }),
    ).toThrow(/health.fever/);
  });
});

describe('first stall raises the frequency only if the client can come twice a week', () => {
  it.each([
    { rule: 'stalled, pain ≥ 5, commitment 0.75/week → no frequency raise', commitment: 0.75, raised: false },
    { rule: 'stalled, pain ≥ 5, commitment 1.5/week → no frequency raise', commitment: 1.5, raised: false },
    { rule: 'stalled, pain ≥ 5, commitment 2/week → raised to twice weekly', commitment: 2, raised: true },
  ])('$rule', ({ commitment, raised }) => {
    const plan = chronicShoulder({ commitment: { sessionsPerWeek: commitment } });
    const before = plan.phases[0].frequency.value;
    const r = nextStep({ plan, sessionsCompleted: 4, reassessment: { measures: m(6, 4) }, now: LATER });
    expect(r.decision).toBe('CHANGE_APPROACH');
    expect(r.plan.phases[0].frequency.value).toEqual(raised ? { sessions: 2, perWeeks: 1 } : before);
    expect(r.changes.join(' ').includes('Frequency raised')).toBe(raised);
  });
});

describe('a change of approach offers only techniques allowed for the complaint', () => {
  it('acute ankle sprain stalled → alternative techniques exclude trigger-point and deep-tissue (no deep or aggressive work on freshly injured tissue)', () => {
    const p = proposePlan(
      baseIntake({
        complaints: [{ id: 'a', region: 'ankle-foot', side: 'left', onsetDate: '2026-02-25', cause: 'sprain', painNow: 6, painWorst: 8 }],
        function: { psfs: [{ activity: 'walking', score: 4 }] },
      }),
      { now: NOW },
    );
    if (p.blocked) throw new Error('blocked');
    const allowed = new Set(p.techniques.map((t) => t.technique));
    const r = nextStep({ plan: p, sessionsCompleted: 4, reassessment: { measures: { pain: [{ complaintId: 'a', score: 6 }], psfs: [{ activity: 'walking', score: 4 }] } }, now: '2026-03-20T10:00:00Z' });
    expect(r.decision).toBe('CHANGE_APPROACH');
    const techs = r.plan.techniques.map((t) => t.technique);
    expect(techs).not.toContain('trigger-point');
    expect(techs).not.toContain('deep-tissue');
    expect(techs.length).toBeGreaterThan(0);
    expect(techs.every((t) => allowed.has(t))).toBe(true);
  });
});
