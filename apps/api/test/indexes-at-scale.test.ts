import { createDataSource } from '@fascia/db';
import { createTestDatabase, generateScale, type ScaleResult, type TestDatabase } from '@fascia/db/testing';
import { DateTime } from 'luxon';
import type { DataSource } from 'typeorm';
import { hashPassword } from '../src/auth/passwords';
import { startApi } from '../src/server';
import { PASSWORD, SIGN_IN, TEST_SECRET, type GqlResult } from './harness';

/**
 * EXPLAIN tests (issue 10): on a database of realistic shape (the scale generator, 20,000
 * clients and 200,000 appointments in one organization, another organization beside it,
 * ANALYZEd), every heavy read the API sends — captured from real GraphQL requests, so the test
 * follows the code — is planned with an index and with no sequential scan of a big table.
 * The planner's choice, not a timing: nothing here waits on a clock.
 */

const BIG = ['client', 'appointment', 'session_note', 'session_addendum', 'reassessment', 'practitioner_task', 'intake', 'treatment_plan', 'plan_version'];

interface Sent {
  sql: string;
  parameters: unknown[];
}
interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

const nodesOf = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodesOf)];

describe('indexes at scale: the heavy reads use indexes (EXPLAIN)', () => {
  let tdb: TestDatabase;
  let apiDs: DataSource;
  let stop: () => Promise<void>;
  let url: string;
  let scale: ScaleResult;
  const sent: Sent[] = [];
  type Who = 'admin' | 'practitioner' | 'manager';
  const tokens: Record<Who, string> = { admin: '', practitioner: '', manager: '' };
  const userIds: Record<Who, string> = { admin: '', practitioner: '', manager: '' };

  const gql = async (query: string, variables: Record<string, unknown>, token: string): Promise<GqlResult<any>> => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as GqlResult<any>;
    expect(body.errors).toBeUndefined();
    return body;
  };

  /** The statements one GraphQL request sends. */
  async function capture(query: string, variables: Record<string, unknown>, who: Who = 'admin'): Promise<{ data: any; statements: Sent[] }> {
    sent.length = 0;
    const res = await gql(query, variables, tokens[who]);
    return { data: res.data, statements: sent.filter((s) => /^\s*SELECT/i.test(s.sql) && !/set_config/.test(s.sql)) };
  }

  /**
   * The plans of a statement as the API runs it — as fascia_app, in the organization, under
   * row-level security — with those of the statements it runs inside functions
   * (fascia_client_search): auto_explain reports each plan to this session as a notice.
   */
  async function explain(s: Sent, userId: string, generic = false): Promise<PlanNode[]> {
    const q = tdb.dataSource.createQueryRunner();
    await q.connect();
    const conn = (
      q as unknown as {
        databaseConnection: {
          on(e: 'notice', f: (m: { message?: string }) => void): void;
          removeAllListeners(e: string): void;
          query(c: { name: string; text: string; values: unknown[] }): Promise<unknown>;
        };
      }
    ).databaseConnection;
    const plans: { 'Query Text': string; Plan: PlanNode }[] = [];
    conn.on('notice', (m) => {
      const at = m.message?.indexOf('{') ?? -1;
      if (at >= 0) plans.push(JSON.parse(m.message!.slice(at)) as { 'Query Text': string; Plan: PlanNode });
    });
    try {
      await q.startTransaction();
      await q.query(`LOAD 'auto_explain'`);
      for (const [k, v] of Object.entries({ log_min_duration: '0', log_nested_statements: 'on', log_format: 'json', log_level: 'notice' })) {
        await q.query(`SELECT set_config('auto_explain.${k}', $1, true)`, [v]);
      }
      await q.query(`SELECT set_config('role', 'fascia_app', true), set_config('fascia.org_id', $1, true), set_config('fascia.user_id', $2, true)`, [scale.organizationId, userId]);
      // An unnamed portal's plan is reported when it closes, at the next statement: one without parameters.
      await q.query(`SELECT 'flush'`);
      plans.length = 0;
      if (generic) {
        // The plan a prepared statement falls back to after its first runs (preparedQuery in
        // the API): planned without the values, so it must use the indexes on its own.
        await q.query(`SELECT set_config('plan_cache_mode', 'force_generic_plan', true)`);
        await conn.query({ name: `generic_${Math.random().toString(36).slice(2)}`, text: s.sql, values: s.parameters });
      } else {
        await q.query(s.sql, s.parameters);
      }
      await q.query(`SELECT 'flush'`);
      const mine = plans.filter((p) => !p['Query Text'].includes(`'flush'`));
      expect(mine.map((p) => p['Query Text'])).toContain(s.sql);
      return mine.flatMap((p) => nodesOf(p.Plan));
    } finally {
      conn.removeAllListeners('notice');
      await q.rollbackTransaction();
      await q.release();
    }
  }

  /** Every statement of `statements` that reads `table` (and matches `also`): planned with an index and no sequential scan of a big table. */
  async function expectIndexed(statements: Sent[], table: string, index: RegExp, also?: RegExp, who: Who = 'admin'): Promise<PlanNode[]> {
    const matching = statements.filter((s) => new RegExp(`FROM "${table}"`).test(s.sql) && (!also || also.test(s.sql)));
    expect(matching.length).toBeGreaterThan(0);
    const all: PlanNode[] = [];
    for (const [statement, generic] of matching.flatMap((m): [Sent, boolean][] => [[m, false], [m, true]])) {
      const nodes = await explain(statement, userIds[who], generic);
      const seqScans = nodes.filter((n) => n['Node Type'] === 'Seq Scan' && BIG.includes(n['Relation Name'] ?? '')).map((n) => n['Relation Name']);
      const indexes = nodes.filter((n) => n['Index Name']).map((n) => n['Index Name']);
      if (process.env.SHOW_PLANS) console.log(statement.sql, JSON.stringify(statement.parameters), JSON.stringify(nodes.map((n) => [n['Node Type'], n['Relation Name'], n['Index Name']])));
      expect({ sql: statement.sql, generic, seqScans }).toEqual({ sql: statement.sql, generic, seqScans: [] });
      expect({ sql: statement.sql, generic, indexes }).toEqual({ sql: statement.sql, generic, indexes: expect.arrayContaining([expect.stringMatching(index)]) });
      all.push(...nodes);
    }
    return all;
  }

  beforeAll(async () => {
    tdb = await createTestDatabase();
    scale = await generateScale(tdb.dataSource, {
      clients: 20_000,
      appointments: 200_000,
      // Ten times the usual share of addenda, so the addenda of a chart are read from a table of realistic size.
      addendaPercent: 10,
      passwordHash: await hashPassword(PASSWORD),
    });
    apiDs = createDataSource({ url: tdb.runtimeUrl, poolSize: 4, onQuery: (sql, parameters) => sent.push({ sql, parameters: parameters ?? [] }) });
    await apiDs.initialize();
    const running = await startApi({ databaseUrl: tdb.runtimeUrl, port: 0, appSecret: TEST_SECRET, logLevel: 'silent', dataSource: apiDs });
    url = running.url;
    stop = running.stop;
    for (const who of ['admin', 'practitioner', 'manager'] as const) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: SIGN_IN, variables: { input: { email: scale.logins[who], password: PASSWORD } } }),
      });
      const body = (await res.json()) as GqlResult<any>;
      tokens[who] = body.data?.signIn.accessToken;
      userIds[who] = body.data?.signIn.me.user.id;
    }
    expect(tokens.admin && tokens.practitioner && tokens.manager).toBeTruthy();
  }, 600_000);

  afterAll(async () => {
    await stop?.();
    if (apiDs?.isInitialized) await apiDs.destroy();
    await tdb?.drop();
  });

  it('generated an organization of the requested shape', () => {
    expect(scale.counts.client).toBe(20_000);
    expect(scale.counts.appointment).toBe(200_000);
    expect(scale.busyWeek.appointments).toBeGreaterThan(200);
  });

  it('the calendar week: appointments by clinic and start', async () => {
    const from = DateTime.fromJSDate(scale.busyWeek.from, { zone: 'Europe/London' }).toISODate();
    const { data, statements } = await capture(
      `query C($clinicId: ID!, $from: String!) { calendar(clinicId: $clinicId, from: $from, days: 7) { appointments { id clientName practitioner { displayName } room { name } } } }`,
      { clinicId: scale.busyClinicId, from },
    );
    expect(data.calendar.appointments.length).toBeGreaterThan(200);
    await expectIndexed(statements, 'appointment', /^appointment_clinic_time_idx$/, /starts_at/);
  });

  it('the chart: intakes, appointments, notes, re-assessments, plans and their versions, addenda — each by an index', async () => {
    const { data, statements } = await capture(
      `query Ch($id: ID!) { clientChart(clientId: $id) {
         client { intakes { id } plans { id versions { version } reassessments { id } } }
         appointments { id note { id addenda { id } } }
         trajectory { at painNrs } } }`,
      { id: scale.longHistoryClientId },
    );
    expect(data.clientChart.appointments.length).toBeGreaterThan(100);
    await expectIndexed(statements, 'reassessment', /^reassessment_(client|plan)_idx$/);
    await expectIndexed(statements, 'treatment_plan', /^treatment_plan_(client_idx|pkey)$/);
    await expectIndexed(statements, 'plan_version', /^plan_version_plan_id_version_key$/);
    // By client, or per clinic by (clinic, client): the chart's appointments join their clinic, and
    // a nested loop over the organization's clinics probing appointment_clinic_client_idx is as
    // good a plan as one walk of appointment_client_idx (the planner picks either by statistics).
    const appointmentNodes = await expectIndexed(statements, 'appointment', /^appointment_(client|clinic_client)_idx$/);
    // Either way the client is in the index condition: never a walk of the organization's entries.
    const probes = appointmentNodes.filter((n) => n['Relation Name'] === 'appointment' && n['Index Name']);
    expect(probes.length).toBeGreaterThan(0);
    for (const n of probes) expect({ index: n['Index Name'], cond: n['Index Cond'] }).toEqual({ index: n['Index Name'], cond: expect.stringContaining('client_id') });
    await expectIndexed(statements, 'session_note', /^session_note_(client_idx|appointment_id_key)$/);
    await expectIndexed(statements, 'intake', /^intake_client_id_version_key$/);
    await expectIndexed(statements, 'session_addendum', /^session_addendum_note_idx$/);
  });

  it('the clients page: a walk of client_name_idx, and a count that stops at 1,000', async () => {
    const { data, statements } = await capture(`query { clients(first: 50) { totalCount totalCountCapped nodes { lastName } pageInfo { endCursor } } }`, {});
    expect(data.clients).toMatchObject({ totalCount: 1000, totalCountCapped: true });
    expect(statements.filter((s) => /FROM "client"/.test(s.sql))).toHaveLength(1);
    const nodes = await expectIndexed(statements, 'client', /^client_name_idx$/);
    expect(nodes.some((n) => n['Node Type'] === 'Sort' )).toBe(false);
    // The count reads the index alone (archived_at is carried in it): no visit to a heap row per counted client.
    expect(nodes.filter((n) => n['Index Name'] === 'client_name_idx').map((n) => n['Node Type'])).toContain('Index Only Scan');
    const next = await capture(`query N($after: String) { clients(first: 50, after: $after) { nodes { lastName } } }`, { after: data.clients.pageInfo.endCursor });
    expect(next.data.clients.nodes).toHaveLength(50);
    await expectIndexed(next.statements, 'client', /^client_name_idx$/);
  });

  it.each([
    ['a name fragment', () => scale.sampleClient.lastName.slice(1, 5), /^client_search_trgm_idx$/],
    ['a full name', () => `${scale.sampleClient.firstName} ${scale.sampleClient.lastName}`, /^client_search_trgm_idx$/],
    ['a short name start', () => scale.sampleClient.lastName.slice(0, 2), /^client_search_trgm_idx$/],
    ['an email fragment', () => scale.sampleClient.email.slice(6, 16), /^client_search_trgm_idx$/],
    ['a phone fragment typed with spaces', () => `${scale.sampleClient.phone.slice(3, 6)} ${scale.sampleClient.phone.slice(6, 10)}`, /^client_phone_trgm_idx$/],
  ])('client search by %s: one statement, by a trigram index', async (_l, term, index) => {
    const search = term();
    const { data, statements } = await capture(`query S($search: String) { clients(search: $search) { totalCount totalCountCapped nodes { id } } }`, { search });
    expect(data.clients.totalCount).toBeGreaterThan(0);
    expect(statements.filter((s) => /FROM "client"/.test(s.sql))).toHaveLength(1);
    await expectIndexed(statements, 'client', index);
  });

  it('the clients of one clinic, and the clients page of a manager limited to a clinic: candidates from the clinic’s indexes', async () => {
    const byClinic = await capture(`query C($clinicId: ID) { clients(clinicId: $clinicId) { totalCount totalCountCapped nodes { id } } }`, { clinicId: scale.clinicIds[3] });
    expect(byClinic.data.clients.nodes).toHaveLength(50);
    await expectIndexed(byClinic.statements, 'client', /^client_clinics_idx$/);
    const managed = await capture(`query { clients(first: 50) { totalCount totalCountCapped nodes { id } } }`, {}, 'manager');
    expect(managed.data.clients).toMatchObject({ totalCount: 1000, totalCountCapped: true });
    const nodes = await expectIndexed(managed.statements, 'client', /^appointment_clinic_client_idx$/, undefined, 'manager');
    expect(nodes.map((n) => n['Index Name']).filter(Boolean)).toEqual(expect.arrayContaining(['client_clinics_idx', 'intake_clinic_client_idx']));
  });

  it('fascia_client_search answers for the current organization only, and for no one without one', async () => {
    const q = tdb.dataSource.createQueryRunner();
    await q.connect();
    try {
      await q.startTransaction();
      await q.query(`SELECT set_config('role', 'fascia_app', true)`);
      expect(await q.query(`SELECT * FROM fascia_client_search('ade', NULL, NULL)`)).toEqual([]);
      await q.query(`SELECT set_config('fascia.org_id', $1, true)`, [scale.organizationId]);
      const ids = ((await q.query(`SELECT s AS id FROM fascia_client_search('ade', NULL, NULL) s`)) as { id: string }[]).map((r) => r.id);
      expect(ids.length).toBeGreaterThan(0);
      await q.query(`RESET role`);
      const [{ n }] = (await q.query(`SELECT count(*)::int AS n FROM client WHERE id = ANY($1::uuid[]) AND organization_id <> $2`, [ids, scale.organizationId])) as { n: number }[];
      const [{ other }] = (await q.query(`SELECT count(*)::int AS other FROM client WHERE organization_id <> $1 AND lower(last_name) LIKE '%ade%'`, [scale.organizationId])) as { other: number }[];
      expect({ n, otherOrganizationsMatch: other > 0 }).toEqual({ n: 0, otherOrganizationsMatch: true });
    } finally {
      await q.rollbackTransaction();
      await q.release();
    }
  });

  it('the open tasks: everyone’s for an admin, a clinic’s for its manager, one’s own for a practitioner', async () => {
    const all = await capture(`query { practitionerTasks(first: 50) { totalCount totalCountCapped nodes { id client { lastName } } } }`, {});
    expect(all.data.practitionerTasks.nodes).toHaveLength(50);
    await expectIndexed(all.statements, 'practitioner_task', /^practitioner_task_status_due_idx$/);
    const managed = await capture(`query { practitionerTasks(first: 50) { totalCount nodes { id } } }`, {}, 'manager');
    expect(managed.data.practitionerTasks.totalCount).toBeGreaterThan(0);
    await expectIndexed(managed.statements, 'practitioner_task', /^practitioner_task_clinic_idx$/, undefined, 'manager');
    const own = await capture(`query { practitionerTasks(first: 50) { totalCount nodes { id } } }`, {}, 'practitioner');
    expect(own.data.practitionerTasks.totalCount).toBeGreaterThan(0);
    await expectIndexed(own.statements, 'practitioner_task', /^practitioner_task_open_idx$/, undefined, 'practitioner');
  });
});
