import { randomUUID } from 'node:crypto';
import { Membership, User, type Role } from '@fascia/db';
import { proposePlan, type IntakeInput } from '@fascia/planning';
import { baseIntake } from '@fascia/planning/testing';
import { DateTime } from 'luxon';
import { hashPassword } from '../src/auth/passwords';
import { CREATE_CLINIC, clinicInput, PASSWORD, SIGN_IN, type TestApi } from './harness';

/** Shared set-up for the scheduling and session-note tests: clinics, staff, clients and accepted plans. */

export const CREATE_ROOM = `mutation R($input: CreateRoomInput!) { createRoom(input: $input) { id name } }`;
export const CREATE_PRACTITIONER = `mutation P($input: CreatePractitionerInput!) { createPractitioner(input: $input) { id displayName } }`;

export const APPOINTMENT_FIELDS = `id clinicId practitionerId roomId clientId planId seriesId sessionNumber phaseIndex kind
  startsAt endsAt localStart localEnd timeZone durationMinutes status statusReason rescheduledFrom`;
export const BOOK = `mutation B($input: BookAppointmentInput!) { bookAppointment(input: $input) { ${APPOINTMENT_FIELDS} } }`;

let n = 0;


export interface Site {
  clinicId: string;
  roomId: string;
  practitionerId: string;
  timeZone: string;
}

/** A clinic (weekdays 08:00–19:00 unless told), one room, one practitioner available there. */
export async function site(
  t: TestApi,
  token: string,
  options: { timeZone?: string; openingHours?: { weekday: number; start: string; end: string }[]; availability?: { weekday: number; start: string; end: string }[] } = {},
): Promise<Site> {
  const timeZone = options.timeZone ?? 'Europe/London';
  const clinic = await t.gql(CREATE_CLINIC, { input: clinicInput({ timeZone, ...(options.openingHours ? { openingHours: options.openingHours } : {}) }) }, token);
  if (!clinic.data) throw new Error(JSON.stringify(clinic.errors));
  const clinicId = clinic.data.createClinic.id;
  const room = await t.gql(CREATE_ROOM, { input: { clinicId, name: `Room ${++n}` } }, token);
  const availability = (options.availability ?? [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00' }))).map((w) => ({ ...w, clinicId }));
  const p = await t.gql(
    CREATE_PRACTITIONER,
    { input: { displayName: `Therapist ${++n}`, discipline: 'MASSAGE_THERAPIST', modalities: ['SWEDISH', 'DEEP_TISSUE'], availability } },
    token,
  );
  if (!p.data) throw new Error(JSON.stringify(p.errors));
  return { clinicId, roomId: room.data?.createRoom.id, practitionerId: p.data.createPractitioner.id, timeZone };
}

/** Clients are the other module's; these tests insert them directly. */
export async function insertClient(t: TestApi, organizationId: string, name = `Client ${++n}`, clinicIds: string[] = []): Promise<string> {
  const [first, last = 'Doe'] = name.split(' ');
  const rows = await t.tdb.dataSource.query(
    `INSERT INTO client (organization_id, first_name, last_name, clinic_ids) VALUES ($1, $2, $3, $4::uuid[]) RETURNING id`,
    [organizationId, first, last, clinicIds],
  );
  return rows[0].id;
}

/** An accepted (ACTIVE) plan from the planning package's proposal for a chronic low-back intake. */
export async function insertPlan(
  t: TestApi,
  ids: { organizationId: string; clientId: string; clinicId: string; practitionerId: string; userId: string },
  intake: Partial<IntakeInput> = { commitment: { sessionsPerWeek: 1 } },
): Promise<{ planId: string; body: ReturnType<typeof proposePlan> }> {
  const now = new Date().toISOString();
  const body = proposePlan(baseIntake(intake), { now, by: ids.userId });
  if (body.blocked) throw new Error('fixture plan is blocked');
  const ds = t.tdb.dataSource;
  const intakeId = randomUUID();
  await ds.query(
    `INSERT INTO intake (id, organization_id, client_id, version, clinic_id, practitioner_id, data, findings, blocked, created_by)
     VALUES ($1, $2, $3, 1, $4, $5, $6, '[]', false, $7)`,
    [intakeId, ids.organizationId, ids.clientId, ids.clinicId, ids.practitionerId, JSON.stringify(body.intake), ids.userId],
  );
  const planId = randomUUID();
  await ds.query(
    `INSERT INTO treatment_plan (id, organization_id, client_id, intake_id, clinic_id, practitioner_id, complaint_key, status, current_version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'ACTIVE', 1)`,
    [planId, ids.organizationId, ids.clientId, intakeId, ids.clinicId, ids.practitionerId, `lb-${planId}`],
  );
  await ds.query(
    `INSERT INTO plan_version (organization_id, plan_id, version, body, change_kind, reason, changed_by) VALUES ($1, $2, 1, $3, 'ACCEPTED', 'accepted as proposed', $4)`,
    [ids.organizationId, planId, JSON.stringify({ ...body, status: 'active' }), ids.userId],
  );
  return { planId, body };
}

/** A signed-in member with one role (limited to `clinicIds` when given). */
export async function member(t: TestApi, organizationId: string, role: Role, clinicIds: string[] = []): Promise<{ userId: string; token: string; email: string }> {
  const email = `${role.toLowerCase()}-${++n}-${Date.now()}@staff.example`;
  const ds = t.tdb.dataSource;
  const user = await ds.getRepository(User).save({ email, displayName: email.split('@')[0], passwordHash: await hashPassword(PASSWORD), status: 'ACTIVE', lastSignInAt: null });
  await ds.getRepository(Membership).insert({ organizationId, userId: user.id, role, clinicIds, status: 'ACTIVE' });
  const res = await t.gql(SIGN_IN, { input: { email, password: PASSWORD } });
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return { userId: user.id, token: res.data.signIn.accessToken, email };
}

/** An appointment written straight to the database (e.g. in the past, which the API refuses to book). */
export async function insertAppointment(
  t: TestApi,
  a: { organizationId: string; clinicId: string; practitionerId: string; clientId: string; userId: string; startsAt: Date; minutes?: number; status?: string; roomId?: string | null },
): Promise<string> {
  const rows = await t.tdb.dataSource.query(
    `INSERT INTO appointment (organization_id, clinic_id, practitioner_id, room_id, client_id, starts_at, ends_at, status, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      a.organizationId,
      a.clinicId,
      a.practitionerId,
      a.roomId ?? null,
      a.clientId,
      a.startsAt,
      new Date(a.startsAt.getTime() + (a.minutes ?? 60) * 60000),
      a.status ?? 'BOOKED',
      a.userId,
    ],
  );
  return rows[0].id;
}

/** The next local date (at least `minDays` ahead) on an ISO weekday, in a zone: `YYYY-MM-DD`. */
export function nextWeekday(zone: string, weekday: number, minDays = 7): string {
  let d = DateTime.now().setZone(zone).startOf('day').plus({ days: minDays });
  while (d.weekday !== weekday) d = d.plus({ days: 1 });
  return d.toISODate()!;
}

/** The next local date on which the zone's UTC offset changes in the given direction ('back' in autumn, 'forward' in spring). */
export function nextDstChange(zone: string, direction: 'back' | 'forward', minDays = 21): string {
  let d = DateTime.now().setZone(zone).startOf('day').plus({ days: minDays });
  for (let i = 0; i < 800; i++, d = d.plus({ days: 1 })) {
    const before = d.offset;
    const after = d.plus({ days: 1 }).offset;
    if ((direction === 'back' && after < before) || (direction === 'forward' && after > before)) return d.toISODate()!;
  }
  throw new Error(`no DST change in ${zone}`);
}

/** Rows of the appointment table, for "nothing changed" checks. */
export async function appointmentRows(t: TestApi, organizationId: string): Promise<Record<string, unknown>[]> {
  return t.tdb.dataSource.query(`SELECT id, status, starts_at, ends_at FROM appointment WHERE organization_id = $1 ORDER BY id`, [organizationId]);
}
