import {
  Appointment,
  BLOCKING_STATUSES,
  Client,
  Clinic,
  PG,
  pgError,
  PlanVersion,
  Practitioner,
  PractitionerAvailability,
  Room,
  type AppointmentStatus,
  type Clock,
  type Db,
  type TenantTx,
  type TreatmentPlanRecord,
} from '@fascia/db';
import type { TreatmentPlan } from '@fascia/planning';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { LinkActor, Tenant } from '../../../context';
import { badInput, conflict, notFound } from '../../../common/errors';
import { fromMinutes } from '../../../common/validation';
import { assertCanWriteRecord, assertClientWritable, assertClinicReachable } from '../../../auth/scope';
import { appointmentChanged, type AppointmentChangeKind } from '../appointment.events';

/** What every appointment operation is built with: the database and the one clock. */
export interface AppointmentDeps {
  db: Db;
  clock: Clock;
}

// ---------- results ----------

export interface AppointmentChange {
  appointment: Appointment;
  rebooked: Appointment | null;
  moved: Appointment[];
  shiftProblem: string | null;
}

export interface Series {
  seriesId: string;
  planId: string;
  timeZone: string;
  appointments: Appointment[];
}

/**
 * A calendar's appointment: a plain row with what the calendar read with it — the client's
 * display name (null: no client visible), the practitioner's and the room's rows.
 */
export type CalendarAppointment = Appointment & { clientName?: string | null; calendarPractitioner?: Practitioner | null; calendarRoom?: Room | null };

export interface Calendar {
  clinicId: string;
  /** The clinic row the calendar read (the resolver hands it to the request's clinic loader: not read twice). */
  clinic: Clinic;
  timeZone: string;
  from: string;
  to: string;
  appointments: CalendarAppointment[];
  /** The practitioners and rooms of those appointments (the resolver primes the request's loaders with them). */
  practitioners: Practitioner[];
  rooms: Room[];
  byPractitioner: { practitionerId: string; appointments: CalendarAppointment[] }[];
  byRoom: { roomId: string | null; appointments: CalendarAppointment[] }[];
}

export interface Parties {
  clinic: Clinic;
  practitioner: Practitioner;
  room: Room | null;
  client: Client;
}

// ---------- input pieces ----------

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => DateTime.fromISO(d, { zone: 'utc' }).isValid, 'must be a real calendar date');
export const duration = z.number().int('must be whole minutes').min(15, 'must be at least 15 minutes').max(240, 'must be at most 240 minutes');
export const reasonText = z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters');

// ---------- rows ----------

/**
 * The appointment, locked for the rest of the transaction; NOT_FOUND, or FORBIDDEN outside the
 * caller's clinics (audited as `action` DENIED, auth/scope.ts).
 */
export async function lock(tx: TenantTx, tenant: Tenant | LinkActor, id: string, action: string): Promise<Appointment> {
  const a = await tx.repo(Appointment).qb('a').andWhere('a.id = :id', { id }).setLock('pessimistic_write').getOne();
  if (!a) throw notFound('appointment', id);
  assertCanWriteRecord(tenant, { recordType: 'appointment', id, clinicId: a.clinicId }, action);
  return a;
}

export async function setStatus(tx: TenantTx, a: Appointment, status: AppointmentStatus, now: Date, kind: AppointmentChangeKind): Promise<Appointment> {
  await tx.repo(Appointment).update({ id: a.id }, { status, statusChangedAt: now });
  const updated = { ...a, status, statusChangedAt: now };
  await tx.audit({ action: `appointment.${kind}`, recordType: 'appointment', recordId: a.id, detail: { from: a.status, to: status } });
  await appointmentChanged(tx, [updated], kind);
  return updated;
}

/**
 * Clinic, practitioner, room (of that clinic) and client, all of this organization; else
 * BAD_USER_INPUT naming the field. The clinic must be one the caller's role reaches and the
 * client one they reach under the clinic-scope rule (FORBIDDEN, audited as `action` DENIED).
 * `clientField` names the input the client came from (`input.clientId`, or the plan's `input.planId`).
 */
export async function parties(
  tx: TenantTx,
  tenant: Tenant,
  ids: { clinicId: string; practitionerId: string; roomId?: string | null; clientId: string },
  prefix: string,
  action: string,
  clientField = `${prefix}.clientId`,
): Promise<Parties> {
  // One connection per transaction: these run one after another.
  const clinic = await tx.repo(Clinic).findOneBy({ id: ids.clinicId });
  const practitioner = await tx.repo(Practitioner).findOneBy({ id: ids.practitionerId });
  const room = ids.roomId ? await tx.repo(Room).findOneBy({ id: ids.roomId }) : null;
  const client = await tx.repo(Client).findOneBy({ id: ids.clientId });
  if (!clinic || clinic.archivedAt) throw badInput(`${prefix}.clinicId`, `No clinic with id ${ids.clinicId} exists in your organization.`);
  assertClinicReachable(tenant, clinic, action, `${prefix}.clinicId`);
  if (!practitioner || practitioner.archivedAt) {
    throw badInput(`${prefix}.practitionerId`, `No practitioner with id ${ids.practitionerId} exists in your organization.`);
  }
  if (ids.roomId && (!room || room.archivedAt || room.clinicId !== clinic.id)) {
    throw badInput(`${prefix}.roomId`, `No room with id ${ids.roomId} exists at ${clinic.name}.`);
  }
  if (!client || client.archivedAt) throw badInput(clientField, `No client with id ${ids.clientId} exists in your organization.`);
  await assertClientWritable(tx, tenant, client.id, action, clientField);
  return { clinic, practitioner, room: room ?? null, client };
}

export async function availabilityAt(tx: TenantTx, p: Parties): Promise<{ weekday: number; start: string; end: string }[]> {
  const rows = await tx.repo(PractitionerAvailability).find({
    where: { practitionerId: p.practitioner.id, clinicId: p.clinic.id },
    order: { weekday: 'ASC', startMinute: 'ASC' },
  });
  return rows.map((r) => ({ weekday: r.weekday, start: fromMinutes(r.startMinute), end: fromMinutes(r.endMinute) }));
}

export async function insertOne(tx: TenantTx, row: Partial<Appointment>, p: Parties, prefix: string): Promise<Appointment> {
  try {
    await tx.em.insert(Appointment, { ...row, organizationId: tx.organizationId });
  } catch (err) {
    throw clash(err, p, prefix);
  }
  return (await tx.repo(Appointment).findOneBy({ id: row.id! })) as Appointment;
}

/** Maps the exclusion constraint that refused a row to CONFLICT naming who was double-booked. */
export function clash(err: unknown, p: Pick<Parties, 'practitioner' | 'room'>, prefix: string): unknown {
  const pg = pgError(err);
  if (pg?.code !== PG.EXCLUSION_VIOLATION) return err;
  const c = pg.constraint ?? '';
  if (c.includes('practitioner')) {
    return conflict(`${p.practitioner.displayName} already has an appointment at an overlapping time.`, {
      field: `${prefix}.practitionerId`,
      clash: 'PRACTITIONER',
    });
  }
  if (c.includes('room')) {
    return conflict(`${p.room?.name ?? 'The room'} is already booked at an overlapping time.`, { field: `${prefix}.roomId`, clash: 'ROOM' });
  }
  return conflict('The client already has an appointment at an overlapping time.', { field: `${prefix}.clientId`, clash: 'CLIENT' });
}

/** Blocking appointments of the practitioner, room or client that end after `from` (for expandSchedule's `existing`). */
export async function busy(tx: TenantTx, p: Parties, from: Date, exclude: string[]): Promise<{ startUtc: string; endUtc: string }[]> {
  const qb = tx
    .repo(Appointment)
    .qb('a')
    .andWhere('a.status IN (:...blocking) AND a.endsAt > :from', { blocking: BLOCKING_STATUSES, from })
    .andWhere('(a.practitionerId = :pid OR a.clientId = :cid OR a.roomId = :rid)', {
      pid: p.practitioner.id,
      cid: p.client.id,
      rid: p.room?.id ?? null,
    });
  if (exclude.length) qb.andWhere('a.id NOT IN (:...exclude)', { exclude });
  const rows = await qb.getMany();
  return rows.map((a) => ({ startUtc: a.startsAt.toISOString(), endUtc: a.endsAt.toISOString() }));
}

export async function planBody(tx: TenantTx, plan: TreatmentPlanRecord): Promise<TreatmentPlan | null> {
  const version = await tx.repo(PlanVersion).findOneBy({ planId: plan.id, version: plan.currentVersion });
  return (version?.body as unknown as TreatmentPlan | undefined) ?? null;
}
