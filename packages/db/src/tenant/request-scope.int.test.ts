import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createTestDatabase, TEST_RUNTIME_LOGIN, type TestDatabase } from '../testing';
import { Membership, Organization, User } from '../entities';
import { preparedQuery } from './prepared';
import { RequestCommitError, runInRequestScope } from './request-scope';
import { Db, type TenantTx } from './tenant-scope';

/** The request scope on its own (the API's use is tested in apps/api/test/request-transaction.test.ts). */
describe('RequestScope: one transaction per request', () => {
  let t: TestDatabase;
  let db: Db;
  let org: string;
  let otherOrg: string;
  let user: string;
  const txid = (tx: TenantTx) => tx.em.query('SELECT txid_current()::text AS id').then((r: { id: string }[]) => r[0].id);
  const auditsOf = async (requestId: string) =>
    (await t.dataSource.query(`SELECT action, outcome FROM audit_event WHERE request_id = $1 ORDER BY action`, [requestId])) as { action: string; outcome: string }[];
  const starts = () => t.queries.filter((q) => q === 'START TRANSACTION').length;
  const pool = (): Pool => (t.appDataSource.driver as unknown as { master: Pool }).master;

  beforeAll(async () => {
    t = await createTestDatabase();
    db = new Db(t.appDataSource);
    const slug = randomUUID().slice(0, 8);
    org = (await t.dataSource.getRepository(Organization).save({ name: 'Scope Clinic', slug: `scope-${slug}` })).id;
    otherOrg = (await t.dataSource.getRepository(Organization).save({ name: 'Other Clinic', slug: `other-${slug}` })).id;
    user = (await t.dataSource.getRepository(User).save({ email: `scope-${slug}@example.org`, displayName: 'Scope', status: 'ACTIVE', lastSignInAt: null })).id;
    await t.dataSource.getRepository(Membership).insert({ organizationId: org, userId: user, role: 'ORG_ADMIN', clinicIds: [], status: 'ACTIVE' });
  });
  afterAll(() => t.drop());

  it('sets up the session and checks the membership in one statement, in a request or not', async () => {
    expect(await db.tenantSession({ organizationId: org, userId: user })).toEqual([{ role: 'ORG_ADMIN', clinicIds: [] }]);
    expect(await db.tenantSession({ organizationId: otherOrg, userId: user })).toEqual([]);
    const requestId = randomUUID();
    await runInRequestScope(db, async (scope) => {
      t.queries.length = 0;
      expect(await db.tenantSession({ organizationId: org, userId: user, requestId }, scope)).toHaveLength(1);
      expect(t.queries).toEqual(['START TRANSACTION', expect.stringMatching(/fascia_tenant_session/)]);
      // Row-level security holds after the switch: the other organization is invisible.
      const seen = await db.tenant({ organizationId: org, userId: user }, (tx) => tx.em.query(`SELECT current_user AS role, count(*)::int AS orgs FROM organization`));
      expect(seen).toEqual([{ role: 'fascia_app', orgs: 1 }]);
      await scope.commit();
    });
  });

  it('runs every call for the same organization and user in the one transaction; others keep their own', async () => {
    const tenant = { organizationId: org, userId: user, requestId: randomUUID() };
    await runInRequestScope(db, async (scope) => {
      await db.tenantSession(tenant, scope);
      t.queries.length = 0;
      const [a, b] = await Promise.all([db.tenant(tenant, txid), db.tenant(tenant, txid)]);
      expect(a).toBe(b);
      expect(starts()).toBe(0);
      const other = await db.tenant({ organizationId: otherOrg, userId: null }, txid);
      expect(other).not.toBe(a);
      expect(starts()).toBe(1);
      await scope.commit();
    });
    expect(pool().idleCount).toBe(pool().totalCount);
  });

  it('collects the audit events of a read and inserts them with one statement before COMMIT', async () => {
    const tenant = { organizationId: org, userId: user, requestId: randomUUID() };
    await runInRequestScope(db, async (scope) => {
      await db.tenantSession(tenant, scope);
      t.queries.length = 0;
      await Promise.all([
        db.tenant(tenant, (tx) => tx.auditMany([{ action: 'a.read' }, { action: 'b.read' }])),
        db.tenant(tenant, (tx) => tx.audit({ action: 'c.read' })),
      ]);
      expect(t.queries).toEqual([]);
      await scope.commit();
      expect(t.queries.map((q) => q.slice(0, 25))).toEqual(['INSERT INTO "audit_event"', 'COMMIT']);
    });
    expect((await auditsOf(tenant.requestId)).map((a) => a.action)).toEqual(['a.read', 'b.read', 'c.read']);
  });

  it("writes a read of several records as one row carrying their ids, one per action and record type in a request; writes stay one row per record", async () => {
    const ids = Array.from({ length: 5 }, () => randomUUID());
    const [n1, n2, n3, i1, w1] = ids;
    const rowsOf = async (requestId: string) =>
      (await t.dataSource.query(`SELECT action, record_type, record_id, record_ids FROM audit_event WHERE request_id = $1 ORDER BY action, record_id`, [requestId])) as {
        action: string;
        record_type: string | null;
        record_id: string | null;
        record_ids: string[] | null;
      }[];
    // Twice: the first audited read on a connection runs the INSERT with parameters, the next as EXECUTE …; COMMIT.
    for (const pass of [1, 2]) {
      const tenant = { organizationId: org, userId: user, requestId: randomUUID() };
      await runInRequestScope(db, async (scope) => {
        await db.tenantSession(tenant, scope);
        await Promise.all([
          // Two loader batches of notes and a chart's: one note.read row, each id once.
          db.tenant(tenant, (tx) => tx.auditRead('note.read', 'session_note', [n1, n2])),
          db.tenant(tenant, (tx) => tx.auditRead('note.read', 'session_note', [n2, n3])),
          // A read of one record alone keeps the single-record shape.
          db.tenant(tenant, (tx) => tx.auditRead('intake.read', 'intake', [i1])),
          db.tenant(tenant, (tx) => tx.auditRead('plan.read', 'plan', [])),
          db.tenant(tenant, (tx) => tx.audit({ action: 'chart.read', recordType: 'client', recordId: w1, detail: { notes: 3 } })),
        ]);
        t.queries.length = 0;
        await scope.commit();
        expect(t.queries.filter((q) => q.startsWith('INSERT INTO "audit_event"'))).toHaveLength(1);
      });
      expect(await rowsOf(tenant.requestId)).toEqual([
        { action: 'chart.read', record_type: 'client', record_id: w1, record_ids: null },
        { action: 'intake.read', record_type: 'intake', record_id: i1, record_ids: null },
        { action: 'note.read', record_type: 'session_note', record_id: null, record_ids: [n1, n2, n3] },
      ]);
      expect(pass).toBeGreaterThan(0);
    }
    // Outside a request (the worker, direct calls): the same shape, inserted at once.
    const direct = { organizationId: org, userId: user, requestId: randomUUID() };
    await db.tenant(direct, (tx) => tx.auditRead('note.read', 'session_note', [n1, n3]));
    expect(await rowsOf(direct.requestId)).toEqual([{ action: 'note.read', record_type: 'session_note', record_id: null, record_ids: [n1, n3] }]);
    // Writes: one event per changed record, as before, even with the same action.
    const write = { organizationId: org, userId: user, requestId: randomUUID() };
    await db.tenant(write, (tx) =>
      tx.auditMany([
        { action: 'appointment.book', recordType: 'appointment', recordId: n1 },
        { action: 'appointment.book', recordType: 'appointment', recordId: n2 },
      ]),
    );
    expect((await rowsOf(write.requestId)).map((r) => [r.record_id, r.record_ids])).toEqual([n1, n2].sort().map((id) => [id, null]));
    // A read's ids are uuids (they go into an array literal): anything else is refused before it is sent.
    await expect(db.tenant(write, (tx) => tx.auditRead('note.read', 'session_note', [n1, 'x}, {y']))).rejects.toThrow(/must be a uuid/);
    // The table keeps the two shapes apart.
    await expect(
      t.dataSource.query(`INSERT INTO audit_event (organization_id, action, outcome, record_id, record_ids) VALUES ($1, 'x.read', 'SUCCESS', $2, ARRAY[$2, $3]::uuid[])`, [org, n1, n2]),
    ).rejects.toThrow(/audit_event_record_ids_shape/);
  });

  it('gives audit rows time-ordered ids (UUID v7: the time in the first 48 bits), so they append to the primary key', async () => {
    const ids = async (requestId: string) =>
      ((await t.dataSource.query(`SELECT id FROM audit_event WHERE request_id = $1`, [requestId])) as { id: string }[]).map((r) => r.id);
    const msOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    const first = { organizationId: org, userId: user, requestId: randomUUID() };
    const before = Date.now();
    await runInRequestScope(db, async (scope) => {
      await db.tenant(first, (tx) => tx.auditMany(Array.from({ length: 20 }, (_, i) => ({ action: `v7.read.${i}` }))));
      await scope.commit();
    });
    const firstIds = await ids(first.requestId);
    expect(firstIds).toHaveLength(20);
    for (const id of firstIds) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      // The database's clock and this process's are the same machine's; a minute either way for slack.
      expect(Math.abs(msOf(id) - before)).toBeLessThan(60_000);
    }
    expect(new Set(firstIds).size).toBe(20);
    // A later request's ids sort after the earlier one's (the millisecond prefix has moved on).
    const second = { organizationId: org, userId: user, requestId: randomUUID() };
    const newest = Math.max(...firstIds.map(msOf));
    while (Date.now() <= newest) await new Promise((r) => setTimeout(r, 1));
    await runInRequestScope(db, async (scope) => {
      await db.tenant(second, (tx) => tx.audit({ action: 'v7.later' }));
      await scope.commit();
    });
    const [later] = await ids(second.requestId);
    expect(firstIds.every((id) => id < later)).toBe(true);
  });

  it('sends a read’s audit INSERT (prepared) and its COMMIT in one round trip, and stores every value as given', async () => {
    // Round trips: messages sent by the pooled connections' query() while the request commits.
    let sent = 0;
    const counted = new WeakSet<object>();
    const count = (client: { query: (...args: unknown[]) => unknown }) => {
      if (counted.has(client)) return;
      counted.add(client);
      const query = client.query.bind(client);
      client.query = (...args: unknown[]) => {
        sent++;
        return query(...args);
      };
    };
    pool().on('acquire', count);
    const awkward = `O'Brien \\ "quoted" \\' é ✓ 😀 \n--;COMMIT`;
    const tenant = { organizationId: org, userId: user, requestId: randomUUID(), correlationId: `c'\\x`, sourceAddress: '203.0.113.9' };
    const recordId = randomUUID();
    // The first audited read on a connection prepares the INSERT (two round trips, as before);
    // the pool hands the same idle connection back to the next request.
    const warm = { ...tenant, requestId: randomUUID() };
    await runInRequestScope(db, async (scope) => {
      await db.tenantSession(warm, scope);
      await db.tenant(warm, (tx) => tx.auditMany([{ action: 'warm.read' }, { action: 'warm.read' }]));
      await scope.commit();
    });
    try {
      await runInRequestScope(db, async (scope) => {
        await db.tenantSession(tenant, scope);
        await db.tenant(tenant, (tx) =>
          tx.auditMany([
            { action: 'a.read', recordType: 'client', recordId, detail: { text: awkward, n: 3, list: [1, null, 'x'], nested: { ok: true } } },
            { action: 'b.read', recordType: null, recordId: null, detail: null },
            { action: 'c.read', outcome: 'DENIED' },
          ]),
        );
        t.queries.length = 0;
        sent = 0;
        await scope.commit();
        expect(t.queries.map((q) => q.slice(0, 25))).toEqual(['INSERT INTO "audit_event"', 'COMMIT']);
        expect(sent).toBe(1);
      });
    } finally {
      pool().off('acquire', count);
    }
    const rows = await t.dataSource.query(
      `SELECT action, record_type, record_id, outcome, detail, organization_id, actor_user_id, correlation_id, source_address FROM audit_event WHERE request_id = $1 ORDER BY action`,
      [tenant.requestId],
    );
    const who = { organization_id: org, actor_user_id: user, correlation_id: tenant.correlationId, source_address: tenant.sourceAddress };
    expect(rows).toEqual([
      { action: 'a.read', record_type: 'client', record_id: recordId, outcome: 'SUCCESS', detail: { text: awkward, n: 3, list: [1, null, 'x'], nested: { ok: true } }, ...who },
      { action: 'b.read', record_type: null, record_id: null, outcome: 'SUCCESS', detail: null, ...who },
      { action: 'c.read', record_type: null, record_id: null, outcome: 'DENIED', detail: null, ...who },
    ]);
    expect(pool().idleCount).toBe(pool().totalCount);
  });

  it('fails the request, and keeps nothing of it, when the audit INSERT sent with the COMMIT fails', async () => {
    const tenant = { organizationId: org, userId: user, requestId: randomUUID() };
    await runInRequestScope(db, async (scope) => {
      await db.tenantSession(tenant, scope);
      // Something the read wrote besides its audit, which must not commit without it.
      await db.tenant(tenant, (tx) => tx.em.query(`INSERT INTO audit_event (organization_id, action, request_id, outcome) VALUES ($1, 'written.before', $2, 'SUCCESS')`, [org, tenant.requestId]));
      await db.tenant(tenant, (tx) => tx.auditMany([{ action: 'good.read' }, { action: 'bad.read', recordId: 'not-a-uuid' }]));
      await expect(scope.commit()).rejects.toBeInstanceOf(RequestCommitError);
      expect(scope.isOpen).toBe(false);
    });
    expect(await auditsOf(tenant.requestId)).toEqual([]);
    expect(pool().idleCount).toBe(pool().totalCount);
  });

  it('keeps an event holding a lone surrogate (as U+FFFD), through the INSERT with parameters', async () => {
    const tenant = { organizationId: org, userId: user, requestId: randomUUID() };
    await runInRequestScope(db, async (scope) => {
      await db.tenantSession(tenant, scope);
      await db.tenant(tenant, (tx) => tx.auditMany([{ action: 'odd.read', recordType: 'a\ud800b' }, { action: 'plain.read' }]));
      await scope.commit();
    });
    const rows = await t.dataSource.query(`SELECT action, record_type FROM audit_event WHERE request_id = $1 ORDER BY action`, [tenant.requestId]);
    expect(rows).toEqual([
      { action: 'odd.read', record_type: 'a\ufffdb' },
      { action: 'plain.read', record_type: null },
    ]);
  });

  it('runs a mutation’s calls one after another, each in a savepoint: a failed one leaves nothing, the others stay', async () => {
    const tenant = { organizationId: org, userId: user, requestId: randomUUID() };
    await runInRequestScope(db, async (scope) => {
      await db.tenantSession(tenant, scope);
      scope.mode = 'write';
      const order: string[] = [];
      const first = db.tenant(tenant, async (tx) => {
        order.push('first:start');
        await tx.audit({ action: 'first.write' });
        // A call made inside a step joins it (no savepoint of its own, no waiting on itself).
        expect(await db.tenant(tenant, txid)).toBe(await txid(tx));
        order.push('first:end');
      });
      const failing = db.tenant(tenant, async (tx) => {
        order.push('failing:start');
        await tx.audit({ action: 'failing.write' });
        throw new Error('halfway');
      });
      await first;
      await expect(failing).rejects.toThrow('halfway');
      await db.tenant(tenant, (tx) => tx.audit({ action: 'third.write' }));
      expect(order).toEqual(['first:start', 'first:end', 'failing:start']);
      await scope.commit();
    });
    expect((await auditsOf(tenant.requestId)).map((a) => a.action)).toEqual(['first.write', 'third.write']);
  });

  it('in a mutation, a call made while a step runs joins it (no savepoint of its own), and the step ends after it', async () => {
    const tenant = { organizationId: org, userId: user, requestId: randomUUID() };
    await runInRequestScope(db, async (scope) => {
      await db.tenantSession(tenant, scope);
      scope.mode = 'write';
      let started!: () => void;
      const stepStarted = new Promise<void>((resolve) => (started = resolve));
      let joinedStarted!: () => void;
      const joinedIsIn = new Promise<void>((resolve) => (joinedStarted = resolve));
      t.queries.length = 0;
      const step = db.tenant(tenant, async (tx) => {
        started();
        await joinedIsIn;
        return txid(tx);
      });
      await stepStarted;
      // Not called from inside the step: made while it runs (a field loading meanwhile).
      const joined = db.tenant(tenant, async (tx) => {
        joinedStarted();
        await tx.em.query(`SELECT 'joined' AS x`);
        return txid(tx);
      });
      const [a, b] = await Promise.all([step, joined]);
      expect(a).toBe(b);
      const sent = t.queries.map((q) => q.replace(/typeorm_\d+/, 'sp'));
      expect(sent.filter((q) => q.includes('SAVEPOINT'))).toEqual(['SAVEPOINT sp', 'RELEASE SAVEPOINT sp']);
      expect(sent.indexOf(`SELECT 'joined' AS x`)).toBeLessThan(sent.indexOf('RELEASE SAVEPOINT sp'));
      await scope.commit();
    });
  });

  it('keeps a refusal’s DENIED event: after the savepoint in a mutation, with the events in a read', async () => {
    const denial = () => Object.assign(new Error('refused'), { deniedAudit: { action: 'thing.update', recordType: 'thing', recordId: randomUUID() } });
    for (const mode of ['write', 'read'] as const) {
      const tenant = { organizationId: org, userId: user, requestId: randomUUID() };
      await runInRequestScope(db, async (scope) => {
        await db.tenantSession(tenant, scope);
        scope.mode = mode;
        await expect(
          db.tenant(tenant, async (tx) => {
            await tx.audit({ action: 'thing.partial' });
            throw denial();
          }),
        ).rejects.toThrow('refused');
        await scope.commit();
      });
      const expected = mode === 'write' ? [{ action: 'thing.update', outcome: 'DENIED' }] : [{ action: 'thing.partial', outcome: 'SUCCESS' }, { action: 'thing.update', outcome: 'DENIED' }];
      expect(await auditsOf(tenant.requestId)).toEqual(expected);
    }
  });

  it('refuses to commit a mutation whose transaction was lost, and still records its refusals', async () => {
    const tenant = { organizationId: org, userId: user, requestId: randomUUID() };
    await runInRequestScope(db, async (scope) => {
      await db.tenantSession(tenant, scope);
      scope.mode = 'write';
      await db
        .tenant(tenant, async (tx) => {
          await tx.audit({ action: 'refused.write' });
          throw Object.assign(new Error('refused'), { deniedAudit: { action: 'other.write' } });
        })
        .catch(() => undefined);
      await db.tenant(tenant, (tx) => tx.audit({ action: 'kept.write' }));
      // The connection is lost (here: the server ends the session) before COMMIT.
      await t.dataSource.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND usename = $1 AND state LIKE 'idle in transaction%'`, [
        TEST_RUNTIME_LOGIN.role,
      ]);
      await expect(scope.commit()).rejects.toBeInstanceOf(RequestCommitError);
      expect(scope.isOpen).toBe(false);
    });
    expect(await auditsOf(tenant.requestId)).toEqual([{ action: 'other.write', outcome: 'DENIED' }]);
  });

  it('rolls back a read a failed statement aborted, and writes its audit events all the same', async () => {
    const tenant = { organizationId: org, userId: user, requestId: randomUUID() };
    await runInRequestScope(db, async (scope) => {
      await db.tenantSession(tenant, scope);
      await db
        .tenant(tenant, async (tx) => {
          await tx.audit({ action: 'before.read' });
          throw Object.assign(new Error('refused'), { deniedAudit: { action: 'other.read' } });
        })
        .catch(() => undefined);
      await expect(db.tenant(tenant, (tx) => tx.em.query('SELECT 1/0'))).rejects.toThrow(/division by zero/);
      // Everything after it in the transaction fails too; its audit events are only collected.
      await expect(db.tenant(tenant, (tx) => tx.em.query('SELECT 1'))).rejects.toThrow(/aborted/);
      await db.tenant(tenant, (tx) => tx.audit({ action: 'after.read' }));
      t.queries.length = 0;
      await scope.commit();
      expect(t.queries.filter((q) => q.startsWith('INSERT INTO "audit_event"'))).toHaveLength(1);
    });
    expect(await auditsOf(tenant.requestId)).toEqual([
      { action: 'after.read', outcome: 'SUCCESS' },
      { action: 'before.read', outcome: 'SUCCESS' },
      { action: 'other.read', outcome: 'DENIED' },
    ]);
    expect(pool().idleCount).toBe(pool().totalCount);
  });

  it('queues prepared statements with the others, and a failed one marks the transaction aborted like any statement', async () => {
    const tenant = { organizationId: org, userId: user, requestId: randomUUID() };
    await runInRequestScope(db, async (scope) => {
      await db.tenantSession(tenant, scope);
      // Concurrent prepared and plain statements on the one connection: sent one at a time, each answered.
      const answers = await Promise.all([
        db.tenant(tenant, (tx) => preparedQuery<{ n: number }>(tx.em, 'SELECT $1::int AS n', [1])),
        db.tenant(tenant, (tx) => tx.em.query('SELECT 2 AS n')),
        db.tenant(tenant, (tx) => preparedQuery<{ n: number }>(tx.em, 'SELECT $1::int AS n', [3])),
      ]);
      expect(answers.map((rows) => (rows as { n: number }[])[0].n)).toEqual([1, 2, 3]);
      await db.tenant(tenant, (tx) => tx.audit({ action: 'before.read' }));
      await expect(db.tenant(tenant, (tx) => preparedQuery(tx.em, 'SELECT 1/$1::int AS n', [0]))).rejects.toThrow(/division by zero/);
      // Known as aborted: the read is rolled back and its audit events written on their own.
      await scope.commit();
    });
    expect(await auditsOf(tenant.requestId)).toEqual([{ action: 'before.read', outcome: 'SUCCESS' }]);
    expect(pool().idleCount).toBe(pool().totalCount);
  });

  it('rolls back what a request left uncommitted and gives its connection back', async () => {
    const tenant = { organizationId: org, userId: user, requestId: randomUUID() };
    await expect(
      runInRequestScope(db, async (scope) => {
        await db.tenantSession(tenant, scope);
        await db.tenant(tenant, (tx) => tx.em.query(`INSERT INTO audit_event (organization_id, action, request_id, outcome) VALUES ($1, 'never.kept', $2, 'SUCCESS')`, [org, tenant.requestId]));
        throw new Error('the request failed');
      }),
    ).rejects.toThrow('the request failed');
    expect(await auditsOf(tenant.requestId)).toEqual([]);
    expect(pool().idleCount).toBe(pool().totalCount);
  });

  it('outside a request (the worker, direct calls) gives each call its own transaction, as before', async () => {
    const tenant = { organizationId: org, userId: user };
    t.queries.length = 0;
    const [a, b] = await Promise.all([db.tenant(tenant, txid), db.tenant(tenant, txid)]);
    expect(a).not.toBe(b);
    expect(starts()).toBe(2);
  });
});
