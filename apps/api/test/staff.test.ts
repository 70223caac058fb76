import { Invitation, Membership, OutboxMessage } from '@fascia/db';
import { signInvitationToken } from '@fascia/jobs';
import { CREATE_CLINIC, clinicInput, codeOf, SIGN_IN, startTestApi, TEST_SECRET, type TestApi } from './harness';

const INVITE = `mutation I($input: InviteStaffInput!) { inviteStaff(input: $input) { id email role expiresAt } }`;
const ACCEPT = `mutation A($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { accessToken me { user { email } organization { name } roles clinicIds } } }`;

describe('staff invitations', () => {
  let t: TestApi;
  let admin: Awaited<ReturnType<TestApi['orgWithAdmin']>>;
  let clinicId: string;
  beforeAll(async () => {
    t = await startTestApi();
    admin = await t.orgWithAdmin('Invite Chain');
    clinicId = (await t.gql(CREATE_CLINIC, { input: clinicInput({ name: 'Main' }) }, admin.token)).data?.createClinic.id;
  });
  afterAll(() => t.stop());

  const tokenFor = async (invitationId: string) => {
    const inv = await t.tdb.dataSource.getRepository(Invitation).findOneByOrFail({ id: invitationId });
    return signInvitationToken(inv.id, inv.expiresAt, TEST_SECRET);
  };

  it('writes the invitation and its email job in one transaction, then lets the person accept and sign in', async () => {
    const res = await t.gql(INVITE, { input: { email: 'New.Hire@Example.org', displayName: 'New Hire', role: 'FRONT_DESK', clinicIds: [clinicId] } }, admin.token);
    expect(res.errors).toBeUndefined();
    const invitation = res.data?.inviteStaff;
    expect(invitation).toMatchObject({ email: 'new.hire@example.org', role: 'FRONT_DESK' });
    const outbox = await t.tdb.dataSource.getRepository(OutboxMessage).findBy({ jobName: 'staff.invitation.send' });
    expect(outbox.map((o) => o.payload)).toContainEqual({ organizationId: admin.organizationId, invitationId: invitation.id });

    const weak = await t.gql(ACCEPT, { input: { token: await tokenFor(invitation.id), password: 'short' } });
    expect(codeOf(weak)).toBe('BAD_USER_INPUT');
    expect(weak.errors?.[0].extensions?.field).toBe('input.password');

    const accepted = await t.gql(ACCEPT, { input: { token: await tokenFor(invitation.id), password: 'a long enough password' } });
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data?.acceptInvitation.me).toEqual({
      user: { email: 'new.hire@example.org' },
      organization: { name: 'Invite Chain' },
      roles: ['FRONT_DESK'],
      clinicIds: [clinicId],
    });
    const again = await t.gql(ACCEPT, { input: { token: await tokenFor(invitation.id), password: 'a long enough password' } });
    expect(codeOf(again)).toBe('BAD_USER_INPUT');
    expect(again.errors?.[0].message).toMatch(/already accepted/);

    const signIn = await t.gql(SIGN_IN, { input: { email: 'new.hire@example.org', password: 'a long enough password' } });
    expect(signIn.data?.signIn.me.roles).toEqual(['FRONT_DESK']);
    // Front desk may not create clinics.
    const denied = await t.gql(CREATE_CLINIC, { input: clinicInput() }, signIn.data?.signIn.accessToken);
    expect(codeOf(denied)).toBe('FORBIDDEN');
  });

  it('refuses a duplicate: the person already holds that role', async () => {
    const before = await t.tdb.dataSource.getRepository(Invitation).count();
    const res = await t.gql(INVITE, { input: { email: admin.email, displayName: 'Admin Again', role: 'ORG_ADMIN' } }, admin.token);
    expect(codeOf(res)).toBe('CONFLICT');
    expect(res.errors?.[0].extensions?.field).toBe('input.email');
    expect(await t.tdb.dataSource.getRepository(Invitation).count()).toBe(before);
  });

  it.each([
    ['a malformed email', { email: 'not an email', displayName: 'X', role: 'PRACTITIONER' }, 'input.email'],
    ['an empty name', { email: 'ok@example.org', displayName: ' ', role: 'PRACTITIONER' }, 'input.displayName'],
    ['an unknown clinic', { email: 'ok2@example.org', displayName: 'Ok', role: 'PRACTITIONER', clinicIds: ['00000000-0000-4000-8000-000000000001'] }, 'input.clinicIds'],
  ])('refuses %s and writes nothing', async (_l, input, field) => {
    const outboxBefore = await t.tdb.dataSource.getRepository(OutboxMessage).count();
    const membersBefore = await t.tdb.dataSource.getRepository(Membership).count();
    const res = await t.gql(INVITE, { input }, admin.token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe(field);
    expect(await t.tdb.dataSource.getRepository(OutboxMessage).count()).toBe(outboxBefore);
    expect(await t.tdb.dataSource.getRepository(Membership).count()).toBe(membersBefore);
  });

  it('counts pending invitations over the whole list, not a page (members(status:))', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await t.gql(INVITE, { input: { email: `pending${i}@example.org`, displayName: `Pending ${i}`, role: 'PRACTITIONER' } }, admin.token);
      expect(res.errors).toBeUndefined();
    }
    const COUNT = `query C($s: String) { members(first: 1, status: $s) { totalCount nodes { status } } }`;
    const all = await t.gql(COUNT, { s: null }, admin.token);
    const invited = await t.gql(COUNT, { s: 'INVITED' }, admin.token);
    const active = await t.gql(COUNT, { s: 'ACTIVE' }, admin.token);
    const rows = await t.tdb.dataSource.getRepository(Membership).findBy({ organizationId: admin.organizationId });
    expect(invited.data?.members.totalCount).toBe(rows.filter((m) => m.status === 'INVITED').length);
    expect(invited.data?.members.totalCount).toBeGreaterThanOrEqual(3);
    expect(invited.data?.members.nodes).toEqual([{ status: 'INVITED' }]);
    expect(active.data?.members.totalCount).toBe(rows.filter((m) => m.status === 'ACTIVE').length);
    expect(all.data?.members.totalCount).toBe(invited.data?.members.totalCount + active.data?.members.totalCount);
    const bad = await t.gql(COUNT, { s: 'REVOKED' }, admin.token);
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0].extensions?.field).toBe('status');
  });

  it('refuses a forged or tampered invitation token', async () => {
    const res = await t.gql(INVITE, { input: { email: 'forge@example.org', displayName: 'Forge', role: 'PRACTITIONER' } }, admin.token);
    const good = await tokenFor(res.data?.inviteStaff.id);
    const forged = signInvitationToken(res.data?.inviteStaff.id, new Date(Date.now() + 86_400_000), 'another-secret-another-secret-another-secret');
    for (const token of [forged, good.slice(0, -2) + 'xx', 'garbage']) {
      const r = await t.gql(ACCEPT, { input: { token, password: 'a long enough password' } });
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0].extensions?.field).toBe('input.token');
    }
  });
});
