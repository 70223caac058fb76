import { randomUUID } from 'node:crypto';
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
  SessionNote,
  TreatmentPlanRecord,
  APPOINTMENT_KINDS,
  isLivePlan,
  type AppointmentStatus,
  type Db,
  type TenantTx,
} from '@fascia/db';
import { expandSchedule, PlanningInputError, type TreatmentPlan } from '@fascia/planning';
import { DateTime } from 'luxon';
import { In } from 'typeorm';
import { z } from 'zod';
import type { LinkActor, Tenant } from '../../context';
import { badInput, conflict, forbidden, fromPlanningError, notFound } from '../../common/errors';
import { fromMinutes, parse, timeOfDay, uuid, toMinutes } from '../../common/validation';
import { appointmentChanged, type AppointmentChangeKind } from './appointment.events';
import { type LinkPurpose, verifyLinkToken } from '@fascia/jobs';
import { CANCELLED_BY } from './appointment.types';
import { inClinicScope } from '../../auth/scope';
import { groupBy } from '../../common/collections';

// ---------- time in the clinic's zone ----------

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}(:?\d{2})?)$/i;
const LOCAL_FORMAT = "yyyy-MM-dd'T'HH:mm";

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => DateTime.fromISO(d, { zone: 'utc' }).isValid, 'must be a real calendar date');

/** The wall time `YYYY-MM-DDTHH:mm` of an instant in a zone. */
export const localOf = (at: Date, zone: string): string => DateTime.fromJSDate(at, { zone }).toFormat(LOCAL_FORMAT);

/**
 * Reads a start time: an instant with an offset, or a local wall time in the clinic's zone.
 * A wall time the clocks skip (spring forward) does not exist and is refused; an ambiguous
 * one (fall back) is its first occurrence, as the planning package resolves it.
 */
function resolveStart(value: string, zone: string, field: string): DateTime {
  let dt: DateTime;
  if (LOCAL_DATE_TIME.test(value)) {
    dt = DateTime.fromISO(value, { zone });
    if (!dt.isValid) throw badInput(field, `${field}: ${value} is not a real date and time.`);
    if (dt.toFormat(LOCAL_FORMAT) !== value.slice(0, 16)) {
      throw badInput(
        field,
        `${field}: ${value.slice(0, 16)} does not exist in ${zone} — the clocks go forward then (daylight saving). Choose a time outside the change.`,
      );
    }
    const earlier = dt.minus({ hours: 1 });
    if (earlier.toFormat(LOCAL_FORMAT) === dt.toFormat(LOCAL_FORMAT)) dt = earlier;
  } else if (INSTANT.test(value)) {
    dt = DateTime.fromISO(value, { setZone: true });
    if (!dt.isValid) throw badInput(field, `${field}: ${value} is not a real date and time.`);
  } else {
    throw badInput(
      field,
      `${field}: must be an ISO date-time with an offset (2026-03-10T09:00:00Z) or a local time in the clinic's zone (2026-03-10T09:00).`,
    );
  }
  if (dt.second !== 0 || dt.millisecond !== 0) throw badInput(field, `${field}: appointments start on a whole minute.`);
  return dt.toUTC();
}

const windowsText = (windows: { start: string; end: string }[]): string => windows.map((w) => `${w.start}–${w.end}`).join(', ');

// ---------- input ----------

const duration = z.number().int('must be whole minutes').min(15, 'must be at least 15 minutes').max(240, 'must be at most 240 minutes');
const reasonText = z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters');

const bookSchema = z.object({
  clinicId: uuid,
  practitionerId: uuid,
  roomId: uuid.nullish(),
  clientId: uuid,
  startsAt: z.string(),
  durationMinutes: duration,
  kind: z.enum(APPOINTMENT_KINDS).default('SESSION'),
  planId: uuid.nullish(),
});
const rescheduleSchema = z.object({
  startsAt: z.string(),
  durationMinutes: duration.nullish(),
  practitionerId: uuid.nullish(),
  roomId: uuid.nullish(),
  reason: reasonText.nullish(),
});
const seriesSchema = z.object({
  planId: uuid,
  clinicId: uuid,
  practitionerId: uuid,
  roomId: uuid.nullish(),
  startFrom: isoDate,
  preferences: z
    .object({
      weekdays: z.array(z.number().int().min(1, 'must be 1 (Monday) to 7 (Sunday)').max(7, 'must be 1 (Monday) to 7 (Sunday)')).max(7).nullish(),
      times: z
        .array(z.object({ start: timeOfDay, end: timeOfDay }).refine((w) => w.start < w.end, { message: 'end must be after start', path: ['end'] }))
        .max(10)
        .nullish(),
    })
    .nullish(),
  avoidDates: z.array(isoDate).max(366, 'at most 366 dates').nullish(),
  maintenanceVisits: z.number().int().min(0, 'must be 0 to 52').max(52, 'must be 0 to 52').nullish(),
});
const calendarSchema = z.object({
  clinicId: uuid,
  from: isoDate,
  days: z.number().int().min(1, 'must be 1 to 7').max(7, 'must be 1 to 7'),
  practitionerId: uuid.nullish(),
  roomId: uuid.nullish(),
});

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

export interface Calendar {
  clinicId: string;
  timeZone: string;
  from: string;
  to: string;
  appointments: Appointment[];
  byPractitioner: { practitionerId: string; appointments: Appointment[] }[];
  byRoom: { roomId: string | null; appointments: Appointment[] }[];
}

const MISSED: readonly AppointmentStatus[] = ['CANCELLED', 'LATE_CANCELLED', 'NO_SHOW'];


interface Parties {
  clinic: Clinic;
  practitioner: Practitioner;
  room: Room | null;
  client: Client;
}

/**
 * Booking, series, status changes and the calendar. Double booking is prevented by
 * PostgreSQL's exclusion constraints alone (no check-then-insert): the loser of a race
 * gets CONFLICT. Every write goes through {@link appointmentChanged} in its transaction.
 */
export class AppointmentService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get(tenant: Tenant, id: string): Promise<Appointment | null> {
    parse(uuid, id, 'id');
    return this.db.tenant(tenant, async (tx) => {
      const a = await tx.repo(Appointment).findOneBy({ id });
      return a && inClinicScope(tenant, a.clinicId) ? a : null;
    });
  }

  book(tenant: Tenant, input: unknown): Promise<Appointment> {
    const data = parse(bookSchema, input);
    const now = this.now();
    return this.db.tenant(tenant, async (tx) => {
      const parties = await this.parties(tx, tenant, data, 'input');
      const start = resolveStart(data.startsAt, parties.clinic.timeZone, 'input.startsAt');
      await this.assertBookable(tx, parties, start, data.durationMinutes, 'input.startsAt', now);
      if (data.planId) {
        const plan = await tx.repo(TreatmentPlanRecord).findOneBy({ id: data.planId });
        if (!plan) throw badInput('input.planId', `No treatment plan with id ${data.planId} exists in your organization.`);
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
      const appointment = await this.insertOne(tx, row, parties, 'input');
      await tx.audit({ action: 'appointment.book', recordType: 'appointment', recordId: appointment.id, detail: { startsAt: row.startsAt } });
      await appointmentChanged(tx, [appointment], 'booked');
      return appointment;
    });
  }

  /** Books a plan's remaining sessions as one series: every session or none. */
  bookSeries(tenant: Tenant, input: unknown): Promise<Series> {
    const data = parse(seriesSchema, input);
    const now = this.now();
    return this.db.tenant(tenant, async (tx) => {
      const plan = await tx.repo(TreatmentPlanRecord).findOneBy({ id: data.planId });
      if (!plan) throw badInput('input.planId', `No treatment plan with id ${data.planId} exists in your organization.`);
      if (!isLivePlan(plan.status)) {
        throw badInput('input.planId', `The plan is ${plan.status}; only an accepted (ACTIVE or MAINTENANCE) plan can be booked.`);
      }
      const body = await this.planBody(tx, plan);
      if (!body || body.blocked) throw badInput('input.planId', 'The plan is blocked by screening: follow its referral; there are no sessions to book.');
      const parties = await this.parties(tx, tenant, { ...data, clientId: plan.clientId }, 'input');
      const zone = parties.clinic.timeZone;
      const today = DateTime.fromJSDate(now, { zone }).toISODate()!;
      if (data.startFrom < today) throw badInput('input.startFrom', `input.startFrom: ${data.startFrom} is in the past (today is ${today} in ${zone}).`);

      const ahead = await tx
        .repo(Appointment)
        .qb('a')
        .andWhere('a.planId = :planId AND a.status IN (:...blocking) AND a.endsAt > :now', { planId: plan.id, blocking: BLOCKING_STATUSES, now })
        .getCount();
      if (ahead > 0) {
        throw conflict(`This plan already has ${ahead} booked session${ahead > 1 ? 's' : ''} ahead; move or cancel them instead of booking the plan again.`, {
          field: 'input.planId',
        });
      }
      const completed = await tx.repo(Appointment).countBy({ planId: plan.id, status: 'COMPLETED' });
      const availability = await this.availabilityAt(tx, parties);
      const existing = await this.busy(tx, parties, now, []);
      let slots;
      try {
        slots = expandSchedule({
          plan: body,
          timeZone: zone,
          availability,
          openingHours: parties.clinic.openingHours,
          startFrom: data.startFrom === today ? now.toISOString() : data.startFrom,
          avoidDates: data.avoidDates ?? undefined,
          preferences: data.preferences ? { weekdays: data.preferences.weekdays ?? undefined, times: data.preferences.times ?? undefined } : undefined,
          existing,
          sessionsCompleted: Math.max(body.phaseStartedAtSession, completed),
          maintenanceVisits: data.maintenanceVisits ?? 0,
        }).slots;
      } catch (err) {
        if (err instanceof PlanningInputError) throw fromPlanningError(err, 'input');
        throw err;
      }
      if (slots.length === 0) throw badInput('input.planId', 'The plan has no sessions left to book (ask for maintenance visits with maintenanceVisits).');

      const seriesId = randomUUID();
      const rows = slots.map((s) => ({
        id: randomUUID(),
        organizationId: tx.organizationId,
        clinicId: parties.clinic.id,
        practitionerId: parties.practitioner.id,
        roomId: parties.room?.id ?? null,
        clientId: plan.clientId,
        planId: plan.id,
        seriesId,
        sessionNumber: s.sessionNumber,
        phaseIndex: s.phaseIndex,
        kind: (s.phaseKind === 'maintenance' ? 'MAINTENANCE' : 'SESSION') as Appointment['kind'],
        startsAt: new Date(s.startUtc),
        endsAt: new Date(s.endUtc),
        status: 'BOOKED' as const,
        createdBy: tenant.userId,
      }));
      try {
        await tx.em.insert(Appointment, rows);
      } catch (err) {
        throw this.clash(err, parties, 'input');
      }
      const appointments = await tx.repo(Appointment).find({ where: { seriesId }, order: { sessionNumber: 'ASC' } });
      await tx.auditMany([
        { action: 'appointment.series_book', recordType: 'plan', recordId: plan.id, detail: { seriesId, sessions: rows.length } },
        ...appointments.map((a) => ({ action: 'appointment.book', recordType: 'appointment', recordId: a.id, detail: { seriesId, sessionNumber: a.sessionNumber } })),
      ]);
      await appointmentChanged(tx, appointments, 'booked');
      return { seriesId, planId: plan.id, timeZone: zone, appointments };
    });
  }

  /**
   * Moves a booked appointment: the old row becomes CANCELLED ("Rescheduled…") and a new
   * row names it in `rescheduledFrom`, so the history and any reminders follow the row.
   */
  reschedule(tenant: Tenant, id: string, input: unknown): Promise<Appointment> {
    parse(uuid, id, 'id');
    const data = parse(rescheduleSchema, input);
    const now = this.now();
    return this.db.tenant(tenant, async (tx) => {
      const old = await this.lock(tx, tenant, id);
      if (old.status !== 'BOOKED') throw conflict(`A ${old.status} appointment cannot be rescheduled; only a BOOKED one can.`, { field: 'id' });
      if (await tx.repo(SessionNote).existsBy({ appointmentId: id })) {
        throw conflict('This appointment already has a session note; it cannot move. Cancel it and book another.', { field: 'id' });
      }
      const parties = await this.parties(
        tx,
        tenant,
        {
          clinicId: old.clinicId,
          practitionerId: data.practitionerId ?? old.practitionerId,
          roomId: data.roomId === undefined ? old.roomId : data.roomId,
          clientId: old.clientId,
        },
        'input',
      );
      const minutes = data.durationMinutes ?? Math.round((old.endsAt.getTime() - old.startsAt.getTime()) / 60000);
      const start = resolveStart(data.startsAt, parties.clinic.timeZone, 'input.startsAt');
      await this.assertBookable(tx, parties, start, minutes, 'input.startsAt', now);
      await tx.repo(Appointment).update(
        { id },
        { status: 'CANCELLED', statusReason: `Rescheduled${data.reason ? `: ${data.reason}` : ''}`, statusChangedAt: now },
      );
      const next = await this.insertOne(
        tx,
        {
          id: randomUUID(),
          clinicId: old.clinicId,
          practitionerId: parties.practitioner.id,
          roomId: parties.room?.id ?? null,
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
        parties,
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

  /**
   * Cancels a booked appointment. A client's cancellation within the clinic's
   * `lateCancelHours` of the start is LATE_CANCELLED; a plan session that is cancelled
   * is booked again and the rest of the plan shifts (see {@link shiftAfterMiss}).
   */
  cancel(tenant: Tenant, id: string, reason: unknown, cancelledBy: unknown = 'CLIENT'): Promise<AppointmentChange> {
    parse(uuid, id, 'id');
    const why = parse(reasonText, reason, 'reason');
    const by = parse(z.enum(CANCELLED_BY), cancelledBy, 'cancelledBy');
    return this.db.tenant(tenant, (tx) => this.cancelIn(tx, tenant, id, why, by));
  }

  /** Cancels within the caller's transaction (a signed-in cancel, or a client's link). */
  private async cancelIn(tx: TenantTx, tenant: Tenant | LinkActor, id: string, why: string, by: (typeof CANCELLED_BY)[number]): Promise<AppointmentChange> {
    const now = this.now();
    const a = await this.lock(tx, tenant, id);
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
    return { appointment: updated, ...(await this.shiftAfterMiss(tx, tenant, updated, clinic, now)) };
  }

  /**
   * The client's confirm link from a reminder (public, no sign-in; docs/worker.md). The
   * token names the appointment and the start it was sent for, and expires at that
   * start; the appointment must still be BOOKED at that time. Honoured once
   * (`appointment_link_use`); a second use is CONFLICT.
   */
  async confirmByLink(token: unknown, secret: string): Promise<Appointment> {
    const { appointment, tenant } = await this.fromLink(token, 'appointment-confirm', secret);
    return this.db.tenant(tenant, async (tx) => {
      const a = await this.lock(tx, tenant, appointment.id);
      if (a.status !== 'BOOKED' || a.startsAt.getTime() !== appointment.startsAt.getTime()) throw conflict('This appointment has changed since the reminder was sent.', { field: 'token' });
      const used = await tx.em.query(
        `INSERT INTO appointment_link_use (organization_id, appointment_id, purpose, starts_at) VALUES ($1, $2, 'appointment-confirm', $3) ON CONFLICT DO NOTHING RETURNING appointment_id`,
        [a.organizationId, a.id, a.startsAt],
      );
      if ((used as unknown[]).length === 0) throw conflict('This link has already been used.', { field: 'token' });
      await tx.audit({ action: 'appointment.confirm_by_link', recordType: 'appointment', recordId: a.id, detail: { startsAt: a.startsAt.toISOString() } });
      return a;
    });
  }

  /** The client's cancel link: a client cancellation (late when within lateCancelHours), once, only before the appointment. */
  async cancelByLink(token: unknown, secret: string): Promise<AppointmentChange> {
    const { appointment, tenant } = await this.fromLink(token, 'appointment-cancel', secret);
    // The cancellation and the record of the link's use commit together, or neither does.
    return this.db.tenant(tenant, async (tx) => {
      const current = await this.lock(tx, tenant, appointment.id);
      if (current.status !== 'BOOKED') throw conflict('This link has already been used, or the appointment is no longer booked.', { field: 'token' });
      const change = await this.cancelIn(tx, tenant, appointment.id, 'Cancelled by the client from a reminder link', 'CLIENT');
      await tx.em.query(`INSERT INTO appointment_link_use (organization_id, appointment_id, purpose, starts_at) VALUES ($1, $2, 'appointment-cancel', $3) ON CONFLICT DO NOTHING`, [
        appointment.organizationId,
        appointment.id,
        appointment.startsAt,
      ]);
      return change;
    });
  }

  /** Verifies a reminder link and finds its appointment (as fascia_system: the caller has no organization yet). */
  private async fromLink(token: unknown, purpose: LinkPurpose, secret: string): Promise<{ appointment: Appointment; tenant: LinkActor }> {
    const verified = typeof token === 'string' ? verifyLinkToken(token, purpose, secret, this.now()) : null;
    if (!verified) throw badInput('token', 'This link is invalid or has expired.');
    const appointment = await this.db.system((em) => em.findOneBy(Appointment, { id: verified.id }));
    if (!appointment) throw badInput('token', 'This link is invalid or has expired.');
    if (Math.floor(appointment.startsAt.getTime() / 1000) !== Math.floor(verified.expiresAt.getTime() / 1000)) {
      throw conflict('This appointment has moved since the reminder was sent; use the link in the newer reminder.', { field: 'token' });
    }
    // No user: the link's holder acts for the client. Audit events carry no actor.
    const tenant: LinkActor = { organizationId: appointment.organizationId, userId: null, roles: [], clinicIds: null, requestId: null, sourceAddress: null };
    return { appointment, tenant };
  }

  /** Only after the start, and only for an appointment nobody checked in. */
  markNoShow(tenant: Tenant, id: string): Promise<AppointmentChange> {
    parse(uuid, id, 'id');
    const now = this.now();
    return this.db.tenant(tenant, async (tx) => {
      const a = await this.lock(tx, tenant, id);
      if (a.status !== 'BOOKED') throw conflict(`A ${a.status} appointment cannot be marked a no-show; only a BOOKED one can.`, { field: 'id' });
      const clinic = (await tx.repo(Clinic).findOneBy({ id: a.clinicId })) as Clinic;
      if (now < a.startsAt) {
        throw badInput('id', `The appointment starts at ${localOf(a.startsAt, clinic.timeZone)} (${clinic.timeZone}); it can be marked a no-show only after that.`);
      }
      const updated = await this.setStatus(tx, a, 'NO_SHOW', now, 'no_show');
      return { appointment: updated, ...(await this.shiftAfterMiss(tx, tenant, updated, clinic, now)) };
    });
  }

  /** On the appointment's local day only. */
  checkIn(tenant: Tenant, id: string): Promise<Appointment> {
    parse(uuid, id, 'id');
    const now = this.now();
    return this.db.tenant(tenant, async (tx) => {
      const a = await this.lock(tx, tenant, id);
      if (a.status !== 'BOOKED') throw conflict(`A ${a.status} appointment cannot be checked in; only a BOOKED one can.`, { field: 'id' });
      const clinic = (await tx.repo(Clinic).findOneBy({ id: a.clinicId })) as Clinic;
      const day = DateTime.fromJSDate(a.startsAt, { zone: clinic.timeZone }).toISODate();
      const today = DateTime.fromJSDate(now, { zone: clinic.timeZone }).toISODate();
      if (day !== today) throw badInput('id', `Check-in is on the day of the appointment (${day} in ${clinic.timeZone}); today is ${today}.`);
      return this.setStatus(tx, a, 'CHECKED_IN', now, 'checked_in');
    });
  }

  /** After check-in. (Signing the session note also completes its appointment.) */
  complete(tenant: Tenant, id: string): Promise<Appointment> {
    parse(uuid, id, 'id');
    const now = this.now();
    return this.db.tenant(tenant, async (tx) => {
      const a = await this.lock(tx, tenant, id);
      if (a.status !== 'CHECKED_IN') throw conflict(`A ${a.status} appointment cannot be completed; check the client in first.`, { field: 'id' });
      return this.setStatus(tx, a, 'COMPLETED', now, 'completed');
    });
  }

  calendar(tenant: Tenant, args: unknown): Promise<Calendar> {
    const data = parse(calendarSchema, args, '');
    return this.db.tenant(tenant, async (tx) => {
      const clinic = await tx.repo(Clinic).findOneBy({ id: data.clinicId });
      if (!clinic || !inClinicScope(tenant, clinic.id)) throw notFound('clinic', data.clinicId);
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
        timeZone: clinic.timeZone,
        from: start.toISODate()!,
        to: end.toISODate()!,
        appointments,
        byPractitioner: [...groupBy(appointments, (a) => a.practitionerId)].map(([practitionerId, list]) => ({ practitionerId, appointments: list })),
        byRoom: [...groupBy(appointments, (a) => a.roomId)].map(([roomId, list]) => ({ roomId, appointments: list })),
      };
    });
  }

  // ---------- internals ----------

  private async lock(tx: TenantTx, tenant: Tenant | LinkActor, id: string): Promise<Appointment> {
    const a = await tx.repo(Appointment).qb('a').andWhere('a.id = :id', { id }).setLock('pessimistic_write').getOne();
    if (!a) throw notFound('appointment', id);
    if (!inClinicScope(tenant, a.clinicId)) throw forbidden('This appointment is at a clinic your role does not reach.');
    return a;
  }

  private async setStatus(tx: TenantTx, a: Appointment, status: AppointmentStatus, now: Date, kind: AppointmentChangeKind): Promise<Appointment> {
    await tx.repo(Appointment).update({ id: a.id }, { status, statusChangedAt: now });
    const updated = { ...a, status, statusChangedAt: now };
    await tx.audit({ action: `appointment.${kind}`, recordType: 'appointment', recordId: a.id, detail: { from: a.status, to: status } });
    await appointmentChanged(tx, [updated], kind);
    return updated;
  }

  /** Clinic, practitioner, room (of that clinic) and client, all of this organization; else BAD_USER_INPUT naming the field. */
  private async parties(
    tx: TenantTx,
    tenant: Tenant,
    ids: { clinicId: string; practitionerId: string; roomId?: string | null; clientId: string },
    prefix: string,
  ): Promise<Parties> {
    // One connection per transaction: these run one after another.
    const clinic = await tx.repo(Clinic).findOneBy({ id: ids.clinicId });
    const practitioner = await tx.repo(Practitioner).findOneBy({ id: ids.practitionerId });
    const room = ids.roomId ? await tx.repo(Room).findOneBy({ id: ids.roomId }) : null;
    const client = await tx.repo(Client).findOneBy({ id: ids.clientId });
    if (!clinic || clinic.archivedAt) throw badInput(`${prefix}.clinicId`, `No clinic with id ${ids.clinicId} exists in your organization.`);
    if (!inClinicScope(tenant, clinic.id)) throw forbidden(`Your role does not reach ${clinic.name}.`);
    if (!practitioner || practitioner.archivedAt) {
      throw badInput(`${prefix}.practitionerId`, `No practitioner with id ${ids.practitionerId} exists in your organization.`);
    }
    if (ids.roomId && (!room || room.archivedAt || room.clinicId !== clinic.id)) {
      throw badInput(`${prefix}.roomId`, `No room with id ${ids.roomId} exists at ${clinic.name}.`);
    }
    if (!client || client.archivedAt) throw badInput(`${prefix}.clientId`, `No client with id ${ids.clientId} exists in your organization.`);
    return { clinic, practitioner, room: room ?? null, client };
  }

  private async availabilityAt(tx: TenantTx, p: Parties): Promise<{ weekday: number; start: string; end: string }[]> {
    const rows = await tx.repo(PractitionerAvailability).find({
      where: { practitionerId: p.practitioner.id, clinicId: p.clinic.id },
      order: { weekday: 'ASC', startMinute: 'ASC' },
    });
    return rows.map((r) => ({ weekday: r.weekday, start: fromMinutes(r.startMinute), end: fromMinutes(r.endMinute) }));
  }

  /** Not in the past, one UTC offset throughout, inside opening hours and the practitioner's availability there. */
  private async assertBookable(tx: TenantTx, p: Parties, start: DateTime, minutes: number, field: string, now: Date): Promise<void> {
    const zone = p.clinic.timeZone;
    const local = start.setZone(zone);
    const end = local.plus({ minutes });
    const when = `${local.toFormat(LOCAL_FORMAT)}–${end.toFormat('HH:mm')} (${zone})`;
    if (start.toMillis() < now.getTime()) throw badInput(field, `${field}: ${when} is in the past.`);
    if (end.offset !== local.offset) {
      throw badInput(field, `${field}: ${when} spans a daylight-saving change in ${zone}; choose a time that does not.`);
    }
    const from = local.hour * 60 + local.minute;
    const to = from + minutes;
    const dayName = local.setLocale('en').toFormat('cccc');
    const inside = (ws: { start: string; end: string }[]) =>
      ws.some((w) => toMinutes(w.start) <= from && to <= toMinutes(w.end));
    const open = p.clinic.openingHours.filter((w) => w.weekday === local.weekday);
    if (!inside(open)) {
      const hours = open.length ? `is open ${windowsText(open)} on ${dayName}s` : `is closed on ${dayName}s`;
      throw badInput(field, `${field}: ${p.clinic.name} ${hours}; ${when} is outside its opening hours.`, { hours: open });
    }
    const avail = (await this.availabilityAt(tx, p)).filter((w) => w.weekday === local.weekday);
    if (!inside(avail)) {
      throw badInput(
        field,
        avail.length
          ? `${field}: ${p.practitioner.displayName} works ${windowsText(avail)} at ${p.clinic.name} on ${dayName}s; ${when} is outside that availability.`
          : `${field}: ${p.practitioner.displayName} does not work at ${p.clinic.name} on ${dayName}s.`,
        { hours: avail },
      );
    }
  }

  private async insertOne(tx: TenantTx, row: Partial<Appointment>, p: Parties, prefix: string): Promise<Appointment> {
    try {
      await tx.em.insert(Appointment, { ...row, organizationId: tx.organizationId });
    } catch (err) {
      throw this.clash(err, p, prefix);
    }
    return (await tx.repo(Appointment).findOneBy({ id: row.id! })) as Appointment;
  }

  /** Maps the exclusion constraint that refused a row to CONFLICT naming who was double-booked. */
  private clash(err: unknown, p: Pick<Parties, 'practitioner' | 'room'>, prefix: string): unknown {
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
  private async busy(tx: TenantTx, p: Parties, from: Date, exclude: string[]): Promise<{ startUtc: string; endUtc: string }[]> {
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

  private async planBody(tx: TenantTx, plan: TreatmentPlanRecord): Promise<TreatmentPlan | null> {
    const version = await tx.repo(PlanVersion).findOneBy({ planId: plan.id, version: plan.currentVersion });
    return (version?.body as unknown as TreatmentPlan | undefined) ?? null;
  }

  /**
   * A plan session that did not happen is booked again (from the day after, same session
   * number, `rescheduledFrom` naming it) and the plan's later booked sessions with the same
   * practitioner move so the spacing of the phase — and of the phases after it — holds: the
   * phase keeps its count. The planning package's `expandSchedule` decides the new times
   * (`missed`); the moves and the new row commit with the status change or not at all.
   * When no schedule can be found the status change stands and `shiftProblem` says why.
   */
  private async shiftAfterMiss(
    tx: TenantTx,
    tenant: Tenant | LinkActor,
    missed: Appointment,
    clinic: Clinic,
    now: Date,
  ): Promise<Omit<AppointmentChange, 'appointment'>> {
    const none = (shiftProblem: string | null = null) => ({ rebooked: null, moved: [], shiftProblem });
    if (!missed.planId || missed.sessionNumber == null || missed.phaseIndex == null || !MISSED.includes(missed.status)) return none();
    const plan = await tx.repo(TreatmentPlanRecord).findOneBy({ id: missed.planId });
    if (!plan || !isLivePlan(plan.status)) return none();
    const body = await this.planBody(tx, plan);
    if (!body || body.blocked) return none('The plan has no schedule to shift.');
    const p = missed.phaseIndex;
    if (p < body.currentPhaseIndex || p >= body.phases.length) return none('The plan has moved on from this session’s phase; book it by hand if it is still needed.');
    let phaseStart = body.phaseStartedAtSession;
    for (let i = body.currentPhaseIndex; i < p; i++) phaseStart += body.phases[i].sessions.value.likely;
    if (missed.sessionNumber - 1 < phaseStart) return none('The session numbers no longer match the plan; book it by hand if it is still needed.');

    const following = await tx
      .repo(Appointment)
      .qb('a')
      .andWhere('a.planId = :planId AND a.status = :booked AND a.sessionNumber > :n AND a.practitionerId = :pid AND a.clinicId = :cid', {
        planId: plan.id,
        booked: 'BOOKED',
        n: missed.sessionNumber,
        pid: missed.practitionerId,
        cid: missed.clinicId,
      })
      .orderBy('a.sessionNumber', 'ASC')
      .getMany();
    const parties: Parties = {
      clinic,
      practitioner: (await tx.repo(Practitioner).findOneBy({ id: missed.practitionerId })) as Practitioner,
      room: missed.roomId ? await tx.repo(Room).findOneBy({ id: missed.roomId }) : null,
      client: (await tx.repo(Client).findOneBy({ id: missed.clientId })) as Client,
    };
    const zone = clinic.timeZone;
    const maintenanceIndex = body.phases.findIndex((ph) => ph.kind === 'maintenance');
    const maintenanceVisits = [missed, ...following].filter((a) => a.phaseIndex === maintenanceIndex).length;
    const missedLocal = DateTime.fromJSDate(missed.startsAt, { zone });
    const missedMinutes = Math.round((missed.endsAt.getTime() - missed.startsAt.getTime()) / 60000);
    let slots;
    try {
      slots = expandSchedule({
        plan: { ...body, currentPhaseIndex: p, phaseStartedAtSession: phaseStart },
        timeZone: zone,
        availability: await this.availabilityAt(tx, parties),
        openingHours: clinic.openingHours,
        startFrom: now.toISOString(),
        missed: [{ sessionNumber: missed.sessionNumber, at: missed.startsAt.toISOString() }],
        existing: await this.busy(tx, parties, now, following.map((a) => a.id)),
        sessionsCompleted: missed.sessionNumber - 1,
        maintenanceVisits,
        preferences: { times: [{ start: missedLocal.toFormat('HH:mm'), end: missedLocal.plus({ minutes: missedMinutes }).toFormat('HH:mm') }].filter((w) => w.start < w.end) },
      }).slots;
    } catch (err) {
      if (err instanceof PlanningInputError) return none(err.issues.map((i) => `${i.field} ${i.problem}`).join('; '));
      throw err;
    }
    const bySession = new Map(slots.map((s) => [s.sessionNumber, s]));
    const toMove = following.filter((a) => {
      const s = bySession.get(a.sessionNumber!);
      return s && (new Date(s.startUtc).getTime() !== a.startsAt.getTime() || new Date(s.endUtc).getTime() !== a.endsAt.getTime());
    });
    try {
      if (toMove.length) {
        // Exclusion constraints are checked row by row, so sessions moving onto each other's old
        // times would clash mid-way: free them all first (inside this transaction), then place each.
        const ids = toMove.map((a) => a.id);
        await tx.repo(Appointment).update({ id: In(ids) }, { status: 'CANCELLED' });
        for (const a of toMove) {
          const s = bySession.get(a.sessionNumber!)!;
          await tx.repo(Appointment).update({ id: a.id }, { status: 'BOOKED', startsAt: new Date(s.startUtc), endsAt: new Date(s.endUtc) });
        }
      }
      const slot = bySession.get(missed.sessionNumber);
      let rebooked: Appointment | null = null;
      if (slot) {
        rebooked = await this.insertOne(
          tx,
          {
            id: randomUUID(),
            clinicId: missed.clinicId,
            practitionerId: missed.practitionerId,
            roomId: missed.roomId,
            clientId: missed.clientId,
            planId: missed.planId,
            seriesId: missed.seriesId,
            sessionNumber: missed.sessionNumber,
            phaseIndex: missed.phaseIndex,
            kind: missed.kind,
            startsAt: new Date(slot.startUtc),
            endsAt: new Date(slot.endUtc),
            status: 'BOOKED',
            rescheduledFrom: missed.id,
            // A client cancelling from a reminder link is no user: the rebooking is the original booker's.
            createdBy: tenant.userId ?? missed.createdBy,
          },
          parties,
          'id',
        );
      }
      const moved = toMove.length ? await tx.repo(Appointment).find({ where: { id: In(toMove.map((a) => a.id)) }, order: { sessionNumber: 'ASC' } }) : [];
      await tx.auditMany([
        ...(rebooked ? [{ action: 'appointment.book', recordType: 'appointment', recordId: rebooked.id, detail: { rescheduledFrom: missed.id } }] : []),
        ...moved.map((a) => ({ action: 'appointment.shift', recordType: 'appointment', recordId: a.id, detail: { after: missed.id, startsAt: a.startsAt } })),
      ]);
      if (rebooked) await appointmentChanged(tx, [rebooked], 'booked');
      if (moved.length) await appointmentChanged(tx, moved, 'moved');
      return { rebooked, moved, shiftProblem: slot ? null : 'The plan has no place for this session any more.' };
    } catch (err) {
      throw this.clash(err, parties, 'id');
    }
  }
}
