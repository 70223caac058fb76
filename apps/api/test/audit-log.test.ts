import { randomUUID } from 'node:crypto';
import { codeOf, startTestApi, type TestApi } from './harness';
import { member, practice, type Practice } from './intake-plan.fixtures';

const FIELDS = `id occurredAt action outcome actor { id email displayName } recordType recordId sourceAddress requestId correlationId detail`;
const SEARCH = `query A($filter: AuditEventFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) { totalCount totalCountCapped pageInfo { hasNextPage endCursor } nodes { ${FIELDS} } }
}`;
const EXPORT = `query E($filter: AuditEventFilter) { auditEventsCsv(filter: $filter) { csv rowCount capped limit } }`;

interface Node {
  id: string;
  occurredAt: string;
  action: string;
  outcome: string;
  actor: { id: string; email: string } | null;
  recordType: string | null;
  recordId: string | null;
}

/**
 * The audit log (issue 13 item 9): an organization admin searches their organization's events
 * by person, record, action, outcome and time, pages with cursors, and exports CSV; nobody else
 * may, and no organization sees another's events.
 */
describe('audit log: auditEvents and auditEventsCsv', () => {
  let t: TestApi;
  let p: Practice;
  let other: Practice;
  const clientId = randomUUID();
  const base = Date.parse('2026-03-01T09:00:00Z');
  const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();

  /** Inserts events as the owner would (the database's superuser), with known times. */
  async function seed(organizationId: string, rows: { action: string; outcome?: string; actor?: string | null; recordType?: string | null; recordId?: string | null; minutes: number; detail?: unknown }[]) {
    for (const r of rows) {
      await t.tdb.dataSource.query(
        `INSERT INTO audit_event (organization_id, actor_user_id, action, record_type, record_id, outcome, source_address, request_id, detail, occurred_at) VALUES ($1, $2, $3, $4, $5, $6, '203.0.113.7', 'req-1', $7, $8)`,
        [organizationId, r.actor ?? null, r.action, r.recordType ?? null, r.recordId ?? null, r.outcome ?? 'SUCCESS', r.detail ? JSON.stringify(r.detail) : null, at(r.minutes)],
      );
    }
  }

  beforeAll(async () => {
    t = await startTestApi();
    p = await practice(t, 'Audit Chain');
    other = await practice(t, 'Audit Rival');
    await seed(p.organizationId, [
      { action: 'client.read', actor: p.therapist.userId, recordType: 'client', recordId: clientId, minutes: 1 },
      { action: 'chart.read', actor: p.therapist.userId, recordType: 'client', recordId: clientId, minutes: 2 },
      { action: 'client.update', actor: p.frontDesk.userId, recordType: 'client', recordId: clientId, minutes: 3, detail: { note: '=HYPERLINK("x")' } },
      { action: 'note.read', outcome: 'DENIED', actor: p.frontDesk.userId, recordType: 'session_note', recordId: randomUUID(), minutes: 4 },
      { action: 'client.read', actor: p.frontDesk.userId, recordType: 'client', recordId: randomUUID(), minutes: 5 },
    ]);
    await seed(other.organizationId, [{ action: 'client.read', actor: other.admin.userId, recordType: 'client', recordId: clientId, minutes: 2 }]);
  });
  afterAll(() => t.stop());

  const search = async (filter: Record<string, unknown>, first = 50, after: string | null = null, token = p.admin.token) => {
    const res = await t.gql(SEARCH, { filter, first, after }, token);
    expect(res.errors).toBeUndefined();
    return res.data?.auditEvents as { totalCount: number; totalCountCapped: boolean; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Node[] };
  };
  const march = { from: at(0), to: at(60) };

  it('lists the organization’s own events, newest first, with the person who acted', async () => {
    const page = await search(march);
    expect(page.nodes.map((n) => n.action)).toEqual(['client.read', 'note.read', 'client.update', 'chart.read', 'client.read']);
    expect(page.totalCount).toBe(5);
    expect(page.nodes[0]).toMatchObject({ outcome: 'SUCCESS', actor: { id: p.frontDesk.userId }, sourceAddress: '203.0.113.7' });
    // The rival's event on a record with the same id never shows.
    expect((await search({ ...march, recordId: clientId })).nodes.every((n) => n.actor?.id !== other.admin.userId)).toBe(true);
    const theirs = await search(march, 50, null, other.admin.token);
    expect(theirs.nodes.map((n) => n.actor?.id)).toEqual([other.admin.userId]);
  });

  it('filters by record, person, action, outcome and time', async () => {
    expect((await search({ ...march, recordId: clientId })).nodes.map((n) => n.action)).toEqual(['client.update', 'chart.read', 'client.read']);
    expect((await search({ ...march, actorUserId: p.therapist.userId })).nodes.map((n) => n.action)).toEqual(['chart.read', 'client.read']);
    expect((await search({ ...march, action: 'client.read' })).nodes).toHaveLength(2);
    expect((await search({ ...march, outcome: 'DENIED' })).nodes.map((n) => n.action)).toEqual(['note.read']);
    expect((await search({ ...march, outcome: 'SUCCESS', actorUserId: p.frontDesk.userId })).nodes.map((n) => n.action)).toEqual(['client.read', 'client.update']);
    expect((await search({ from: at(2), to: at(4) })).nodes.map((n) => n.action)).toEqual(['client.update', 'chart.read']);
    expect((await search({ ...march, recordId: clientId, recordType: 'session_note' })).nodes).toEqual([]);
  });

  it('pages with cursors: every event once, in order', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const page = await search(march, 2, after);
      seen.push(...page.nodes.map((n) => n.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const all = (await search(march)).nodes.map((n) => n.id);
    expect(seen).toEqual(all);
  });

  it('refuses bad input, naming the field', async () => {
    const bad = async (filter: Record<string, unknown>, field: string) => {
      const res = await t.gql(SEARCH, { filter }, p.admin.token);
      expect({ code: codeOf(res), field: res.errors?.[0].extensions?.field }).toEqual({ code: 'BAD_USER_INPUT', field });
    };
    await bad({ actorUserId: 'nobody' }, 'filter.actorUserId');
    await bad({ from: at(10), to: at(5) }, 'filter.to');
    await bad({ action: 'DROP TABLE' }, 'filter.action');
    expect(codeOf(await t.gql(SEARCH, { after: 'not-a-cursor' }, p.admin.token))).toBe('BAD_USER_INPUT');
  });

  it('is for organization admins only: FORBIDDEN for a manager, a practitioner and the front desk', async () => {
    const manager = await member(t, p.organizationId, 'CLINIC_MANAGER', [p.clinicId]);
    for (const token of [manager.token, p.therapist.token, p.frontDesk.token]) {
      expect(codeOf(await t.gql(SEARCH, { filter: march }, token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(EXPORT, { filter: march }, token))).toBe('FORBIDDEN');
    }
    expect(codeOf(await t.gql(SEARCH, { filter: march }))).toBe('UNAUTHENTICATED');
  });

  it('a search is itself audited, once per request', async () => {
    const before = (await t.tdb.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'audit.search' AND actor_user_id = $1`, [p.admin.userId]))[0].n;
    await search({ ...march, outcome: 'DENIED' });
    const rows = await t.tdb.dataSource.query(`SELECT detail FROM audit_event WHERE action = 'audit.search' AND actor_user_id = $1 ORDER BY occurred_at`, [p.admin.userId]);
    expect(rows).toHaveLength(before + 1);
    expect(rows[rows.length - 1].detail.filter).toMatchObject({ outcome: 'DENIED' });
  });

  it('lists a page in a fixed number of statements, however many events it holds (no N+1)', async () => {
    const statementsFor = async (first: number) => {
      t.tdb.queries.length = 0;
      const page = await search(march, first);
      return { statements: t.tdb.queries.filter((q) => !/^(BEGIN|COMMIT|ROLLBACK|START|SAVEPOINT|RELEASE)/i.test(q.trim())).length, rows: page.nodes.length };
    };
    const small = await statementsFor(1);
    const large = await statementsFor(5);
    expect(small.rows).toBe(1);
    expect(large.rows).toBe(5);
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBeLessThanOrEqual(6);
  });

  it('exports the same search as CSV: header, newest first, formulas defused, quotes doubled', async () => {
    const res = await t.gql(EXPORT, { filter: { ...march, recordId: clientId } }, p.admin.token);
    expect(res.errors).toBeUndefined();
    const out = res.data?.auditEventsCsv as { csv: string; rowCount: number; capped: boolean; limit: number };
    expect(out).toMatchObject({ rowCount: 3, capped: false, limit: 5000 });
    const lines = out.csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('occurred_at,action,outcome,actor_email,actor_name,record_type,record_id,record_ids,source_address,request_id,correlation_id,detail');
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(['client.update', 'chart.read', 'client.read']);
    // The detail is JSON in one quoted cell; a formula-looking value inside JSON starts with '{', so it stays as is.
    expect(lines[1]).toContain('"{""note"":""=HYPERLINK(\\""x\\"")""}"');
    const exported = await t.tdb.dataSource.query(`SELECT detail FROM audit_event WHERE action = 'audit.export' AND actor_user_id = $1`, [p.admin.userId]);
    expect(exported).toEqual([{ detail: { filter: { from: expect.any(String), to: expect.any(String), recordId: clientId }, rows: 3 } }]);
  });

  it('caps an export at 5,000 events and says so', async () => {
    await t.tdb.dataSource.query(
      `INSERT INTO audit_event (organization_id, action, outcome, occurred_at) SELECT $1, 'bulk.read', 'SUCCESS', $2::timestamptz + make_interval(secs => g) FROM generate_series(1, 5001) g`,
      [p.organizationId, '2026-05-01T00:00:00Z'],
    );
    const res = await t.gql(EXPORT, { filter: { action: 'bulk.read' } }, p.admin.token);
    expect(res.errors).toBeUndefined();
    expect(res.data?.auditEventsCsv).toMatchObject({ rowCount: 5000, capped: true });
    const page = await search({ action: 'bulk.read' }, 10);
    expect(page).toMatchObject({ totalCount: 1000, totalCountCapped: true });
  });
});
