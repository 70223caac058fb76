import { Appointment, BLOCKING_STATUSES, Clinic } from '@fascia/db';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Tenant } from '../../../context';
import { notFound } from '../../../common/errors';
import { parse, uuid } from '../../../common/validation';
import { groupBy } from '../../../common/collections';
import { assertClinicReachable, canReadRecord } from '../../../auth/scope';
import { type AppointmentDeps, type Calendar, isoDate } from './shared';

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
    const qb = tx
      .repo(Appointment)
      .qb('a')
      .andWhere('a.clinicId = :clinicId AND a.startsAt >= :start AND a.startsAt < :end', {
        clinicId: clinic.id,
        start: start.toJSDate(),
        end: end.toJSDate(),
      })
      .andWhere('a.status IN (:...blocking)', { blocking: BLOCKING_STATUSES });
    if (data.practitionerId) qb.andWhere('a.practitionerId = :p', { p: data.practitionerId });
    if (data.roomId) qb.andWhere('a.roomId = :r', { r: data.roomId });
    const appointments = await qb.orderBy('a.startsAt', 'ASC').addOrderBy('a.id', 'ASC').getMany();
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
