import { codeOf, startTestApi, type TestApi } from './harness';
import { member } from './intake-plan.fixtures';
import { ACCEPT, CREATE, GET, type Network, network, referralInput, SHARED } from './referrals.fixtures';

/**
 * Referrals beyond the partner journey (issue 12): a draft from a re-assessment's advice, a
 * referral inside one organization (both sides' rows in it), the chart's list, and who of the
 * referring organization may see and move a referral.
 */
describe('referrals: drafts from a next step, within one organization, and who may act', () => {
  let t: TestApi;
  let n: Network;

  beforeAll(async () => {
    t = await startTestApi();
    n = await network(t, 'Scope');
  });
  afterAll(() => t.stop());

  it('pre-fills a draft from a STOP_AND_REFER next step (for the referring organization only)', async () => {
    const met = { pain: [{ complaintId: 'lb', score: 3 }], psfs: [{ activity: 'gardening', score: 8 }], odi: 15 };
    const RECORD = `mutation R($input: RecordReassessmentInput!) { recordReassessment(input: $input) { id decision referralAdvice { to urgency reason } } }`;
    const stop = await t.gql(RECORD, { input: { planId: n.planId, measures: met, health: { fever: true } } }, n.a.therapist.token);
    expect(stop.data?.recordReassessment).toMatchObject({ decision: 'STOP_AND_REFER', referralAdvice: { to: 'physician' } });
    const DRAFT = `query D($id: ID!) { referralDraftFromNextStep(reassessmentId: $id) { clientId reassessmentId reason urgency targetDiscipline clinicalQuestion } }`;
    const draft = await t.gql(DRAFT, { id: stop.data?.recordReassessment.id }, n.a.therapist.token);
    expect(draft.errors).toBeUndefined();
    expect(draft.data?.referralDraftFromNextStep).toMatchObject({ clientId: n.clientId, targetDiscipline: 'PHYSICIAN', urgency: stop.data?.recordReassessment.referralAdvice.urgency.toUpperCase() });
    expect(draft.data?.referralDraftFromNextStep.reason).toBe(stop.data?.recordReassessment.referralAdvice.reason);
    // Another organization cannot draft from it.
    expect(codeOf(await t.gql(DRAFT, { id: stop.data?.recordReassessment.id }, n.physio.token))).toBe('NOT_FOUND');
    // A referral from it names its re-assessment.
    const made = await t.gql(CREATE, { input: referralInput(n, { fromReassessmentId: stop.data?.recordReassessment.id }) }, n.a.therapist.token);
    expect(made.data?.createReferral.sourceReassessmentId).toBe(stop.data?.recordReassessment.id);
  });

  it('lists a client’s referrals on its chart (the referring organization only)', async () => {
    const LIST = `query L($id: ID!) { clientReferrals(clientId: $id) { id side status } }`;
    const res = await t.gql(LIST, { id: n.clientId }, n.a.therapist.token);
    expect(res.errors).toBeUndefined();
    expect(res.data?.clientReferrals.length).toBeGreaterThanOrEqual(1);
    expect(res.data?.clientReferrals.every((r: { side: string }) => r.side === 'SENT')).toBe(true);
    expect((await t.gql(LIST, { id: n.clientId }, n.physio.token)).data?.clientReferrals).toEqual([]);
  });

  it('refers within one organization: both sides’ rows in it, one timeline, the receiver reads the consented records', async () => {
    // A physiotherapist at A's own clinic.
    const p = await t.gql(
      `mutation P($input: CreatePractitionerInput!) { createPractitioner(input: $input) { id } }`,
      { input: { displayName: 'In-house Physio', discipline: 'PHYSIOTHERAPIST', modalities: ['PHYSIOTHERAPY'] } },
      n.a.admin.token,
    );
    const practitionerId = p.data?.createPractitioner.id;
    const login = await member(t, n.a.organizationId, 'PRACTITIONER');
    await t.tdb.dataSource.query(`UPDATE practitioner SET user_id = $1 WHERE id = $2`, [login.userId, practitionerId]);
    await t.gql(
      `mutation A($id: ID!, $w: [AvailabilityInput!]!) { setPractitionerAvailability(practitionerId: $id, windows: $w) { id } }`,
      { id: practitionerId, w: [{ clinicId: n.a.clinicId, weekday: 2, start: '09:00', end: '17:00' }] },
      n.a.admin.token,
    );
    const res = await t.gql(CREATE, { input: referralInput(n, { targetPractitionerId: practitionerId, targetClinicId: n.a.clinicId, send: true }) }, n.a.therapist.token);
    expect(res.errors).toBeUndefined();
    const id = res.data?.createReferral.id;
    const rows = await t.tdb.dataSource.query(
      `SELECT 'referral' AS side, organization_id FROM referral WHERE id = $1 UNION ALL SELECT 'inbox', organization_id FROM referral_inbox WHERE id = $1`,
      [id],
    );
    expect(rows).toEqual([
      { side: 'referral', organization_id: n.a.organizationId },
      { side: 'inbox', organization_id: n.a.organizationId },
    ]);
    const received = await t.gql(GET, { id }, login.token);
    expect(received.data?.referral).toMatchObject({ side: 'RECEIVED', allowedActions: ['ACCEPT', 'DECLINE', 'MESSAGE'] });
    expect((await t.gql(SHARED, { id }, login.token)).data?.referralSharedRecords.consented).toEqual(['INTAKE_SUMMARY', 'CURRENT_PLAN']);
    const accepted = await t.gql(ACCEPT, { input: { id } }, login.token);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data?.acceptReferral.events.map((e: { toStatus: string }) => e.toStatus)).toEqual(['DRAFT', 'SENT', 'ACCEPTED']);
    const sent = await t.gql(GET, { id }, n.a.therapist.token);
    expect(sent.data?.referral).toMatchObject({ side: 'SENT', status: 'ACCEPTED' });
  });

  it('lets only the referring practitioner or a manager of the referring clinic move a sent referral', async () => {
    const res = await t.gql(CREATE, { input: referralInput(n) }, n.a.therapist.token);
    const id = res.data?.createReferral.id;
    const colleague = await member(t, n.a.organizationId, 'PRACTITIONER');
    const seen = await t.gql(GET, { id }, colleague.token);
    expect(seen.data?.referral.allowedActions).toEqual([]);
    expect(codeOf(await t.gql(`mutation S($id: ID!) { sendReferral(id: $id) { id } }`, { id }, colleague.token))).toBe('FORBIDDEN');
    const manager = await member(t, n.a.organizationId, 'CLINIC_MANAGER', [n.a.clinicId]);
    const sent = await t.gql(`mutation S($id: ID!) { sendReferral(id: $id) { id status } }`, { id }, manager.token);
    expect(sent.data?.sendReferral.status).toBe('SENT');
    // The front desk books but does not refer.
    expect(codeOf(await t.gql(CREATE, { input: referralInput(n) }, n.a.frontDesk.token))).toBe('FORBIDDEN');
  });
});
