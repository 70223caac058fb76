import { codeOf, startTestApi, type TestApi } from './harness';
import {
  ACCEPT, activePlan, audits, count, EDIT, intakeFor, intakeInput, newClient, practice, PROPOSE, RECORD_INTAKE, SET_STATUS, type Practice,
} from './intake-plan.fixtures';

const INTAKE = `query Q($id: ID!) { intake(id: $id) { id version blocked } }`;
const PLAN = `query Q($id: ID!) { plan(id: $id) { id status currentVersion versions { version changeKind } } }`;
const CHART = `query C($id: ID!) { client(id: $id) { firstName
  intakes { version blocked findings { rule } }
  plans { status currentVersion current { phases { label frequency { sessions } } } versions { version changeKind reason changedBy } } } }`;

describe('intake and treatment plans', () => {
  let t: TestApi;
  let p: Practice;
  let other: Practice;
  beforeAll(async () => {
    t = await startTestApi();
    p = await practice(t, 'Plan Chain');
    other = await practice(t, 'Elsewhere Chain');
  });
  afterAll(() => t.stop());

  it('stores each intake as the next version, screened, and lists them newest first', async () => {
    const clientId = await newClient(t, p.frontDesk.token);
    const first = await t.gql(RECORD_INTAKE, { input: { clientId, clinicId: p.clinicId, intake: intakeInput() } }, p.therapist.token);
    expect(first.errors).toBeUndefined();
    expect(first.data?.recordIntake).toMatchObject({ version: 1, blocked: false, practitionerId: p.practitionerId, findings: [], complaints: [{ id: 'lb', region: 'lower-back', painNow: 6, chronicity: 'chronic' }] });
    const second = await t.gql(
      RECORD_INTAKE,
      { input: { clientId, clinicId: p.clinicId, intake: intakeInput({ medications: [{ name: 'warfarin', class: 'anticoagulant' }] }) } },
      p.therapist.token,
    );
    expect(second.data?.recordIntake.version).toBe(2);
    expect(second.data?.recordIntake.findings).toEqual([
      expect.objectContaining({ rule: 'modify.anticoagulants', outcome: 'MODIFY_OR_CLEARANCE', excludedTechniques: expect.arrayContaining(['deep-tissue']) }),
    ]);
    const chart = await t.gql(CHART, { id: clientId }, p.therapist.token);
    expect(chart.data?.client.intakes.map((i: { version: number }) => i.version)).toEqual([2, 1]);
    expect(await audits(t, 'intake.create', first.data?.recordIntake.id)).toBe(1);
    expect(await audits(t, 'intake.read', first.data?.recordIntake.id)).toBe(1);
  });

  it('gives concurrent saves for one client distinct versions', async () => {
    const clientId = await newClient(t, p.frontDesk.token);
    const results = await Promise.all(
      Array.from({ length: 6 }, () => t.gql(RECORD_INTAKE, { input: { clientId, clinicId: p.clinicId, intake: intakeInput() } }, p.therapist.token)),
    );
    expect(results.map((r) => r.errors)).toEqual(Array(6).fill(undefined));
    expect(results.map((r) => r.data?.recordIntake.version).sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  const complaint = (c: Record<string, unknown>) => ({ complaints: [{ id: 'lb', region: 'lower-back', side: 'central', onsetDate: '2025-01-15', cause: 'posture', painNow: 6, painWorst: 7, ...c }] });
  it.each([
    ['a pain score of 11', complaint({ painNow: 11, painWorst: 11 }), 'input.intake.complaints[0].painNow'],
    ['a negative pain score', complaint({ painNow: -1 }), 'input.intake.complaints[0].painNow'],
    ['an onset in the future', complaint({ onsetDate: '2999-01-01' }), 'input.intake.complaints[0].onsetDate'],
    ['pain now above the worst pain', complaint({ painNow: 8, painWorst: 5 }), 'input.intake.complaints[0].painNow'],
    ['an unknown body region', complaint({ region: 'tail' }), 'input.intake.complaints[0].region'],
    ['an age of 130', { age: 130 }, 'input.intake.age'],
    ['no complaints', { complaints: [] }, 'input.intake.complaints'],
  ])('refuses an intake with %s, naming the field, and stores nothing', async (_l, overrides, field) => {
    const clientId = await newClient(t, p.frontDesk.token);
    const before = await count(t, 'intake');
    const res = await t.gql(RECORD_INTAKE, { input: { clientId, clinicId: p.clinicId, intake: intakeInput(overrides) } }, p.therapist.token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe(field);
    expect(await count(t, 'intake')).toBe(before);
  });

  it('needs a practitioner: an admin without a practitioner record must name one', async () => {
    const clientId = await newClient(t, p.frontDesk.token);
    const res = await t.gql(RECORD_INTAKE, { input: { clientId, clinicId: p.clinicId, intake: intakeInput() } }, p.admin.token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe('input.practitionerId');
    const named = await t.gql(RECORD_INTAKE, { input: { clientId, clinicId: p.clinicId, practitionerId: p.practitionerId, intake: intakeInput() } }, p.admin.token);
    expect(named.data?.recordIntake.practitionerId).toBe(p.practitionerId);
  });

  it('keeps clinical content from the front desk (FORBIDDEN), while demographics stay open to it', async () => {
    const clientId = await newClient(t, p.frontDesk.token);
    const intakeId = await intakeFor(t, p, clientId);
    const before = await count(t, 'intake');
    expect(codeOf(await t.gql(RECORD_INTAKE, { input: { clientId, clinicId: p.clinicId, intake: intakeInput() } }, p.frontDesk.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(INTAKE, { id: intakeId }, p.frontDesk.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(PROPOSE, { intakeId }, p.frontDesk.token))).toBe('FORBIDDEN');
    const chart = await t.gql(`query C($id: ID!) { client(id: $id) { firstName intakes { id } } }`, { id: clientId }, p.frontDesk.token);
    expect(codeOf(chart)).toBe('FORBIDDEN');
    const demographics = await t.gql(`query C($id: ID!) { client(id: $id) { firstName } }`, { id: clientId }, p.frontDesk.token);
    expect(demographics.data?.client.firstName).toBe('Client');
    expect(await count(t, 'intake')).toBe(before);
  });

  it('blocks a plan on a red flag: the proposal refers, accepting and editing are refused, nothing changes', async () => {
    const clientId = await newClient(t, p.frontDesk.token);
    const intake = await t.gql(RECORD_INTAKE, { input: { clientId, clinicId: p.clinicId, intake: intakeInput({ health: { suspectedDvt: true } }) } }, p.therapist.token);
    expect(intake.data?.recordIntake).toMatchObject({ blocked: true, findings: [expect.objectContaining({ rule: 'red-flag.suspected-dvt', outcome: 'REFER_DO_NOT_TREAT', referTo: 'physician', urgency: 'emergency' })] });
    const proposed = await t.gql(PROPOSE, { intakeId: intake.data?.recordIntake.id }, p.therapist.token);
    expect(proposed.errors).toBeUndefined();
    const plan = proposed.data?.proposePlan;
    expect(plan).toMatchObject({ status: 'PROPOSED', currentVersion: 1, current: { blocked: true, phases: [], referral: { to: 'physician', urgency: 'emergency' } } });
    expect(plan.current.blockedReason).toMatch(/blood clot/);
    expect(plan.versions).toEqual([expect.objectContaining({ version: 1, changeKind: 'BLOCKED' })]);

    const versionsBefore = await count(t, 'plan_version');
    const accepted = await t.gql(ACCEPT, { planId: plan.id }, p.therapist.token);
    expect(codeOf(accepted)).toBe('CONFLICT');
    expect(accepted.errors?.[0].message).toMatch(/Screening found .*blood clot.* refer to a physician/);
    expect(accepted.errors?.[0].extensions).toMatchObject({ field: 'planId', referTo: 'physician', rules: ['red-flag.suspected-dvt'] });
    const edited = await t.gql(EDIT, { planId: plan.id, input: { reason: 'try anyway', phases: [{ index: 0, sessionLengthMinutes: 30 }] } }, p.therapist.token);
    expect(codeOf(edited)).toBe('CONFLICT');
    expect(await count(t, 'plan_version')).toBe(versionsBefore);
    expect((await t.gql(PLAN, { id: plan.id }, p.therapist.token)).data?.plan).toMatchObject({ status: 'PROPOSED', currentVersion: 1 });
  });

  it('proposes with every reason and evidence, accepts, edits as version 3 (who, when, why), and keeps one active plan per complaint', async () => {
    const clientId = await newClient(t, p.frontDesk.token);
    const intakeId = await intakeFor(t, p, clientId);
    const proposed = await t.gql(PROPOSE, { intakeId }, p.therapist.token);
    expect(proposed.errors).toBeUndefined();
    const plan = proposed.data?.proposePlan;
    expect(plan).toMatchObject({ status: 'PROPOSED', currentVersion: 1, complaintKey: 'lower-back:central', current: { blocked: false, pathway: 'chronic', protocol: 'chronic-low-back' } });
    for (const phase of plan.current.phases) {
      expect(phase.frequency.reason).toBeTruthy();
      expect(['SEED', 'TRIAL', 'CLINICAL_PRACTICE']).toContain(phase.frequency.evidence.kind);
      expect(phase.sessions.reason).toBeTruthy();
      expect(phase.reassessment.reason).toBeTruthy();
    }
    expect(plan.current.benchmarks.map((b: { id: string }) => b.id)).toEqual(expect.arrayContaining(['pain-nrs:lb', 'psfs', 'odi']));
    expect(plan.current.benchmarks.find((b: { id: string }) => b.id === 'pain-nrs:lb').evidence).toMatchObject({ kind: 'TRIAL', citation: expect.stringMatching(/Farrar/) });
    expect(plan.current.techniques.length).toBeGreaterThan(0);
    expect(plan.current.homeCare.length).toBeGreaterThan(0);
    // Proposing again returns the pending proposal.
    expect((await t.gql(PROPOSE, { intakeId }, p.therapist.token)).data?.proposePlan.id).toBe(plan.id);

    const accepted = await t.gql(ACCEPT, { planId: plan.id, reason: 'Agreed with the client' }, p.therapist.token);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data?.acceptPlan).toMatchObject({ status: 'ACTIVE', currentVersion: 2 });
    expect(accepted.data?.acceptPlan.versions[0]).toMatchObject({ version: 2, changeKind: 'ACCEPTED', reason: 'Agreed with the client', changedBy: p.therapist.userId });

    const edited = await t.gql(
      EDIT,
      {
        planId: plan.id,
        input: {
          reason: 'Client can only come weekly; adds stretching at home',
          phases: [{ index: 0, frequencySessions: 1, frequencyPerWeeks: 1, sessionLengthMinutes: 45, sessionsMin: 4, sessionsLikely: 6, sessionsMax: 8, reassessEverySessions: 3 }],
          removeTechniques: [{ complaintId: 'lb', technique: 'hot-cold' }],
          homeCare: [{ complaintId: 'lb', kind: 'stretch', description: 'Knee-to-chest, 3 × 30 s', daysPerWeek: 5 }],
        },
      },
      p.therapist.token,
    );
    expect(edited.errors).toBeUndefined();
    const e = edited.data?.editPlan;
    expect(e).toMatchObject({ status: 'ACTIVE', currentVersion: 3 });
    expect(e.versions.map((v: { version: number; changeKind: string }) => [v.version, v.changeKind])).toEqual([[3, 'EDITED'], [2, 'ACCEPTED'], [1, 'PROPOSED']]);
    expect(e.versions[0]).toMatchObject({ reason: 'Client can only come weekly; adds stretching at home', changedBy: p.therapist.userId });
    const initial = e.current.phases[0];
    expect(initial.frequency).toMatchObject({ sessions: 1, perWeeks: 1, description: 'once a week', evidence: { kind: 'CLINICAL_PRACTICE' } });
    expect(initial.frequency.reason).toMatch(/Client can only come weekly/);
    expect(initial).toMatchObject({ sessionLengthMinutes: { value: 45 }, sessions: { min: 4, likely: 6, max: 8 }, durationWeeks: { min: 4, likely: 6, max: 8 }, reassessment: { everySessions: 3 } });
    expect(e.current.techniques.map((x: { technique: string }) => x.technique)).not.toContain('hot-cold');
    expect(e.current.homeCare).toEqual([expect.objectContaining({ kind: 'stretch', daysPerWeek: expect.objectContaining({ value: 5 }) })]);
    expect(await audits(t, 'plan.edit', plan.id)).toBe(1);

    // A second plan for the same complaint cannot become active while this one is.
    const secondIntake = await intakeFor(t, p, clientId, { selfCareWillingness: 'high' });
    const second = await t.gql(PROPOSE, { intakeId: secondIntake }, p.therapist.token);
    const refused = await t.gql(ACCEPT, { planId: second.data?.proposePlan.id }, p.therapist.token);
    expect(codeOf(refused)).toBe('CONFLICT');
    expect(refused.errors?.[0].extensions).toMatchObject({ field: 'planId', planId: plan.id });
    expect((await t.gql(PLAN, { id: second.data?.proposePlan.id }, p.therapist.token)).data?.plan).toMatchObject({ status: 'PROPOSED', currentVersion: 1 });

    // Discontinuing the first lets the second be accepted.
    const stopped = await t.gql(SET_STATUS, { planId: plan.id, status: 'DISCONTINUED', reason: 'Replaced by the new intake' }, p.therapist.token);
    expect(stopped.data?.setPlanStatus).toMatchObject({ status: 'DISCONTINUED', currentVersion: 4 });
    expect((await t.gql(ACCEPT, { planId: second.data?.proposePlan.id }, p.therapist.token)).data?.acceptPlan.status).toBe('ACTIVE');
    const again = await t.gql(SET_STATUS, { planId: plan.id, status: 'MAINTENANCE', reason: 'oops' }, p.therapist.token);
    expect(codeOf(again)).toBe('CONFLICT');
  });

  it('moves an active plan to maintenance by hand, as a version', async () => {
    const { planId } = await activePlan(t, p);
    const res = await t.gql(SET_STATUS, { planId, status: 'MAINTENANCE', reason: 'Goals reached early' }, p.therapist.token);
    expect(res.data?.setPlanStatus).toMatchObject({ status: 'MAINTENANCE', currentVersion: 3, versions: [expect.objectContaining({ changeKind: 'MAINTENANCE', reason: 'Goals reached early' }), expect.anything(), expect.anything()] });
    const plan = await t.gql(`query Q($id: ID!) { plan(id: $id) { current { currentPhaseIndex phases { kind } } } }`, { id: planId }, p.therapist.token);
    const cur = plan.data?.plan.current;
    expect(cur.phases[cur.currentPhaseIndex].kind).toBe('maintenance');
  });

  it.each([
    ['a technique screening rules out', { addTechniques: [{ complaintId: 'lb', technique: 'deep-tissue' }] }, 'input.addTechniques[0].technique', /modify\.anticoagulants/],
    ['an unknown technique', { addTechniques: [{ complaintId: 'lb', technique: 'reiki' }] }, 'input.addTechniques[0].technique', /must be one of/],
    ['a technique for an unknown complaint', { addTechniques: [{ complaintId: 'zz', technique: 'swedish' }] }, 'input.addTechniques[0].complaintId', /complaints/],
    ['zero sessions a week', { phases: [{ index: 0, frequencySessions: 0 }] }, 'input.phases[0].frequencySessions', /at least 1/],
    ['a negative session length', { phases: [{ index: 0, sessionLengthMinutes: -30 }] }, 'input.phases[0].sessionLengthMinutes', /at least 15/],
    ['a minimum above the likely count', { phases: [{ index: 0, sessionsMin: 9, sessionsLikely: 5, sessionsMax: 10 }] }, 'input.phases[0].sessionsMin', /must not exceed/],
    ['a phase that does not exist', { phases: [{ index: 7, sessionLengthMinutes: 30 }] }, 'input.phases[0].index', /no phase 7/],
    ['no reason', { reason: ' ', phases: [{ index: 0, sessionLengthMinutes: 30 }] }, 'input.reason', /empty/],
    ['nothing to change', {}, 'input', /changes nothing/],
  ])('refuses an edit with %s and keeps the version', async (_l, changes, field, message) => {
    const { planId } = await activePlan(t, p, { medications: [{ name: 'apixaban', class: 'anticoagulant' }] });
    const res = await t.gql(EDIT, { planId, input: { reason: 'Adjusting', ...changes } }, p.therapist.token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe(field);
    expect(res.errors?.[0].message).toMatch(message);
    if (field.endsWith('.technique') && /screening/.test(String(res.errors?.[0].message))) expect(res.errors?.[0].extensions?.rule).toBe('modify.anticoagulants');
    expect((await t.gql(PLAN, { id: planId }, p.therapist.token)).data?.plan.currentVersion).toBe(2);
  });

  it("gives another organization none of it: its ids are NOT_FOUND and nothing changes", async () => {
    const clientId = await newClient(t, p.frontDesk.token);
    const intakeId = await intakeFor(t, p, clientId);
    const proposed = await t.gql(PROPOSE, { intakeId }, p.therapist.token);
    const planId = proposed.data?.proposePlan.id;
    const before = { intakes: await count(t, 'intake'), plans: await count(t, 'treatment_plan'), versions: await count(t, 'plan_version') };
    const o = other.therapist.token;
    expect(codeOf(await t.gql(RECORD_INTAKE, { input: { clientId, clinicId: other.clinicId, intake: intakeInput() } }, o))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(PROPOSE, { intakeId }, o))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(ACCEPT, { planId }, o))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(EDIT, { planId, input: { reason: 'x', phases: [{ index: 0, sessionLengthMinutes: 30 }] } }, o))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(SET_STATUS, { planId, status: 'DISCONTINUED', reason: 'x' }, o))).toBe('NOT_FOUND');
    expect((await t.gql(INTAKE, { id: intakeId }, o)).data?.intake).toBeNull();
    expect((await t.gql(PLAN, { id: planId }, o)).data?.plan).toBeNull();
    expect((await t.gql(CHART, { id: clientId }, o)).data?.client).toBeNull();
    // Our clinic in their intake: BAD_USER_INPUT naming the field.
    const theirClient = await newClient(t, other.frontDesk.token);
    const wrongClinic = await t.gql(RECORD_INTAKE, { input: { clientId: theirClient, clinicId: p.clinicId, intake: intakeInput() } }, o);
    expect(codeOf(wrongClinic)).toBe('BAD_USER_INPUT');
    expect(wrongClinic.errors?.[0].extensions?.field).toBe('input.clinicId');
    expect({ intakes: await count(t, 'intake'), plans: await count(t, 'treatment_plan'), versions: await count(t, 'plan_version') }).toEqual(before);
    expect((await t.gql(PLAN, { id: planId }, p.therapist.token)).data?.plan).toMatchObject({ status: 'PROPOSED', currentVersion: 1 });
  });

  it('reads a client with its intakes, plans and versions in a fixed number of statements, audited', async () => {
    const clientId = await newClient(t, p.frontDesk.token);
    const intakeId = await intakeFor(t, p, clientId);
    const planId = (await t.gql(PROPOSE, { intakeId }, p.therapist.token)).data?.proposePlan.id;
    await t.gql(ACCEPT, { planId }, p.therapist.token);
    const statements = async (): Promise<number> => {
      t.tdb.queries.length = 0;
      const res = await t.gql(CHART, { id: clientId }, p.therapist.token);
      expect(res.errors).toBeUndefined();
      return t.tdb.queries.length;
    };
    const small = await statements();
    for (let i = 0; i < 4; i++) {
      const more = await intakeFor(t, p, clientId, { complaints: [{ id: 'n', region: 'neck', side: `${['left', 'right', 'bilateral', 'central'][i]}`, onsetDate: '2025-02-01', cause: 'posture', painNow: 5, painWorst: 6 }], function: { psfs: [{ activity: 'driving', score: 5 }] } });
      const pid = (await t.gql(PROPOSE, { intakeId: more }, p.therapist.token)).data?.proposePlan.id;
      await t.gql(ACCEPT, { planId: pid }, p.therapist.token);
      await t.gql(EDIT, { planId: pid, input: { reason: 'shorter', phases: [{ index: 0, sessionLengthMinutes: 50 }] } }, p.therapist.token);
    }
    const large = await statements();
    const chart = await t.gql(CHART, { id: clientId }, p.therapist.token);
    expect(chart.data?.client.intakes).toHaveLength(5);
    expect(chart.data?.client.plans).toHaveLength(5);
    expect(large).toBe(small);
    // One transaction: BEGIN, session + membership, client, intakes, plans, versions, the audit INSERT, COMMIT.
    expect(large).toBeLessThanOrEqual(8);
    expect(await audits(t, 'plan.read', planId)).toBeGreaterThanOrEqual(3);
  });
});
