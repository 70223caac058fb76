import { Appointment, Clinic, type AppointmentStatus, type TenantTx } from '@fascia/db';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { LinkActor, Tenant } from '../../../context';
import { badInput, conflict } from '../../../common/errors';
import { parse, uuid } from '../../../common/validation';
import { appointmentChanged } from '../appointment.events';
import { CANCELLED_BY, type CancelledBy } from '../appointment.types';
import { localOf } from './bookable';
import { type AppointmentChange, type AppointmentDeps, lock, reasonText, setStatus } from './shared';
import { shiftAfterMiss } from './shift-series';

/**
 * Cancels a booked appointment. A client's cancellation within the clinic's
 * `lateCancelHours` of the start is LATE_CANCELLED; a plan session that is cancelled
 * is booked again and the rest of the plan shifts (see {@link shiftAfterMiss}).
 */
export function cancel(deps: AppointmentDeps, tenant: Tenant, id: string, reason: unknown, cancelledBy: unknown = 'CLIENT'): Promise<AppointmentChange> {
  parse(uuid, id, 'id');
  const why = parse(reasonText, reason, 'reason');
  const by = parse(z.enum(CANCELLED_BY), cancelledBy, 'cancelledBy');
  return deps.db.tenant(tenant, (tx) => cancelIn(tx, tenant, id, why, by, deps.clock.now()));
}

/** Cancels within the caller's transaction (a signed-in cancel, or a client's link). */
export async function cancelIn(tx: TenantTx, tenant: Tenant | LinkActor, id: string, why: string, by: CancelledBy, now: Date): Promise<AppointmentChange> {
  const a = await lock(tx, tenant, id, 'appointment.cancel');
  if (a.status !== 'BOOKED') throw conflict(`A ${a.status} appointment cannot be cancelled; only a BOOKED one can.`, { field: 'id' });
  const clinic = (await tx.repo(Clinic).findOneBy({ id: a.clinicId })) as Clinic;
  const hoursBefore = (a.startsAt.getTime() - now.getTime()) / 3600000;
  const late = by === 'CLIENT' && hoursBefore < clinic.lateCancelHours;
  const status: AppointmentStatus = late ? 'LATE_CANCELLED' : 'CANCELLED';
  await tx.repo(Appointment).update({ id }, { status, statusReason: why, statusChangedAt: now });
  const updated = { ...a, status, statusReason: why, statusChangedAt: now };
  await tx.audit({
    action: 'appointment.cancel',
    recordType: 'appointment',
    recordId: id,
    detail: { status, cancelledBy: by, hoursBefore: Math.round(hoursBefore * 10) / 10, lateCancelHours: clinic.lateCancelHours },
  });
  await appointmentChanged(tx, [updated], late ? 'late_cancelled' : 'cancelled');
  return { appointment: updated, ...(await shiftAfterMiss(tx, tenant, updated, clinic, now)) };
}

/** Only after the start, and only for an appointment nobody checked in. */
export function markNoShow(deps: AppointmentDeps, tenant: Tenant, id: string): Promise<AppointmentChange> {
  parse(uuid, id, 'id');
  const now = deps.clock.now();
  return deps.db.tenant(tenant, async (tx) => {
    const a = await lock(tx, tenant, id, 'appointment.no_show');
    if (a.status !== 'BOOKED') throw conflict(`A ${a.status} appointment cannot be marked a no-show; only a BOOKED one can.`, { field: 'id' });
    const clinic = (await tx.repo(Clinic).findOneBy({ id: a.clinicId })) as Clinic;
    if (now < a.startsAt) {
      throw badInput('id', `The appointment starts at ${localOf(a.startsAt, clinic.timeZone)} (${clinic.timeZone}); it can be marked a no-show only after that.`);
    }
    const updated = await setStatus(tx, a, 'NO_SHOW', now, 'no_show');
    return { appointment: updated, ...(await shiftAfterMiss(tx, tenant, updated, clinic, now)) };
  });
}

/** On the appointment's local day only. */
export function checkIn(deps: AppointmentDeps, tenant: Tenant, id: string): Promise<Appointment> {
  parse(uuid, id, 'id');
  const now = deps.clock.now();
  return deps.db.tenant(tenant, async (tx) => {
    const a = await lock(tx, tenant, id, 'appointment.checked_in');
    if (a.status !== 'BOOKED') throw conflict(`A ${a.status} appointment cannot be checked in; only a BOOKED one can.`, { field: 'id' });
    const clinic = (await tx.repo(Clinic).findOneBy({ id: a.clinicId })) as Clinic;
    const day = DateTime.fromJSDate(a.startsAt, { zone: clinic.timeZone }).toISODate();
    const today = DateTime.fromJSDate(now, { zone: clinic.timeZone }).toISODate();
    if (day !== today) throw badInput('id', `Check-in is on the day of the appointment (${day} in ${clinic.timeZone}); today is ${today}.`);
    return setStatus(tx, a, 'CHECKED_IN', now, 'checked_in');
  });
}

/** After check-in. (Signing the session note also completes its appointment.) */
export function complete(deps: AppointmentDeps, tenant: Tenant, id: string): Promise<Appointment> {
  parse(uuid, id, 'id');
  const now = deps.clock.now();
  return deps.db.tenant(tenant, async (tx) => {
    const a = await lock(tx, tenant, id, 'appointment.completed');
    if (a.status !== 'CHECKED_IN') throw conflict(`A ${a.status} appointment cannot be completed; check the client in first.`, { field: 'id' });
    return setStatus(tx, a, 'COMPLETED', now, 'completed');
  });
}
