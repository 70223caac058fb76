import { randomUUID } from 'node:crypto';
import { insertClient, insertPlan } from './appointments.fixtures';
import { CREATE_CLINIC, clinicInput, codeOf, startTestApi, type TestApi } from './harness';
import { member, practice, type Practice } from './intake-plan.fixtures';

const LIST = `query L($status: TaskStatus, $practitionerId: ID, $first: Int, $after: String) {
  practitionerTasks(status: $status, practitionerId: $practitionerId, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id kind reason status dueAt practitionerId resolvedAt resolvedBy client { id firstName lastName } plan { id status currentVersion } practitioner { displayName } } } }`;
const COMPLETE = `mutation C($id: ID!, $note: String) { completeTask(id: $id, note: $note) { id status resolvedAt resolvedBy } }`;
const DISMISS = `mutation D($id: ID!, $reason: String!) { dismissTask(id: $id, reason: $reason) { id status resolvedAt resolvedBy } }`;

describe('practitioner tasks', () => {
  let t: TestApi;
  let p: Practice;
  let other: Practice;
  let colleague: { practitionerId: string; token: string; userId: string };
  let otherClinic: string;
  let plan: { clientId: string; planId: string };

  /** Tasks are the worker's (its sweeps write them); the tests insert them as it would. */
  async function task(o: { org: Practice; practitionerId?: string; clinicId?: string; clientId?: string; planId?: string | null; kind?: string; dueAt?: Date; status?: string }): Promise<string> {
    const rows = await t.tdb.dataSource.query(
      `INSERT INTO practitioner_task (organization_id, clinic_id, kind, reason, practitioner_id, client_id, plan_id, due_at, status, dedupe_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [o.org.organizationId, o.clinicId ?? o.org.clinicId, o.kind ?? 'REASSESSMENT_DUE', 'Re-assessment due after 4 sessions', o.practitionerId ?? o.org.practitionerId,
        o.clientId ?? plan.clientId, o.planId === undefined ? plan.planId : o.planId, o.dueAt ?? new Date(Date.UTC(2026, 0, 10)), o.status ?? 'OPEN', `test:${randomUUID()}`],
    );
    return rows[0].id;
  }
  const statusOf = async (id: string) => (await t.tdb.dataSource.query(`SELECT status FROM practitioner_task WHERE id = $1`, [id]))[0].status as string;
  const auditCount = async (action: string, id: string) =>
    (await t.tdb.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = $1 AND record_id = $2`, [action, id]))[0].n as number;

  beforeAll(async () => {
    t = await startTestApi();
    p = await practice(t, 'Task Chain');
    other = await practice(t, 'Task Rival');
    const clientId = await insertClient(t, p.organizationId, 'Ann Lee');
    plan = { clientId, planId: (await insertPlan(t, { organizationId: p.organizationId, clientId, clinicId: p.clinicId, practitionerId: p.practitionerId, userId: p.admin.userId })).planId };
    const c = await t.gql(`mutation P($input: CreatePractitionerInput!) { createPractitioner(input: $input) { id } }`,
      { input: { displayName: 'Colleague', discipline: 'MASSAGE_THERAPIST', modalities: ['SWEDISH'] } }, p.admin.token);
    const login = await member(t, p.organizationId, 'PRACTITIONER');
    await t.tdb.dataSource.query(`UPDATE practitioner SET user_id = $1 WHERE id = $2`, [login.userId, c.data?.createPractitioner.id]);
    colleague = { practitionerId: c.data?.createPractitioner.id, ...login };
    otherClinic = (await t.gql(CREATE_CLINIC, { input: clinicInput({ name: 'Task Annex' }) }, p.admin.token)).data?.createClinic.id;
  });
  afterAll(() => t.stop());

  it('lists a practitioner’s own open tasks by due time, with client, plan and practitioner', async () => {
    const later = await task({ org: p, dueAt: new Date(Date.UTC(2026, 0, 20)), kind: 'PLAN_REVIEW' });
    const sooner = await task({ org: p, dueAt: new Date(Date.UTC(2026, 0, 5)), planId: null });
    const done = await task({ org: p, status: 'DONE' });
    const theirs = await task({ org: p, practitionerId: colleague.practitionerId });
    await task({ org: other, clientId: await insertClient(t, other.organizationId), planId: null });

    const mine = await t.gql(LIST, {}, p.therapist.token);
    expect(mine.errors).toBeUndefined();
    const ids = mine.data?.practitionerTasks.nodes.map((n: { id: string }) => n.id);
    expect(ids).toEqual([sooner, later]);
    expect(mine.data?.practitionerTasks.nodes[1]).toMatchObject({
      kind: 'PLAN_REVIEW', status: 'OPEN', client: { id: plan.clientId, firstName: 'Ann', lastName: 'Lee' }, plan: { id: plan.planId, status: 'ACTIVE', currentVersion: 1 },
    });
    expect(mine.data?.practitionerTasks.nodes[0].plan).toBeNull();
    expect((await t.gql(LIST, { status: 'DONE' }, p.therapist.token)).data?.practitionerTasks.nodes.map((n: { id: string }) => n.id)).toEqual([done]);
    expect((await t.gql(LIST, {}, colleague.token)).data?.practitionerTasks.nodes.map((n: { id: string }) => n.id)).toEqual([theirs]);
    // A practitioner cannot ask for a colleague's tasks.
    expect(codeOf(await t.gql(LIST, { practitionerId: colleague.practitionerId }, p.therapist.token))).toBe('FORBIDDEN');
  });

  it('shows a manager and an admin every task, or one practitioner’s; a manager of another clinic sees none of these; front desk FORBIDDEN', async () => {
    const all = await t.gql(LIST, { first: 200 }, p.admin.token);
    expect(all.data?.practitionerTasks.totalCount).toBe(3);
    const manager = await member(t, p.organizationId, 'CLINIC_MANAGER', [p.clinicId]);
    const filtered = await t.gql(LIST, { practitionerId: colleague.practitionerId }, manager.token);
    expect(filtered.data?.practitionerTasks.nodes.map((n: { practitionerId: string }) => n.practitionerId)).toEqual([colleague.practitionerId]);
    const annexManager = await member(t, p.organizationId, 'CLINIC_MANAGER', [otherClinic]);
    expect((await t.gql(LIST, {}, annexManager.token)).data?.practitionerTasks.totalCount).toBe(0);
    expect(codeOf(await t.gql(LIST, {}, p.frontDesk.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(LIST, {}))).toBe('UNAUTHENTICATED');
    // Another organization's admin sees only its own task.
    expect((await t.gql(LIST, {}, other.admin.token)).data?.practitionerTasks.totalCount).toBe(1);
  });

  it('pages by cursor; refuses a bad cursor, page size, status or practitioner id', async () => {
    const first = await t.gql(LIST, { first: 1 }, p.admin.token);
    expect(first.data?.practitionerTasks.pageInfo.hasNextPage).toBe(true);
    const rest = await t.gql(LIST, { first: 200, after: first.data?.practitionerTasks.pageInfo.endCursor }, p.admin.token);
    expect(rest.data?.practitionerTasks.nodes).toHaveLength(2);
    expect(rest.data?.practitionerTasks.nodes.map((n: { id: string }) => n.id)).not.toContain(first.data?.practitionerTasks.nodes[0].id);
    for (const [vars, field] of [[{ after: 'zzz' }, 'after'], [{ first: 0 }, 'first'], [{ practitionerId: 'x' }, 'practitionerId']] as const) {
      const res = await t.gql(LIST, vars, p.admin.token);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].extensions?.field).toBe(field);
    }
    expect(codeOf(await t.gql(LIST, { status: 'CLOSED' }, p.admin.token))).toBe('BAD_USER_INPUT');
  });

  it('completes an open task once (audited with the note); then CONFLICT', async () => {
    const id = await task({ org: p });
    const res = await t.gql(COMPLETE, { id, note: 'Booked the re-assessment for Tuesday' }, p.therapist.token);
    expect(res.errors).toBeUndefined();
    expect(res.data?.completeTask).toMatchObject({ id, status: 'DONE', resolvedBy: p.therapist.userId });
    expect(res.data?.completeTask.resolvedAt).toBeTruthy();
    const [audit] = await t.tdb.dataSource.query(`SELECT detail FROM audit_event WHERE action = 'task.complete' AND record_id = $1`, [id]);
    expect(audit.detail).toMatchObject({ note: 'Booked the re-assessment for Tuesday' });
    for (const again of [await t.gql(COMPLETE, { id }, p.therapist.token), await t.gql(DISMISS, { id, reason: 'x' }, p.admin.token)]) {
      expect(codeOf(again)).toBe('CONFLICT');
      expect(again.errors?.[0].extensions).toMatchObject({ field: 'id', status: 'DONE' });
    }
    expect(await auditCount('task.complete', id)).toBe(1);
    expect(await auditCount('task.dismiss', id)).toBe(0);
  });

  it('dismisses an open task with a reason (manager of its clinic); a blank reason or a long note is BAD_USER_INPUT and changes nothing', async () => {
    const id = await task({ org: p });
    const manager = await member(t, p.organizationId, 'CLINIC_MANAGER', [p.clinicId]);
    const blank = await t.gql(DISMISS, { id, reason: '   ' }, manager.token);
    expect(codeOf(blank)).toBe('BAD_USER_INPUT');
    expect(blank.errors?.[0].extensions?.field).toBe('reason');
    const long = await t.gql(COMPLETE, { id, note: 'x'.repeat(2001) }, manager.token);
    expect(codeOf(long)).toBe('BAD_USER_INPUT');
    expect(long.errors?.[0].extensions?.field).toBe('note');
    expect(await statusOf(id)).toBe('OPEN');
    const res = await t.gql(DISMISS, { id, reason: 'Client moved away' }, manager.token);
    expect(res.data?.dismissTask).toMatchObject({ status: 'DISMISSED', resolvedBy: manager.userId });
    expect(await auditCount('task.dismiss', id)).toBe(1);
    expect(codeOf(await t.gql(COMPLETE, { id }, manager.token))).toBe('CONFLICT');
  });

  it('refuses another practitioner, a manager of another clinic and the front desk (FORBIDDEN); another organization’s task is NOT_FOUND; nothing changes', async () => {
    const id = await task({ org: p });
    const annexManager = await member(t, p.organizationId, 'CLINIC_MANAGER', [otherClinic]);
    for (const token of [colleague.token, annexManager.token, p.frontDesk.token]) {
      expect(codeOf(await t.gql(COMPLETE, { id }, token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(DISMISS, { id, reason: 'no' }, token))).toBe('FORBIDDEN');
    }
    const foreign = await task({ org: other, clientId: await insertClient(t, other.organizationId), planId: null });
    for (const res of [await t.gql(COMPLETE, { id: foreign }, p.admin.token), await t.gql(DISMISS, { id: foreign, reason: 'no' }, p.admin.token)]) {
      expect(codeOf(res)).toBe('NOT_FOUND');
      expect(res.errors?.[0].extensions?.id).toBe(foreign);
    }
    expect(await statusOf(id)).toBe('OPEN');
    expect(await statusOf(foreign)).toBe('OPEN');
    expect(await auditCount('task.complete', foreign) + await auditCount('task.dismiss', foreign)).toBe(0);
    expect(codeOf(await t.gql(COMPLETE, { id: 'nope' }, p.admin.token))).toBe('BAD_USER_INPUT');
  });

  it('lists tasks with client, plan and practitioner in a fixed number of statements (no N+1)', async () => {
    await t.tdb.dataSource.query(`UPDATE practitioner_task SET status = 'DONE' WHERE organization_id = $1`, [p.organizationId]);
    const statementsFor = async (): Promise<{ statements: number; rows: number }> => {
      t.tdb.queries.length = 0;
      const res = await t.gql(LIST, { first: 200 }, p.admin.token);
      expect(res.errors).toBeUndefined();
      for (const n of res.data?.practitionerTasks.nodes ?? []) expect(n.client && n.plan && n.practitioner).toBeTruthy();
      return { statements: t.tdb.queries.length, rows: res.data?.practitionerTasks.nodes.length };
    };
    await task({ org: p });
    const small = await statementsFor();
    for (let i = 0; i < 15; i++) {
      const clientId = await insertClient(t, p.organizationId);
      const { planId } = await insertPlan(t, { organizationId: p.organizationId, clientId, clinicId: p.clinicId, practitionerId: p.practitionerId, userId: p.admin.userId });
      await task({ org: p, clientId, planId, practitionerId: i % 2 ? p.practitionerId : colleague.practitionerId });
    }
    const large = await statementsFor();
    expect(small.rows).toBe(1);
    expect(large.rows).toBe(16);
    expect(large.statements).toBe(small.statements);
    // One transaction for the request (docs/architecture.md, "One transaction per request"): BEGIN, the
    // session, the page with its count and each task's client, plan and practitioner, COMMIT (was 8: a
    // loader batch each for clients, plans and practitioners).
    expect(large.statements).toBeLessThanOrEqual(4);
    expect(t.tdb.queries.filter((q) => q === 'START TRANSACTION')).toHaveLength(1);
  });
});
