import { DateTime } from 'luxon';
import { codeOf, startTestApi, type TestApi } from './harness';
import {
  APPOINTMENT_FIELDS,
  appointmentRows,
  BOOK,
  insertAppointment,
  insertClient,
  member,
  nextDstChange,
  nextWeekday,
  site,
  type Site,
} from './appointments.fixtures';

const CHANGE = `appointment { ${APPOINTMENT_FIELDS} } rebooked { id } moved { id } shiftProblem`;
const RESCHEDULE = `mutation R($id: ID!, $input: RescheduleAppointmentInput!) { rescheduleAppointment(id: $id, input: $input) { ${APPOINTMENT_FIELDS} } }`;
const CANCEL = `mutation C($id: ID!, $reason: String!, $by: CancelledBy) { cancelAppointment(id: $id, reason: $reason, cancelledBy: $by) { ${CHANGE} } }`;
const NO_SHOW = `mutation N($id: ID!) { markNoShow(id: $id) { ${CHANGE} } }`;
const CHECK_IN = `mutation I($id: ID!) { checkIn(id: $id) { id status } }`;
const COMPLETE = `mutation D($id: ID!) { completeAppointment(id: $id) { id status } }`;
const GET = `query G($id: ID!) { appointment(id: $id) { id status } }`;
const UPDATE_CLINIC = `mutation U($id: ID!, $input: UpdateClinicInput!) { updateClinic(id: $id, input: $input) { id lateCancelHours } }`;
const CALENDAR = `query Cal($clinicId: ID!, $from: String!, $days: Int, $practitionerId: ID, $roomId: ID) {
  calendar(clinicId: $clinicId, from: $from, days: $days, practitionerId: $practitionerId, roomId: $roomId) {
    timeZone from to
    appointments { id localStart localEnd clientName status practitioner { displayName } room { name } clinic { name } }
    byPractitioner { practitioner { displayName } appointments { id } }
    byRoom { room { name } appointments { id } }
  } }`;

/** A zone in which it is now about midday, so "today" has room before and after (Etc/GMT-5 is UTC+5). */
function middayZone(): string {
  const offset = 12 - new Date().getUTCHours(); // -11 … +12
  return offset === 0 ? 'Etc/GMT' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}
const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));

describe('booking appointments', () => {
  let t: TestApi;
  let admin: Awaited<ReturnType<TestApi['orgWithAdmin']>>;
  let other: Awaited<ReturnType<TestApi['orgWithAdmin']>>;
  let s: Site;
  let clientId: string;
  let tuesday: string;
  beforeAll(async () => {
    t = await startTestApi();
    admin = await t.orgWithAdmin('Booking Chain');
    other = await t.orgWithAdmin('Other Chain');
    s = await site(t, admin.token);
    clientId = await insertClient(t, admin.organizationId, 'Ann Client');
    tuesday = nextWeekday('Europe/London', 2);
  });
  afterAll(() => t.stop());

  const book = (input: Record<string, unknown>, token = admin.token) =>
    t.gql(BOOK, { input: { clinicId: s.clinicId, practitionerId: s.practitionerId, roomId: s.roomId, clientId, durationMinutes: 60, ...input } }, token);

  it('books a local wall time in the clinic’s zone and audits it', async () => {
    const res = await book({ startsAt: `${tuesday}T10:00` });
    expect(res.errors).toBeUndefined();
    const a = res.data?.bookAppointment;
    const expectedUtc = DateTime.fromISO(`${tuesday}T10:00`, { zone: 'Europe/London' }).toUTC().toISO();
    expect(new Date(a.startsAt).toISOString()).toBe(new Date(expectedUtc!).toISOString());
    expect(a).toMatchObject({ localStart: `${tuesday}T10:00`, localEnd: `${tuesday}T11:00`, timeZone: 'Europe/London', durationMinutes: 60, status: 'BOOKED', kind: 'SESSION' });
    const audit = await t.tdb.dataSource.query(`SELECT action FROM audit_event WHERE record_id = $1`, [a.id]);
    expect(audit).toEqual([{ action: 'appointment.book' }]);
  });

  it('accepts an instant with an offset', async () => {
    const at = DateTime.fromISO(`${tuesday}T12:00`, { zone: 'Europe/London' }).toUTC().toISO({ suppressMilliseconds: true });
    const res = await book({ startsAt: at });
    expect(res.errors).toBeUndefined();
    expect(res.data?.bookAppointment.localStart).toBe(`${tuesday}T12:00`);
  });

  const springForward = nextDstChange('Europe/London', 'forward', 1);
  const yesterday = DateTime.now().setZone('Europe/London').minus({ days: 1 }).toISODate();
  it.each([
    ['outside opening hours', () => ({ startsAt: `${tuesday}T18:30` }), 'input.startsAt', /is open 08:00–19:00 on Tuesdays/],
    ['on a day the clinic is closed', () => ({ startsAt: `${nextWeekday('Europe/London', 6)}T10:00` }), 'input.startsAt', /is closed on Saturdays/],
    ['outside the practitioner’s availability', () => ({ startsAt: `${tuesday}T17:00` }), 'input.startsAt', /works 09:00–17:00 at .* on Tuesdays/],
    ['in the past', () => ({ startsAt: `${yesterday}T10:00` }), 'input.startsAt', /in the past/],
    ['a local time in the DST gap', () => ({ startsAt: `${springForward}T01:30` }), 'input.startsAt', /does not exist in Europe\/London/],
    ['a malformed time', () => ({ startsAt: 'next tuesday' }), 'input.startsAt', /ISO date-time/],
    ['a too-short duration', () => ({ startsAt: `${tuesday}T14:00`, durationMinutes: 5 }), 'input.durationMinutes', /at least 15/],
    ['an unknown clinic', () => ({ startsAt: `${tuesday}T14:00`, clinicId: '00000000-0000-4000-8000-000000000001' }), 'input.clinicId', /No clinic/],
  ])('refuses %s with BAD_USER_INPUT and stores nothing', async (_label, input, field, message) => {
    const before = await appointmentRows(t, admin.organizationId);
    const res = await book(input());
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe(field);
    expect(res.errors?.[0].message).toMatch(message);
    expect(await appointmentRows(t, admin.organizationId)).toEqual(before);
  });

  it('refuses another organization’s client, clinic, practitioner and room as if they did not exist', async () => {
    const theirs = await site(t, other.token);
    const theirClient = await insertClient(t, other.organizationId, 'Their Client');
    const before = await appointmentRows(t, admin.organizationId);
    const theirsBefore = await appointmentRows(t, other.organizationId);
    for (const [override, field] of [
      [{ clientId: theirClient }, 'input.clientId'],
      [{ clinicId: theirs.clinicId }, 'input.clinicId'],
      [{ practitionerId: theirs.practitionerId }, 'input.practitionerId'],
      [{ roomId: theirs.roomId }, 'input.roomId'],
    ] as const) {
      const res = await book({ startsAt: `${tuesday}T15:00`, ...override });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].extensions?.field).toBe(field);
    }
    expect(await appointmentRows(t, admin.organizationId)).toEqual(before);
    expect(await appointmentRows(t, other.organizationId)).toEqual(theirsBefore);
  });

  it('refuses a room of another clinic of the same organization', async () => {
    const second = await site(t, admin.token);
    const res = await book({ startsAt: `${tuesday}T15:00`, roomId: second.roomId });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe('input.roomId');
  });

  it('names who is double-booked: practitioner, room or client (CONFLICT), and stores nothing', async () => {
    const first = await book({ startsAt: `${tuesday}T09:00` });
    expect(first.errors).toBeUndefined();
    const before = await appointmentRows(t, admin.organizationId);
    const second = await site(t, admin.token);
    const otherClient = await insertClient(t, admin.organizationId);
    // Same practitioner, another client and no room.
    const p = await book({ startsAt: `${tuesday}T09:30`, clientId: otherClient, roomId: null });
    expect(codeOf(p)).toBe('CONFLICT');
    expect(p.errors?.[0].extensions).toMatchObject({ field: 'input.practitionerId', clash: 'PRACTITIONER' });
    // Another practitioner in the same room.
    const sameClinicPractitioner = await t.gql(
      `mutation P($input: CreatePractitionerInput!) { createPractitioner(input: $input) { id } }`,
      { input: { displayName: 'Second Hands', discipline: 'MASSAGE_THERAPIST', modalities: ['SWEDISH'], availability: [{ clinicId: s.clinicId, weekday: 2, start: '09:00', end: '17:00' }] } },
      admin.token,
    );
    const r = await book({ startsAt: `${tuesday}T09:30`, clientId: otherClient, practitionerId: sameClinicPractitioner.data?.createPractitioner.id });
    expect(codeOf(r)).toBe('CONFLICT');
    expect(r.errors?.[0].extensions).toMatchObject({ field: 'input.roomId', clash: 'ROOM' });
    // The same client with someone else at another clinic.
    const c = await t.gql(BOOK, { input: { clinicId: second.clinicId, practitionerId: second.practitionerId, clientId, startsAt: `${tuesday}T09:30`, durationMinutes: 60 } }, admin.token);
    expect(codeOf(c)).toBe('CONFLICT');
    expect(c.errors?.[0].extensions).toMatchObject({ field: 'input.clientId', clash: 'CLIENT' });
    expect(await appointmentRows(t, admin.organizationId)).toEqual(before);
  });

  it('50 concurrent bookings of one practitioner slot: exactly one wins, 49 CONFLICT, no overlap stored', async () => {
    const s2 = await site(t, admin.token);
    const date = nextWeekday('Europe/London', 3);
    const clients = await Promise.all(Array.from({ length: 50 }, () => insertClient(t, admin.organizationId)));
    const rooms = await Promise.all(
      clients.map(async (_c, i) => (await t.tdb.dataSource.query(`INSERT INTO room (organization_id, clinic_id, name) VALUES ($1, $2, $3) RETURNING id`, [admin.organizationId, s2.clinicId, `Race room ${i}`]))[0].id as string),
    );
    const results = await Promise.all(
      clients.map((c, i) =>
        t.gql(BOOK, { input: { clinicId: s2.clinicId, practitionerId: s2.practitionerId, roomId: rooms[i], clientId: c, startsAt: `${date}T11:00`, durationMinutes: 60 } }, admin.token),
      ),
    );
    const codes = results.map((r) => (r.errors ? codeOf(r) : 'OK'));
    expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
    expect(codes.filter((c) => c === 'CONFLICT')).toHaveLength(49);
    expect(results.filter((r) => r.errors).every((r) => r.errors?.[0].extensions?.clash === 'PRACTITIONER')).toBe(true);
    const overlaps = await t.tdb.dataSource.query(
      `SELECT count(*)::int AS n FROM appointment a JOIN appointment b ON a.id < b.id AND a.practitioner_id = b.practitioner_id
        AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
        WHERE a.status IN ('BOOKED','CHECKED_IN','COMPLETED') AND b.status IN ('BOOKED','CHECKED_IN','COMPLETED')`,
    );
    expect(overlaps[0].n).toBe(0);
    const stored = await t.tdb.dataSource.query(`SELECT count(*)::int AS n FROM appointment WHERE practitioner_id = $1`, [s2.practitionerId]);
    expect(stored[0].n).toBe(1);
  });

  it('reschedules: the old row is CANCELLED, the new one names it; a clash changes nothing', async () => {
    const booked = (await book({ startsAt: `${tuesday}T13:00` })).data?.bookAppointment;
    const res = await t.gql(RESCHEDULE, { id: booked.id, input: { startsAt: `${tuesday}T13:30`, reason: 'client asked' } }, admin.token);
    expect(res.errors).toBeUndefined();
    const moved = res.data?.rescheduleAppointment;
    expect(moved).toMatchObject({ localStart: `${tuesday}T13:30`, rescheduledFrom: booked.id, status: 'BOOKED' });
    const old = await t.gql(GET, { id: booked.id }, admin.token);
    expect(old.data?.appointment.status).toBe('CANCELLED');

    const blocker = (await book({ startsAt: `${tuesday}T15:00` })).data?.bookAppointment;
    expect(blocker).toBeTruthy();
    const before = await appointmentRows(t, admin.organizationId);
    const clash = await t.gql(RESCHEDULE, { id: moved.id, input: { startsAt: `${tuesday}T15:30` } }, admin.token);
    expect(codeOf(clash)).toBe('CONFLICT');
    expect(await appointmentRows(t, admin.organizationId)).toEqual(before);
    const outside = await t.gql(RESCHEDULE, { id: moved.id, input: { startsAt: `${tuesday}T07:00` } }, admin.token);
    expect(codeOf(outside)).toBe('BAD_USER_INPUT');
    expect(outside.errors?.[0].extensions?.field).toBe('input.startsAt');
    const again = await t.gql(RESCHEDULE, { id: booked.id, input: { startsAt: `${tuesday}T16:00` } }, admin.token);
    expect(codeOf(again)).toBe('CONFLICT');
    expect(await appointmentRows(t, admin.organizationId)).toEqual(before);
  });

  it('cancels late by the clinic’s policy, on time outside it, and never late when the clinic cancels', async () => {
    const zone = middayZone();
    const open = await site(t, admin.token, { timeZone: zone, openingHours: ALL_DAY, availability: ALL_DAY });
    const policy = await t.gql(UPDATE_CLINIC, { id: open.clinicId, input: { lateCancelHours: 72 } }, admin.token);
    expect(policy.data?.updateClinic.lateCancelHours).toBe(72);
    const bad = await t.gql(UPDATE_CLINIC, { id: open.clinicId, input: { lateCancelHours: 200 } }, admin.token);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.lateCancelHours' });
    const local = (days: number) => DateTime.now().setZone(zone).plus({ days }).toISODate();
    const at = (date: string | null, hh: string) => ({ clinicId: open.clinicId, practitionerId: open.practitionerId, clientId, startsAt: `${date}T${hh}`, durationMinutes: 30 });
    const soon = (await t.gql(BOOK, { input: at(local(1), '10:00') }, admin.token)).data?.bookAppointment;
    const later = (await t.gql(BOOK, { input: at(local(5), '10:00') }, admin.token)).data?.bookAppointment;
    const byClinic = (await t.gql(BOOK, { input: at(local(1), '14:00') }, admin.token)).data?.bookAppointment;

    const late = await t.gql(CANCEL, { id: soon.id, reason: 'feeling unwell' }, admin.token);
    expect(late.data?.cancelAppointment.appointment).toMatchObject({ status: 'LATE_CANCELLED', statusReason: 'feeling unwell' });
    const onTime = await t.gql(CANCEL, { id: later.id, reason: 'holiday' }, admin.token);
    expect(onTime.data?.cancelAppointment.appointment.status).toBe('CANCELLED');
    const clinicSide = await t.gql(CANCEL, { id: byClinic.id, reason: 'therapist ill', by: 'CLINIC' }, admin.token);
    expect(clinicSide.data?.cancelAppointment.appointment.status).toBe('CANCELLED');
    const twice = await t.gql(CANCEL, { id: soon.id, reason: 'again' }, admin.token);
    expect(codeOf(twice)).toBe('CONFLICT');
    const noReason = await t.gql(CANCEL, { id: later.id, reason: '  ' }, admin.token);
    expect(codeOf(noReason)).toBe('BAD_USER_INPUT');
    // A cancelled slot is free again.
    const rebook = await t.gql(BOOK, { input: at(local(1), '10:00') }, admin.token);
    expect(rebook.errors).toBeUndefined();
  });

  it('checks in on the day only, completes after check-in, and marks a no-show only after the start', async () => {
    const zone = middayZone();
    const open = await site(t, admin.token, { timeZone: zone, openingHours: ALL_DAY, availability: ALL_DAY });
    const c = await insertClient(t, admin.organizationId);
    const inAnHour = DateTime.now().setZone(zone).plus({ hours: 1 }).startOf('minute');
    const today = (await t.gql(BOOK, { input: { clinicId: open.clinicId, practitionerId: open.practitionerId, clientId: c, startsAt: inAnHour.toFormat("yyyy-MM-dd'T'HH:mm"), durationMinutes: 30 } }, admin.token)).data?.bookAppointment;
    const tomorrow = (await t.gql(BOOK, { input: { clinicId: open.clinicId, practitionerId: open.practitionerId, clientId: c, startsAt: inAnHour.plus({ days: 1 }).toFormat("yyyy-MM-dd'T'HH:mm"), durationMinutes: 30 } }, admin.token)).data?.bookAppointment;

    const early = await t.gql(CHECK_IN, { id: tomorrow.id }, admin.token);
    expect(early.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const notYet = await t.gql(COMPLETE, { id: today.id }, admin.token);
    expect(codeOf(notYet)).toBe('CONFLICT');
    const noShowTooEarly = await t.gql(NO_SHOW, { id: today.id }, admin.token);
    expect(noShowTooEarly.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });

    const checked = await t.gql(CHECK_IN, { id: today.id }, admin.token);
    expect(checked.data?.checkIn.status).toBe('CHECKED_IN');
    const done = await t.gql(COMPLETE, { id: today.id }, admin.token);
    expect(done.data?.completeAppointment.status).toBe('COMPLETED');

    const past = await insertAppointment(t, { organizationId: admin.organizationId, clinicId: open.clinicId, practitionerId: open.practitionerId, clientId: c, userId: admin.userId, startsAt: new Date(Date.now() - 3 * 3600000) });
    const noShow = await t.gql(NO_SHOW, { id: past }, admin.token);
    expect(noShow.data?.markNoShow.appointment.status).toBe('NO_SHOW');
    const cancelledCheckIn = await t.gql(CHECK_IN, { id: past }, admin.token);
    expect(codeOf(cancelledCheckIn)).toBe('CONFLICT');
  });

  it('shows a clinic’s calendar in local time, per practitioner and room, in a fixed number of statements', async () => {
    const cal = await site(t, admin.token);
    const date = nextWeekday('Europe/London', 4);
    const statementsFor = async () => {
      t.tdb.queries.length = 0;
      const res = await t.gql(CALENDAR, { clinicId: cal.clinicId, from: date, days: 7 }, admin.token);
      expect(res.errors).toBeUndefined();
      return { statements: t.tdb.queries.length, calendar: res.data?.calendar };
    };
    const c0 = await insertClient(t, admin.organizationId, 'Zed First');
    await t.gql(BOOK, { input: { clinicId: cal.clinicId, practitionerId: cal.practitionerId, roomId: cal.roomId, clientId: c0, startsAt: `${date}T09:00`, durationMinutes: 45 } }, admin.token);
    const small = await statementsFor();
    expect(small.calendar.appointments).toHaveLength(1);
    expect(small.calendar.appointments[0]).toMatchObject({ localStart: `${date}T09:00`, localEnd: `${date}T09:45`, clientName: 'Zed First' });
    for (let i = 0; i < 11; i++) {
      const extra = await site(t, admin.token);
      await t.gql(`mutation S($id: ID!, $w: [AvailabilityInput!]!) { setPractitionerAvailability(practitionerId: $id, windows: $w) { id } }`, { id: extra.practitionerId, w: [{ clinicId: cal.clinicId, weekday: 4, start: '09:00', end: '17:00' }] }, admin.token);
      const room = await t.gql(`mutation R($input: CreateRoomInput!) { createRoom(input: $input) { id } }`, { input: { clinicId: cal.clinicId, name: `Cal room ${i}` } }, admin.token);
      const c = await insertClient(t, admin.organizationId);
      const res = await t.gql(BOOK, { input: { clinicId: cal.clinicId, practitionerId: extra.practitionerId, roomId: room.data?.createRoom.id, clientId: c, startsAt: `${date}T${String(9 + (i % 7)).padStart(2, '0')}:00`, durationMinutes: 60 } }, admin.token);
      expect(res.errors).toBeUndefined();
    }
    const large = await statementsFor();
    expect(large.calendar.appointments).toHaveLength(12);
    expect(large.calendar.byPractitioner).toHaveLength(12);
    expect(large.calendar.byRoom).toHaveLength(12);
    expect(large.statements).toBe(small.statements);
    // One transaction for the request (docs/architecture.md): BEGIN, session + membership, the reads, COMMIT.
    expect(large.statements).toBeLessThanOrEqual(8);

    const filtered = await t.gql(CALENDAR, { clinicId: cal.clinicId, from: date, days: 1, practitionerId: cal.practitionerId }, admin.token);
    expect(filtered.data?.calendar.appointments).toHaveLength(1);
    const tooLong = await t.gql(CALENDAR, { clinicId: cal.clinicId, from: date, days: 8 }, admin.token);
    expect(tooLong.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'days' });
  });

  it('lets front desk book at their clinic but not at another', async () => {
    const desk = await member(t, admin.organizationId, 'FRONT_DESK', [s.clinicId]);
    const elsewhere = await site(t, admin.token);
    const ok = await book({ startsAt: `${tuesday}T16:00`, roomId: null }, desk.token);
    expect(ok.errors).toBeUndefined();
    const denied = await t.gql(BOOK, { input: { clinicId: elsewhere.clinicId, practitionerId: elsewhere.practitionerId, clientId, startsAt: `${nextWeekday('Europe/London', 5)}T10:00`, durationMinutes: 60 } }, desk.token);
    expect(codeOf(denied)).toBe('FORBIDDEN');
  });

  it('another organization can reach none of it', async () => {
    const a = (await book({ startsAt: `${nextWeekday('Europe/London', 5)}T10:00` })).data?.bookAppointment;
    expect(a).toBeTruthy();
    const before = await appointmentRows(t, admin.organizationId);
    expect((await t.gql(GET, { id: a.id }, other.token)).data?.appointment).toBeNull();
    for (const [query, vars] of [
      [RESCHEDULE, { id: a.id, input: { startsAt: `${tuesday}T10:00` } }],
      [CANCEL, { id: a.id, reason: 'x' }],
      [NO_SHOW, { id: a.id }],
      [CHECK_IN, { id: a.id }],
      [COMPLETE, { id: a.id }],
    ] as const) {
      const res = await t.gql(query, vars, other.token);
      expect(codeOf(res)).toBe('NOT_FOUND');
    }
    const cal = await t.gql(CALENDAR, { clinicId: s.clinicId, from: tuesday, days: 7 }, other.token);
    expect(codeOf(cal)).toBe('NOT_FOUND');
    expect(await appointmentRows(t, admin.organizationId)).toEqual(before);
  });
});
