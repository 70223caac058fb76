import { startTestApi, type TestApi } from './harness';
import { BOOK, insertClient, nextWeekday, site, type Site } from './appointments.fixtures';

/**
 * Issue 10, "only the columns a query needs": the calendar and the tasks page read the columns
 * their query selects (common/plain-rows.ts `pickColumns`), plus what their field resolvers read,
 * and every column for a field they do not know. Whatever the selection, each field answers as
 * it does from a whole row.
 */
const FULL = `query Cal($clinicId: ID!, $from: String!) { calendar(clinicId: $clinicId, from: $from, days: 7) {
  appointments { id clinicId practitionerId roomId clientId planId seriesId sessionNumber phaseIndex kind startsAt endsAt status statusReason statusChangedAt rescheduledFrom clientConfirmedAt createdAt
    localStart localEnd durationMinutes timeZone clientName practitioner { id displayName discipline email } room { id name clinicId } }
  byPractitioner { practitioner { id displayName } appointments { id } } } }`;
const SLIM = `query Cal($clinicId: ID!, $from: String!) { calendar(clinicId: $clinicId, from: $from, days: 7) {
  appointments { id ...Times practitioner { displayName } } } }
  fragment Times on Appointment { localStart durationMinutes }`;

describe('the columns a query selects', () => {
  let t: TestApi;
  let admin: Awaited<ReturnType<TestApi['orgWithAdmin']>>;
  let s: Site;
  let date: string;
  beforeAll(async () => {
    t = await startTestApi();
    admin = await t.orgWithAdmin('Selected Columns');
    s = await site(t, admin.token);
    date = nextWeekday('Europe/London', 3);
    for (const time of ['09:00', '11:30']) {
      const clientId = await insertClient(t, admin.organizationId);
      const res = await t.gql(BOOK, { input: { clinicId: s.clinicId, practitionerId: s.practitionerId, roomId: s.roomId, clientId, startsAt: `${date}T${time}`, durationMinutes: 45 } }, admin.token);
      expect(res.errors).toBeUndefined();
    }
  });
  afterAll(() => t.stop());

  const calendarSql = () => t.tdb.queries.find((q) => q.includes('FROM "appointment" t')) ?? '';

  it('reads what a slim calendar selects and what its field resolvers need, and answers as from whole rows', async () => {
    t.tdb.queries.length = 0;
    const full = await t.gql(FULL, { clinicId: s.clinicId, from: date }, admin.token);
    expect(full.errors).toBeUndefined();
    expect(calendarSql()).toContain('"statusReason"');
    t.tdb.queries.length = 0;
    const slim = await t.gql(SLIM, { clinicId: s.clinicId, from: date }, admin.token);
    expect(slim.errors).toBeUndefined();
    const sql = calendarSql();
    // localStart: the clinic and the start; durationMinutes: the start and the end.
    for (const column of ['"startsAt"', '"endsAt"', '"clinicId"', '"practitioner.displayName"']) expect(sql).toContain(column);
    for (const column of ['"statusReason"', '"createdAt"', '"seriesId"', '"practitioner.email"', '"room.name"']) expect(sql).not.toContain(column);
    type A = { id: string; localStart: string; durationMinutes: number; practitioner: { displayName: string } };
    const whole = (full.data?.calendar.appointments as A[]).map((a) => ({ id: a.id, localStart: a.localStart, durationMinutes: a.durationMinutes, practitioner: { displayName: a.practitioner.displayName } }));
    expect(slim.data?.calendar.appointments).toEqual(whole);
    expect(whole).toHaveLength(2);
  });

  it('reads the times it only shows as ISO strings, the very strings the Dates give', async () => {
    const TIMES = 'id startsAt endsAt statusChangedAt clientConfirmedAt createdAt';
    t.tdb.queries.length = 0;
    const shown = await t.gql(`query Cal($clinicId: ID!, $from: String!) { calendar(clinicId: $clinicId, from: $from, days: 7) { appointments { ${TIMES} } } }`, { clinicId: s.clinicId, from: date }, admin.token);
    expect(shown.errors).toBeUndefined();
    expect(calendarSql()).toContain(`to_char(t."starts_at" AT TIME ZONE 'UTC'`);
    expect(calendarSql()).toContain(`to_char(t."created_at" AT TIME ZONE 'UTC'`);
    type A = Record<string, string | null>;
    const list = shown.data?.calendar.appointments as A[];
    expect(list).toHaveLength(2);
    for (const a of list) {
      // The same appointment through the entity (Dates, `toISOString`): created_at has microseconds.
      const one = await t.gql(`query A($id: ID!) { appointment(id: $id) { ${TIMES} } }`, { id: a.id }, admin.token);
      expect(one.data?.appointment).toEqual(a);
      expect(a.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
    // A field resolver computes with the start and the end: those come as Dates.
    t.tdb.queries.length = 0;
    const computed = await t.gql(`query Cal($clinicId: ID!, $from: String!) { calendar(clinicId: $clinicId, from: $from, days: 7) { appointments { ${TIMES} durationMinutes } } }`, { clinicId: s.clinicId, from: date }, admin.token);
    expect(calendarSql()).not.toContain(`to_char(t."starts_at"`);
    expect(calendarSql()).toContain(`to_char(t."created_at"`);
    expect((computed.data?.calendar.appointments as A[]).map(({ durationMinutes, ...rest }) => (expect(durationMinutes).toBe(45), rest))).toEqual(list);
  });

  it('reads the clients page’s selected columns (and its cursor’s), and pages as from whole rows', async () => {
    const PAGE = `query P($after: String) { clients(first: 1, after: $after) { nodes { id firstName } pageInfo { hasNextPage endCursor } } }`;
    t.tdb.queries.length = 0;
    const first = await t.gql(PAGE, {}, admin.token);
    expect(first.errors).toBeUndefined();
    const sql = t.tdb.queries.find((q) => q.includes('FROM "client"')) ?? '';
    for (const column of ['"firstName"', '"sortName"']) expect(sql).toContain(column);
    for (const column of ['"emergencyContact"', '"paymentNotes"', '"createdAt"']) expect(sql).not.toContain(column);
    const whole = await t.gql(`query { clients(first: 2) { nodes { id firstName lastName email createdAt clinicIds } } }`, {}, admin.token);
    const wholeIds = (whole.data?.clients.nodes as { id: string }[]).map((n) => n.id);
    const second = await t.gql(PAGE, { after: first.data?.clients.pageInfo.endCursor }, admin.token);
    expect([first.data?.clients.nodes[0].id, second.data?.clients.nodes[0].id]).toEqual(wholeIds);
  });

  it('keeps the statement count of the calendar whatever it selects', async () => {
    t.tdb.queries.length = 0;
    await t.gql(SLIM, { clinicId: s.clinicId, from: date }, admin.token);
    const slim = t.tdb.queries.length;
    t.tdb.queries.length = 0;
    await t.gql(FULL, { clinicId: s.clinicId, from: date }, admin.token);
    expect(t.tdb.queries.length).toBe(slim);
  });
});
