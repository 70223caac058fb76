import { randomUUID } from 'node:crypto';
import { DEMO_ADMIN, DEMO_STAFF, DEMO_THERAPIST, seedDemo } from '../src/seed';
import { startApi } from '../src/server';
import { SIGN_IN, startTestApi, TEST_SECRET, type TestApi } from './harness';

/**
 * Compiled execution (src/common/jit-execution.ts, GRAPHQL_JIT): the same requests, sent to an
 * API that compiles them with graphql-jit (the default) and to one that runs graphql-js
 * (GRAPHQL_JIT=0) on the same database, get the same HTTP status and the same body, byte for
 * byte — data, error messages, `extensions.code`, paths and locations — on the hot reads, the
 * errors of auth, roles (per row), validation, variables and services, and the GraphQL features
 * the API's clients use (fragments, directives, aliases, introspection).
 */

type Answer = { status: number; body: string };

const CALENDAR = `query Cal($clinicId: ID!, $from: String!) {
  calendar(clinicId: $clinicId, from: $from, days: 7) {
    from to timeZone
    appointments { id startsAt endsAt status kind clientId clientName practitioner { id displayName } room { id name } note { id signedAt } }
  }
}`;
const CHART = `query Chart($clientId: ID!) {
  clientChart(clientId: $clientId) {
    client { id firstName lastName preferredName intakes { id version createdAt blocked } plans { id status complaintKey currentVersion createdAt reassessments { id assessedAt decision status } } }
    appointments { id startsAt endsAt status note { id signedAt painAfter } }
  }
}`;
const PAGE_INFO = 'pageInfo { hasNextPage endCursor }';
const CLIENTS = `query Clients($first: Int, $after: String, $search: String) { clients(first: $first, after: $after, search: $search) { totalCount nodes { id firstName lastName email } ${PAGE_INFO} } }`;
const TASKS = `query Tasks { practitionerTasks(first: 50) { totalCount nodes { id dueAt kind reason status client { id firstName } practitioner { id displayName } } ${PAGE_INFO} } }`;
const ME = `{ me { user { email } organization { name } roles } }`;

describe('compiled execution (graphql-jit) answers as graphql-js does', () => {
  let t: TestApi;
  let plain: Awaited<ReturnType<typeof startApi>>;
  const tokens: Record<'admin' | 'therapist' | 'frontDesk', string> = { admin: '', therapist: '', frontDesk: '' };
  let clinicId: string;
  let weekFrom: string;
  let chartClientId: string;

  const post = async (url: string, body: unknown, token: string | null): Promise<Answer> => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.text() };
  };

  /** Sends the request to both APIs (twice to the compiling one: compiled, then from its cache) and expects one answer. */
  const same = async (query: string, variables: Record<string, unknown> = {}, token: string | null = tokens.admin, operationName?: string): Promise<{ status: number; json: any }> => {
    const body = { query, variables, ...(operationName ? { operationName } : {}) };
    const compiled = await post(t.url, body, token);
    const cached = await post(t.url, body, token);
    const graphqlJs = await post(plain.url, body, token);
    expect(compiled).toEqual(graphqlJs);
    expect(cached).toEqual(graphqlJs);
    return { status: graphqlJs.status, json: JSON.parse(graphqlJs.body) };
  };
  const codes = (json: any): string[] => (json.errors ?? []).map((e: any) => e.extensions?.code);

  beforeAll(async () => {
    t = await startTestApi();
    await seedDemo(t.tdb.dataSource);
    plain = await startApi({ databaseUrl: t.tdb.runtimeUrl, port: 0, appSecret: TEST_SECRET, logLevel: 'silent', env: { GRAPHQL_JIT: '0' } });
    expect(plain.api.jit).toBeNull();
    for (const [who, email] of [['admin', DEMO_ADMIN.email], ['therapist', DEMO_THERAPIST.email], ['frontDesk', DEMO_STAFF.frontDesk]] as const) {
      const res = await post(t.url, { query: SIGN_IN, variables: { input: { email, password: DEMO_ADMIN.password } } }, null);
      tokens[who] = JSON.parse(res.body).data.signIn.accessToken;
    }
    const [week] = await t.tdb.dataSource.query(
      `SELECT a.clinic_id, to_char(date_trunc('week', a.starts_at AT TIME ZONE c.time_zone), 'YYYY-MM-DD') AS week
         FROM appointment a JOIN clinic c ON c.id = a.clinic_id GROUP BY 1, 2 ORDER BY count(*) DESC, 2 DESC LIMIT 1`,
    );
    clinicId = week.clinic_id;
    weekFrom = week.week;
    const [client] = await t.tdb.dataSource.query(`SELECT client_id FROM appointment GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`);
    chartClientId = client.client_id;
  });
  afterAll(async () => {
    await plain?.stop();
    await t?.stop();
  });

  it('is on by default and off with GRAPHQL_JIT=0', () => {
    expect(t.api.config.graphqlJit).toBe(true);
    expect(t.api.jit).not.toBeNull();
    expect(plain.api.config.graphqlJit).toBe(false);
    expect(plain.api.jit).toBeNull();
  });

  it('answers the hot reads alike: calendar, chart, clients, search, tasks', async () => {
    const before = jitStats();
    const calendar = await same(CALENDAR, { clinicId, from: weekFrom });
    expect(calendar.json.data.calendar.appointments.length).toBeGreaterThan(5);
    expect(calendar.json.errors).toBeUndefined();
    const chart = await same(CHART, { clientId: chartClientId });
    expect(chart.json.data.clientChart.appointments.length).toBeGreaterThan(3);
    const page = await same(CLIENTS, { first: 5 });
    expect(page.json.data.clients.nodes).toHaveLength(5);
    await same(CLIENTS, { first: 5, after: page.json.data.clients.pageInfo.endCursor });
    await same(CLIENTS, { first: 10, search: page.json.data.clients.nodes[0].lastName.slice(1, 4) });
    await same(TASKS);
    const after = jitStats();
    // Four documents (the clients page and search are one) compiled once each, then served from the cache; none left to graphql-js.
    expect(after.compiled - before.compiled).toBe(4);
    expect(after.hits - before.hits).toBeGreaterThanOrEqual(5);
    expect(after.fallbacks).toBe(0);
  });

  it('refuses alike: no token, a role per row (FORBIDDEN at each path, the rest answered), a chart of no one', async () => {
    expect(codes((await same(ME, {}, null)).json)).toEqual(['UNAUTHENTICATED']);
    expect(codes((await same(CALENDAR, { clinicId, from: weekFrom }, null)).json)).toEqual(['UNAUTHENTICATED']);
    // The front desk sees the calendar but not the notes: one FORBIDDEN per appointment with a note.
    const desk = await same(CALENDAR, { clinicId, from: weekFrom }, tokens.frontDesk);
    const appointments = desk.json.data.calendar.appointments;
    expect(appointments.length).toBeGreaterThan(5);
    expect(appointments.every((a: { note: unknown }) => a.note === null)).toBe(true);
    expect(desk.json.errors).toHaveLength(appointments.length);
    expect(new Set(codes(desk.json))).toEqual(new Set(['FORBIDDEN']));
    expect(desk.json.errors[3].path).toEqual(['calendar', 'appointments', 3, 'note']);
    expect(codes((await same(CHART, { clientId: chartClientId }, tokens.frontDesk)).json)[0]).toBe('FORBIDDEN');
    expect((await same(CHART, { clientId: randomUUID() })).json).toEqual({ data: { clientChart: null } });
    await same(CALENDAR, { clinicId, from: weekFrom }, tokens.therapist);
    await same(CHART, { clientId: chartClientId }, tokens.therapist);
  });

  it('refuses bad input alike: variables of the wrong type or missing, a bad argument, text PostgreSQL would refuse, a service rule', async () => {
    expect((await same(CALENDAR, { clinicId, from: 42 })).status).toBe(400);
    expect(codes((await same(CALENDAR, { clinicId })).json)).toEqual(['BAD_USER_INPUT']);
    expect(codes((await same(CALENDAR, { clinicId: null, from: weekFrom })).json)).toEqual(['BAD_USER_INPUT']);
    expect(codes((await same(CLIENTS, { first: 'ten' })).json)).toEqual(['BAD_USER_INPUT']);
    expect(codes((await same(CALENDAR, { clinicId, from: 'not a date' })).json)).toEqual(['BAD_USER_INPUT']);
    expect(codes((await same(CLIENTS, { first: 5, search: 'a\u0000b' })).json)).toEqual(['BAD_USER_INPUT']);
    expect(codes((await same(CLIENTS, { first: -1 })).json)).toEqual(['BAD_USER_INPUT']);
    expect(codes((await same(CLIENTS, { first: 5, after: 'not-a-cursor' })).json)).toEqual(['BAD_USER_INPUT']);
    expect(codes((await same(`query { calendar(clinicId: "${clinicId}", from: "2026-13-45", days: 7) { from } }`)).json)).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses what validation refuses alike (before execution)', async () => {
    expect(codes((await same(`{ me { nope } }`)).json)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(codes((await same(`{ ${Array.from({ length: 16 }, (_, i) => `a${i}: __typename`).join(' ')} }`)).json)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const unparsable = await same(`{ me { `);
    expect(unparsable.json.errors).toHaveLength(1);
    expect(unparsable.json.data).toBeUndefined();
  });

  it('answers fragments, inline fragments, @skip/@include, aliases, __typename and introspection alike', async () => {
    const query = `query F($withRoom: Boolean!, $noNames: Boolean!, $clinicId: ID!, $from: String!) {
      cal: calendar(clinicId: $clinicId, from: $from, days: 7) {
        __typename
        appointments { ...A room @include(if: $withRoom) { name } practitioner { displayName @skip(if: $noNames) ... on Practitioner { id } } }
      }
      me { ... on Me { roles } }
    }
    fragment A on Appointment { id startsAt clientName @skip(if: $noNames) }`;
    for (const withRoom of [true, false]) {
      for (const noNames of [true, false]) {
        const res = await same(query, { withRoom, noNames, clinicId, from: weekFrom });
        expect(res.json.errors).toBeUndefined();
        expect('clientName' in res.json.data.cal.appointments[0]).toBe(!noNames);
        expect('room' in res.json.data.cal.appointments[0]).toBe(withRoom);
      }
    }
    const intro = await same(`{ __schema { queryType { name } } __type(name: "Appointment") { fields { name type { kind name ofType { name } } } } }`);
    expect(intro.json.data.__schema.queryType.name).toBe('Query');
    // A document of two operations: each compiled and cached under its own name.
    const two = `query A { me { roles } } query B { clinics { nodes { id name } } }`;
    expect(Object.keys((await same(two, {}, tokens.admin, 'A')).json.data)).toEqual(['me']);
    expect(Object.keys((await same(two, {}, tokens.admin, 'B')).json.data)).toEqual(['clinics']);
    expect((await same(two, {}, tokens.admin)).status).toBe(400);
  });

  it('runs a mutation that fails alike (nothing written either way)', async () => {
    const res = await same(`mutation M($input: CreateClinicInput!) { createClinic(input: $input) { id } }`, {
      input: { name: '', addressLine1: '1 High Street', city: 'London', postalCode: 'EC1V 9AA', country: 'GB', timeZone: 'Europe/London', openingHours: [] },
    });
    expect(codes(res.json)).toEqual(['BAD_USER_INPUT']);
  });

  function jitStats() {
    const stats = t.api.jit;
    if (!stats) throw new Error('the test API runs without compiled execution');
    return { ...stats };
  }
});
