import { codeOf, startTestApi, type TestApi } from './harness';
import { activePlan, audits, completeSessions, count, newClient, intakeFor, practice, PROPOSE, type Practice } from './intake-plan.fixtures';

const RECORD = `mutation R($input: RecordReassessmentInput!) { recordReassessment(input: $input) {
  id planId planVersion sessionsCompleted decision reason changes status acceptedVersion referral { to urgency reason }
  measures { pain { complaintId score } odi }
  evaluation { overall summary results { benchmarkId status baseline current improvement } }
  proposedPlan { currentPhaseIndex phases { kind label } referral { to } } } }`;
const ACCEPT = `mutation A($id: ID!, $reason: String) { acceptReassessment(id: $id, reason: $reason) {
  id status currentVersion versions { version changeKind reason changedBy } current { currentPhaseIndex phases { kind } referral { to } techniques { technique } }
  reassessments { id status acceptedVersion } } }`;
const DISMISS = `mutation D($id: ID!, $reason: String!) { dismissReassessment(id: $id, reason: $reason) { id status } }`;
const DUE = `query Q($id: ID!) { plan(id: $id) { status nextReassessment { sessionsCompleted dueAtSession sessionsUntilDue dueBy isDue dueBecauseOf } } }`;
const GET = `query Q($id: ID!) { reassessment(id: $id) { id decision status } }`;

/** Baseline of the fixture intake: pain 6 (lb), PSFS 4, ODI 30. */
const met = { pain: [{ complaintId: 'lb', score: 3 }], psfs: [{ activity: 'gardening', score: 8 }], odi: 15 };
const same = { pain: [{ complaintId: 'lb', score: 6 }], psfs: [{ activity: 'gardening', score: 4 }], odi: 30 };
const worse = { pain: [{ complaintId: 'lb', score: 9 }], psfs: [{ activity: 'gardening', score: 3 }], odi: 34 };

describe('re-assessments', () => {
  let t: TestApi;
  let p: Practice;
  let other: Practice;
  beforeAll(async () => {
    t = await startTestApi();
    p = await practice(t, 'Reassess Chain');
    other = await practice(t, 'Far Away Chain');
  });
  afterAll(() => t.stop());

  const record = (planId: string, measures: unknown, extra: Record<string, unknown> = {}, token = p.therapist.token) =>
    t.gql(RECORD, { input: { planId, measures, ...extra } }, token);

  it('falls due by sessions, steps down when every benchmark is met, and moves to maintenance after tapering', async () => {
    const plan = await activePlan(t, p);
    const due0 = (await t.gql(DUE, { id: plan.planId }, p.therapist.token)).data?.plan.nextReassessment;
    expect(due0).toMatchObject({ sessionsCompleted: 0, dueAtSession: 4, sessionsUntilDue: 4, isDue: false });
    await completeSessions(t, p, plan, 4);
    expect((await t.gql(DUE, { id: plan.planId }, p.therapist.token)).data?.plan.nextReassessment).toMatchObject({ sessionsCompleted: 4, isDue: true, dueBecauseOf: 'SESSIONS' });

    const res = await record(plan.planId, met);
    expect(res.errors).toBeUndefined();
    const r = res.data?.recordReassessment;
    expect(r).toMatchObject({ planVersion: 2, sessionsCompleted: 4, decision: 'STEP_DOWN', status: 'PROPOSED', evaluation: { overall: 'all-met' } });
    expect(r.evaluation.results.find((x: { benchmarkId: string }) => x.benchmarkId === 'pain-nrs:lb')).toMatchObject({ status: 'met', baseline: 6, current: 3, improvement: 3 });
    expect(r.proposedPlan.phases[r.proposedPlan.currentPhaseIndex].kind).toBe('tapering');
    expect(await audits(t, 'reassessment.create', r.id)).toBe(1);

    const accepted = await t.gql(ACCEPT, { id: r.id }, p.therapist.token);
    expect(accepted.errors).toBeUndefined();
    const a = accepted.data?.acceptReassessment;
    expect(a).toMatchObject({ status: 'ACTIVE', currentVersion: 3 });
    expect(a.versions[0]).toMatchObject({ version: 3, changeKind: 'STEP_DOWN', changedBy: p.therapist.userId });
    expect(a.versions[0].reason).toMatch(/All benchmarks met/);
    expect(a.current.phases[a.current.currentPhaseIndex].kind).toBe('tapering');
    expect(a.reassessments).toEqual([expect.objectContaining({ id: r.id, status: 'ACCEPTED', acceptedVersion: 3 })]);
    expect((await t.gql(DUE, { id: plan.planId }, p.therapist.token)).data?.plan.nextReassessment).toMatchObject({ isDue: false, sessionsCompleted: 4 });

    await completeSessions(t, p, plan, 3);
    const end = await record(plan.planId, met);
    expect(end.data?.recordReassessment.decision).toBe('MOVE_TO_MAINTENANCE');
    const maint = await t.gql(ACCEPT, { id: end.data?.recordReassessment.id, reason: 'Gains held through tapering' }, p.therapist.token);
    expect(maint.data?.acceptReassessment).toMatchObject({ status: 'MAINTENANCE', currentVersion: 4 });
    expect(maint.data?.acceptReassessment.versions[0]).toMatchObject({ changeKind: 'MOVE_TO_MAINTENANCE', reason: 'Gains held through tapering' });
  });

  it('changes the approach when progress stalls over four sessions', async () => {
    const plan = await activePlan(t, p);
    await completeSessions(t, p, plan, 4);
    const res = await record(plan.planId, same);
    expect(res.data?.recordReassessment).toMatchObject({ decision: 'CHANGE_APPROACH', evaluation: { overall: 'stalled' } });
    const accepted = await t.gql(ACCEPT, { id: res.data?.recordReassessment.id }, p.therapist.token);
    expect(accepted.data?.acceptReassessment).toMatchObject({ status: 'ACTIVE', currentVersion: 3, versions: [expect.objectContaining({ changeKind: 'CHANGE_APPROACH' }), expect.anything(), expect.anything()] });
  });

  it('refers when the client is worse, keeping the plan active with the referral recorded in the version', async () => {
    const plan = await activePlan(t, p);
    await completeSessions(t, p, plan, 2);
    const res = await record(plan.planId, worse);
    expect(res.data?.recordReassessment).toMatchObject({ decision: 'REFER', evaluation: { overall: 'worse' }, referral: { to: 'physician', urgency: 'urgent' } });
    const accepted = await t.gql(ACCEPT, { id: res.data?.recordReassessment.id }, p.therapist.token);
    expect(accepted.data?.acceptReassessment).toMatchObject({ status: 'ACTIVE', currentVersion: 3, current: { referral: { to: 'physician' } } });
    expect(accepted.data?.acceptReassessment.versions[0].changeKind).toBe('REFER');
  });

  it('stops and refers on a red flag found at re-assessment', async () => {
    const plan = await activePlan(t, p);
    const res = await record(plan.planId, met, { health: { fever: true } });
    expect(res.data?.recordReassessment).toMatchObject({ decision: 'STOP_AND_REFER', referral: { to: 'physician' } });
  });

  it('refuses to accept a re-assessment judged against an older plan version (CONFLICT), and a dismissed one', async () => {
    const plan = await activePlan(t, p);
    await completeSessions(t, p, plan, 4);
    const first = (await record(plan.planId, met)).data?.recordReassessment.id;
    const second = (await record(plan.planId, same)).data?.recordReassessment.id;
    const third = (await record(plan.planId, same)).data?.recordReassessment.id;
    expect((await t.gql(ACCEPT, { id: first }, p.therapist.token)).data?.acceptReassessment.currentVersion).toBe(3);
    const versions = await count(t, 'plan_version');
    const stale = await t.gql(ACCEPT, { id: second }, p.therapist.token);
    expect(codeOf(stale)).toBe('CONFLICT');
    expect(stale.errors?.[0].message).toMatch(/plan changed since .* re-assess again/);
    expect(stale.errors?.[0].extensions).toMatchObject({ planVersion: 3 });
    expect((await t.gql(GET, { id: second }, p.therapist.token)).data?.reassessment.status).toBe('PROPOSED');
    expect((await t.gql(DISMISS, { id: third, reason: 'Superseded' }, p.therapist.token)).data?.dismissReassessment.status).toBe('DISMISSED');
    expect(codeOf(await t.gql(ACCEPT, { id: third }, p.therapist.token))).toBe('CONFLICT');
    expect(codeOf(await t.gql(ACCEPT, { id: first }, p.therapist.token))).toBe('CONFLICT');
    expect(await count(t, 'plan_version')).toBe(versions);
  });

  it.each([
    ['a pain score of 11', { pain: [{ complaintId: 'lb', score: 11 }] }, {}, 'input.measures.pain[0].score'],
    ['a negative pain score', { pain: [{ complaintId: 'lb', score: -2 }] }, {}, 'input.measures.pain[0].score'],
    ['a complaint the plan does not treat', { pain: [{ complaintId: 'knee', score: 3 }] }, {}, 'input.measures.pain[0].complaintId'],
    ['an ODI above 100', { pain: [{ complaintId: 'lb', score: 3 }], odi: 140 }, {}, 'input.measures.odi'],
    ['a health answer that is not yes or no', { pain: [{ complaintId: 'lb', score: 3 }] }, { health: { fever: 'maybe' } }, 'input.health.fever'],
    ['an appointment of no one here', { pain: [{ complaintId: 'lb', score: 3 }] }, { appointmentId: '00000000-0000-4000-8000-000000000009' }, 'input.appointmentId'],
  ])('refuses %s, naming the field, and stores nothing', async (_l, measures, extra, field) => {
    const plan = await activePlan(t, p);
    const before = await count(t, 'reassessment');
    const res = await record(plan.planId, measures, extra);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe(field);
    expect(await count(t, 'reassessment')).toBe(before);
  });

  it('re-assesses only active or maintenance plans', async () => {
    const clientId = await newClient(t, p.frontDesk.token);
    const proposed = await t.gql(PROPOSE, { intakeId: await intakeFor(t, p, clientId) }, p.therapist.token);
    const res = await record(proposed.data?.proposePlan.id, met);
    expect(codeOf(res)).toBe('CONFLICT');
  });

  it('keeps re-assessments from the front desk and from another organization', async () => {
    const plan = await activePlan(t, p);
    const r = (await record(plan.planId, met)).data?.recordReassessment.id;
    const before = { re: await count(t, 'reassessment'), versions: await count(t, 'plan_version') };
    expect(codeOf(await record(plan.planId, met, {}, p.frontDesk.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(GET, { id: r }, p.frontDesk.token))).toBe('FORBIDDEN');
    expect(codeOf(await record(plan.planId, met, {}, other.therapist.token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(ACCEPT, { id: r }, other.therapist.token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(DISMISS, { id: r, reason: 'x' }, other.therapist.token))).toBe('NOT_FOUND');
    expect((await t.gql(GET, { id: r }, other.therapist.token)).data?.reassessment).toBeNull();
    expect({ re: await count(t, 'reassessment'), versions: await count(t, 'plan_version') }).toEqual(before);
    expect((await t.gql(GET, { id: r }, p.therapist.token)).data?.reassessment.status).toBe('PROPOSED');
  });
});
