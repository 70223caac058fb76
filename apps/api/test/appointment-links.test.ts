import { signLinkToken } from '@fascia/jobs';
import { codeOf, startTestApi, TEST_SECRET, type TestApi } from './harness';
import { APPOINTMENT_FIELDS, BOOK, insertClient, insertPlan, nextWeekday, site, type Site } from './appointments.fixtures';

const CONFIRM = `mutation C($token: String!) { confirmAppointmentByLink(token: $token) { appointmentId status startsAt localStart timeZone clinicName practitionerName clientConfirmedAt } }`;
const APPOINTMENT = `query A($id: ID!) { appointment(id: $id) { id status clientConfirmedAt } }`;
const CANCEL_LINK = `mutation X($token: String!) { cancelAppointmentByLink(token: $token) { appointmentId status startsAt } }`;
const CANCEL = `mutation C($id: ID!, $reason: String!) { cancelAppointment(id: $id, reason: $reason) { appointment { id status } } }`;
const RESCHEDULE = `mutation R($id: ID!, $input: RescheduleAppointmentInput!) { rescheduleAppointment(id: $id, input: $input) { id startsAt } }`;

describe('reminders hook and the links in reminders (issue 5)', () => {
  let t: TestApi;
  let admin: Awaited<ReturnType<TestApi['orgWithAdmin']>>;
  let s: Site;
  let clientId: string;
  let day: string;
  beforeAll(async () => {
    t = await startTestApi();
    admin = await t.orgWithAdmin('Link Chain');
    s = await site(t, admin.token, { availability: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '18:00' })), openingHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '18:00' })) });
    clientId = await insertClient(t, admin.organizationId, 'Lin Client');
    day = nextWeekday('Europe/London', 3);
  });
  afterAll(() => t.stop());

  let hour = 8;
  /** The next free hour of the day, or `at` (an ISO instant). */
  const book = async (at?: string) => {
    if (hour === 15 && !at) hour++; // 16:00 is taken by the reschedule of the first test
    const res = await t.gql(BOOK, { input: { clinicId: s.clinicId, practitionerId: s.practitionerId, roomId: s.roomId, clientId, durationMinutes: 30, startsAt: at ?? `${day}T${String(++hour).padStart(2, '0')}:00` } }, admin.token);
    if (!res.data) throw new Error(JSON.stringify(res.errors));
    return res.data.bookAppointment as { id: string; startsAt: string };
  };
  const outbox = (appointmentId: string) =>
    t.tdb.dataSource.query(`SELECT job_name, payload FROM outbox_message WHERE payload->>'appointmentId' = $1 ORDER BY created_at`, [appointmentId]) as Promise<{ job_name: string; payload: Record<string, string> }[]>;
  const link = (purpose: 'appointment-confirm' | 'appointment-cancel', a: { id: string; startsAt: string }, secret = TEST_SECRET) => signLinkToken(purpose, a.id, new Date(a.startsAt), secret);

  it('every appointment write enqueues appointment.changed in its transaction: booking, cancelling, rescheduling', async () => {
    const a = await book();
    expect(await outbox(a.id)).toEqual([{ job_name: 'appointment.changed', payload: { organizationId: admin.organizationId, appointmentId: a.id } }]);
    await t.gql(CANCEL, { id: a.id, reason: 'Client called' }, admin.token);
    expect(await outbox(a.id)).toHaveLength(2);
    const b = await book();
    const moved = await t.gql(RESCHEDULE, { id: b.id, input: { startsAt: `${day}T16:00` } }, admin.token);
    expect(moved.errors).toBeUndefined();
    expect(await outbox(b.id)).toHaveLength(2); // booked, then replaced
    expect(await outbox(moved.data?.rescheduleAppointment.id)).toHaveLength(1); // the new row, booked
  });

  it('a failed booking (double booking refused) leaves no job', async () => {
    const a = await book();
    const before = (await t.tdb.dataSource.query(`SELECT count(*)::int AS n FROM outbox_message`))[0].n;
    const again = await t.gql(BOOK, { input: { clinicId: s.clinicId, practitionerId: s.practitionerId, roomId: s.roomId, clientId, durationMinutes: 30, startsAt: new Date(a.startsAt).toISOString() } }, admin.token);
    expect(codeOf(again)).toBe('CONFLICT');
    expect((await t.tdb.dataSource.query(`SELECT count(*)::int AS n FROM outbox_message`))[0].n).toBe(before);
  });

  it('the confirm link is honoured once, without signing in', async () => {
    const a = await book();
    const first = await t.gql(CONFIRM, { token: link('appointment-confirm', a) });
    expect(first.errors).toBeUndefined();
    expect(first.data?.confirmAppointmentByLink).toMatchObject({ appointmentId: a.id, status: 'BOOKED' });
    const second = await t.gql(CONFIRM, { token: link('appointment-confirm', a) });
    expect(codeOf(second)).toBe('CONFLICT');
    expect(second.errors?.[0].message).toMatch(/already been used/);
  });

  it('refuses a forged, a wrong-purpose or a stale link (the appointment moved)', async () => {
    const a = await book();
    expect(codeOf(await t.gql(CONFIRM, { token: link('appointment-confirm', a, 'another-secret') }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.gql(CONFIRM, { token: link('appointment-cancel', a) }))).toBe('BAD_USER_INPUT');
    const stale = { id: a.id, startsAt: new Date(new Date(a.startsAt).getTime() + 3600_000).toISOString() };
    expect(codeOf(await t.gql(CONFIRM, { token: link('appointment-confirm', stale) }))).toBe('CONFLICT');
  });

  it('the cancel link cancels as the client (late-cancel rules apply), once, and enqueues the reminder reconcile', async () => {
    const a = await book();
    const res = await t.gql(CANCEL_LINK, { token: link('appointment-cancel', a) });
    expect(res.errors).toBeUndefined();
    // Booked days ahead, beyond the default 24 h: an ordinary cancellation.
    expect(res.data?.cancelAppointmentByLink).toMatchObject({ appointmentId: a.id, status: 'CANCELLED' });
    expect(await outbox(a.id)).toHaveLength(2);
    expect(codeOf(await t.gql(CANCEL_LINK, { token: link('appointment-cancel', a) }))).toBe('CONFLICT');
    const uses = await t.tdb.dataSource.query(`SELECT purpose FROM appointment_link_use WHERE appointment_id = $1`, [a.id]);
    expect(uses).toEqual([{ purpose: 'appointment-cancel' }]);
  });
  it('a plan session cancelled from its link is booked again and the rest of the plan shifts (the link has no user)', async () => {
    const planClient = await insertClient(t, admin.organizationId, 'Plan Link Client');
    const { planId } = await insertPlan(t, { organizationId: admin.organizationId, clientId: planClient, clinicId: s.clinicId, practitionerId: s.practitionerId, userId: admin.userId });
    const series = await t.gql(
      `mutation S($input: BookPlanSeriesInput!) { bookPlanSeries(input: $input) { appointments { ${APPOINTMENT_FIELDS} } } }`,
      { input: { planId, clinicId: s.clinicId, practitionerId: s.practitionerId, startFrom: nextWeekday('Europe/London', 1, 14) } },
      admin.token,
    );
    expect(series.errors).toBeUndefined();
    const first = series.data?.bookPlanSeries.appointments[0] as { id: string; startsAt: string; sessionNumber: number };
    const res = await t.gql(CANCEL_LINK, { token: link('appointment-cancel', first) });
    expect(res.errors).toBeUndefined();
    expect(res.data?.cancelAppointmentByLink).toMatchObject({ appointmentId: first.id, status: 'CANCELLED' });
    const [rebooked] = await t.tdb.dataSource.query(`SELECT created_by, status FROM appointment WHERE rescheduled_from = $1`, [first.id]);
    expect(rebooked).toEqual({ created_by: admin.userId, status: 'BOOKED' });
  });

  it('stores the confirmation on the appointment (clientConfirmedAt) and says where and when; the link again is ALREADY_USED and changes nothing', async () => {
    const a = await book();
    const before = await t.gql(APPOINTMENT, { id: a.id }, admin.token);
    expect(before.data?.appointment.clientConfirmedAt).toBeNull();
    const [{ updated_at: updatedBefore }] = await t.tdb.dataSource.query(`SELECT updated_at FROM appointment WHERE id = $1`, [a.id]);
    const first = await t.gql(CONFIRM, { token: link('appointment-confirm', a) });
    expect(first.errors).toBeUndefined();
    const result = first.data?.confirmAppointmentByLink;
    expect(result).toMatchObject({ appointmentId: a.id, status: 'BOOKED', timeZone: 'Europe/London', localStart: `${day}T${String(hour).padStart(2, '0')}:00` });
    expect(result.clinicName).toEqual(expect.any(String));
    expect(result.practitionerName).toEqual(expect.any(String));
    expect(result.clientConfirmedAt).toEqual(expect.any(String));
    const after = await t.gql(APPOINTMENT, { id: a.id }, admin.token);
    expect(after.data?.appointment).toEqual({ id: a.id, status: 'BOOKED', clientConfirmedAt: result.clientConfirmedAt });
    // The calendar shows it too (helper B2's calendar reads Appointment.clientConfirmedAt).
    const cal = await t.gql(`query C($c: ID!, $from: String!) { calendar(clinicId: $c, from: $from, days: 1) { appointments { id clientConfirmedAt } } }`, { c: s.clinicId, from: day }, admin.token);
    expect(cal.errors).toBeUndefined();
    expect(cal.data?.calendar.appointments.find((x: { id: string }) => x.id === a.id)).toEqual({ id: a.id, clientConfirmedAt: result.clientConfirmedAt });
    // Not an appointment change: updated_at kept, no reminder reconcile enqueued.
    const [{ updated_at: updatedAfter }] = await t.tdb.dataSource.query(`SELECT updated_at FROM appointment WHERE id = $1`, [a.id]);
    expect(updatedAfter).toEqual(updatedBefore);
    expect(await outbox(a.id)).toHaveLength(1);
    const again = await t.gql(CONFIRM, { token: link('appointment-confirm', a) });
    expect({ code: codeOf(again), reason: again.errors?.[0].extensions?.reason }).toEqual({ code: 'CONFLICT', reason: 'ALREADY_USED' });
    const still = await t.gql(APPOINTMENT, { id: a.id }, admin.token);
    expect(still.data?.appointment.clientConfirmedAt).toBe(result.clientConfirmedAt);
  });

  it('names why a link is refused: INVALID (forged), TOO_LATE (the appointment has started), CHANGED (moved or cancelled), ALREADY_USED (cancel twice)', async () => {
    const a = await book();
    const reasonOf = async (query: string, token: string) => {
      const res = await t.gql(query, { token });
      return { code: codeOf(res), reason: res.errors?.[0].extensions?.reason };
    };
    expect(await reasonOf(CONFIRM, link('appointment-confirm', a, 'another-secret'))).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID' });
    expect(await reasonOf(CONFIRM, 'not-a-token')).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID' });
    // A link signed for a start already past: expired.
    const past = { id: a.id, startsAt: new Date(Date.now() - 3600_000).toISOString() };
    expect(await reasonOf(CONFIRM, link('appointment-confirm', past))).toEqual({ code: 'BAD_USER_INPUT', reason: 'TOO_LATE' });
    const stale = { id: a.id, startsAt: new Date(new Date(a.startsAt).getTime() + 3600_000).toISOString() };
    expect(await reasonOf(CONFIRM, link('appointment-confirm', stale))).toEqual({ code: 'CONFLICT', reason: 'CHANGED' });
    await t.gql(CANCEL, { id: a.id, reason: 'Clinic closed' }, admin.token);
    expect(await reasonOf(CONFIRM, link('appointment-confirm', a))).toEqual({ code: 'CONFLICT', reason: 'CHANGED' });
    expect(await reasonOf(CANCEL_LINK, link('appointment-cancel', a))).toEqual({ code: 'CONFLICT', reason: 'CHANGED' });
    const b = await book(new Date(a.startsAt).toISOString()); // a's time, free again
    expect((await t.gql(CANCEL_LINK, { token: link('appointment-cancel', b) })).errors).toBeUndefined();
    expect(await reasonOf(CANCEL_LINK, link('appointment-cancel', b))).toEqual({ code: 'CONFLICT', reason: 'ALREADY_USED' });
    // Nothing of a refused confirm is stored.
    const [row] = await t.tdb.dataSource.query(`SELECT client_confirmed_at FROM appointment WHERE id = $1`, [a.id]);
    expect(row.client_confirmed_at).toBeNull();
  });
});
