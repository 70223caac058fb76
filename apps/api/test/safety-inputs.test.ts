// Issue 11 (items 1, 2, 3, 5) through GraphQL: the intake carries observed red-flag signs, risk
// factors, medications by name and frailty; the re-assessment carries complaints not in the intake.
import { codeOf, startTestApi, type TestApi } from './harness';
import { activePlan, completeSessions, count, newClient, practice, PROPOSE, RECORD_INTAKE, intakeInput, type Practice } from './intake-plan.fixtures';

const RECORD = `mutation R($input: RecordReassessmentInput!) { recordReassessment(input: $input) {
  id decision reason referral { to urgency }
  painChanges { complaintId region side kind baseline current severe explained refer urgency finding }
  evaluation { overall }
  proposedPlan { techniques { complaintId technique pressure } benchmarks { id baseline } } } }`;
const ACCEPT = `mutation A($id: ID!) { acceptReassessment(id: $id) { id currentVersion } }`;

/** A calendar date `days` before today (the API under test reads the system clock). */
const daysAgo = (days: number): string => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

describe('issue 11: safety fields in the intake and re-assessment inputs', () => {
  let t: TestApi;
  let p: Practice;
  beforeAll(async () => {
    t = await startTestApi();
    p = await practice(t, 'Safety Chain');
  });
  afterAll(() => t.stop());

  const intake = async (overrides: Record<string, unknown>) => {
    const clientId = await newClient(t, p.therapist.token);
    return t.gql(RECORD_INTAKE, { input: { clientId, clinicId: p.clinicId, intake: intakeInput(overrides) } }, p.therapist.token);
  };

  it('blocks an intake whose DVT signs and risk factors make a clot likely, with the tick-box left unticked (Wells-like score)', async () => {
    const res = await intake({
      complaints: [{ id: 'calf', region: 'calf', side: 'left', onsetDate: '2025-01-15', cause: 'unknown', painNow: 5, painWorst: 6 }],
      function: {},
      health: {
        suspectedDvt: false,
        dvtSigns: { side: 'left', calfSwelling: true, calfWarmth: true, calfRedness: true, calfTenderness: true },
        dvtRiskFactors: { recentLongTravel: true, recentSurgeryOrImmobilisation: true, historyOfClots: true },
      },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data?.recordIntake.blocked).toBe(true);
    expect(res.data?.recordIntake.findings[0]).toMatchObject({ rule: 'red-flag.suspected-dvt', outcome: 'REFER_DO_NOT_TREAT', referTo: 'physician', urgency: 'emergency' });
    expect(res.data?.recordIntake.findings[0].finding).toMatch(/left calf.*score 6/);
  });

  it('reads the other back-pain red flags as signs: bladder change, and trauma at 72', async () => {
    expect((await intake({ health: { bladderChange: true } })).data?.recordIntake.findings[0]).toMatchObject({ rule: 'red-flag.cauda-equina', urgency: 'emergency' });
    const trauma = await intake({ age: 72, health: { recentSignificantTrauma: true } });
    expect(trauma.data?.recordIntake).toMatchObject({ blocked: true, findings: [expect.objectContaining({ rule: 'red-flag.trauma-older-back' })] });
  });

  it('recognises warfarin typed as "other" and plans light pressure', async () => {
    const res = await intake({ medications: [{ name: 'Warfarin 3mg', class: 'other' }] });
    expect(res.data?.recordIntake.findings).toEqual([expect.objectContaining({ rule: 'modify.anticoagulants', excludedTechniques: expect.arrayContaining(['deep-tissue']) })]);
    const plan = await t.gql(PROPOSE, { intakeId: res.data?.recordIntake.id }, p.therapist.token);
    expect(plan.data?.proposePlan.current.techniques.every((x: { pressure: string }) => x.pressure === 'light')).toBe(true);
  });

  it('asks clearance and caps pressure for osteoporosis at 72', async () => {
    const res = await intake({ age: 72, health: { osteoporosis: true } });
    expect(res.data?.recordIntake.findings).toEqual([expect.objectContaining({ rule: 'clearance.fragile-bone', referTo: 'physician' })]);
    const plan = await t.gql(PROPOSE, { intakeId: res.data?.recordIntake.id }, p.therapist.token);
    expect(plan.data?.proposePlan.current.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'CLEARANCE_REQUIRED' })]));
    expect(plan.data?.proposePlan.current.techniques.every((x: { pressure: string }) => x.pressure === 'light')).toBe(true);
  });

  it.each([
    ['a DVT sign that is not yes/no', { health: { dvtSigns: { calfSwelling: 'yes' } } }, 'input.intake.health.dvtSigns.calfSwelling'],
    ['an unknown DVT risk factor', { health: { dvtRiskFactors: { smoking: true } } }, 'input.intake.health.dvtRiskFactors.smoking'],
    ['a frailty scale of 0', { health: { clinicalFrailtyScale: 0 } }, 'input.intake.health.clinicalFrailtyScale'],
  ])('refuses an intake with %s, naming the field', async (_l, overrides, field) => {
    const before = await count(t, 'intake');
    const res = await intake(overrides);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe(field);
    expect(await count(t, 'intake')).toBe(before);
  });

  const twoComplaints = {
    complaints: [
      { id: 'lb', region: 'lower-back', side: 'central', onsetDate: '2025-01-15', cause: 'posture', painNow: 6, painWorst: 7 },
      { id: 'n', region: 'neck', side: 'central', onsetDate: '2025-01-15', cause: 'posture', painNow: 0, painWorst: 0 },
    ],
    function: {},
  };
  const record = (planId: string, input: Record<string, unknown>) => t.gql(RECORD, { input: { planId, ...input } }, p.therapist.token);

  it('refers when a complaint with no pain at intake goes 0 → 9 while the other meets its benchmark', async () => {
    const plan = await activePlan(t, p, twoComplaints);
    await completeSessions(t, p, plan, 4);
    const res = await record(plan.planId, { measures: { pain: [{ complaintId: 'lb', score: 2 }, { complaintId: 'n', score: 9 }] } });
    expect(res.errors).toBeUndefined();
    expect(res.data?.recordReassessment).toMatchObject({
      decision: 'REFER',
      evaluation: { overall: 'all-met' },
      referral: { to: 'physician', urgency: 'urgent' },
      painChanges: [{ complaintId: 'n', kind: 'WORSE', baseline: 0, current: 9, severe: true, refer: true }],
    });
  });

  it('takes a complaint that was not in the intake: refers a severe one, adds and measures a mild explained one', async () => {
    const severe = await activePlan(t, p);
    await completeSessions(t, p, severe, 4);
    const r1 = await record(severe.planId, {
      measures: { pain: [{ complaintId: 'lb', score: 3 }] },
      newComplaints: [{ region: 'hip', side: 'left', onsetDate: daysAgo(10), cause: 'unknown', painNow: 7, painWorst: 8 }],
    });
    expect(r1.errors).toBeUndefined();
    expect(r1.data?.recordReassessment).toMatchObject({
      decision: 'REFER',
      referral: { to: 'physician', urgency: 'urgent' },
      painChanges: [{ complaintId: 'c2', kind: 'NEW', baseline: null, current: 7, severe: true, explained: false, refer: true }],
    });

    const mild = await activePlan(t, p);
    await completeSessions(t, p, mild, 4);
    const r2 = await record(mild.planId, {
      measures: { pain: [{ complaintId: 'lb', score: 3 }], psfs: [{ activity: 'gardening', score: 8 }], odi: 15 },
      newComplaints: [{ id: 'calf', region: 'calf', side: 'right', onsetDate: daysAgo(4), cause: 'strain', painNow: 3, painWorst: 4 }],
    });
    expect(r2.errors).toBeUndefined();
    const re = r2.data?.recordReassessment;
    expect(re).toMatchObject({ decision: 'CONTINUE', evaluation: { overall: 'all-met' }, painChanges: [{ complaintId: 'calf', kind: 'NEW', refer: false }] });
    expect(re.proposedPlan.benchmarks).toEqual(expect.arrayContaining([{ id: 'pain-nrs:calf', baseline: 3 }]));
    const onCalf = re.proposedPlan.techniques.filter((x: { complaintId: string }) => x.complaintId === 'calf');
    expect(onCalf.length).toBeGreaterThan(0);
    expect(onCalf.every((x: { pressure: string }) => x.pressure !== 'firm' && x.pressure !== 'deep')).toBe(true);
    // Accepted, the new complaint is one of the plan's: the next re-assessment measures it.
    expect((await t.gql(ACCEPT, { id: re.id }, p.therapist.token)).errors).toBeUndefined();
    const r3 = await record(mild.planId, { measures: { pain: [{ complaintId: 'lb', score: 3 }, { complaintId: 'calf', score: 6 }] } });
    expect(r3.errors).toBeUndefined();
    expect(r3.data?.recordReassessment.decision).toBe('REFER');
  });

  it.each([
    ['a pain score of 11', { region: 'hip', side: 'left', onsetDate: '2026-01-10', cause: 'sport', painNow: 11, painWorst: 11 }, 'input.newComplaints[0].painNow'],
    ['an unknown region', { region: 'tail', side: 'left', onsetDate: '2026-01-10', cause: 'sport', painNow: 3, painWorst: 4 }, 'input.newComplaints[0].region'],
    ['pain now above the worst', { region: 'hip', side: 'left', onsetDate: '2026-01-10', cause: 'sport', painNow: 5, painWorst: 4 }, 'input.newComplaints[0].painNow'],
    ['an onset in the future', { region: 'hip', side: 'left', onsetDate: '2999-01-01', cause: 'sport', painNow: 3, painWorst: 4 }, 'input.newComplaints[0].onsetDate'],
    ['an id the plan already has', { id: 'lb', region: 'hip', side: 'left', onsetDate: '2026-01-10', cause: 'sport', painNow: 3, painWorst: 4 }, 'input.newComplaints[0].id'],
  ])('refuses a new complaint with %s, naming the field, and stores nothing', async (_l, c, field) => {
    const plan = await activePlan(t, p);
    const before = await count(t, 'reassessment');
    const res = await record(plan.planId, { measures: { pain: [{ complaintId: 'lb', score: 3 }] }, newComplaints: [c] });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe(field);
    expect(res.errors?.[0].message.length).toBeGreaterThan(10);
    expect(await count(t, 'reassessment')).toBe(before);
  });
});
