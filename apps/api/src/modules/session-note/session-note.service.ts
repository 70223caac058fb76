import { emitEvent } from '@fascia/jobs';
import { Appointment, Clinic, PG, pgError, SessionAddendum, SessionNote, type Clock, type Db, systemClock, type TenantTx } from '@fascia/db';
import { BODY_REGIONS, PRESSURE_TOLERANCES, TECHNIQUES } from '@fascia/planning';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Tenant } from '../../context';
import { badInput, conflict, DeniedError, notFound } from '../../common/errors';
import { parse, uuid } from '../../common/validation';
import { appointmentChanged } from '../appointment/appointment.events';
import { canReadRecord, inClinicScope } from '../../auth/scope';
import { ownPractitioner } from '../practitioner/practitioner.service';

const pain = z.number().int('must be a whole number from 0 to 10').min(0, 'must be from 0 to 10').max(10, 'must be from 0 to 10');
const region = z.enum(BODY_REGIONS, { message: `must be a body region: ${BODY_REGIONS.join(', ')}` });
const pressure = z.enum(PRESSURE_TOLERANCES, { message: `must be one of ${PRESSURE_TOLERANCES.join(', ')}` });
const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);
const HOME_CARE_KINDS = ['stretch', 'exercise', 'self-massage', 'posture', 'relaxation'] as const;

const checkinSchema = z.object({
  painNow: pain,
  painAreas: z.array(region).max(BODY_REGIONS.length).transform((a) => [...new Set(a)]),
  pressureToday: pressure,
  notes: text(2000).nullish(),
});
const updateSchema = z.object({
  checkin: checkinSchema.nullish(),
  techniques: z
    .array(
      z.object({
        technique: z.enum(TECHNIQUES, { message: `must be one of ${TECHNIQUES.join(', ')}` }),
        pressure,
        areas: z.array(region).min(1, 'name at least one body area').max(BODY_REGIONS.length),
        minutes: z.number().int().min(1, 'must be 1 to 240 minutes').max(240, 'must be 1 to 240 minutes').nullish(),
      }),
    )
    .max(20, 'at most 20 techniques')
    .nullish(),
  durationMinutes: z.number().int('must be whole minutes').min(1, 'must be 1 to 480 minutes').max(480, 'must be 1 to 480 minutes').nullish(),
  clientFeedback: text(5000).nullish(),
  painAfter: pain.nullish(),
  soap: z
    .object({ subjective: text(10000).nullish(), objective: text(10000).nullish(), assessment: text(10000).nullish(), plan: text(10000).nullish() })
    .nullish(),
  homeCare: z
    .array(
      z.object({
        kind: z.enum(HOME_CARE_KINDS, { message: `must be one of ${HOME_CARE_KINDS.join(', ')}` }),
        description: text(2000).min(1, 'must not be empty'),
        daysPerWeek: z.number().int().min(1, 'must be 1 to 7').max(7, 'must be 1 to 7').nullish(),
      }),
    )
    .max(20, 'at most 20 items')
    .nullish(),
});
const addendumSchema = z.string().trim().min(1, 'must not be empty').max(10000, 'must be at most 10000 characters');

const SIGNED = 'Signed notes cannot change; add an addendum.';
/** A note starts at the session: at most this long before the appointment's start. */
const NOTE_START_LEAD_MINUTES = 60;
const NOTE_STATUSES: readonly string[] = ['BOOKED', 'CHECKED_IN', 'COMPLETED'];


/**
 * Session notes: the check-in at the start, what was done, the client's feedback, pain
 * after, SOAP and home care. Written by the appointment's practitioner, a manager of its
 * clinic or an organization admin. Signing makes a note immutable (a trigger holds it in
 * PostgreSQL too) and completes its appointment; corrections are addenda. Every read and
 * write is audited.
 */
export class SessionNoteService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  get(tenant: Tenant, id: string): Promise<SessionNote | null> {
    parse(uuid, id, 'id');
    return this.db.tenant(tenant, async (tx) => {
      const note = await tx.repo(SessionNote).findOneBy({ id });
      if (!note) return null;
      const appointment = await tx.repo(Appointment).findOneBy({ id: note.appointmentId });
      if (!appointment) return null;
      // A note belongs to its appointment's clinic (auth/scope.ts).
      if (!(await canReadRecord(tx, tenant, { recordType: 'session_note', id: note.id, clinicId: appointment.clinicId }, 'note.read'))) return null;
      await tx.audit({ action: 'note.read', recordType: 'session_note', recordId: note.id });
      return note;
    });
  }

  start(tenant: Tenant, appointmentId: string, checkin: unknown): Promise<SessionNote> {
    parse(uuid, appointmentId, 'appointmentId');
    const data = parse(checkinSchema, checkin, 'checkin');
    return this.db.tenant(tenant, async (tx) => {
      const appointment = await tx.repo(Appointment).findOneBy({ id: appointmentId });
      if (!appointment) throw notFound('appointment', appointmentId);
      await this.assertWriter(tx, tenant, appointment, { action: 'note.create', recordType: 'appointment', recordId: appointment.id });
      if (!NOTE_STATUSES.includes(appointment.status)) {
        throw conflict(`The appointment is ${appointment.status}; a session note is written for a session that takes place.`, { field: 'appointmentId' });
      }
      const canStartAt = new Date(appointment.startsAt.getTime() - NOTE_START_LEAD_MINUTES * 60_000);
      if (this.clock.now().getTime() < canStartAt.getTime()) {
        const zone = (await tx.repo(Clinic).findOneBy({ id: appointment.clinicId }))?.timeZone ?? 'UTC';
        const local = (d: Date) => DateTime.fromJSDate(d, { zone }).toFormat("ccc d LLL yyyy HH:mm");
        throw conflict(
          `A session note starts at the session: this appointment starts ${local(appointment.startsAt)} (${zone}), so its note can be started from ${local(canStartAt)}, ${NOTE_START_LEAD_MINUTES} minutes before.`,
          { field: 'appointmentId', startsAt: appointment.startsAt.toISOString(), canStartAt: canStartAt.toISOString() },
        );
      }
      let note: SessionNote;
      try {
        note = await tx.repo(SessionNote).insert({
          appointmentId,
          clientId: appointment.clientId,
          practitionerId: appointment.practitionerId,
          planId: appointment.planId,
          checkin: { painNow: data.painNow, painAreas: data.painAreas, pressureToday: data.pressureToday, notes: data.notes ?? null },
          techniques: [],
          soap: {},
          homeCare: [],
          createdBy: tenant.userId,
        });
      } catch (err) {
        if (pgError(err)?.code === PG.UNIQUE_VIOLATION) throw conflict('This appointment already has a session note; update it instead.', { field: 'appointmentId' });
        throw err;
      }
      await tx.audit({ action: 'note.create', recordType: 'session_note', recordId: note.id, detail: { appointmentId } });
      return note;
    });
  }

  /** Fields left out (or null, for the lists and the check-in) keep their value; null clears a nullable number or text. */
  update(tenant: Tenant, id: string, input: unknown): Promise<SessionNote> {
    parse(uuid, id, 'id');
    const data = parse(updateSchema, input);
    return this.db.tenant(tenant, async (tx) => {
      const note = await this.lockForWrite(tx, tenant, id, 'note.update');
      const patch: Partial<SessionNote> = {};
      if (data.checkin) patch.checkin = { ...data.checkin, notes: data.checkin.notes ?? null };
      if (data.techniques) patch.techniques = data.techniques.map((t) => ({ ...t, minutes: t.minutes ?? null }));
      if (data.durationMinutes !== undefined) patch.durationMinutes = data.durationMinutes;
      if (data.clientFeedback !== undefined) patch.clientFeedback = data.clientFeedback || null;
      if (data.painAfter !== undefined) patch.painAfter = data.painAfter;
      if (data.soap) patch.soap = Object.fromEntries(Object.entries({ ...note.soap, ...data.soap }).filter(([, v]) => v != null && v !== '')) as Record<string, string>;
      if (data.homeCare) patch.homeCare = data.homeCare.map((h) => ({ ...h, daysPerWeek: h.daysPerWeek ?? null }));
      if (Object.keys(patch).length) {
        try {
          await tx.repo(SessionNote).update({ id }, patch);
        } catch (err) {
          throw this.signedRefusal(err);
        }
      }
      await tx.audit({ action: 'note.update', recordType: 'session_note', recordId: id, detail: { fields: Object.keys(patch) } });
      return (await tx.repo(SessionNote).findOneBy({ id })) as SessionNote;
    });
  }

  /** Needs what was done (a technique), the duration and the pain after; completes the appointment. */
  sign(tenant: Tenant, id: string): Promise<SessionNote> {
    parse(uuid, id, 'id');
    const now = this.clock.now();
    return this.db.tenant(tenant, async (tx) => {
      const note = await this.lockForWrite(tx, tenant, id, 'note.sign');
      const missing = [
        note.techniques.length === 0 ? 'techniques' : null,
        note.durationMinutes == null ? 'durationMinutes' : null,
        note.painAfter == null ? 'painAfter' : null,
      ].filter((m): m is string => m !== null);
      if (missing.length) throw badInput('id', `The note needs ${missing.join(', ')} before it can be signed.`, { missing });
      try {
        await tx.repo(SessionNote).update({ id }, { signedAt: now, signedBy: tenant.userId });
      } catch (err) {
        throw this.signedRefusal(err);
      }
      await emitEvent(tx.em, 'note.signed', tenant.organizationId, { noteId: id, appointmentId: note.appointmentId });
      const appointment = await tx.repo(Appointment).qb('a').andWhere('a.id = :id', { id: note.appointmentId }).setLock('pessimistic_write').getOne();
      const events = [{ action: 'note.sign', recordType: 'session_note', recordId: id }];
      if (appointment && (appointment.status === 'BOOKED' || appointment.status === 'CHECKED_IN')) {
        await tx.repo(Appointment).update({ id: appointment.id }, { status: 'COMPLETED', statusChangedAt: now });
        events.push({ action: 'appointment.completed', recordType: 'appointment', recordId: appointment.id });
        await appointmentChanged(tx, [{ ...appointment, status: 'COMPLETED', statusChangedAt: now }], 'completed');
      }
      await tx.auditMany(events);
      return (await tx.repo(SessionNote).findOneBy({ id })) as SessionNote;
    });
  }

  /** A correction to a signed note, with its author and time. */
  addAddendum(tenant: Tenant, noteId: string, body: unknown): Promise<SessionNote> {
    parse(uuid, noteId, 'noteId');
    const text = parse(addendumSchema, body, 'body');
    return this.db.tenant(tenant, async (tx) => {
      const note = await tx.repo(SessionNote).findOneBy({ id: noteId });
      if (!note) throw notFound('session note', noteId);
      const appointment = (await tx.repo(Appointment).findOneBy({ id: note.appointmentId })) as Appointment;
      await this.assertWriter(tx, tenant, appointment, { action: 'note.addendum', recordType: 'session_note', recordId: noteId });
      if (!note.signedAt) throw conflict('The note is not signed yet; change it directly. Addenda correct signed notes.', { field: 'noteId' });
      const addendum = await tx.repo(SessionAddendum).insert({ noteId, body: text, authorId: tenant.userId });
      await tx.audit({ action: 'note.addendum', recordType: 'session_note', recordId: noteId, detail: { addendumId: addendum.id } });
      return note;
    });
  }

  private async lockForWrite(tx: TenantTx, tenant: Tenant, id: string, action: string): Promise<SessionNote> {
    const note = await tx.repo(SessionNote).qb('n').andWhere('n.id = :id', { id }).setLock('pessimistic_write').getOne();
    if (!note) throw notFound('session note', id);
    const appointment = (await tx.repo(Appointment).findOneBy({ id: note.appointmentId })) as Appointment;
    await this.assertWriter(tx, tenant, appointment, { action, recordType: 'session_note', recordId: id });
    if (note.signedAt) throw conflict(SIGNED, { field: 'id' });
    return note;
  }

  /** The appointment's practitioner, a manager of its clinic, or an organization admin; a refusal is audited as DENIED. */
  private async assertWriter(tx: TenantTx, tenant: Tenant, appointment: Appointment, denied: DeniedError['deniedAudit']): Promise<void> {
    if (tenant.roles.includes('ORG_ADMIN')) return;
    if (tenant.roles.includes('CLINIC_MANAGER') && inClinicScope(tenant, appointment.clinicId)) return;
    if (tenant.roles.includes('PRACTITIONER')) {
      const me = await ownPractitioner(tx, tenant);
      if (me?.id === appointment.practitionerId) return;
    }
    throw new DeniedError('FORBIDDEN', 'Only the appointment’s practitioner, a manager of its clinic or an organization admin can write its note.', {
      ...denied,
      detail: { reason: 'not the appointment’s practitioner or a manager of its clinic' },
    });
  }

  /** The database trigger's refusal of a change to a signed note. */
  private signedRefusal(err: unknown): unknown {
    return pgError(err)?.code === PG.CHECK_VIOLATION ? conflict(SIGNED, { field: 'id' }) : err;
  }
}
