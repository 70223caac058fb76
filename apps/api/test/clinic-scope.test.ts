import { CREATE_CLINIC, clinicInput, codeOf, startTestApi, type TestApi } from './harness';
import { ACCEPT, EDIT, member, newClient, PROPOSE, RECORD_INTAKE, intakeInput, practice, SET_STATUS, type Practice } from './intake-plan.fixtures';

/**
 * Clinic scope on clinical records (docs/api.md, "Clinic scope"): a record belongs to the
 * clinic where it was made; a member limited to clinics reads and writes only those, and
 * reaches a client only through a clinic the client is registered at or has records at.
 * Every refusal of a clinical read or write leaves a DENIED audit event, committed even
 * though the refused write rolls back.
 */
const INTAKE = `query Q($id: ID!) { intake(id: $id) { id clinicId } }`;
const PLAN = `query Q($id: ID!) { plan(id: $id) { id status } }`;
const REASSESSMENT = `query Q($id: ID!) { reassessment(id: $id) { id } }`;
const RECORD_R = `mutation R($input: RecordReassessmentInput!) { recordReassessment(input: $input) { id } }`;
const ACCEPT_R = `mutation A($id: ID!) { acceptReassessment(id: $id) { id } }`;
const DISMISS_R = `mutation D($id: ID!, $reason: String!) { dismissReassessment(id: $id, reason: $reason) { id } }`;
const CLIENT = `query Q($id: ID!) { client(id: $id) { id intakes { id clinicId } plans { id } } }`;
const CLIENTS = `query Q($search: String) { clients(search: $search) { totalCount nodes { id } } }`;
const UPDATE_CLIENT = `mutation U($id: ID!, $input: UpdateClientInput!) { updateClient(id: $id, input: $input) { id } }`;
const CHART = `query C($id: ID!) { clientChart(clientId: $id) { client { id intakes { id clinicId } plans { id } } trajectory { source recordId } } }`;
const measures = { pain: [{ complaintId: 'lb', score: 3 }], psfs: [{ activity: 'gardening', score: 8 }], odi: 15 };

describe('clinic scope on clinical records', () => {
  let t: TestApi;
  let p: Practice;
  let newYork: string;
  /** A practitioner working (and limited to) New York, signed in. */
  let nyTherapist: { userId: string; token: string };
  let londonManager: { userId: string; token: string };
  let londonTherapist: { userId: string; token: string };
  let clientId: string;
  let nyIntake: string;
  let nyPlan: string;
  let nyReassessment: string;

  const denials = async (userId: string): Promise<string[]> =>
    (
      await t.tdb.dataSource.query(`SELECT action, record_type, record_id FROM audit_event WHERE actor_user_id = $1 AND outcome = 'DENIED' ORDER BY occurred_at`, [userId])
    ).map((r: { action: string; record_type: string; record_id: string }) => `${r.action} ${r.record_type} ${r.record_id}`);

  beforeAll(async () => {
    t = await startTestApi();
    p = await practice(t, 'Two Cities Chain');
    newYork = (await t.gql(CREATE_CLINIC, { input: clinicInput({ name: 'New York', timeZone: 'America/New_York', country: 'US', city: 'New York', postalCode: '10001' }) }, p.admin.token)).data?.createClinic.id;
    const nyPractitioner = (
      await t.gql(`mutation { createPractitioner(input: { displayName: "NY Therapist", discipline: MASSAGE_THERAPIST, modalities: [SWEDISH] }) { id } }`, {}, p.admin.token)
    ).data?.createPractitioner.id;
    nyTherapist = await member(t, p.organizationId, 'PRACTITIONER', [newYork]);
    await t.tdb.dataSource.query(`UPDATE practitioner SET user_id = $1 WHERE id = $2`, [nyTherapist.userId, nyPractitioner]);
    londonManager = await member(t, p.organizationId, 'CLINIC_MANAGER', [p.clinicId]);
    londonTherapist = await member(t, p.organizationId, 'PRACTITIONER', [p.clinicId]);
    await t.tdb.dataSource.query(`UPDATE practitioner SET user_id = $1 WHERE id = $2`, [londonTherapist.userId, p.practitionerId]);

    // A client seen only in New York: an intake there (taken down by the admin for the New York
    // practitioner; the client is registered nowhere), an active plan, a re-assessment.
    clientId = await newClient(t, p.admin.token);
    const intake = await t.gql(RECORD_INTAKE, { input: { clientId, clinicId: newYork, practitionerId: nyPractitioner, intake: intakeInput() } }, p.admin.token);
    expect(intake.errors).toBeUndefined();
    nyIntake = intake.data?.recordIntake.id;
    nyPlan = (await t.gql(PROPOSE, { intakeId: nyIntake }, nyTherapist.token)).data?.proposePlan.id;
    expect((await t.gql(ACCEPT, { planId: nyPlan }, nyTherapist.token)).errors).toBeUndefined();
    const r = await t.gql(RECORD_R, { input: { planId: nyPlan, measures } }, nyTherapist.token);
    expect(r.errors).toBeUndefined();
    nyReassessment = r.data?.recordReassessment.id;
  });
  afterAll(() => t.stop());

  it('keeps another clinic’s intake, plan and re-assessment from a London manager: null, each read audited as DENIED', async () => {
    for (const [query, id, field] of [
      [INTAKE, nyIntake, 'intake'],
      [PLAN, nyPlan, 'plan'],
      [REASSESSMENT, nyReassessment, 'reassessment'],
    ] as const) {
      const res = await t.gql(query, { id }, londonManager.token);
      expect(res.errors).toBeUndefined();
      expect(res.data?.[field]).toBeNull();
    }
    expect(await denials(londonManager.userId)).toEqual([
      `intake.read intake ${nyIntake}`,
      `plan.read plan ${nyPlan}`,
      `reassessment.read reassessment ${nyReassessment}`,
    ]);
    // The New York practitioner and an organization admin read them.
    expect((await t.gql(INTAKE, { id: nyIntake }, nyTherapist.token)).data?.intake).toEqual({ id: nyIntake, clinicId: newYork });
    expect((await t.gql(PLAN, { id: nyPlan }, p.admin.token)).data?.plan).toEqual({ id: nyPlan, status: 'ACTIVE' });
  });

  it('refuses another clinic’s plan to editPlan, setPlanStatus and recordReassessment (FORBIDDEN), changes nothing, and commits each denial', async () => {
    const before = await t.tdb.dataSource.query(`SELECT status, current_version FROM treatment_plan WHERE id = $1`, [nyPlan]);
    const reassessments = (await t.tdb.dataSource.query(`SELECT count(*)::int AS n FROM reassessment WHERE plan_id = $1`, [nyPlan]))[0].n;
    const attempts = [
      [londonTherapist, SET_STATUS, { planId: nyPlan, status: 'DISCONTINUED', reason: 'Not mine to stop' }, 'plan.status'],
      [londonManager, EDIT, { planId: nyPlan, input: { reason: 'Shorter', phases: [{ index: 0, sessionLengthMinutes: 30 }] } }, 'plan.edit'],
      [londonManager, RECORD_R, { input: { planId: nyPlan, measures } }, 'reassessment.create'],
      [londonManager, SET_STATUS, { planId: nyPlan, status: 'COMPLETED', reason: 'Done' }, 'plan.status'],
    ] as const;
    for (const [who, mutation, vars, action] of attempts) {
      const res = await t.gql(mutation, vars, who.token);
      expect(codeOf(res)).toBe('FORBIDDEN');
      expect(res.errors?.[0].message).toMatch(/clinic your role does not reach/);
      expect((await denials(who.userId)).filter((d) => d === `${action} plan ${nyPlan}`).length).toBeGreaterThan(0);
    }
    expect(await t.tdb.dataSource.query(`SELECT status, current_version FROM treatment_plan WHERE id = $1`, [nyPlan])).toEqual(before);
    expect((await t.tdb.dataSource.query(`SELECT count(*)::int AS n FROM reassessment WHERE plan_id = $1`, [nyPlan]))[0].n).toBe(reassessments);
    expect(await denials(londonTherapist.userId)).toEqual([`plan.status plan ${nyPlan}`]);
  });

  it('refuses accepting or dismissing another clinic’s re-assessment, and records each denial against the re-assessment', async () => {
    for (const [mutation, vars] of [
      [ACCEPT_R, { id: nyReassessment }],
      [DISMISS_R, { id: nyReassessment, reason: 'Not ours to judge' }],
    ] as const) {
      const res = await t.gql(mutation, vars, londonTherapist.token);
      expect(codeOf(res)).toBe('FORBIDDEN');
      expect(res.errors?.[0].message).toMatch(/re-assessment belongs to a clinic your role does not reach/);
    }
    expect((await denials(londonTherapist.userId)).filter((d) => d.startsWith('reassessment.'))).toEqual([
      `reassessment.accept reassessment ${nyReassessment}`,
      `reassessment.dismiss reassessment ${nyReassessment}`,
    ]);
    expect(await t.tdb.dataSource.query(`SELECT status FROM reassessment WHERE id = $1`, [nyReassessment])).toEqual([{ status: 'PROPOSED' }]);
  });

  it('refuses proposing a plan from another clinic’s intake', async () => {
    const res = await t.gql(PROPOSE, { intakeId: nyIntake }, londonTherapist.token);
    expect(codeOf(res)).toBe('FORBIDDEN');
    expect(await denials(londonTherapist.userId)).toContain(`plan.propose intake ${nyIntake}`);
  });

  it('does not list, show, chart or update a client seen only at another clinic', async () => {
    const list = await t.gql(CLIENTS, {}, londonManager.token);
    expect(list.data?.clients.nodes.map((n: { id: string }) => n.id)).not.toContain(clientId);
    expect((await t.gql(CLIENT, { id: clientId }, londonManager.token)).data?.client).toBeNull();
    const chart = await t.gql(CHART, { id: clientId }, londonManager.token);
    expect(chart.errors).toBeUndefined();
    expect(chart.data?.clientChart).toBeNull();
    expect(codeOf(await t.gql(UPDATE_CLIENT, { id: clientId, input: { preferredName: 'Mine now' } }, londonManager.token))).toBe('FORBIDDEN');
    const intake = await t.gql(RECORD_INTAKE, { input: { clientId, clinicId: p.clinicId, intake: intakeInput() } }, londonTherapist.token);
    expect(codeOf(intake)).toBe('FORBIDDEN');
    expect(await denials(londonManager.userId)).toEqual(expect.arrayContaining([`client.read client ${clientId}`, `chart.read client ${clientId}`, `client.update client ${clientId}`]));
    // Reachable from New York (an intake there), and by the organization admin.
    expect((await t.gql(CLIENTS, {}, nyTherapist.token)).data?.clients.nodes.map((n: { id: string }) => n.id)).toContain(clientId);
    expect((await t.gql(CHART, { id: clientId }, p.admin.token)).data?.clientChart.client.intakes).toHaveLength(1);
  });

  it('once the client is also seen in London, shows London staff the client and only London’s records', async () => {
    // Registered at London too (by someone who reaches the client), then a London intake.
    expect((await t.gql(UPDATE_CLIENT, { id: clientId, input: { clinicIds: [newYork, p.clinicId] } }, nyTherapist.token)).errors).toBeUndefined();
    const londonIntake = await t.gql(RECORD_INTAKE, { input: { clientId, clinicId: p.clinicId, intake: intakeInput() } }, londonTherapist.token);
    expect(londonIntake.errors).toBeUndefined();
    const londonIntakeId = londonIntake.data?.recordIntake.id;

    const list = await t.gql(CLIENTS, {}, londonManager.token);
    expect(list.data?.clients.nodes.map((n: { id: string }) => n.id)).toContain(clientId);
    const client = await t.gql(CLIENT, { id: clientId }, londonManager.token);
    expect(client.data?.client).toEqual({ id: clientId, intakes: [{ id: londonIntakeId, clinicId: p.clinicId }], plans: [] });
    const chart = (await t.gql(CHART, { id: clientId }, londonManager.token)).data?.clientChart;
    expect(chart.client.intakes).toEqual([{ id: londonIntakeId, clinicId: p.clinicId }]);
    expect(chart.client.plans).toEqual([]);
    expect(chart.trajectory.map((x: { recordId: string }) => x.recordId)).toEqual([londonIntakeId]);
    // New York staff see New York's records only; the admin sees both.
    expect((await t.gql(CLIENT, { id: clientId }, nyTherapist.token)).data?.client.intakes).toEqual([{ id: nyIntake, clinicId: newYork }]);
    expect((await t.gql(CLIENT, { id: clientId }, p.admin.token)).data?.client.intakes).toHaveLength(2);
  });

  it('registers a client created by a clinic-limited member at their clinics, so it stays in their reach', async () => {
    const created = await t.gql(`mutation { createClient(input: { firstName: "Walk", lastName: "In" }) { id clinicIds } }`, {}, londonManager.token);
    expect(created.data?.createClient.clinicIds).toEqual([p.clinicId]);
    const elsewhere = await t.gql(`mutation C($c: [ID!]) { createClient(input: { firstName: "Far", lastName: "Away", clinicIds: $c }) { id } }`, { c: [newYork] }, londonManager.token);
    expect(elsewhere.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.clinicIds' });
  });
});

describe('request ids', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(() => t.stop());

  const post = (token: string, headers: Record<string, string>) =>
    fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      body: JSON.stringify({ query: CREATE_CLINIC, variables: { input: clinicInput() } }),
    });

  it('generates the request id on the server and keeps the caller’s x-request-id apart as the correlation id', async () => {
    const admin = await t.orgWithAdmin('Traced Chain');
    const res = await post(admin.token, { 'x-request-id': 'trace-42 from the front end' });
    const body = (await res.json()) as { data: { createClinic: { id: string } } };
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(res.headers.get('x-correlation-id')).toBe('trace-42 from the front end');
    const [row] = await t.tdb.dataSource.query(`SELECT request_id, correlation_id FROM audit_event WHERE action = 'clinic.create' AND record_id = $1`, [body.data.createClinic.id]);
    expect(row).toEqual({ request_id: requestId, correlation_id: 'trace-42 from the front end' });

    // Too long: dropped, not stored.
    const long = await post(admin.token, { 'x-request-id': 'x'.repeat(129) });
    const longBody = (await long.json()) as { data: { createClinic: { id: string } } };
    expect(long.headers.get('x-correlation-id')).toBeNull();
    const [longRow] = await t.tdb.dataSource.query(`SELECT correlation_id FROM audit_event WHERE action = 'clinic.create' AND record_id = $1`, [longBody.data.createClinic.id]);
    expect(longRow.correlation_id).toBeNull();
    // The column refuses what the API would drop.
    await expect(
      t.tdb.dataSource.query(`INSERT INTO audit_event (organization_id, action, outcome, correlation_id) VALUES ($1, 'x', 'SUCCESS', $2)`, [admin.organizationId, 'bad\u0007bell']),
    ).rejects.toThrow(/audit_event_correlation_id_printable/);
  });
});
