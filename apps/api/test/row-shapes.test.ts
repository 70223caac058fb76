import { randomUUID } from 'node:crypto';
import type { Clock } from '@fascia/db';
import { Result } from 'pg';
import type { Tenant } from '../src/context';
import { insertAppointment, insertClient } from './appointments.fixtures';
import { startTestApi, type TestApi } from './harness';
import { practice, type Practice } from './intake-plan.fixtures';

/**
 * docs/architecture.md, "Rows keep their shape": the rows a list service returns are the very
 * objects `pg` made, with the very properties it gave them (values may be assigned; nothing is
 * added, deleted or copied away). A property added to a `pg` row after the fact can give each
 * row a V8 map of its own, and then every field read of the resolvers, graphql-jit and
 * JSON.stringify misses its inline caches: the calendar spent ~30 % of its CPU so in the bench.
 * Whether V8 splits the maps depends on the state of `pg`'s clone site (a process answering few
 * statement shapes, as the bench's servers, splits them; one that has seen many does not), so
 * the test checks the rule itself: every row's own keys, as `pg` made it and as the service
 * returns it.
 */
const madeByPg = new WeakMap<object, string>();
/** `pg`'s Result makes each row in `parseRow` (lib/result.js; not in its typings). */
const results = Result.prototype as unknown as { parseRow(this: unknown, rowData: unknown[]): object };
const parseRow = results.parseRow;
results.parseRow = function (rowData) {
  const row = parseRow.call(this, rowData);
  madeByPg.set(row, Object.keys(row).join());
  return row;
};
afterAll(() => {
  results.parseRow = parseRow;
});

/** The rows that are not as `pg` made them: copies, or rows given or stripped of a property. */
function reshaped(rows: readonly object[]): number {
  return rows.filter((row) => madeByPg.get(row) !== Object.keys(row).join()).length;
}

const NOW = new Date('2026-12-01T12:00:00Z');
const clock: Clock = { now: () => NOW };
const ROWS = 24;

describe('list rows keep the shape pg gave them', () => {
  let t: TestApi;
  let p: Practice;
  let tenant: Tenant;
  let regular: string;

  beforeAll(async () => {
    t = await startTestApi({ clock });
    p = await practice(t, 'Row Shapes');
    tenant = { organizationId: p.organizationId, userId: p.admin.userId, roles: ['ORG_ADMIN'], clinicIds: null };
    const clients: string[] = [];
    for (let i = 0; i < ROWS; i++) clients.push(await insertClient(t, p.organizationId, `Client${i} Shape`, [p.clinicId]));
    regular = clients[0];
    for (let i = 0; i < ROWS; i++) {
      // The week of 7 December 2026 (London, UTC in winter): four a day, 09:00–12:00; and one
      // visit each a day apart for the regular client, from 4 January 2027 on.
      const day = 7 + Math.floor(i / 4);
      const startsAt = new Date(Date.UTC(2026, 11, day, 9 + (i % 4)));
      await insertAppointment(t, { organizationId: p.organizationId, clinicId: p.clinicId, practitionerId: p.practitionerId, clientId: clients[i], userId: p.admin.userId, startsAt });
      await insertAppointment(t, { organizationId: p.organizationId, clinicId: p.clinicId, practitionerId: p.practitionerId, clientId: regular, userId: p.admin.userId, startsAt: new Date(Date.UTC(2027, 0, 4 + i, 15)) });
      await t.tdb.dataSource.query(
        `INSERT INTO practitioner_task (organization_id, clinic_id, kind, reason, practitioner_id, client_id, due_at, status, dedupe_key)
         VALUES ($1, $2, 'REASSESSMENT_DUE', 'Re-assessment due after 4 sessions', $3, $4, $5, 'OPEN', $6)`,
        [p.organizationId, p.clinicId, p.practitionerId, clients[i], new Date(Date.UTC(2026, 11, 3, i)), `test:${randomUUID()}`],
      );
      await t.tdb.dataSource.query(
        `INSERT INTO reminder (id, organization_id, clinic_id, kind, client_id, channel, due_at, send_at, status, delivery_key)
         VALUES ($6, $1, $2, 'HOME_CARE', $3, 'EMAIL', $4, $4, 'SCHEDULED', $5)`,
        [p.organizationId, p.clinicId, clients[i], new Date(Date.UTC(2026, 11, 4, i)), `test:${randomUUID()}`, randomUUID()],
      );
    }
  });
  afterAll(() => t?.stop());

  // Each list is read whole and as a narrow query reads it (a few columns: `pickColumns`): narrow
  // rows are the ones V8 clones by its fast path, whose maps share no transitions.
  it('the calendar (its practitioner and room set on every row)', async () => {
    const narrow = { appointment: ['id', 'startsAt', 'endsAt', 'clinicId', 'practitionerId', 'roomId'], practitioner: ['id', 'displayName'], room: null, clientName: true };
    for (const columns of [undefined, narrow]) {
      const week = await t.api.services.appointments.calendar(tenant, { clinicId: p.clinicId, from: '2026-12-07', days: 7 }, columns);
      expect(week.appointments).toHaveLength(ROWS);
      expect(week.appointments.every((a) => a.calendarPractitioner?.id === p.practitionerId)).toBe(true);
      expect(reshaped(week.appointments)).toBe(0);
    }
    // What the check catches: rows given a property after the fact (as the calendar's were before
    // ROW_SLOTS), stripped of one (as the pages' counts were), or copied (as the delivery log's).
    const week = await t.api.services.appointments.calendar(tenant, { clinicId: p.clinicId, from: '2026-12-07', days: 7 }, narrow);
    const rows = week.appointments as unknown as Record<string, unknown>[];
    rows[0].addedLater = true;
    delete rows[1].calendarRoom;
    rows[2] = { ...rows[2] };
    expect(reshaped(rows)).toBe(3);
  });

  it('the clients page (its capped count left on the rows)', async () => {
    for (const columns of [null, ['id', 'sortName', 'firstName', 'lastName']]) {
      const page = await t.api.services.clients.list(tenant, { first: 50 }, columns);
      expect(page.nodes).toHaveLength(ROWS);
      expect(page.totalCount).toBe(ROWS);
      expect(reshaped(page.nodes)).toBe(0);
    }
  });

  it('the open tasks (their client, plan and practitioner set on every row)', async () => {
    for (const columns of [undefined, { task: ['id', 'dueAt', 'kind', 'clientId'], client: ['id', 'firstName'], practitioner: ['id', 'displayName'] }]) {
      const page = await t.api.services.practitionerTasks.list(tenant, { first: 50 }, { client: true, plan: true, practitioner: true, columns });
      expect(page.nodes).toHaveLength(ROWS);
      expect(page.nodes.every((n) => n.taskClient !== undefined && n.taskPractitioner?.id === p.practitionerId)).toBe(true);
      expect(reshaped(page.nodes)).toBe(0);
    }
  });

  it('a client’s appointments (pageWithCount)', async () => {
    const page = await t.api.services.appointments.forClient(tenant, { clientId: regular, when: 'UPCOMING', first: 50 });
    // The regular client's visits, and the one in the calendar's week.
    expect(page.nodes).toHaveLength(ROWS + 1);
    expect(reshaped(page.nodes)).toBe(0);
  });

  it('the delivery log', async () => {
    const page = await t.api.services.operations.reminderLog(tenant, { first: 50 });
    expect(page.nodes).toHaveLength(ROWS);
    expect(page.totalCount).toBe(ROWS);
    expect(reshaped(page.nodes)).toBe(0);
  });
});
