import { randomUUID } from 'node:crypto';
import { Appointment, APPOINTMENT_KINDS, SessionNote, TreatmentPlanRecord } from '@fascia/db';
import { z } from 'zod';
import type { Tenant } from '../../../context';
import { badInput, conflict } from '../../../common/errors';
import { parse, uuid } from '../../../common/validation';
import { assertCanWriteRecord } from '../../../auth/scope';
import { appointmentChanged } from '../appointment.events';
import { prepareReferralBooking } from '../../referral/operations/receiver';
import { assertBookable, resolveStart } from './bookable';
import { type AppointmentDeps, duration, insertOne, lock, parties, reasonText } from './shared';

const bookSchema = z.object({
  clinicId: uuid,
  practitionerId: uuid,
  roomId: uuid.nullish(),
  clientId: uuid,
  startsAt: z.string(),
  durationMinutes: duration,
  kind: z.enum(APPOINTMENT_KINDS).default('SESSION'),
  planId: uuid.nullish(),
  referralId: uuid.nullish(),
});
const rescheduleSchema = z.object({
  startsAt: z.string(),
  durationMinutes: duration.nullish(),
  practitionerId: uuid.nullish(),
  roomId: uuid.nullish(),
  reason: reasonText.nullish(),
});

/** Books one appointment. Double booking is refused by PostgreSQL's exclusion constraints (CONFLICT), never checked-then-inserted. */
export function book(deps: AppointmentDeps, tenant: Tenant, input: unknown): Promise<Appointment> {
  const data = parse(bookSchema, input);
  const now = deps.clock.now();
  return deps.db.tenant(tenant, async (tx) => {
    const p = await parties(tx, tenant, data, 'input', 'appointment.book');
    // A booking for a referral: the referral is locked and checked first, moved to SCHEDULED after.
    const referral = data.referralId ? await prepareReferralBooking(tx, tenant, data.referralId, data.clientId) : null;
    const start = resolveStart(data.startsAt, p.clinic.timeZone, 'input.startsAt');
    await assertBookable(tx, p, start, data.durationMinutes, 'input.startsAt', now);
    if (data.planId) {
      const plan = await tx.repo(TreatmentPlanRecord).findOneBy({ id: data.planId });
      if (!plan) throw badInput('input.planId', `No treatment plan with id ${data.planId} exists in your organization.`);
      assertCanWriteRecord(tenant, { recordType: 'plan', id: plan.id, clinicId: plan.clinicId }, 'appointment.book', 'input.planId');
      if (plan.clientId !== data.clientId) throw badInput('input.planId', 'That plan belongs to another client.');
    }
    const row: Partial<Appointment> = {
      id: randomUUID(),
      clinicId: data.clinicId,
      practitionerId: data.practitionerId,
      roomId: data.roomId ?? null,
      clientId: data.clientId,
      planId: data.planId ?? null,
      kind: data.kind,
      startsAt: start.toJSDate(),
      endsAt: start.plus({ minutes: data.durationMinutes }).toJSDate(),
      status: 'BOOKED',
      createdBy: tenant.userId,
    };
    const appointment = await insertOne(tx, row, p, 'input');
    await tx.audit({ action: 'appointment.book', recordType: 'appointment', recordId: appointment.id, detail: { startsAt: row.startsAt, referralId: data.referralId ?? undefined } });
    await appointmentChanged(tx, [appointment], 'booked');
    if (referral) await referral.after(appointment, now);
    return appointment;
  });
}

/**
 * Moves a booked appointment: the old row becomes CANCELLED ("Rescheduled…") and a new
 * row names it in `rescheduledFrom`, so the history and any reminders follow the row.
 */
export function reschedule(deps: AppointmentDeps, tenant: Tenant, id: string, input: unknown): Promise<Appointment> {
  parse(uuid, id, 'id');
  const data = parse(rescheduleSchema, input);
  const now = deps.clock.now();
  return deps.db.tenant(tenant, async (tx) => {
    const old = await lock(tx, tenant, id, 'appointment.reschedule');
    if (old.status !== 'BOOKED') throw conflict(`A ${old.status} appointment cannot be rescheduled; only a BOOKED one can.`, { field: 'id' });
    if (await tx.repo(SessionNote).existsBy({ appointmentId: id })) {
      throw conflict('This appointment already has a session note; it cannot move. Cancel it and book another.', { field: 'id' });
    }
    const p = await parties(
      tx,
      tenant,
      {
        clinicId: old.clinicId,
        practitionerId: data.practitionerId ?? old.practitionerId,
        roomId: data.roomId === undefined ? old.roomId : data.roomId,
        clientId: old.clientId,
      },
      'input',
      'appointment.reschedule',
      'id',
    );
    const minutes = data.durationMinutes ?? Math.round((old.endsAt.getTime() - old.startsAt.getTime()) / 60000);
    const start = resolveStart(data.startsAt, p.clinic.timeZone, 'input.startsAt');
    await assertBookable(tx, p, start, minutes, 'input.startsAt', now);
    await tx.repo(Appointment).update({ id }, { status: 'CANCELLED', statusReason: `Rescheduled${data.reason ? `: ${data.reason}` : ''}`, statusChangedAt: now });
    const next = await insertOne(
      tx,
      {
        id: randomUUID(),
        clinicId: old.clinicId,
        practitionerId: p.practitioner.id,
        roomId: p.room?.id ?? null,
        clientId: old.clientId,
        planId: old.planId,
        seriesId: old.seriesId,
        sessionNumber: old.sessionNumber,
        phaseIndex: old.phaseIndex,
        kind: old.kind,
        startsAt: start.toJSDate(),
        endsAt: start.plus({ minutes }).toJSDate(),
        status: 'BOOKED',
        rescheduledFrom: old.id,
        createdBy: tenant.userId,
      },
      p,
      'input',
    );
    await tx.auditMany([
      { action: 'appointment.reschedule', recordType: 'appointment', recordId: old.id, detail: { to: next.id, startsAt: next.startsAt } },
      { action: 'appointment.book', recordType: 'appointment', recordId: next.id, detail: { rescheduledFrom: old.id } },
    ]);
    await appointmentChanged(tx, [{ ...old, status: 'CANCELLED' }], 'replaced');
    await appointmentChanged(tx, [next], 'booked');
    return next;
  });
}
