import { Appointment, APPOINTMENT_STATUSES, BLOCKING_STATUSES, Clinic, Practitioner, preparedQuery, Room } from '@fascia/db';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Tenant } from '../../../context';
import { notFound } from '../../../common/errors';
import { parse, uuid } from '../../../common/validation';
import { groupBy } from '../../../common/collections';
import { assertClinicReachable, canReadRecord } from '../../../auth/scope';
import { findPlain, metadataOf, plainColumns, splitPrefixed } from '../../../common/plain-rows';
import { type AppointmentDeps, type Calendar, type CalendarAppointment, isoDate } from './shared';

/**
 * Which columns a calendar reads (from the GraphQL selection, the resolver's `calendarColumns`):
 * of the appointment, its practitioner and its room, each a `pickColumns` list (null: every
 * column), and whether the client's name is asked for. Everything by default (a caller outside
 * GraphQL). The practitioners and rooms are handed to the request's loaders only when whole.
 */
export interface CalendarColumns {
  appointment: readonly string[] | null;
  practitioner: readonly string[] | null;
  room: readonly string[] | null;
  clientName: boolean;
  /**
   * The appointment's timestamps read as ISO strings, not Dates (`isoTimestamps`: those the query
   * only shows, no resolver computes with); absent: none.
   */
  isoTimes?: readonly string[];
}
export const WHOLE_CALENDAR: CalendarColumns = { appointment: null, practitioner: null, room: null, clientName: true };

/** The prefixes of the practitioner's and the room's columns in a calendar row. */
const PRACTITIONER = 'practitioner.';
const ROOM = 'room.';
/**
 * The two properties the loop below sets on each row, as columns of the statement, so that pg
 * creates every row with them. A property added to a pg row can give each row a map of its own
 * (pg clones every row from one template object; V8's fast clone path shares no transitions):
 * in the bench each of a week's 251 narrow rows had its own shape, and every read of a field
 * downstream missed V8's inline caches — 30 % of the calendar's CPU (docs/architecture.md,
 * "Rows keep their shape"; test/row-shapes.test.ts).
 */
const ROW_SLOTS = 'NULL AS "calendarPractitioner", NULL AS "calendarRoom"';

const calendarSchema = z.object({
  clinicId: uuid,
  from: isoDate,
  days: z.number().int().min(1, 'must be 1 to 7').max(7, 'must be 1 to 7'),
  practitionerId: uuid.nullish(),
  roomId: uuid.nullish(),
  includeFreed: z.boolean().nullish(),
});

/** One appointment, or null when it does not exist or is at a clinic the caller's role does not reach (audited as DENIED). */
export function getAppointment(deps: AppointmentDeps, tenant: Tenant, id: string): Promise<Appointment | null> {
  parse(uuid, id, 'id');
  return deps.db.tenant(tenant, async (tx) => {
    const a = await tx.repo(Appointment).findOneBy({ id });
    if (!a) return null;
    return (await canReadRecord(tx, tenant, { recordType: 'appointment', id, clinicId: a.clinicId }, 'appointment.read')) ? a : null;
  });
}

/** A clinic's time-holding appointments (with `includeFreed`, every status) over 1–7 local days, by start, with columns per practitioner and per room. */
export function calendar(deps: AppointmentDeps, tenant: Tenant, args: unknown, columns: CalendarColumns = WHOLE_CALENDAR): Promise<Calendar> {
  const data = parse(calendarSchema, args, '');
  return deps.db.tenant(tenant, async (tx) => {
    const [clinic] = await findPlain(tx, Clinic, 't.id = $2', [data.clinicId]);
    if (!clinic) throw notFound('clinic', data.clinicId);
    assertClinicReachable(tenant, clinic, 'calendar.read', 'clinicId');
    const start = DateTime.fromISO(data.from, { zone: clinic.timeZone }).startOf('day');
    const end = start.plus({ days: data.days });
    // One statement, plain rows (issue 10: no entity hydration, no loader batches): each
    // appointment with its client's display name, its practitioner's and its room's row.
    // `includeFreed`: also the cancelled, late-cancelled and no-show rows (the same one statement).
    const params: unknown[] = [clinic.id, start.toJSDate(), end.toJSDate(), data.includeFreed ? APPOINTMENT_STATUSES : BLOCKING_STATUSES];
    let where = 't.clinic_id = $2 AND t.starts_at >= $3 AND t.starts_at < $4 AND t.status = ANY($5::text[])';
    if (data.practitionerId) where += ` AND t.practitioner_id = $${params.push(data.practitionerId) + 1}`;
    if (data.roomId) where += ` AND t.room_id = $${params.push(data.roomId) + 1}`;
    const pMeta = metadataOf(tx, Practitioner);
    const rMeta = metadataOf(tx, Room);
    // Only the columns the query asks for (issue 10): the bench's week reads 13 of 34.
    const rows = (await preparedQuery(
      tx.em,
      // The client's name as a correlated lookup by primary key, not a join: a week has a few
      // hundred appointments and the organization up to a million clients, and a join lets the
      // planner (a prepared statement's generic plan especially) choose to hash the whole table.
      `SELECT ${plainColumns(metadataOf(tx, Appointment), 't', '', columns.appointment, columns.isoTimes)},
              ${columns.clientName ? `(SELECT coalesce(c.preferred_name, c.first_name) || ' ' || c.last_name FROM "client" c
                WHERE c.organization_id = t.organization_id AND c.id = t.client_id)` : 'NULL::text'} AS "clientName",
              ${plainColumns(pMeta, 'p', PRACTITIONER, columns.practitioner)}, ${plainColumns(rMeta, 'r', ROOM, columns.room)},
              ${ROW_SLOTS}
         FROM "appointment" t
         LEFT JOIN "practitioner" p ON p.organization_id = t.organization_id AND p.id = t.practitioner_id
         LEFT JOIN "room" r ON r.organization_id = t.organization_id AND r.id = t.room_id
        WHERE t.organization_id = $1 AND ${where}
        ORDER BY t.starts_at, t.id`,
      [tx.organizationId, ...params],
    )) as (CalendarAppointment & Record<string, unknown>)[];
    const practitioners = new Map<string, Practitioner | null>();
    const rooms = new Map<string, Room | null>();
    for (const a of rows) {
      let p = practitioners.get(a.practitionerId);
      if (p === undefined) practitioners.set(a.practitionerId, (p = a[`${PRACTITIONER}id`] ? splitPrefixed<Practitioner>(a, pMeta, PRACTITIONER, columns.practitioner) : null));
      a.calendarPractitioner = p;
      let r: Room | null = null;
      if (a.roomId) {
        r = rooms.get(a.roomId) ?? null;
        if (!rooms.has(a.roomId)) rooms.set(a.roomId, (r = a[`${ROOM}id`] ? splitPrefixed<Room>(a, rMeta, ROOM, columns.room) : null));
      }
      a.calendarRoom = r;
    }
    const appointments: CalendarAppointment[] = rows;
    return {
      clinicId: clinic.id,
      clinic,
      timeZone: clinic.timeZone,
      from: start.toISODate()!,
      to: end.toISODate()!,
      appointments,
      // Handed to the request's loaders: only whole rows.
      practitioners: columns.practitioner ? [] : [...practitioners.values()].filter((p): p is Practitioner => p !== null),
      rooms: columns.room ? [] : [...rooms.values()].filter((r): r is Room => r !== null),
      byPractitioner: [...groupBy(appointments, (a) => a.practitionerId)].map(([practitionerId, list]) => ({ practitionerId, appointments: list })),
      byRoom: [...groupBy(appointments, (a) => a.roomId)].map(([roomId, list]) => ({ roomId, appointments: list })),
    };
  });
}
