import type { Clock } from '@fascia/db';
import { DateTime } from 'luxon';
import { codeOf, startTestApi, type TestApi } from './harness';
import { APPOINTMENT_FIELDS, appointmentRows, BOOK, insertClient, insertPlan, member, site, type Site } from './appointments.fixtures';

const SERIES = `mutation S($input: BookPlanSeriesInput!) { bookPlanSeries(input: $input) { seriesId appointments { id localStart } } }`;
const RESCHEDULE = `mutation R($id: ID!, $input: RescheduleAppointmentInput!) { rescheduleAppointment(id: $id, input: $input) { ${APPOINTMENT_FIELDS} } }`;
const UPDATE_CLINIC = `mutation U($id: ID!, $input: UpdateClinicInput!) { updateClinic(id: $id, input: $input) { id maxBookingHorizonDays } }`;
const CLINIC = `query C($id: ID!) { clinic(id: $id) { id maxBookingHorizonDays } }`;

// The API runs on a fixed clock: Tuesday 1 December 2026, 12:00 in London. Today + 365 days is 2027-12-01.
const NOW = new Date('2026-12-01T12:00:00Z');
const clock: Clock = { now: () => NOW };

describe('how far ahead a clinic takes bookings (maxBookingHorizonDays)', () => {
  let t: TestApi;
  let admin: Awaited<ReturnType<TestApi['orgWithAdmin']>>;
  let s: Site;
  let clientId: string;
  beforeAll(async () => {
    t = await startTestApi({ clock });
    admin = await t.orgWithAdmin('Horizon Chain');
    // Open and available every day, so only the horizon can refuse.
    const allWeek = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '19:00' }));
    s = await site(t, admin.token, { openingHours: allWeek, availability: allWeek });
    clientId = await insertClient(t, admin.organizationId, 'Hope Ahead');
  });
  afterAll(() => t.stop());

  const book = (startsAt: string) =>
    t.gql(BOOK, { input: { clinicId: s.clinicId, practitionerId: s.practitionerId, roomId: s.roomId, clientId, durationMinutes: 60, startsAt } }, admin.token);

  it('defaults to 365 days, shown on the clinic', async () => {
    const res = await t.gql(CLINIC, { id: s.clinicId }, admin.token);
    expect(res.data?.clinic.maxBookingHorizonDays).toBe(365);
  });

  it('refuses a booking in the year 9999, naming the field and the latest allowed date in the clinic’s zone', async () => {
    const before = await appointmentRows(t, admin.organizationId);
    const res = await book('9999-01-04T10:00');
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe('input.startsAt');
    expect(res.errors?.[0].extensions?.latest).toBe('2027-12-01');
    expect(res.errors?.[0].message).toMatch(/2027-12-01 \(Europe\/London\)/);
    expect(await appointmentRows(t, admin.organizationId)).toEqual(before);
  });

  it('takes the last day of the horizon and refuses the day after', async () => {
    expect((await book('2027-12-01T10:00')).errors).toBeUndefined();
    const res = await book('2027-12-02T10:00');
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toMatch(/latest start date is 2027-12-01/);
  });

  it('refuses a plan series starting beyond it (a series from 9990 used to book every session) and books nothing', async () => {
    const { planId } = await insertPlan(t, { organizationId: admin.organizationId, clientId, clinicId: s.clinicId, practitionerId: s.practitionerId, userId: admin.userId });
    const before = await appointmentRows(t, admin.organizationId);
    const res = await t.gql(SERIES, { input: { planId, clinicId: s.clinicId, practitionerId: s.practitionerId, startFrom: '9990-01-01' } }, admin.token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe('input.startFrom');
    expect(res.errors?.[0].message).toMatch(/2027-12-01/);
    expect(await appointmentRows(t, admin.organizationId)).toEqual(before);
  });

  it('refuses a reschedule beyond it', async () => {
    const booked = await book('2026-12-10T09:00');
    const res = await t.gql(RESCHEDULE, { id: booked.data?.bookAppointment.id, input: { startsAt: '2099-06-01T09:00' } }, admin.token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe('input.startsAt');
  });

  it('is set by an organization admin or the clinic’s manager, 1 to 1095 days, and then applies', async () => {
    const manager = await member(t, admin.organizationId, 'CLINIC_MANAGER', [s.clinicId]);
    const frontDesk = await member(t, admin.organizationId, 'FRONT_DESK', [s.clinicId]);
    expect(codeOf(await t.gql(UPDATE_CLINIC, { id: s.clinicId, input: { maxBookingHorizonDays: 30 } }, frontDesk.token))).toBe('FORBIDDEN');
    for (const bad of [0, 1096]) {
      const res = await t.gql(UPDATE_CLINIC, { id: s.clinicId, input: { maxBookingHorizonDays: bad } }, admin.token);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].extensions?.field).toBe('input.maxBookingHorizonDays');
    }
    const set = await t.gql(UPDATE_CLINIC, { id: s.clinicId, input: { maxBookingHorizonDays: 30 } }, manager.token);
    expect(set.data?.updateClinic.maxBookingHorizonDays).toBe(30);

    const latest = DateTime.fromJSDate(NOW, { zone: 'Europe/London' }).plus({ days: 30 }).toISODate();
    expect(latest).toBe('2026-12-31');
    expect((await book('2026-12-31T11:00')).errors).toBeUndefined();
    const res = await book('2027-01-01T11:00');
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toMatch(/up to 30 days ahead, so the latest start date is 2026-12-31/);
  });
});
