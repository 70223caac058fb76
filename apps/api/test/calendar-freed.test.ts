import { startTestApi, type TestApi } from './harness';
import { BOOK, insertClient, nextWeekday, site, type Site } from './appointments.fixtures';

/**
 * `calendar(includeFreed: true)`: the admin calendar lists the day's cancelled, late-cancelled
 * and no-show appointments beside the booked ones (a late cancellation is shown as such). Same
 * single read as without it: the statement count does not change, however many there are.
 */
const CALENDAR = `query Cal($clinicId: ID!, $from: String!, $includeFreed: Boolean) {
  calendar(clinicId: $clinicId, from: $from, days: 7, includeFreed: $includeFreed) {
    appointments { id status statusReason clientName practitioner { displayName } room { name } }
    byPractitioner { practitioner { displayName } appointments { id } }
  } }`;
const CANCEL = `mutation C($id: ID!, $reason: String!) { cancelAppointment(id: $id, reason: $reason, cancelledBy: CLINIC) { appointment { id status } } }`;

describe('the calendar with freed appointments', () => {
  let t: TestApi;
  let admin: Awaited<ReturnType<TestApi['orgWithAdmin']>>;
  let s: Site;
  let date: string;
  beforeAll(async () => {
    t = await startTestApi();
    admin = await t.orgWithAdmin('Freed Calendar Chain');
    s = await site(t, admin.token);
    date = nextWeekday('Europe/London', 3);
  });
  afterAll(() => t.stop());

  const read = async (includeFreed?: boolean) => {
    t.tdb.queries.length = 0;
    const res = await t.gql(CALENDAR, { clinicId: s.clinicId, from: date, ...(includeFreed === undefined ? {} : { includeFreed }) }, admin.token);
    expect(res.errors).toBeUndefined();
    return { statements: t.tdb.queries.length, appointments: res.data?.calendar.appointments as { id: string; status: string }[] };
  };

  const bookAt = async (time: string) => {
    const clientId = await insertClient(t, admin.organizationId);
    const res = await t.gql(BOOK, { input: { clinicId: s.clinicId, practitionerId: s.practitionerId, roomId: s.roomId, clientId, startsAt: `${date}T${time}`, durationMinutes: 45 } }, admin.token);
    expect(res.errors).toBeUndefined();
    return res.data?.bookAppointment.id as string;
  };

  it('leaves freed appointments out by default and lists them with their status on request, in the same statements', async () => {
    const kept = await bookAt('09:00');
    const first = await read(true);
    for (let i = 0; i < 6; i++) {
      const id = await bookAt(`${String(10 + i).padStart(2, '0')}:00`);
      const c = await t.gql(CANCEL, { id, reason: 'Clinic closed early' }, admin.token);
      expect(c.data?.cancelAppointment.appointment.status).toBe('CANCELLED');
    }
    const plain = await read();
    expect(plain.appointments.map((a) => a.id)).toEqual([kept]);
    const freed = await read(true);
    expect(freed.appointments).toHaveLength(7);
    expect(freed.appointments.filter((a) => a.status === 'CANCELLED')).toHaveLength(6);
    expect(freed.appointments[0]).toMatchObject({ id: kept, status: 'BOOKED' });
    // One read whatever the statuses asked for and however many rows come back.
    expect(freed.statements).toBe(plain.statements);
    expect(freed.statements).toBe(first.statements);
  });
});
