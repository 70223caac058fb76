import { createTestDatabase, type TestDatabase } from '@fascia/db/testing';
import type { DataSource } from 'typeorm';
import { createDataSource } from '@fascia/db';
import { hashPassword } from '../src/auth/passwords';
import { startApi } from '../src/server';
import { createOrgWithAdmin } from '../src/testing';
import { PASSWORD, SIGN_IN, TEST_SECRET, type GqlResult } from './harness';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}
const nodesOf = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodesOf)];

/**
 * EXPLAIN tests of the audit log and the delivery log at a realistic size: 320,000 audit events
 * (a year of one busy organization, 20,000 of them reads of several records, another
 * organization beside it) and 60,000 reminders,
 * ANALYZEd. Each search the API sends — captured from real GraphQL requests — is planned, as
 * fascia_app under row-level security, custom and generic, with an index led by the
 * organization and no sequential scan of the table.
 */
describe('audit log and delivery log at scale: the searches use indexes (EXPLAIN)', () => {
  let tdb: TestDatabase;
  let apiDs: DataSource;
  let stop: () => Promise<void>;
  let url: string;
  let token = '';
  let org = '';
  let userId = '';
  const actors: string[] = [];
  const sent: { sql: string; parameters: unknown[] }[] = [];

  beforeAll(async () => {
    tdb = await createTestDatabase();
    const email = `audit-admin-${Date.now()}@scale.example`;
    const ids = await createOrgWithAdmin(tdb.db, { orgName: 'Audit Scale', email, password: PASSWORD });
    org = ids.organizationId;
    userId = ids.userId;
    const rival = await createOrgWithAdmin(tdb.db, { orgName: 'Audit Rival', email: `rival-${Date.now()}@scale.example`, password: PASSWORD });
    const hash = await hashPassword(PASSWORD);
    for (let i = 0; i < 20; i++) {
      const [u] = await tdb.dataSource.query(`INSERT INTO app_user (email, display_name, password_hash, status) VALUES ($1, $2, $3, 'ACTIVE') RETURNING id`, [`staff${i}-${Date.now()}@scale.example`, `Staff ${i}`, hash]);
      actors.push(u.id);
    }
    // 250,000 events in the organization over a year: 20 people, 40 actions, 25,000 records, 2 % refused.
    await tdb.dataSource.query(
      `INSERT INTO audit_event (organization_id, actor_user_id, action, record_type, record_id, outcome, occurred_at)
       SELECT $1, ($2::uuid[])[1 + g % 20], 'action_' || (g % 40) || '.read', 'client',
              ('00000000-0000-4000-8000-' || lpad(to_hex(g % 25000), 12, '0'))::uuid,
              CASE WHEN g % 50 = 0 THEN 'DENIED' ELSE 'SUCCESS' END,
              timestamptz '2026-01-01' + make_interval(secs => g * 120)
       FROM generate_series(1, 250000) g`,
      [org, actors],
    );
    // 20,000 reads of several records (a chart's notes, a list's plans): one row each, carrying 12 ids (record_ids).
    await tdb.dataSource.query(
      `INSERT INTO audit_event (organization_id, actor_user_id, action, record_type, record_ids, outcome, occurred_at)
       SELECT $1, ($2::uuid[])[1 + g % 20], 'note.read', 'session_note',
              ARRAY(SELECT ('00000000-0000-4000-8000-' || lpad(to_hex((g * 12 + k) % 25000), 12, '0'))::uuid FROM generate_series(0, 11) k),
              'SUCCESS', timestamptz '2026-01-01' + make_interval(secs => g * 1500 + 7)
       FROM generate_series(1, 20000) g`,
      [org, actors],
    );
    await tdb.dataSource.query(
      `INSERT INTO audit_event (organization_id, actor_user_id, action, outcome, occurred_at)
       SELECT $1, $2, 'client.read', 'SUCCESS', timestamptz '2026-01-01' + make_interval(secs => g * 600) FROM generate_series(1, 50000) g`,
      [rival.organizationId, rival.userId],
    );
    // Reminders: 60,000 of 2,000 clients at one clinic.
    const [clinic] = await tdb.dataSource.query(
      `INSERT INTO clinic (organization_id, name, address_line1, city, country, time_zone, opening_hours) VALUES ($1, 'Scale Clinic', '1 Road', 'London', 'GB', 'Europe/London', '[]') RETURNING id`,
      [org],
    );
    await tdb.dataSource.query(
      `INSERT INTO client (organization_id, first_name, last_name, preferred_channels, reminder_consent)
       SELECT $1, 'Client', 'Number ' || g, ARRAY['EMAIL'], true FROM generate_series(1, 2000) g`,
      [org],
    );
    await tdb.dataSource.query(
      `WITH c AS (SELECT id, (row_number() OVER (ORDER BY id)) - 1 AS n FROM client WHERE organization_id = $1)
       INSERT INTO reminder (id, organization_id, clinic_id, kind, client_id, channel, due_at, send_at, status, delivery_key)
       SELECT gen_random_uuid(), $1, $2, 'HOME_CARE', c.id, 'EMAIL', timestamptz '2026-01-01' + make_interval(secs => g * 500), timestamptz '2026-01-01' + make_interval(secs => g * 500),
              (ARRAY['SENT','SENT','SENT','SKIPPED','FAILED','SCHEDULED'])[1 + (g % 6)], 'scale:' || g
       FROM generate_series(1, 60000) g JOIN c ON c.n = g % 2000`,
      [org, clinic.id],
    );
    await tdb.dataSource.query(`ANALYZE audit_event; ANALYZE reminder; ANALYZE client; ANALYZE app_user`);

    apiDs = createDataSource({ url: tdb.runtimeUrl, poolSize: 4, onQuery: (sql, parameters) => sent.push({ sql, parameters: parameters ?? [] }) });
    await apiDs.initialize();
    const running = await startApi({ databaseUrl: tdb.runtimeUrl, port: 0, appSecret: TEST_SECRET, logLevel: 'silent', dataSource: apiDs });
    url = running.url;
    stop = running.stop;
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: SIGN_IN, variables: { input: { email, password: PASSWORD } } }) });
    token = ((await res.json()) as GqlResult<any>).data?.signIn.accessToken;
    expect(token).toBeTruthy();
  }, 600_000);

  afterAll(async () => {
    await stop?.();
    if (apiDs?.isInitialized) await apiDs.destroy();
    await tdb?.drop();
  });

  async function capture(query: string, variables: Record<string, unknown>, table: string) {
    sent.length = 0;
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as GqlResult<any>;
    expect(body.errors).toBeUndefined();
    const statements = sent.filter((s) => /^\s*SELECT/i.test(s.sql) && new RegExp(`FROM ${table} `).test(s.sql));
    expect(statements.length).toBeGreaterThan(0);
    return statements;
  }

  /** The plan of a statement as the API runs it: fascia_app, in the organization, under RLS; custom or generic. */
  async function plan(s: { sql: string; parameters: unknown[] }, generic: boolean): Promise<PlanNode[]> {
    const q = tdb.dataSource.createQueryRunner();
    await q.connect();
    try {
      await q.startTransaction();
      await q.query(`SELECT set_config('role', 'fascia_app', true), set_config('fascia.org_id', $1, true), set_config('fascia.user_id', $2, true)`, [org, userId]);
      if (generic) await q.query(`SELECT set_config('plan_cache_mode', 'force_generic_plan', true)`);
      const name = `p_${Math.random().toString(36).slice(2)}`;
      await q.query(`PREPARE ${name} AS ${s.sql}`);
      const args = s.parameters.map((v) => (v instanceof Date ? `'${v.toISOString()}'` : typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`));
      const [row] = await q.query(`EXPLAIN (FORMAT JSON) EXECUTE ${name}${args.length ? `(${args.join(', ')})` : ''}`);
      return nodesOf(row['QUERY PLAN'][0].Plan);
    } finally {
      await q.rollbackTransaction();
      await q.release();
    }
  }

  async function expectIndexed(statements: { sql: string; parameters: unknown[] }[], table: string, index: RegExp) {
    for (const s of statements) {
      for (const generic of [false, true]) {
        const nodes = await plan(s, generic);
        const seq = nodes.filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === table);
        // A bitmap scan names its index on the Bitmap Index Scan node, which carries no relation (the
        // Bitmap Heap Scan above it does): the planner picks either, by the sampled statistics.
        const used = nodes.filter((n) => n['Index Name'] && (n['Relation Name'] === table || n['Node Type'] === 'Bitmap Index Scan')).map((n) => n['Index Name']);
        if (process.env.SHOW_PLANS) console.log(generic, s.sql, JSON.stringify(nodes.map((n) => [n['Node Type'], n['Relation Name'], n['Index Name']])));
        expect({ generic, seq: seq.length }).toEqual({ generic, seq: 0 });
        expect({ generic, used }).toEqual({ generic, used: expect.arrayContaining([expect.stringMatching(index)]) });
      }
    }
  }

  const AUDIT = `query A($filter: AuditEventFilter, $after: String) { auditEvents(filter: $filter, first: 50, after: $after) { totalCount nodes { id actor { email } } pageInfo { endCursor } } }`;

  it.each([
    ['the whole log', {}, /^audit_event_org_time_idx$/],
    ['one person', { actorUserId: 'actor' }, /^audit_event_org_actor_idx$/],
    ['one record', { recordId: '00000000-0000-4000-8000-000000000abc' }, /^audit_event_org_record_idx$/],
    // The same search's other arm: the reads of several records that carry the id (a bitmap OR of the two).
    ['one record, in reads of several records', { recordId: '00000000-0000-4000-8000-000000000abc' }, /^audit_event_org_record_ids_idx$/],
    ['one action', { action: 'action_7.read' }, /^audit_event_org_action_idx$/],
    ['refusals', { outcome: 'DENIED' }, /^audit_event_org_not_success_idx$/],
    ['a date range', { from: '2026-03-01T00:00:00Z', to: '2026-03-08T00:00:00Z' }, /^audit_event_org_time_idx$/],
  ])('audit search by %s', async (_label, filter, index) => {
    const f = { ...filter } as Record<string, unknown>;
    if (f.actorUserId) f.actorUserId = actors[3];
    const first = await capture(AUDIT, { filter: f }, 'audit_event');
    await expectIndexed(first, 'audit_event', index);
  });

  it('the CSV export of a month', async () => {
    const statements = await capture(`query E($filter: AuditEventFilter) { auditEventsCsv(filter: $filter) { rowCount } }`, { filter: { from: '2026-02-01T00:00:00Z', to: '2026-02-02T00:00:00Z' } }, 'audit_event');
    await expectIndexed(statements, 'audit_event', /^audit_event_org_time_idx$/);
  });

  const LOG = `query R($filter: ReminderLogFilter) { reminderLog(filter: $filter, first: 50) { totalCount nodes { id clientName clinicName } } }`;
  it.each([
    ['every reminder', {}, /^reminder_org_send_idx$/],
    // FAILED is a live status: the reconcile's partial index of live reminders serves it too.
    ['one status', { status: 'FAILED' }, /^reminder_(org_(status|send)|live_send)_idx$/],
  ])('delivery log: %s', async (_label, filter, index) => {
    await expectIndexed(await capture(LOG, { filter }, 'reminder'), 'reminder', index);
  });

  it('delivery log: one client', async () => {
    const [c] = await tdb.dataSource.query(`SELECT id FROM client WHERE organization_id = $1 LIMIT 1`, [org]);
    await expectIndexed(await capture(LOG, { filter: { clientId: c.id } }, 'reminder'), 'reminder', /^reminder_org_client_idx$/);
  });
});
