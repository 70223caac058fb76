import { AsyncLocalStorage } from 'node:async_hooks';
import { TEST_RUNTIME_LOGIN } from '@fascia/db/testing';
import type { Pool } from 'pg';
import { CREATE_CLINIC, clinicInput, codeOf, startTestApi, type TestApi } from './harness';
import { PROPOSE, intakeFor, member, newClient, practice, type Practice } from './intake-plan.fixtures';

/**
 * One transaction per GraphQL request (docs/architecture.md, "One transaction per request"):
 * the membership check, every service call and every DataLoader batch share it; a read's
 * audit events are one INSERT; a mutation step that fails leaves nothing; a refusal is still
 * audited; a COMMIT that fails is an error response; the connection is always given back.
 */
const CLINIC = `query C($id: ID!) { clinic(id: $id) { id name } }`;
const CLINICS = `query { clinics { nodes { id name } } }`;
const CLIENT = `query C($id: ID!) { client(id: $id) { id intakes { id } plans { id status } } }`;
const CALENDAR = `query Cal($clinicId: ID!, $from: String!) { calendar(clinicId: $clinicId, from: $from, days: 7) { appointments { id clientName practitioner { displayName } room { name } } } }`;

const isAuditInsert = (sql: string) => sql.startsWith('INSERT INTO "audit_event"');

describe('one transaction per request', () => {
  let t: TestApi;
  let p: Practice;

  const pool = (): Pool => (t.tdb.appDataSource.driver as unknown as { master: Pool }).master;
  /** Waits until `check` holds: on progress, with no deadline of its own (Jest's timeout is the backstop). */
  const until = async (check: () => Promise<boolean> | boolean): Promise<void> => {
    while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 10));
  };
  const poolIsIdle = () => pool().totalCount === pool().idleCount && pool().waitingCount === 0;

  beforeAll(async () => {
    t = await startTestApi();
    p = await practice(t, 'Round Trips');
    // Test-only triggers (the owner's): an audit INSERT that fails for a clinic named 'Boom'
    // (the step's second statement), and a deferred check that fails at COMMIT.
    await t.tdb.dataSource.query(`
      CREATE FUNCTION test_boom() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $f$
        BEGIN
          IF NEW.action = 'clinic.create' AND EXISTS (SELECT 1 FROM clinic WHERE id = NEW.record_id AND name = 'Boom') THEN
            RAISE EXCEPTION 'boom';
          END IF;
          RETURN NEW;
        END $f$;
      CREATE TRIGGER test_boom BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION test_boom();
      CREATE FUNCTION test_fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
          IF NEW.name = 'Fails at commit' THEN RAISE EXCEPTION 'refused at commit'; END IF;
          RETURN NULL;
        END $f$;
      CREATE CONSTRAINT TRIGGER test_fail_at_commit AFTER INSERT ON clinic DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW EXECUTE FUNCTION test_fail_at_commit();
    `);
  });
  afterAll(() => t.stop());

  it('answers a one-row read in 4 statements: BEGIN, session setup with the membership check, the read, COMMIT', async () => {
    t.tdb.queries.length = 0;
    const res = await t.gql(CLINIC, { id: p.clinicId }, p.admin.token);
    expect(res.errors).toBeUndefined();
    expect(res.data?.clinic.id).toBe(p.clinicId);
    expect(t.tdb.queries[0]).toBe('START TRANSACTION');
    expect(t.tdb.queries[1]).toMatch(/fascia_tenant_session/);
    expect(t.tdb.queries[t.tdb.queries.length - 1]).toBe('COMMIT');
    expect(t.tdb.queries.length).toBeLessThanOrEqual(4);
  });

  it('answers the clients page in 4 statements: its rows and capped count are one prepared statement (no query builder)', async () => {
    await newClient(t, p.admin.token, {});
    for (const variables of [{}, { search: 'numb' }]) {
      t.tdb.queries.length = 0;
      const res = await t.gql(`query P($search: String) { clients(first: 5, search: $search) { totalCount nodes { id lastName } pageInfo { endCursor } } }`, variables, p.admin.token);
      expect(res.errors).toBeUndefined();
      expect(t.tdb.queries.length).toBeLessThanOrEqual(4);
      const page = t.tdb.queries.filter((q) => q.includes('FROM "client" c'));
      expect(page).toHaveLength(1);
      expect(page[0]).toMatch(/AS "__capped_total"/);
    }
    // Past the end (no row to carry the count): the count alone, a fifth statement.
    t.tdb.queries.length = 0;
    const none = await t.gql(`query { clients(first: 5, search: "zzqx") { totalCount nodes { id } } }`, {}, p.admin.token);
    expect(none.data?.clients).toEqual({ totalCount: 0, nodes: [] });
    expect(t.tdb.queries.filter((q) => q.includes('FROM "client" c'))).toHaveLength(2);
  });

  it('builds a request’s DataLoaders on first use, once (none for a request without a tenant)', async () => {
    const ctx = await t.api.contextFor({ authorization: `Bearer ${p.admin.token}` });
    expect(ctx.tenant?.userId).toBe(p.admin.userId);
    // Apollo hands resolvers a copy (ApolloServer's cloneObject): copying must not build the loaders, and the copy shares them.
    const copy = Object.assign(Object.create(Object.getPrototypeOf(ctx)), ctx) as typeof ctx;
    expect(Object.getOwnPropertyDescriptor(copy, 'loaders')).toBeUndefined();
    const loaders = copy.loaders;
    expect(loaders?.clinicById).toBeDefined();
    expect(copy.loaders).toBe(loaders);
    expect(ctx.loaders).toBe(loaders);
    expect((await t.api.contextFor({})).loaders).toBeNull();
  });

  it('reads one client in 4 statements, also for a member limited to clinics (the reachability check rides on the read)', async () => {
    const clientId = await newClient(t, p.admin.token, { clinicIds: [p.clinicId] });
    const manager = await member(t, p.organizationId, 'CLINIC_MANAGER', [p.clinicId]);
    const elsewhere = await member(t, p.organizationId, 'CLINIC_MANAGER', [(await t.gql(CREATE_CLINIC, { input: clinicInput() }, p.admin.token)).data?.createClinic.id]);
    for (const who of [p.admin, manager]) {
      t.tdb.queries.length = 0;
      const res = await t.gql(`query C($id: ID!) { client(id: $id) { id } }`, { id: clientId }, who.token);
      expect(res.data?.client?.id).toBe(clientId);
      expect(t.tdb.queries.length).toBeLessThanOrEqual(4);
    }
    // Out of reach: null, and the refusal audited (its INSERT is the request's one audit statement).
    t.tdb.queries.length = 0;
    expect((await t.gql(`query C($id: ID!) { client(id: $id) { id } }`, { id: clientId }, elsewhere.token)).data?.client).toBeNull();
    expect(t.tdb.queries.filter(isAuditInsert)).toHaveLength(1);
    const [{ n }] = await t.tdb.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'client.read' AND outcome = 'DENIED' AND actor_user_id = $1`, [elsewhere.userId]);
    expect(n).toBe(1);
  });

  it('writes the audit of a read as one statement however many records it touched', async () => {
    const clientId = await newClient(t, p.frontDesk.token);
    for (let i = 0; i < 3; i++) {
      const intakeId = await intakeFor(t, p, clientId);
      expect((await t.gql(PROPOSE, { intakeId }, p.therapist.token)).errors).toBeUndefined();
    }
    t.tdb.queries.length = 0;
    const res = await t.gql(CLIENT, { id: clientId }, p.therapist.token);
    expect(res.errors).toBeUndefined();
    expect(res.data?.client.intakes).toHaveLength(3);
    expect(res.data?.client.plans).toHaveLength(3);
    expect(t.tdb.queries.filter(isAuditInsert)).toHaveLength(1);
    expect(t.tdb.queries.filter((q) => q === 'START TRANSACTION')).toHaveLength(1);
    // … and one row per kind of record read, carrying the ids of every one (was one row per record: 6).
    const rows = await t.tdb.dataSource.query(
      `SELECT action, cardinality(record_ids) AS n, record_id FROM audit_event WHERE organization_id = $1 AND action IN ('intake.read', 'plan.read') AND occurred_at > now() - interval '1 hour'
         AND request_id = (SELECT request_id FROM audit_event WHERE action = 'plan.read' AND organization_id = $1 ORDER BY occurred_at DESC LIMIT 1) ORDER BY action`,
      [p.organizationId],
    );
    expect(rows).toEqual([
      { action: 'intake.read', n: 3, record_id: null },
      { action: 'plan.read', n: 3, record_id: null },
    ]);
  });

  it('keeps the calendar within 5 statements: BEGIN, session, the clinic, the appointments with their client, practitioner and room, COMMIT', async () => {
    t.tdb.queries.length = 0;
    const res = await t.gql(CALENDAR, { clinicId: p.clinicId, from: '2026-03-02' }, p.admin.token);
    expect(res.errors).toBeUndefined();
    expect(t.tdb.queries.length).toBeLessThanOrEqual(5);
  });

  it('leaves nothing of a mutation step that fails halfway, and keeps the steps before it', async () => {
    const res = await t.gql(
      `mutation Two($a: CreateClinicInput!, $b: CreateClinicInput!) { a: createClinic(input: $a) { id } b: createClinic(input: $b) { id } }`,
      { a: clinicInput({ name: 'Kept' }), b: clinicInput({ name: 'Boom' }) },
      p.admin.token,
    );
    // createClinic is non-null, so the failed field nulls `data`: the first field committed all the same.
    expect(res.errors?.map((e) => (e as { path?: unknown }).path)).toEqual([['b']]);
    // The second step inserted its clinic, then its audit event failed: the savepoint took the clinic back.
    const names = (await t.tdb.dataSource.query(`SELECT name FROM clinic WHERE organization_id = $1 AND name IN ('Kept', 'Boom')`, [p.organizationId])).map(
      (r: { name: string }) => r.name,
    );
    expect(names).toEqual(['Kept']);
    const [{ n }] = await t.tdb.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event a JOIN clinic c ON c.id = a.record_id WHERE a.action = 'clinic.create' AND c.name IN ('Kept', 'Boom')`,
    );
    expect(n).toBe(1);
  });

  it('keeps the DENIED audit event of a refused read and of a refused mutation', async () => {
    const elsewhere = (await t.gql(CREATE_CLINIC, { input: clinicInput({ name: 'Out of reach' }) }, p.admin.token)).data?.createClinic.id;
    const manager = await member(t, p.organizationId, 'CLINIC_MANAGER', [p.clinicId]);
    const denied = async () =>
      (await t.tdb.dataSource.query(`SELECT action FROM audit_event WHERE actor_user_id = $1 AND outcome = 'DENIED' ORDER BY occurred_at`, [manager.userId])).map(
        (r: { action: string }) => r.action,
      );

    const read = await t.gql(CALENDAR, { clinicId: elsewhere, from: '2026-03-02' }, manager.token);
    expect(codeOf(read)).toBe('FORBIDDEN');
    expect(await denied()).toEqual(['calendar.read']);

    // A client registered nowhere the manager reaches: updating it is refused after the step read it.
    const unreachable = await newClient(t, p.admin.token);
    const write = await t.gql(`mutation U($id: ID!, $input: UpdateClientInput!) { updateClient(id: $id, input: $input) { id } }`, { id: unreachable, input: { firstName: 'Changed' } }, manager.token);
    expect(codeOf(write)).toBe('FORBIDDEN');
    expect(await denied()).toEqual(['calendar.read', 'client.update']);
    const [{ firstName }] = await t.tdb.dataSource.query(`SELECT first_name AS "firstName" FROM client WHERE id = $1`, [unreachable]);
    expect(firstName).not.toBe('Changed');
  });

  it('answers with an error, and keeps nothing, when the COMMIT fails', async () => {
    const res = await t.gql(CREATE_CLINIC, { input: clinicInput({ name: 'Fails at commit' }) }, p.admin.token);
    expect(res.data ?? null).toBeNull();
    expect(codeOf(res)).toBe('INTERNAL_SERVER_ERROR');
    expect(res.errors?.[0].message).toMatch(/nothing was saved/);
    const [{ n }] = await t.tdb.dataSource.query(`SELECT count(*)::int AS n FROM clinic WHERE name = 'Fails at commit'`);
    expect(n).toBe(0);
    const [{ audits }] = await t.tdb.dataSource.query(
      `SELECT count(*)::int AS audits FROM audit_event a WHERE action = 'clinic.create' AND NOT EXISTS (SELECT 1 FROM clinic c WHERE c.id = a.record_id)`,
    );
    expect(audits).toBe(0);
    expect(poolIsIdle()).toBe(true);
  });

  it('gives concurrent requests a transaction each, in their own organization', async () => {
    const other = await practice(t, 'Other Org');
    t.tdb.queries.length = 0;
    const calls = Array.from({ length: 12 }, (_, i) => (i % 2 ? { token: other.admin.token, org: other } : { token: p.admin.token, org: p }));
    const results = await Promise.all(calls.map((c) => t.gql(CLINICS, {}, c.token)));
    for (const [i, res] of results.entries()) {
      expect(res.errors).toBeUndefined();
      const ids = res.data?.clinics.nodes.map((n: { id: string }) => n.id);
      expect(ids).toContain(calls[i].org.clinicId);
      expect(ids).not.toContain((i % 2 ? p : other).clinicId);
    }
    expect(t.tdb.queries.filter((q) => q === 'START TRANSACTION')).toHaveLength(12);
    expect(t.tdb.queries.filter((q) => q === 'COMMIT')).toHaveLength(12);
    await until(poolIsIdle);
  });

  it('releases the connection of a request whose client went away', async () => {
    const lock = t.tdb.dataSource.createQueryRunner();
    await lock.connect();
    const aborts: AbortController[] = [];
    const sent: Promise<unknown>[] = [];
    try {
      // Hold the clinic table so the requests stop inside their transactions.
      await lock.startTransaction();
      await lock.query('LOCK TABLE clinic IN ACCESS EXCLUSIVE MODE');
      for (let i = 0; i < 5; i++) {
        const abort = new AbortController();
        aborts.push(abort);
        sent.push(
          fetch(`${t.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${p.admin.token}` },
            body: JSON.stringify({ query: CLINICS }),
            signal: abort.signal,
          }).catch((err: unknown) => err),
        );
      }
      // Every request holds its connection, stopped at the lock.
      await until(async () => {
        const [{ n }] = await lock.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND usename = $1 AND wait_event_type = 'Lock'`, [
          TEST_RUNTIME_LOGIN.role,
        ]);
        return n > 0 && pool().totalCount - pool().idleCount === 5;
      });
      for (const a of aborts) a.abort();
      // The client gave up before any answer (an AbortError, from fetch's own realm).
      expect((await Promise.all(sent)).map((r) => (r as { name?: string }).name)).toEqual(Array(5).fill('AbortError'));
    } finally {
      await lock.commitTransaction();
      await lock.release();
    }
    await until(poolIsIdle);
    expect(pool().totalCount).toBe(pool().idleCount);
  });
  it('uses no AsyncLocalStorage: the request scope travels with the tenant (on Node 20 its promise hooks made every await of the process 10× dearer)', async () => {
    const run = jest.spyOn(AsyncLocalStorage.prototype, 'run');
    const enterWith = jest.spyOn(AsyncLocalStorage.prototype, 'enterWith');
    try {
      const read = await t.gql(CLIENT, { id: await newClient(t, p.admin.token, {}) }, p.admin.token);
      expect(read.errors).toBeUndefined();
      const write = await t.gql(CREATE_CLINIC, { input: clinicInput() }, p.admin.token);
      expect(write.errors).toBeUndefined();
      expect(run).not.toHaveBeenCalled();
      expect(enterWith).not.toHaveBeenCalled();
    } finally {
      run.mockRestore();
      enterWith.mockRestore();
    }
  });
});
