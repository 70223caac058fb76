import { randomUUID } from 'node:crypto';
import { ReferralMessage } from '@fascia/db';
import { codeOf, startTestApi, type TestApi } from './harness';
import { member, newClient, practice, type Practice } from './intake-plan.fixtures';

const POST = `mutation P($input: PostReferralMessageInput!) { postReferralMessage(input: $input) { id referralId body authorName authorOrganizationId fromOwnOrganization mine createdAt } }`;
const UNREAD = `{ unreadReferralMessages }`;

/**
 * A referral's two rows as R1's service writes them when it sends (referral on the referrer's side,
 * referral_inbox on the receiver's), inserted directly: these tests are about the thread.
 */
async function sentReferral(t: TestApi, from: Practice, to: Practice, status = 'SENT'): Promise<string> {
  const id = randomUUID();
  const clientId = await newClient(t, from.admin.token);
  const ds = t.tdb.dataSource;
  const inbox = status !== 'DRAFT';
  await ds.query(
    `INSERT INTO referral (organization_id, id, client_id, referring_user_id, referring_practitioner_id, referring_clinic_id, target_organization_id,
       target_clinic_id, target_practitioner_id, target_discipline, reason, clinical_question, urgency, shared_records, consent_method,
       consent_recorded_by_user_id, consent_recorded_at, consent_ends_at, status, valid_until, sent_at, due_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'MASSAGE_THERAPIST', 'Low back pain', 'Manual therapy?', 'ROUTINE', '{INTAKE_SUMMARY}', 'VERBAL',
       $4, now(), now() + interval '90 days', $10, now() + interval '30 days', CASE WHEN $10 = 'DRAFT' THEN NULL ELSE now() END, now() + interval '3 days')`,
    [from.organizationId, id, clientId, from.therapist.userId, from.practitionerId, from.clinicId, to.organizationId, to.clinicId, to.practitionerId, status],
  );
  if (inbox) {
    await ds.query(
      `INSERT INTO referral_inbox (organization_id, id, source_organization_id, source_organization_name, source_clinic_name, referrer_name, clinic_id,
         practitioner_id, discipline, urgency, status, reason, clinical_question, shared_records, consent_method, consent_recorded_at, consent_ends_at,
         client_snapshot, sent_at, due_at, escalate_at, valid_until)
       VALUES ($1, $2, $3, 'Referrer', 'Referrer clinic', 'Referrer', $4, $5, 'MASSAGE_THERAPIST', 'ROUTINE', $6, 'Low back pain', 'Manual therapy?',
         '{INTAKE_SUMMARY}', 'VERBAL', now(), now() + interval '90 days', '{"firstName":"A","lastName":"B"}', now(), now() + interval '3 days',
         now() + interval '6 days', now() + interval '30 days')`,
      [to.organizationId, id, from.organizationId, to.clinicId, to.practitionerId, status],
    );
  }
  return id;
}

describe('referral messages', () => {
  let t: TestApi;
  let referrer: Practice;
  let receiver: Practice;
  beforeAll(async () => {
    t = await startTestApi();
    referrer = await practice(t, 'Messages Referrer');
    receiver = await practice(t, 'Messages Receiver');
  });
  afterAll(() => t.stop());

  const post = (token: string, referralId: string, body: string) => t.gql(POST, { input: { referralId, body } }, token);
  const unread = async (token: string) => (await t.gql(UNREAD, {}, token)).data?.unreadReferralMessages as number;
  const rows = (id: string) => t.tdb.dataSource.getRepository(ReferralMessage).find({ where: { id }, order: { organizationId: 'ASC' } });

  it('a message is one row per side with the same id; both sides count it unread for everyone but its author', async () => {
    const id = await sentReferral(t, referrer, receiver);
    const res = await post(referrer.therapist.token, id, '  Could you see her this week?  ');
    expect(res.errors).toBeUndefined();
    const m = res.data?.postReferralMessage;
    expect(m).toMatchObject({ referralId: id, body: 'Could you see her this week?', authorOrganizationId: referrer.organizationId, fromOwnOrganization: true, mine: true });
    const stored = await rows(m.id);
    expect(stored.map((r) => r.organizationId).sort()).toEqual([referrer.organizationId, receiver.organizationId].sort());
    expect(new Set(stored.map((r) => `${r.referralId}|${r.body}|${r.authorUserId}|${r.authorName}`)).size).toBe(1);

    expect(await unread(referrer.therapist.token)).toBe(0);
    expect(await unread(referrer.admin.token)).toBe(1);
    expect(await unread(receiver.therapist.token)).toBe(1);
    expect(await unread(receiver.admin.token)).toBe(1);

    // The receiver answers: its author has read the thread; the referrer's therapist now has one unread.
    expect((await post(receiver.therapist.token, id, 'Yes, Thursday.')).errors).toBeUndefined();
    expect(await unread(receiver.therapist.token)).toBe(0);
    expect(await unread(receiver.admin.token)).toBe(2);
    expect(await unread(referrer.therapist.token)).toBe(1);
    expect(await unread(referrer.admin.token)).toBe(2);
  });

  it('refuses a message on a draft, closed, cancelled or expired referral (CONFLICT) and an empty or too long one (BAD_USER_INPUT), storing nothing', async () => {
    const before = await t.tdb.dataSource.getRepository(ReferralMessage).count();
    for (const status of ['DRAFT', 'CLOSED', 'CANCELLED', 'EXPIRED']) {
      const id = await sentReferral(t, referrer, receiver, status);
      const res = await post(referrer.therapist.token, id, 'Hello?');
      expect([status, codeOf(res)]).toEqual([status, 'CONFLICT']);
      if (status !== 'DRAFT') expect([status, codeOf(await post(receiver.therapist.token, id, 'Hello?'))]).toEqual([status, 'CONFLICT']);
    }
    const open = await sentReferral(t, referrer, receiver, 'ACCEPTED');
    expect((await post(referrer.therapist.token, open, '   ')).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.body' });
    expect(codeOf(await post(referrer.therapist.token, open, 'x'.repeat(4001)))).toBe('BAD_USER_INPUT');
    expect(codeOf(await post(referrer.therapist.token, 'not-an-id', 'Hi'))).toBe('BAD_USER_INPUT');
    expect(await t.tdb.dataSource.getRepository(ReferralMessage).count()).toBe(before);
  });

  it('a referral of another organization, or of a clinic the member does not reach, is NOT_FOUND; the front desk may not write', async () => {
    const id = await sentReferral(t, referrer, receiver);
    const stranger = await practice(t, 'Messages Stranger');
    expect(codeOf(await post(stranger.admin.token, id, 'Let me in'))).toBe('NOT_FOUND');
    expect(codeOf(await post(referrer.frontDesk.token, id, 'Hi'))).toBe('FORBIDDEN');
    const otherClinicManager = await member(t, receiver.organizationId, 'CLINIC_MANAGER', [randomUUID()]);
    expect(codeOf(await post(otherClinicManager.token, id, 'Hi'))).toBe('NOT_FOUND');
    expect(await unread(stranger.admin.token)).toBe(0);
    expect(await t.tdb.dataSource.getRepository(ReferralMessage).countBy({ referralId: id })).toBe(0);
  });

  it('the exchange role cannot plant a message in an organization that is not party to the referral', async () => {
    const id = await sentReferral(t, referrer, receiver);
    const stranger = await practice(t, 'Messages Planted');
    const ds = t.tdb.appDataSource;
    await expect(
      ds.transaction(async (em) => {
        await em.query(`SELECT set_config('role', 'fascia_app', true), set_config('fascia.org_id', $1, true), set_config('fascia.user_id', $2, true)`, [
          referrer.organizationId,
          referrer.therapist.userId,
        ]);
        await em.query(`SELECT set_config('role', 'fascia_exchange', true)`);
        await em.query(
          `INSERT INTO referral_message (organization_id, id, referral_id, author_user_id, author_organization_id, author_name, body)
           VALUES ($1, gen_random_uuid(), $2, $3, $4, 'X', 'planted')`,
          [stranger.organizationId, id, referrer.therapist.userId, referrer.organizationId],
        );
      }),
    ).rejects.toThrow(/row-level security/);
    // Nor read the other side's thread.
    await expect(
      ds.transaction(async (em) => {
        await em.query(`SELECT set_config('role', 'fascia_exchange', true), set_config('fascia.org_id', $1, true), set_config('fascia.user_id', $2, true)`, [
          referrer.organizationId,
          referrer.therapist.userId,
        ]);
        await em.query(`SELECT body FROM referral_message`);
      }),
    ).rejects.toThrow(/permission denied/);
  });
});
