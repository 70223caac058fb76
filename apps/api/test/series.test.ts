import { DateTime } from 'luxon';
import { codeOf, startTestApi, type TestApi } from './harness';
import { APPOINTMENT_FIELDS, appointmentRows, insertClient, insertPlan, nextDstChange, site } from './appointments.fixtures';

const SERIES = `mutation S($input: BookPlanSeriesInput!) { bookPlanSeries(input: $input) { seriesId planId timeZone appointments { ${APPOINTMENT_FIELDS} } } }`;
const CANCEL = `mutation C($id: ID!, $reason: String!, $by: CancelledBy) { cancelAppointment(id: $id, reason: $reason, cancelledBy: $by) {
  appointment { id status } rebooked { ${APPOINTMENT_FIELDS} } moved { ${APPOINTMENT_FIELDS} } shiftProblem } }`;

interface Appt {
  id: string;
  startsAt: string;
  localStart: string;
  sessionNumber: number;
  phaseIndex: number;
  status: string;
}

const MONDAYS = [{ weekday: 1, start: '10:00', end: '12:00' }];

/** The Monday two weeks before the zone's next autumn change, so a weekly series crosses it. */
function mondayBefore(zone: string): { start: string; change: string } {
  const change = nextDstChange(zone, 'back');
  let d = DateTime.fromISO(change, { zone }).minus({ days: 14 });
  while (d.weekday !== 1) d = d.minus({ days: 1 });
  return { start: d.toISODate()!, change };
}

describe('booking a plan as a series', () => {
  let t: TestApi;
  let admin: Awaited<ReturnType<TestApi['orgWithAdmin']>>;
  beforeAll(async () => {
    t = await startTestApi();
    admin = await t.orgWithAdmin('Series Chain');
  });
  afterAll(() => t.stop());

  const planFor = async (zone: string, availability = MONDAYS) => {
    const s = await site(t, admin.token, { timeZone: zone, availability });
    const clientId = await insertClient(t, admin.organizationId);
    const { planId } = await insertPlan(t, { organizationId: admin.organizationId, clientId, clinicId: s.clinicId, practitionerId: s.practitionerId, userId: admin.userId });
    return { s, clientId, planId };
  };

  it.each([
    ['Europe/London', 'UTC 09:00 before the change, 10:00 after', 9, 10],
    ['America/New_York', 'UTC 14:00 before the change, 15:00 after', 14, 15],
  ])('a weekly series in %s across the autumn change keeps 10:00 local (%s)', async (zone, _label, utcBefore, utcAfter) => {
    const { s, planId } = await planFor(zone);
    const { start, change } = mondayBefore(zone);
    const res = await t.gql(SERIES, { input: { planId, clinicId: s.clinicId, practitionerId: s.practitionerId, roomId: s.roomId, startFrom: start } }, admin.token);
    expect(res.errors).toBeUndefined();
    const list: Appt[] = res.data?.bookPlanSeries.appointments;
    expect(list.length).toBe(13); // 10 weekly + 3 fortnightly (the plan's likely counts)
    expect(list.map((a) => a.sessionNumber)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect(list.every((a) => a.localStart.endsWith('T10:00'))).toBe(true);
    const before = list.filter((a) => a.localStart.slice(0, 10) <= change);
    const after = list.filter((a) => a.localStart.slice(0, 10) > change);
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    expect(before.every((a) => new Date(a.startsAt).getUTCHours() === utcBefore)).toBe(true);
    expect(after.every((a) => new Date(a.startsAt).getUTCHours() === utcAfter)).toBe(true);
    expect(list[0].localStart).toBe(`${start}T10:00`);
    // A second series of the same plan would double the sessions.
    const again = await t.gql(SERIES, { input: { planId, clinicId: s.clinicId, practitionerId: s.practitionerId, startFrom: start } }, admin.token);
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.planId' });
  });

  it('is all or nothing: two plans racing for one practitioner give one series and one CONFLICT with nothing stored', async () => {
    const { s, planId } = await planFor('Europe/London');
    const secondClient = await insertClient(t, admin.organizationId);
    const second = await insertPlan(t, { organizationId: admin.organizationId, clientId: secondClient, clinicId: s.clinicId, practitionerId: s.practitionerId, userId: admin.userId });
    const { start } = mondayBefore('Europe/London');
    const results = await Promise.all(
      [planId, second.planId].map((id) => t.gql(SERIES, { input: { planId: id, clinicId: s.clinicId, practitionerId: s.practitionerId, startFrom: start } }, admin.token)),
    );
    const ok = results.filter((r) => !r.errors);
    const failed = results.filter((r) => r.errors);
    // Either the second waited and then saw the first's sessions (and planned around them), or it clashed and stored nothing.
    if (failed.length) {
      expect(ok).toHaveLength(1);
      expect(codeOf(failed[0])).toBe('CONFLICT');
      const rows = await t.tdb.dataSource.query(`SELECT count(*)::int AS n FROM appointment WHERE practitioner_id = $1`, [s.practitionerId]);
      expect(rows[0].n).toBe(13);
    } else {
      expect(ok).toHaveLength(2);
    }
    const overlaps = await t.tdb.dataSource.query(
      `SELECT count(*)::int AS n FROM appointment a JOIN appointment b ON a.id < b.id AND a.practitioner_id = b.practitioner_id
        AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at) WHERE a.practitioner_id = $1
        AND a.status IN ('BOOKED','CHECKED_IN','COMPLETED') AND b.status IN ('BOOKED','CHECKED_IN','COMPLETED')`,
      [s.practitionerId],
    );
    expect(overlaps[0].n).toBe(0);
  });

  it('a missed session is booked again and shifts the rest of its phase (and the phases after), keeping the count', async () => {
    const { s, planId } = await planFor('Europe/London');
    const { start } = mondayBefore('Europe/London');
    const booked: Appt[] = (await t.gql(SERIES, { input: { planId, clinicId: s.clinicId, practitionerId: s.practitionerId, startFrom: start } }, admin.token)).data?.bookPlanSeries.appointments;
    const third = booked[2];
    const res = await t.gql(CANCEL, { id: third.id, reason: 'therapist ill', by: 'CLINIC' }, admin.token);
    expect(res.errors).toBeUndefined();
    const change = res.data?.cancelAppointment;
    expect(change.appointment.status).toBe('CANCELLED');
    expect(change.shiftProblem).toBeNull();
    // Session 3 comes back a week later (the next Monday), and sessions 4–13 each move one week on.
    expect(change.rebooked).toMatchObject({ sessionNumber: 3, phaseIndex: 0, rescheduledFrom: third.id, localStart: booked[3].localStart });
    expect(change.moved.map((a: Appt) => a.sessionNumber)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    for (const m of change.moved as Appt[]) {
      const was = booked.find((b) => b.id === m.id)!;
      const weeks = DateTime.fromISO(m.localStart).diff(DateTime.fromISO(was.localStart), 'weeks').weeks;
      expect(m.localStart.endsWith('T10:00')).toBe(true);
      expect(weeks).toBeGreaterThanOrEqual(1);
    }
    const phase0 = await t.tdb.dataSource.query(
      `SELECT count(*)::int AS n FROM appointment WHERE plan_id = $1 AND phase_index = 0 AND status = 'BOOKED'`,
      [planId],
    );
    expect(phase0[0].n).toBe(10);
    const audit = await t.tdb.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'appointment.shift'`);
    expect(audit[0].n).toBe(10);
  });

  it.each([
    ['a start date in the past', () => ({ startFrom: '2020-01-06' }), 'input.startFrom'],
    ['an unknown plan', () => ({ planId: '00000000-0000-4000-8000-000000000009' }), 'input.planId'],
    ['an avoided date that is not a date', () => ({ avoidDates: ['someday'] }), 'input.avoidDates[0]'],
  ])('refuses %s with BAD_USER_INPUT and stores nothing', async (_label, override, field) => {
    const { s, planId } = await planFor('Europe/London');
    const before = await appointmentRows(t, admin.organizationId);
    const res = await t.gql(SERIES, { input: { planId, clinicId: s.clinicId, practitionerId: s.practitionerId, startFrom: mondayBefore('Europe/London').start, ...override() } }, admin.token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe(field);
    expect(await appointmentRows(t, admin.organizationId)).toEqual(before);
  });

  it('another organization can neither book nor see the plan', async () => {
    const { s, planId } = await planFor('Europe/London');
    const other = await t.orgWithAdmin('Series Other');
    const theirs = await site(t, other.token, { availability: MONDAYS });
    const before = await appointmentRows(t, admin.organizationId);
    const res = await t.gql(SERIES, { input: { planId, clinicId: theirs.clinicId, practitionerId: theirs.practitionerId, startFrom: mondayBefore('Europe/London').start } }, other.token);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.planId' });
    const mixed = await t.gql(SERIES, { input: { planId, clinicId: s.clinicId, practitionerId: s.practitionerId, startFrom: mondayBefore('Europe/London').start } }, other.token);
    expect(mixed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.planId' });
    expect(await appointmentRows(t, admin.organizationId)).toEqual(before);
    expect(await appointmentRows(t, other.organizationId)).toEqual([]);
  });
});
