import { codeOf, startTestApi, type TestApi } from './harness';
import { appointmentRows, BOOK, insertAppointment, insertClient, insertPlan, member, nextWeekday, site, type Site } from './appointments.fixtures';

/**
 * Clinic scope on scheduling (docs/api.md, "Clinic scope"): booking needs a client the caller
 * reaches and a plan of a clinic the caller reaches; an appointment belongs to its clinic, so
 * reads and writes of another clinic's appointments (and its calendar) are refused — and each
 * refusal leaves a DENIED audit event naming the record, committed although the write rolls back.
 */
const SERIES = `mutation S($input: BookPlanSeriesInput!) { bookPlanSeries(input: $input) { seriesId appointments { id } } }`;
const RESCHEDULE = `mutation R($id: ID!, $input: RescheduleAppointmentInput!) { rescheduleAppointment(id: $id, input: $input) { id } }`;
const CANCEL = `mutation C($id: ID!, $reason: String!) { cancelAppointment(id: $id, reason: $reason) { appointment { id } } }`;
const NO_SHOW = `mutation N($id: ID!) { markNoShow(id: $id) { appointment { id } } }`;
const CHECK_IN = `mutation I($id: ID!) { checkIn(id: $id) { id } }`;
const COMPLETE = `mutation D($id: ID!) { completeAppointment(id: $id) { id } }`;
const GET = `query G($id: ID!) { appointment(id: $id) { id } }`;
const CALENDAR = `query Cal($clinicId: ID!, $from: String!) { calendar(clinicId: $clinicId, from: $from, days: 7) { appointments { id } } }`;
const RECORD_R = `mutation R($input: RecordReassessmentInput!) { recordReassessment(input: $input) { id appointmentId } }`;
const measures = { pain: [{ complaintId: 'lb', score: 3 }], odi: 15 };

describe('clinic scope on bookings and appointments', () => {
  let t: TestApi;
  let admin: Awaited<ReturnType<TestApi['orgWithAdmin']>>;
  let here: Site;
  let there: Site;
  /** Limited to `here`. */
  let desk: { userId: string; token: string };
  let manager: { userId: string; token: string };
  /** Registered only at `there`. */
  let clientThere: string;
  /** Registered at both clinics. */
  let clientBoth: string;
  /** A plan made at `there` for the client registered at both. */
  let planThere: string;
  /** A booked appointment at `there`. */
  let apptThere: string;
  let day: string;

  const denials = async (userId: string): Promise<string[]> =>
    (
      await t.tdb.dataSource.query(`SELECT action, record_type, record_id FROM audit_event WHERE actor_user_id = $1 AND outcome = 'DENIED' ORDER BY occurred_at, id`, [userId])
    ).map((r: { action: string; record_type: string; record_id: string }) => `${r.action} ${r.record_type} ${r.record_id}`);

  beforeAll(async () => {
    t = await startTestApi();
    admin = await t.orgWithAdmin('Booking Scope Chain');
    here = await site(t, admin.token);
    there = await site(t, admin.token);
    desk = await member(t, admin.organizationId, 'FRONT_DESK', [here.clinicId]);
    manager = await member(t, admin.organizationId, 'CLINIC_MANAGER', [here.clinicId]);
    clientThere = await insertClient(t, admin.organizationId, 'Tess There', [there.clinicId]);
    clientBoth = await insertClient(t, admin.organizationId, 'Bo Both', [here.clinicId, there.clinicId]);
    planThere = (await insertPlan(t, { organizationId: admin.organizationId, clientId: clientBoth, clinicId: there.clinicId, practitionerId: there.practitionerId, userId: admin.userId })).planId;
    day = nextWeekday('Europe/London', 2);
    const booked = await t.gql(BOOK, { input: { clinicId: there.clinicId, practitionerId: there.practitionerId, clientId: clientBoth, startsAt: `${day}T09:00`, durationMinutes: 60 } }, admin.token);
    expect(booked.errors).toBeUndefined();
    apptThere = booked.data?.bookAppointment.id;
  });
  afterAll(() => t.stop());

  const bookHere = (clientId: string, token: string, extra: Record<string, unknown> = {}) =>
    t.gql(BOOK, { input: { clinicId: here.clinicId, practitionerId: here.practitionerId, clientId, startsAt: `${day}T11:00`, durationMinutes: 30, ...extra } }, token);

  it('refuses to book, at the caller’s own clinic, a client seen only at another clinic (FORBIDDEN), and audits it against the client', async () => {
    const before = await appointmentRows(t, admin.organizationId);
    const res = await bookHere(clientThere, desk.token);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'input.clientId' });
    expect(res.errors?.[0].message).toMatch(/client is not registered at, and has no records at, a clinic your role reaches/);
    expect(await appointmentRows(t, admin.organizationId)).toEqual(before);
    expect(await denials(desk.userId)).toEqual([`appointment.book client ${clientThere}`]);
    // A client registered at the caller's clinic is booked; so is any client by an organization admin.
    const ok = await bookHere(clientBoth, desk.token);
    expect(ok.errors).toBeUndefined();
    expect((await t.gql(CANCEL, { id: ok.data?.bookAppointment.id, reason: 'Test over' }, desk.token)).errors).toBeUndefined();
    const byAdmin = await bookHere(clientThere, admin.token, { startsAt: `${day}T13:00` });
    expect(byAdmin.errors).toBeUndefined();
    expect((await t.gql(CANCEL, { id: byAdmin.data?.bookAppointment.id, reason: 'Test over' }, admin.token)).errors).toBeUndefined();
  });

  it('refuses another clinic’s plan to bookAppointment and bookPlanSeries (FORBIDDEN), audited against the plan', async () => {
    const before = await appointmentRows(t, admin.organizationId);
    const single = await bookHere(clientBoth, manager.token, { planId: planThere, startsAt: `${day}T12:00` });
    expect(single.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'input.planId' });
    expect(single.errors?.[0].message).toMatch(/treatment plan belongs to a clinic your role does not reach/);
    const series = await t.gql(SERIES, { input: { planId: planThere, clinicId: here.clinicId, practitionerId: here.practitionerId, startFrom: day } }, manager.token);
    expect(series.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'input.planId' });
    expect(await appointmentRows(t, admin.organizationId)).toEqual(before);
    expect(await denials(manager.userId)).toEqual([`appointment.book plan ${planThere}`, `appointment.series_book plan ${planThere}`]);
  });

  it('refuses reads and writes of another clinic’s appointment and its calendar, each audited as DENIED', async () => {
    const front = await member(t, admin.organizationId, 'FRONT_DESK', [here.clinicId]);
    const before = await appointmentRows(t, admin.organizationId);
    const read = await t.gql(GET, { id: apptThere }, front.token);
    expect(read.errors).toBeUndefined();
    expect(read.data?.appointment).toBeNull();
    const writes = [
      [RESCHEDULE, { id: apptThere, input: { startsAt: `${day}T14:00` } }],
      [CANCEL, { id: apptThere, reason: 'Not ours' }],
      [NO_SHOW, { id: apptThere }],
      [CHECK_IN, { id: apptThere }],
      [COMPLETE, { id: apptThere }],
    ] as const;
    for (const [mutation, vars] of writes) {
      const res = await t.gql(mutation, vars, front.token);
      expect(codeOf(res)).toBe('FORBIDDEN');
      expect(res.errors?.[0].message).toMatch(/appointment belongs to a clinic your role does not reach/);
    }
    const cal = await t.gql(CALENDAR, { clinicId: there.clinicId, from: day }, front.token);
    expect(cal.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'clinicId' });
    const elsewhere = await t.gql(BOOK, { input: { clinicId: there.clinicId, practitionerId: there.practitionerId, clientId: clientBoth, startsAt: `${day}T15:00`, durationMinutes: 30 } }, front.token);
    expect(elsewhere.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'input.clinicId' });
    expect(await appointmentRows(t, admin.organizationId)).toEqual(before);
    expect(await denials(front.userId)).toEqual([
      `appointment.read appointment ${apptThere}`,
      `appointment.reschedule appointment ${apptThere}`,
      `appointment.cancel appointment ${apptThere}`,
      `appointment.no_show appointment ${apptThere}`,
      `appointment.checked_in appointment ${apptThere}`,
      `appointment.completed appointment ${apptThere}`,
      `calendar.read clinic ${there.clinicId}`,
      `appointment.book clinic ${there.clinicId}`,
    ]);
    // The clinic's own staff read it and its calendar.
    expect((await t.gql(GET, { id: apptThere }, admin.token)).data?.appointment).toEqual({ id: apptThere });
    expect((await t.gql(CALENDAR, { clinicId: here.clinicId, from: day }, front.token)).errors).toBeUndefined();
  });

  it('refuses a re-assessment that names an appointment at another clinic (FORBIDDEN), audited against the appointment', async () => {
    const clientId = await insertClient(t, admin.organizationId, 'Re Assessed', [here.clinicId, there.clinicId]);
    const { planId } = await insertPlan(t, { organizationId: admin.organizationId, clientId, clinicId: here.clinicId, practitionerId: here.practitionerId, userId: admin.userId });
    const given = (s: Site, hour: number) =>
      insertAppointment(t, { organizationId: admin.organizationId, clinicId: s.clinicId, practitionerId: s.practitionerId, clientId, userId: admin.userId, startsAt: new Date(Date.UTC(2025, 5, 2, hour)), status: 'COMPLETED' });
    const atThere = await given(there, 9);
    const atHere = await given(here, 14);
    const count = async () => (await t.tdb.dataSource.query(`SELECT count(*)::int AS n FROM reassessment WHERE plan_id = $1`, [planId]))[0].n;

    const res = await t.gql(RECORD_R, { input: { planId, measures, appointmentId: atThere } }, manager.token);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'input.appointmentId' });
    expect(res.errors?.[0].message).toMatch(/appointment belongs to a clinic your role does not reach/);
    expect(await count()).toBe(0);
    expect(await denials(manager.userId)).toContain(`reassessment.create appointment ${atThere}`);
    // An appointment at a clinic the caller reaches is named.
    const ok = await t.gql(RECORD_R, { input: { planId, measures, appointmentId: atHere } }, manager.token);
    expect(ok.errors).toBeUndefined();
    expect(ok.data?.recordReassessment.appointmentId).toBe(atHere);
  });
});
