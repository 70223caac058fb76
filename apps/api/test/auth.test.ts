import jwt from 'jsonwebtoken';
import { AuditEvent } from '@fascia/db';
import { PASSWORD, SIGN_IN, startTestApi, TEST_SECRET, codeOf, type TestApi } from './harness';

const ME = `{ me { user { email } organization { name } roles } }`;
const REFRESH = `mutation R($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }`;

describe('sign-in and sessions', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(() => t.stop());

  it('signs in with the right password and reads me with the access token', async () => {
    const admin = await t.orgWithAdmin('Harbour Chain');
    const res = await t.gql(ME, {}, admin.token);
    expect(res.errors).toBeUndefined();
    expect(res.data?.me).toEqual({ user: { email: admin.email }, organization: { name: 'Harbour Chain' }, roles: ['ORG_ADMIN'] });
  });

  it('refuses a wrong password and an unknown email with the same message, and audits both', async () => {
    const admin = await t.orgWithAdmin('Audit Chain');
    const wrong = await t.gql(SIGN_IN, { input: { email: admin.email, password: 'not the password' } });
    const unknown = await t.gql(SIGN_IN, { input: { email: 'nobody@nowhere.example', password: PASSWORD } });
    expect(codeOf(wrong)).toBe('UNAUTHENTICATED');
    expect(codeOf(unknown)).toBe('UNAUTHENTICATED');
    expect(wrong.errors?.[0].message).toBe(unknown.errors?.[0].message);
    const denied = await t.tdb.dataSource.getRepository(AuditEvent).findBy({ action: 'auth.sign_in', outcome: 'DENIED' });
    expect(denied.map((d) => d.actorUserId)).toEqual(expect.arrayContaining([admin.userId, null]));
  });

  it('rejects a malformed email before touching the database', async () => {
    const res = await t.gql(SIGN_IN, { input: { email: 'not-an-email', password: 'x' } });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe('input.email');
  });

  it('refuses an expired token and a forged one', async () => {
    const admin = await t.orgWithAdmin('Token Chain');
    const opts = { subject: admin.userId, issuer: 'fascia', audience: 'fascia-api' };
    const expired = jwt.sign({ org: admin.organizationId, typ: 'access', exp: Math.floor(Date.now() / 1000) - 60 }, TEST_SECRET, opts);
    const forged = jwt.sign({ org: admin.organizationId, typ: 'access' }, 'some-other-secret-some-other-secret-123', { ...opts, expiresIn: 600 });
    const r1 = await t.gql(ME, {}, expired);
    const r2 = await t.gql(ME, {}, forged);
    const r3 = await t.gql(ME, {}, null);
    expect(codeOf(r1)).toBe('UNAUTHENTICATED');
    expect(r1.errors?.[0].message).toMatch(/expired/);
    expect(codeOf(r2)).toBe('UNAUTHENTICATED');
    expect(codeOf(r3)).toBe('UNAUTHENTICATED');
  });

  it('rotates refresh tokens and revokes the whole family when an old one is replayed', async () => {
    const admin = await t.orgWithAdmin('Rotation Chain');
    const first = await t.gql(REFRESH, { t: admin.refreshToken });
    expect(first.errors).toBeUndefined();
    const next = first.data?.refreshSession.refreshToken as string;
    expect(next).not.toBe(admin.refreshToken);

    const replay = await t.gql(REFRESH, { t: admin.refreshToken });
    expect(codeOf(replay)).toBe('UNAUTHENTICATED');
    expect(replay.errors?.[0].message).toMatch(/already used/);
    // The replay ended the session the legitimate holder had too.
    const afterReplay = await t.gql(REFRESH, { t: next });
    expect(codeOf(afterReplay)).toBe('UNAUTHENTICATED');
  });

  it('signs out: the refresh token stops working', async () => {
    const admin = await t.orgWithAdmin('Sign-out Chain');
    const out = await t.gql(`mutation O($t: String!) { signOut(refreshToken: $t) }`, { t: admin.refreshToken });
    expect(out.data?.signOut).toBe(true);
    expect(codeOf(await t.gql(REFRESH, { t: admin.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  it('serves /healthz and /readyz', async () => {
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'ok' });
  });
});
