import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { ReferralMessage } from '@fascia/db';
import { codeOf, startTestApi, type TestApi } from './harness';
import { member, newClient, practice, type Practice } from './intake-plan.fixtures';

const POST = `mutation P($input: PostReferralMessageInput!) { postReferralMessage(input: $input) { id referralId body authorName authorOrganizationId fromOwnOrganization mine createdAt } }`;
const UNREAD = `{ unreadReferralMessages }`;
const THREAD = `query T($id: ID!) { referral(id: $id) { id side unreadCount messages { id body authorName fromOwnOrganization mine } } }`;
const MARK = `mutation M($id: ID!) { markReferralRead(referralId: $id) { id unreadCount messages { id } } }`;
const CREATE = `mutation C($input: CreateReferralInput!) { createReferral(input: $input) { id status } }`;
const CANCEL = `mutation X($input: ReferralReasonInput!) { cancelReferral(input: $input) { id status } }`;
const DECLINE = `mutation D($input: ReferralReasonInput!) { declineReferral(input: $input) { id status } }`;
const INBOX = `{ referralsInbox(first: 50) { nodes { id unreadCount messages { id body mine } } } }`;

describe('referral messages', () => {
  let t: TestApi;
  let referrer: Practice;
  let receiver: Practice;
  beforeAll(async () => {
    t = await startTestApi();
    referrer = await practice(t, 'Messages Referrer');
    receiver = await practice(t, 'Messages Receiver');
    // The receiver's practitioner works at its clinic (so the directory lists them) and the two are partners.
    const hours = await t.gql(
      `mutation A($id: ID!, $w: [AvailabilityInput!]!) { setPractitionerAvailability(practitionerId: $id, windows: $w) { id } }`,
      { id: receiver.practitionerId, w: [1, 2, 3, 4, 5].map((weekday) => ({ clinicId: receiver.clinicId, weekday, start: '08:00', end: '18:00' })) },
      receiver.admin.token,
    );
    if (hours.errors) throw new Error(JSON.stringify(hours.errors));
    const [{ slug }] = await t.tdb.dataSource.query(`SELECT slug FROM organization WHERE id = $1`, [receiver.organizationId]);
    const invited = await t.gql(`mutation I($input: InvitePartnerInput!) { invitePartner(input: $input) { id } }`, { input: { organizationSlug: slug } }, referrer.admin.token);
    await t.gql(`mutation R($input: RespondToPartnerInvitationInput!) { respondToPartnerInvitation(input: $input) { id } }`, { input: { id: invited.data?.invitePartner.id, accept: true } }, receiver.admin.token);
  });
  afterAll(() => t.stop());

  /** A referral from the referrer's therapist to the receiver's, sent at once unless `send: false`. */
  const referral = async (send = true): Promise<string> => {
    const clientId = await newClient(t, referrer.admin.token, { clinicIds: [referrer.clinicId] });
    const res = await t.gql(
      CREATE,
      {
        input: {
          clientId,
          fromClinicId: referrer.clinicId,
          targetPractitionerId: receiver.practitionerId,
          targetClinicId: receiver.clinicId,
          targetDiscipline: 'MASSAGE_THERAPIST',
          reason: 'Persistent neck pain',
          clinicalQuestion: 'Would deeper work help?',
          urgency: 'ROUTINE',
          sharedRecords: [],
          consent: { method: 'VERBAL', endsOn: DateTime.now().plus({ months: 6 }).toISODate() },
          send,
        },
      },
      referrer.therapist.token,
    );
    if (!res.data) throw new Error(JSON.stringify(res.errors));
    return res.data.createReferral.id;
  };
  const post = (token: string, referralId: string, body: string) => t.gql(POST, { input: { referralId, body } }, token);
  const unread = async (token: string) => (await t.gql(UNREAD, {}, token)).data?.unreadReferralMessages as number;
  const thread = async (token: string, id: string) => (await t.gql(THREAD, { id }, token)).data?.referral;
  const rows = (id: string) => t.tdb.dataSource.getRepository(ReferralMessage).find({ where: { id }, order: { organizationId: 'ASC' } });

  it('a message is one row per side with the same id; each side reads its thread; unread counts are per person', async () => {
    const id = await referral();
    const res = await post(referrer.therapist.token, id, '  Could you see her this week?  ');
    expect(res.errors).toBeUndefined();
    const m = res.data?.postReferralMessage;
    expect(m).toMatchObject({ referralId: id, body: 'Could you see her this week?', authorOrganizationId: referrer.organizationId, fromOwnOrganization: true, mine: true });
    const stored = await rows(m.id);
    expect(stored.map((r) => r.organizationId).sort()).toEqual([referrer.organizationId, receiver.organizationId].sort());
    expect(new Set(stored.map((r) => `${r.referralId}|${r.body}|${r.authorUserId}|${r.authorName}`)).size).toBe(1);

    expect(await thread(receiver.therapist.token, id)).toMatchObject({
      side: 'RECEIVED',
      unreadCount: 1,
      messages: [{ id: m.id, body: 'Could you see her this week?', fromOwnOrganization: false, mine: false }],
    });
    expect(await thread(referrer.therapist.token, id)).toMatchObject({ side: 'SENT', unreadCount: 0, messages: [{ id: m.id, mine: true }] });
    expect(await thread(referrer.admin.token, id)).toMatchObject({ unreadCount: 1, messages: [{ id: m.id, mine: false, fromOwnOrganization: true }] });
    expect(await unread(referrer.therapist.token)).toBe(0);
    expect(await unread(receiver.therapist.token)).toBe(1);
    expect(await unread(receiver.admin.token)).toBe(1);

    // The receiver answers: its author has read the thread; the referrer's therapist has one unread.
    expect((await post(receiver.therapist.token, id, 'Yes, Thursday.')).errors).toBeUndefined();
    expect(await unread(receiver.therapist.token)).toBe(0);
    expect(await unread(receiver.admin.token)).toBe(2);
    expect(await unread(referrer.therapist.token)).toBe(1);
    expect((await thread(referrer.therapist.token, id)).messages.map((x: { body: string }) => x.body)).toEqual(['Could you see her this week?', 'Yes, Thursday.']);

    // Reading is per person: the receiver's admin marks it read, the receiver's therapist is unaffected by it.
    const marked = await t.gql(MARK, { id }, receiver.admin.token);
    expect(marked.data?.markReferralRead).toMatchObject({ id, unreadCount: 0 });
    expect(await unread(receiver.admin.token)).toBe(0);
    expect(await thread(receiver.admin.token, id)).toMatchObject({ unreadCount: 0 });
    expect(await unread(referrer.admin.token)).toBe(2);
    // The front desk arranges the booking in the thread too.
    expect((await post(receiver.frontDesk.token, id, 'Booked for Thursday 10:00')).errors).toBeUndefined();
    expect(await unread(receiver.admin.token)).toBe(1);
  });

  it('refuses a message on a draft, cancelled, closed or expired referral (CONFLICT) and an empty or too long one (BAD_USER_INPUT), storing nothing', async () => {
    const before = await t.tdb.dataSource.getRepository(ReferralMessage).count();
    const draft = await referral(false);
    expect(codeOf(await post(referrer.therapist.token, draft, 'Hello?'))).toBe('CONFLICT');
    const cancelled = await referral();
    expect((await t.gql(CANCEL, { input: { id: cancelled, reason: 'Client moved away' } }, referrer.therapist.token)).errors).toBeUndefined();
    for (const token of [referrer.therapist.token, receiver.therapist.token]) {
      const res = await post(token, cancelled, 'Hello?');
      expect(res.errors?.[0].extensions?.code).toBe('CONFLICT');
      expect(res.errors?.[0].message).toMatch(/cancelled; its thread is closed/);
    }
    // CLOSED and EXPIRED, set directly (their own paths are R1's and the worker's tests).
    for (const status of ['CLOSED', 'EXPIRED']) {
      const id = await referral();
      await t.tdb.dataSource.query(`UPDATE referral SET status = $2 WHERE id = $1`, [id, status]);
      await t.tdb.dataSource.query(`UPDATE referral_inbox SET status = $2 WHERE id = $1`, [id, status]);
      expect([status, codeOf(await post(referrer.therapist.token, id, 'Hello?'))]).toEqual([status, 'CONFLICT']);
      expect([status, codeOf(await post(receiver.therapist.token, id, 'Hello?'))]).toEqual([status, 'CONFLICT']);
    }
    const open = await referral();
    expect((await post(referrer.therapist.token, open, '   ')).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.body' });
    expect(codeOf(await post(referrer.therapist.token, open, 'x'.repeat(4001)))).toBe('BAD_USER_INPUT');
    expect(codeOf(await post(referrer.therapist.token, 'not-an-id', 'Hi'))).toBe('BAD_USER_INPUT');
    expect(await t.tdb.dataSource.getRepository(ReferralMessage).count()).toBe(before);
    // A declined referral can still be talked about (why, where else).
    const declined = await referral();
    expect((await t.gql(DECLINE, { input: { id: declined, reason: 'No capacity this month' } }, receiver.therapist.token)).errors).toBeUndefined();
    expect((await post(referrer.therapist.token, declined, 'Who would you suggest?')).errors).toBeUndefined();
  });

  it('a referral of another organization, or of a clinic the member does not reach, is NOT_FOUND', async () => {
    const id = await referral();
    const stranger = await practice(t, 'Messages Stranger');
    expect(codeOf(await post(stranger.admin.token, id, 'Let me in'))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(MARK, { id }, stranger.admin.token))).toBe('NOT_FOUND');
    const otherClinicManager = await member(t, receiver.organizationId, 'CLINIC_MANAGER', [randomUUID()]);
    expect(codeOf(await post(otherClinicManager.token, id, 'Hi'))).toBe('NOT_FOUND');
    expect(await unread(stranger.admin.token)).toBe(0);
    expect(await t.tdb.dataSource.getRepository(ReferralMessage).countBy({ referralId: id })).toBe(0);
  });

  it('loads threads and unread counts of a list in a fixed number of statements', async () => {
    const count = async () => {
      t.tdb.queries.length = 0;
      const res = await t.gql(INBOX, {}, receiver.therapist.token);
      if (!res.data) throw new Error(JSON.stringify(res.errors));
      return { statements: t.tdb.queries.length, referrals: res.data.referralsInbox.nodes.length };
    };
    const before = await count();
    for (let i = 0; i < 3; i++) {
      const id = await referral();
      await post(referrer.therapist.token, id, `Message ${i}`);
    }
    const after = await count();
    expect(after.referrals).toBe(before.referrals + 3);
    expect(after.statements).toBe(before.statements);
  });

  it('ending the partnership stops new referrals (create and send refused) while open ones run their course', async () => {
    const open = await referral();
    const draft = await referral(false);
    const [{ id: partnershipId }] = await t.tdb.dataSource.query(`SELECT id FROM partnership WHERE organization_id = $1 AND partner_organization_id = $2 AND status = 'ACTIVE'`, [
      referrer.organizationId,
      receiver.organizationId,
    ]);
    const ended = await t.gql(`mutation E($input: EndPartnershipInput!) { endPartnership(input: $input) { status } }`, { input: { id: partnershipId, reason: 'Contract over' } }, receiver.admin.token);
    expect(ended.data?.endPartnership.status).toBe('ENDED');
    try {
      await expect(referral()).rejects.toThrow(/BAD_USER_INPUT/);
      expect(codeOf(await t.gql(`mutation S($id: ID!) { sendReferral(id: $id) { id } }`, { id: draft }, referrer.therapist.token))).toBe('CONFLICT');
      // The open referral: the receiver still answers, both sides still talk.
      expect((await t.gql(`mutation A($input: AcceptReferralInput!) { acceptReferral(input: $input) { status } }`, { input: { id: open } }, receiver.therapist.token)).data?.acceptReferral.status).toBe('ACCEPTED');
      expect((await post(referrer.therapist.token, open, 'Thanks for still seeing her.')).errors).toBeUndefined();
    } finally {
      // Partners again for the tests after this one.
      const [{ slug }] = await t.tdb.dataSource.query(`SELECT slug FROM organization WHERE id = $1`, [receiver.organizationId]);
      const invited = await t.gql(`mutation I($input: InvitePartnerInput!) { invitePartner(input: $input) { id } }`, { input: { organizationSlug: slug } }, referrer.admin.token);
      await t.gql(`mutation R($input: RespondToPartnerInvitationInput!) { respondToPartnerInvitation(input: $input) { id } }`, { input: { id: invited.data?.invitePartner.id, accept: true } }, receiver.admin.token);
    }
  });

  it('the exchange role can neither plant a message in an organization not party to the referral nor read another side’s thread', async () => {
    const id = await referral();
    const stranger = await practice(t, 'Messages Planted');
    const ds = t.tdb.appDataSource;
    const as = (role: string) =>
      `SELECT set_config('role', '${role}', true), set_config('fascia.org_id', '${referrer.organizationId}', true), set_config('fascia.user_id', '${referrer.therapist.userId}', true)`;
    await expect(
      ds.transaction(async (em) => {
        await em.query(as('fascia_exchange'));
        await em.query(
          `INSERT INTO referral_message (organization_id, id, referral_id, author_user_id, author_organization_id, author_name, body)
           VALUES ($1, gen_random_uuid(), $2, $3, $4, 'X', 'planted')`,
          [stranger.organizationId, id, referrer.therapist.userId, referrer.organizationId],
        );
      }),
    ).rejects.toThrow(/row-level security/);
    await expect(
      ds.transaction(async (em) => {
        await em.query(as('fascia_exchange'));
        await em.query(`SELECT body FROM referral_message`);
      }),
    ).rejects.toThrow(/permission denied/);
  });
});
