import type { Clock } from '@fascia/db';
import { createTestDatabase, type TestDatabase } from '@fascia/db/testing';
import { startApi, type Api } from '../src/server';
import { createOrgWithAdmin } from '../src/testing';

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';
export const PASSWORD = 'correct horse battery';

export interface GqlResult<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; field?: string; [k: string]: unknown } }[];
}

export interface TestApi {
  tdb: TestDatabase;
  url: string;
  /** The running API (its services, its compiled-execution counters). */
  api: Api;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GqlResult<T>>;
  /** Creates an organization with an admin and returns a signed-in access token. */
  orgWithAdmin(name: string): Promise<{ organizationId: string; userId: string; token: string; email: string; refreshToken: string }>;
  stop(): Promise<void>;
}

let counter = 0;

/** A real API over HTTP on a free port, on a fresh PostgreSQL database; `clock` fixes the time every service reads. */
export async function startTestApi(options: { nodeEnv?: string; env?: Record<string, string>; clock?: Clock } = {}): Promise<TestApi> {
  const tdb = await createTestDatabase();
  const running = await startApi({
    databaseUrl: tdb.runtimeUrl,
    port: 0,
    appSecret: TEST_SECRET,
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
    dataSource: tdb.appDataSource,
    nodeEnv: options.nodeEnv,
    env: options.env,
    clock: options.clock,
  });
  const gql: TestApi['gql'] = async (query, variables = {}, token = null) => {
    const res = await fetch(`${running.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GqlResult<any>;
  };
  return {
    tdb,
    url: running.url,
    api: running.api,
    gql,
    async orgWithAdmin(name) {
      const email = `admin${++counter}-${Date.now()}@${name.toLowerCase().replace(/[^a-z]/g, '')}.example`;
      const ids = await createOrgWithAdmin(tdb.db, { orgName: name, email, password: PASSWORD });
      const res = await gql(SIGN_IN, { input: { email, password: PASSWORD } });
      if (!res.data) throw new Error(`sign-in failed: ${JSON.stringify(res.errors)}`);
      return { ...ids, email, token: res.data.signIn.accessToken, refreshToken: res.data.signIn.refreshToken };
    },
    async stop() {
      await running.stop();
      await tdb.drop();
    },
  };
}

export const SIGN_IN = `mutation SignIn($input: SignInInput!) {
  signIn(input: $input) { accessToken accessTokenExpiresAt refreshToken me { user { id email } organization { id name } roles clinicIds } }
}`;

export const CREATE_CLINIC = `mutation CreateClinic($input: CreateClinicInput!) {
  createClinic(input: $input) { id name timeZone country openingHours { weekday start end } }
}`;

export const weekdays = (start = '08:00', end = '19:00') => [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start, end }));

export function clinicInput(overrides: Record<string, unknown> = {}) {
  return {
    name: `Clinic ${++counter}`,
    addressLine1: '1 High Street',
    city: 'London',
    postalCode: 'EC1V 9AA',
    country: 'GB',
    timeZone: 'Europe/London',
    openingHours: weekdays(),
    ...overrides,
  };
}

export function codeOf(res: GqlResult): string | undefined {
  return res.errors?.[0]?.extensions?.code;
}
