import { AuditEvent, Invitation } from '@fascia/db';
import { signInvitationToken } from '@fascia/jobs';
import { PASSWORD, SIGN_IN, startTestApi, TEST_SECRET, type GqlResult, type TestApi } from './harness';

const INVITE = `mutation I($input: InviteStaffInput!) { inviteStaff(input: $input) { id } }`;
const ACCEPT_INVITATION = `mutation A($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { accessToken } }`;

/** Signs in over HTTP from `address` (the API trusts one proxy here, so X-Forwarded-For names the client). */
async function signIn(t: TestApi, email: string, password: string, address = '203.0.113.1') {
  const res = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ query: SIGN_IN, variables: { input: { email, password } } }),
  });
  const body = (await res.json()) as GqlResult;
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body, code: body.errors?.[0]?.extensions?.code ?? null };
}

/** Accepts an invitation over HTTP from `address`, with the password typed. */
async function acceptInvitation(t: TestApi, token: string, password: string, address = '203.0.113.1') {
  const res = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ query: ACCEPT_INVITATION, variables: { input: { token, password } } }),
  });
  const body = (await res.json()) as GqlResult;
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body, code: body.errors?.[0]?.extensions?.code ?? null };
}

describe('sign-in limits', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ env: { TRUSTED_PROXIES: '1' } });
  });
  afterAll(() => t.stop());

  /** Another organization invites the existing login `email`; returns the inviter and the invitation's token. */
  const invitationFor = async (email: string, chain: string) => {
    const inviter = await t.orgWithAdmin(chain);
    const invited = await t.gql(INVITE, { input: { email, displayName: 'Guest Admin', role: 'FRONT_DESK' } }, inviter.token);
    expect(invited.errors).toBeUndefined();
    const inv = await t.tdb.dataSource.getRepository(Invitation).findOneByOrFail({ id: invited.data?.inviteStaff.id });
    return { inviter, invitationId: inv.id, token: signInvitationToken(inv.id, inv.expiresAt, TEST_SECRET) };
  };

  it('locks an account after 5 failed sign-ins, even for the right password, with 429 and Retry-After, and audits it', async () => {
    const admin = await t.orgWithAdmin('Lockout Chain');
    for (let i = 0; i < 5; i++) expect((await signIn(t, admin.email, 'wrong password')).code).toBe('UNAUTHENTICATED');
    const locked = await signIn(t, admin.email, PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.code).toBe('TOO_MANY_REQUESTS');
    const seconds = locked.body.errors?.[0].extensions?.retryAfterSeconds as number;
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(15 * 60);
    expect(locked.retryAfter).toBe(String(seconds));
    expect(locked.body.errors?.[0].message).toMatch(/Too many failed sign-ins for this account; try again in \d+ minutes?/);
    expect(locked.body.errors?.[0].extensions).not.toHaveProperty('http');
    const audit = await t.tdb.dataSource.getRepository(AuditEvent).findBy({ action: 'auth.sign_in', outcome: 'DENIED', actorUserId: admin.userId });
    expect(audit.map((a) => a.detail)).toContainEqual({ reason: 'too many failed sign-ins', limit: 'account', retryAfterSeconds: seconds });
    // Another account from the same address is not affected.
    const other = await t.orgWithAdmin('Unlocked Chain');
    expect((await signIn(t, other.email, PASSWORD)).code).toBeNull();
  });

  it('a successful sign-in clears the account counter', async () => {
    const admin = await t.orgWithAdmin('Forgetful Chain');
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) expect((await signIn(t, admin.email, 'wrong password', '203.0.113.2')).code).toBe('UNAUTHENTICATED');
      expect((await signIn(t, admin.email, PASSWORD, '203.0.113.2')).code).toBeNull();
    }
  });

  it('counts parallel guesses atomically: no more than 5 are checked', async () => {
    const admin = await t.orgWithAdmin('Parallel Chain');
    const results = await Promise.all(Array.from({ length: 12 }, () => signIn(t, admin.email, 'wrong password', '203.0.113.3')));
    const codes = results.map((r) => r.code);
    expect(codes.filter((c) => c === 'UNAUTHENTICATED')).toHaveLength(5);
    expect(codes.filter((c) => c === 'TOO_MANY_REQUESTS')).toHaveLength(7);
  });

  it('refuses an address after 50 failed sign-ins across accounts; other addresses go on', async () => {
    const admin = await t.orgWithAdmin('Spray Chain');
    for (let i = 0; i < 50; i++) expect((await signIn(t, `nobody${i}@spray.example`, 'guess', '198.51.100.7')).code).toBe('UNAUTHENTICATED');
    const blocked = await signIn(t, admin.email, PASSWORD, '198.51.100.7');
    expect(blocked.status).toBe(429);
    expect(blocked.code).toBe('TOO_MANY_REQUESTS');
    expect(blocked.body.errors?.[0].message).toMatch(/from your network/);
    expect((await signIn(t, admin.email, PASSWORD, '198.51.100.8')).code).toBeNull();
    const audit = await t.tdb.dataSource.getRepository(AuditEvent).findBy({ action: 'auth.sign_in', outcome: 'DENIED', sourceAddress: '198.51.100.7' });
    expect(audit.some((a) => (a.detail as { limit?: string } | null)?.limit === 'address')).toBe(true);
    // An existing account's password typed into an invitation is held by the same address limit.
    const { token } = await invitationFor(admin.email, 'Spray Inviting Chain');
    const held = await acceptInvitation(t, token, PASSWORD, '198.51.100.7');
    expect(held.status).toBe(429);
    expect(held.body.errors?.[0].message).toMatch(/from your network/);
    expect((await acceptInvitation(t, token, PASSWORD, '198.51.100.8')).code).toBeNull();
  });
  it('counts an existing account’s password typed into acceptInvitation toward the same limits', async () => {
    const invitee = await t.orgWithAdmin('Home Chain');
    const { inviter, invitationId, token } = await invitationFor(invitee.email, 'Inviting Chain');

    for (let i = 0; i < 5; i++) {
      const wrong = await acceptInvitation(t, token, 'wrong password', '203.0.113.9');
      expect(wrong.code).toBe('BAD_USER_INPUT');
      expect(wrong.body.errors?.[0].extensions?.field).toBe('input.password');
    }
    const locked = await acceptInvitation(t, token, PASSWORD, '203.0.113.9');
    expect(locked.status).toBe(429);
    expect(locked.code).toBe('TOO_MANY_REQUESTS');
    const seconds = locked.body.errors?.[0].extensions?.retryAfterSeconds as number;
    expect(seconds).toBeGreaterThan(0);
    expect(locked.retryAfter).toBe(String(seconds));
    expect(locked.body.errors?.[0].message).toMatch(/Too many failed sign-ins for this account; try again in \d+ minutes?/);
    // One counter per account: signing in is locked too, and the invitation is still open.
    expect((await signIn(t, invitee.email, PASSWORD, '203.0.113.10')).code).toBe('TOO_MANY_REQUESTS');
    expect((await t.tdb.dataSource.getRepository(Invitation).findOneByOrFail({ id: invitationId })).acceptedAt).toBeNull();
    const audit = await t.tdb.dataSource.getRepository(AuditEvent).find({
      where: { action: 'staff.invitation_accepted', outcome: 'DENIED', actorUserId: invitee.userId },
      order: { occurredAt: 'ASC' },
    });
    expect(audit.every((a) => a.recordId === invitationId && a.organizationId === inviter.organizationId)).toBe(true);
    expect(audit.map((a) => a.detail)).toEqual([
      ...Array.from({ length: 5 }, () => ({ reason: 'wrong password' })),
      { reason: 'too many failed sign-ins', limit: 'account', retryAfterSeconds: seconds },
    ]);
  });
});
