// Issue 11 items 4, 6, 7, 10 through the GraphQL API: widespread complaints, wellness intakes,
// safeguards and the commitment rhythm carried by the intake input and shown on the plan.
import { codeOf, startTestApi, type TestApi } from './harness';
import { ACCEPT, completeSessions, count, intakeInput, newClient, practice, type Practice } from './intake-plan.fixtures';

const INTAKE = `mutation I($input: RecordIntakeInput!) { recordIntake(input: $input) { id blocked complaints { id region side widespread chronicity painNow } } }`;
const PLAN = `mutation P($intakeId: ID!) { proposePlan(intakeId: $intakeId) { id complaintKey current {
  pathway protocol benchmarks { id } techniques { complaintId technique pressure }
  phases { kind frequency { sessions perWeeks description reason evidence { kind citation source } } sessionLengthMinutes { value } reassessment { everySessions } }
  safeguards { id source maxSessionsPerWeek maxSessionMinutes reassessWithinSessions reason evidence { kind statement } }
  warnings { code message } } } }`;
const REASSESS = `mutation R($input: RecordReassessmentInput!) { recordReassessment(input: $input) { decision reason status referral { to } } }`;

const widespread = { id: 'w', widespread: true, onsetDate: '2024-01-01', cause: 'unknown', painNow: 6, painWorst: 8 };
const neck = { id: 'n', region: 'neck', side: 'central', onsetDate: '2025-01-15', cause: 'posture', painNow: 6, painWorst: 7 };

describe('intake fields for widespread pain, wellness clients and safeguards (issue 11)', () => {
  let t: TestApi;
  let p: Practice;
  beforeAll(async () => {
    t = await startTestApi();
    p = await practice(t, 'Fidelity Chain');
  });
  afterAll(() => t.stop());

  const record = async (overrides: Record<string, unknown>) => {
    const clientId = await newClient(t, p.frontDesk.token);
    return t.gql(INTAKE, { input: { clientId, clinicId: p.clinicId, intake: intakeInput(overrides) } }, p.therapist.token);
  };
  const propose = async (overrides: Record<string, unknown>) => {
    const res = await record(overrides);
    expect(res.errors).toBeUndefined();
    const plan = await t.gql(PLAN, { intakeId: res.data?.recordIntake.id }, p.therapist.token);
    expect(plan.errors).toBeUndefined();
    return plan.data?.proposePlan;
  };

  it('takes a widespread complaint without a region; fibromyalgia leads and its weekly safeguard is shown', async () => {
    const res = await record({ complaints: [widespread, neck], conditions: ['fibromyalgia', 'neck-pain'], function: {}, commitment: { sessionsPerWeek: 3 } });
    expect(res.errors).toBeUndefined();
    expect(res.data?.recordIntake.complaints).toEqual([
      { id: 'w', region: 'whole-body', side: 'bilateral', widespread: true, chronicity: 'chronic', painNow: 6 },
      { id: 'n', region: 'neck', side: 'central', widespread: false, chronicity: 'chronic', painNow: 6 },
    ]);
    const plan = await t.gql(PLAN, { intakeId: res.data?.recordIntake.id }, p.therapist.token);
    const body = plan.data?.proposePlan.current;
    expect(body.protocol).toBe('fibromyalgia');
    expect(body.phases.every((ph: { frequency: { sessions: number; perWeeks: number } }) => ph.frequency.sessions / ph.frequency.perWeeks <= 1)).toBe(true);
    expect(body.safeguards).toContainEqual(
      expect.objectContaining({ id: 'fibromyalgia.weekly-at-most', source: 'fibromyalgia', maxSessionsPerWeek: 1, evidence: { kind: 'CLINICAL_PRACTICE', statement: expect.stringMatching(/no trial/) } }),
    );
  });

  it.each([
    ['widespread with another region', { complaints: [{ ...widespread, region: 'neck' }] }, 'input.intake.complaints[0].region', /contradicts widespread/],
    ['widespread given as text', { complaints: [{ ...widespread, widespread: 'yes' }] }, 'input.intake.complaints[0].widespread', /must be true or false/],
    ['no complaint with pain relief among the goals', { complaints: [], goals: ['pain-relief', 'relaxation'] }, 'input.intake.complaints', /unless the goals are relaxation or maintenance/],
  ])('refuses %s as BAD_USER_INPUT naming the field, storing nothing', async (_label, overrides, field, message) => {
    const before = await count(t, 'intake');
    const res = await record({ function: {}, ...overrides });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe(field);
    expect(res.errors?.[0].message).toMatch(message);
    expect(await count(t, 'intake')).toBe(before);
  });

  it('plans a wellness client with no complaint: about monthly, no benchmarks, re-assessments that do not escalate', async () => {
    const plan = await propose({ complaints: [], goals: ['relaxation'], function: {} });
    expect(plan.complaintKey).toBe('wellness');
    expect(plan.current).toMatchObject({ pathway: 'wellness', protocol: 'wellness', benchmarks: [] });
    expect(plan.current.phases).toEqual([expect.objectContaining({ kind: 'maintenance', frequency: expect.objectContaining({ sessions: 1, perWeeks: 4 }) })]);
    expect(plan.current.techniques.map((x: { technique: string }) => x.technique)).not.toContain('trigger-point');

    const accepted = await t.gql(ACCEPT, { planId: plan.id }, p.therapist.token);
    expect(accepted.errors).toBeUndefined();
    const clientId = accepted.data?.acceptPlan.clientId;
    await completeSessions(t, p, { clientId, planId: plan.id }, 6);
    const r = await t.gql(REASSESS, { input: { planId: plan.id, measures: { pain: [] } } }, p.therapist.token);
    expect(r.errors).toBeUndefined();
    expect(r.data?.recordReassessment).toMatchObject({ decision: 'CONTINUE', referral: null });
  });

  it('1.5 visits a week is 3 every 2 weeks, and the reason says the effect may be smaller (Sherman 2014 for the neck)', async () => {
    const plan = await propose({ complaints: [neck], function: {}, commitment: { sessionsPerWeek: 1.5 } });
    const initial = plan.current.phases[0];
    expect(initial.frequency).toMatchObject({ sessions: 3, perWeeks: 2, description: '3 times every 2 weeks', reason: expect.stringMatching(/effect may be smaller/) });
    expect(initial.frequency.evidence).toMatchObject({ kind: 'TRIAL', citation: expect.stringMatching(/^Sherman KJ/) });
    expect(plan.current.warnings).toContainEqual(expect.objectContaining({ code: 'COMMITMENT_BELOW_RECOMMENDED' }));
  });

  it('an 82-year-old gets 45-minute sessions in maintenance too', async () => {
    const plan = await propose({ age: 82 });
    expect(plan.current.phases.map((ph: { sessionLengthMinutes: { value: number } }) => ph.sessionLengthMinutes.value)).toEqual([45, 45, 45]);
    expect(plan.current.safeguards.map((s: { id: string }) => s.id)).toContain('frailty.shorter-sessions');
  });
});
