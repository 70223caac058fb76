import { Appointment, BLOCKING_STATUSES, Clinic } from '@fascia/db';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Tenant } from '../../../context';
import { notFound } from '../../../common/errors';
import { parse, uuid } from '../../../common/validation';
import { groupBy } from '../../../common/collections';
import { assertClinicReachable, canReadRecord } from '../../../auth/scope';
import { metadataOf, plainColumns } from '../../../common/plain-rows';
import { type AppointmentDeps, type Calendar, type CalendarAppointment, isoDate } from './shared';

const calendarSchema = z.object({
  clinicId: uuid,
  from: isoDate,
  days: z.number().int().min(1, 'must be 1 to 7').max(7, 'must be 1 to 7'),
  practitionerId: uuid.nullish(),
  roomId: uuid.nullish(),
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

/** A clinic's time-holding appointments over 1–7 local days, by start, with columns per practitioner and per room. */
export function calendar(deps: AppointmentDeps, tenant: Tenant, args: unknown): Promise<Calendar> {
  const data = parse(calendarSchema, args, '');
  return deps.db.tenant(tenant, async (tx) => {
    const clinic = await tx.repo(Clinic).findOneBy({ id: data.clinicId });
    if (!clinic) throw notFound('clinic', data.clinicId);
    assertClinicReachable(tenant, clinic, 'calendar.read', 'clinicId');
    const start = DateTime.fromISO(data.from, { zone: clinic.timeZone }).startOf('day');
    const end = start.plus({ days: data.days });
    // Plain rows with the client's display name joined (issue 10: no entity hydration, no
    // client batch); the practitioner and room come from the request's loaders, one batch each.
    const params: unknown[] = [clinic.id, start.toJSDate(), end.toJSDate(), BLOCKING_STATUSES];
    let where = 't.clinic_id = $2 AND t.starts_at >= $3 AND t.starts_at < $4 AND t.status = ANY($5::text[])';
    if (data.practitionerId) where += ` AND t.practitioner_id = $${params.push(data.practitionerId) + 1}`;
    if (data.roomId) where += ` AND t.room_id = $${params.push(data.roomId) + 1}`;
    const meta = metadataOf(tx, Appointment);
    const appointments = (await tx.em.query(
      `SELECT ${plainColumns(meta, 't')}, coalesce(c.preferred_name, c.first_name) || ' ' || c.last_name AS "clientName"
         FROM appointment t LEFT JOIN client c ON c.organization_id = t.organization_id AND c.id = t.client_id
        WHERE t.organization_id = $1 AND ${where}
        ORDER BY t.starts_at, t.id`,
      [tx.organizationId, ...params],
    )) as CalendarAppointment[];
    return {
      clinicId: clinic.id,
      clinic,
      timeZone: clinic.timeZone,
      from: start.toISODate()!,
      to: end.toISODate()!,
      appointments,
      byPractitioner: [...groupBy(appointments, (a) => a.practitionerId)].map(([practitionerId, list]) => ({ practitionerId, appointments: list })),
      byRoom: [...groupBy(appointments, (a) => a.roomId)].map(([roomId, list]) => ({ roomId, appointments: list })),
    };
  });
}
