import { randomUUID } from 'node:crypto';
import {
  Appointment,
  Client,
  Clinic,
  type Db,
  PlanVersion,
  Practitioner,
  Reminder,
  ReminderPolicyRecord,
  type ReminderKind,
  TreatmentPlanRecord,
} from '@fascia/db';
import {
  type JobQueue,
  type PlanBodyView,
  type QueueKey,
  TemplateError,
  channelsFor,
  enqueue,
  homeCareForDay,
  planAppointmentReminders,
  policyFromRow,
  renderReminder,
  signLinkToken,
} from '@fascia/jobs';
import { DateTime } from 'luxon';
import type { EntityManager } from 'typeorm';
import type { DeliveryLog, DeliveryOutcome } from '../deliveries';
import { returnedRows } from '../relay';
import { type Handler, type HandlerResult, jobResultOf, PermanentJobError } from './types';

export interface ReminderDeps {
  db: Db;
  deliveries: DeliveryLog;
  appSecret: string;
  adminUrl: string;
  now: () => Date;
  queues: Readonly<Record<QueueKey, JobQueue>>;
}

const MAX_ERROR_LENGTH = 2000;

/** A reminder row to create (or revive), and the outbox row that will run it at `sendAt`. */
export interface NewReminder {
  organizationId: string;
  clinicId: string;
  kind: ReminderKind;
  appointmentId: string | null;
  planId: string | null;
  clientId: string;
  channel: 'EMAIL' | 'SMS';
  leadMinutes: number | null;
  dueAt: Date;
  sendAt: Date;
  appointmentStartsAt: Date | null;
  deliveryKey: string;
}

/**
 * Writes a reminder once per delivery key, with its outbox row (id = reminder id =
 * BullMQ jobId) in the same transaction. A key that exists is left alone, except a
 * CANCELLED one, which is revived under a new id (an appointment moved back to a time
 * it had before): the old id's job may still be kept by BullMQ as completed, and a
 * re-used jobId would be ignored. Returns the id when a job was scheduled.
 */
export async function scheduleReminder(em: EntityManager, r: NewReminder): Promise<string | null> {
  const id = randomUUID();
  const inserted = returnedRows<{ id: string }>(
    await em.query(
      `INSERT INTO reminder (id, organization_id, clinic_id, kind, appointment_id, plan_id, client_id, channel, lead_minutes, due_at, send_at, appointment_starts_at, status, delivery_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'SCHEDULED', $13)
       ON CONFLICT (delivery_key) DO NOTHING RETURNING id`,
      [id, r.organizationId, r.clinicId, r.kind, r.appointmentId, r.planId, r.clientId, r.channel, r.leadMinutes, r.dueAt, r.sendAt, r.appointmentStartsAt, r.deliveryKey],
    ),
  );
  let scheduled = inserted[0]?.id ?? null;
  if (!scheduled) {
    const revived = returnedRows<{ id: string }>(
      await em.query(
        `UPDATE reminder SET id = $1, status = 'SCHEDULED', attempts = 0, last_error = NULL, due_at = $3, send_at = $4, updated_at = now()
         WHERE delivery_key = $2 AND status = 'CANCELLED' RETURNING id`,
        [id, r.deliveryKey, r.dueAt, r.sendAt],
      ),
    );
    scheduled = revived[0]?.id ?? null;
  }
  if (scheduled) await enqueue(em, 'reminder.send', { organizationId: r.organizationId, reminderId: scheduled }, { id: scheduled, runAt: r.sendAt });
  return scheduled;
}

/**
 * `appointment.changed`: brings an appointment's reminders in line with it, under a
 * per-appointment advisory lock (two changes in a row reconcile one after the other).
 *  - BOOKED and in the future: the policy's reminders for its current start are
 *    scheduled (existing keys are kept, so running it twice adds nothing);
 *  - rows computed for another start (a reschedule) or for an appointment no longer
 *    BOOKED (cancelled, missed, checked in) or gone: CANCELLED, and their delayed jobs
 *    removed after the commit. A removal that fails does no harm: `reminder.send`
 *    re-checks the appointment and skips.
 */
export function appointmentChangedHandler(deps: ReminderDeps): Handler<'appointment.changed'> {
  return async (data, ctx) => {
    const now = deps.now();
    const result = await deps.db.system(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('appointment-reminders'), hashtext($1))`, [data.appointmentId]);
      const appt = await em.findOneBy(Appointment, { id: data.appointmentId });
      if (appt && appt.organizationId !== data.organizationId) return { mismatch: true as const };
      const live = appt !== null && appt.status === 'BOOKED' && appt.startsAt.getTime() > now.getTime();
      const existing = (await em.query(
        `SELECT id, status, appointment_starts_at FROM reminder WHERE appointment_id = $1 AND kind = 'APPOINTMENT' FOR UPDATE`,
        [data.appointmentId],
      )) as { id: string; status: string; appointment_starts_at: Date }[];
      const cancel = existing.filter(
        (r) => (r.status === 'SCHEDULED' || r.status === 'FAILED') && (!live || new Date(r.appointment_starts_at).getTime() !== appt.startsAt.getTime()),
      );
      const reason = !appt ? 'appointment deleted' : !live ? `appointment ${appt.status === 'BOOKED' ? 'started' : appt.status.toLowerCase()}` : 'appointment moved';
      if (cancel.length > 0) {
        await em.query(`UPDATE reminder SET status = 'CANCELLED', last_error = $2, updated_at = now() WHERE id = ANY($1::uuid[])`, [cancel.map((r) => r.id), reason]);
      }
      const created: string[] = [];
      let omitted: unknown[] = [];
      if (live) {
        const client = await em.findOneByOrFail(Client, { id: appt.clientId });
        const clinic = await em.findOneByOrFail(Clinic, { id: appt.clinicId });
        const policy = policyFromRow(await em.findOneBy(ReminderPolicyRecord, { clinicId: appt.clinicId }));
        const bookedAt = new Date(Math.max(appt.createdAt.getTime(), appt.updatedAt.getTime()));
        const plan = planAppointmentReminders({
          appointmentId: appt.id,
          startsAt: appt.startsAt,
          bookedAt: new Date(Math.min(bookedAt.getTime(), now.getTime())),
          policy,
          timeZone: clinic.timeZone,
          channels: channelsFor(policy, client.preferredChannels),
        });
        omitted = plan.omitted;
        for (const p of plan.planned) {
          const id = await scheduleReminder(em, {
            organizationId: appt.organizationId,
            clinicId: appt.clinicId,
            kind: 'APPOINTMENT',
            appointmentId: appt.id,
            planId: appt.planId,
            clientId: appt.clientId,
            channel: p.channel,
            leadMinutes: p.leadMinutes,
            dueAt: p.dueAt,
            sendAt: p.sendAt,
            appointmentStartsAt: appt.startsAt,
            deliveryKey: p.deliveryKey,
          });
          if (id) created.push(id);
        }
      }
      return { created, cancelled: cancel.map((r) => r.id), omitted, reason };
    });
    if ('mismatch' in result) {
      ctx.log.error({ appointmentId: data.appointmentId, payloadOrganizationId: data.organizationId }, 'appointment belongs to another organization: job refused');
      throw new PermanentJobError(`Appointment ${data.appointmentId} does not belong to organization ${data.organizationId}`);
    }
    for (const id of result.cancelled) {
      await deps.queues.notifications.remove(id).catch((err: unknown) => ctx.log.warn({ reminderId: id, err: String(err) }, 'could not remove a cancelled reminder job; it will skip itself'));
    }
    return { outcome: 'reconciled', created: result.created.length, cancelled: result.cancelled.length, omitted: result.omitted.length };
  };
}

export const contactFor = (client: Pick<Client, 'email' | 'phone'>, channel: 'EMAIL' | 'SMS'): string | null =>
  (channel === 'EMAIL' ? client.email : client.phone)?.trim() || null;

const clientName = (c: Client): string => c.preferredName?.trim() || c.firstName;
const localTime = (d: Date, zone: string): string => DateTime.fromJSDate(d, { zone }).setLocale('en-GB').toFormat("cccc d LLLL yyyy 'at' HH:mm ZZZZ");
const localDate = (d: Date, zone: string): string => DateTime.fromJSDate(d, { zone }).setLocale('en-GB').toFormat('cccc d LLLL yyyy');

type Loaded =
  | { skip: string }
  | { mismatch: string }
  | { done: string }
  | { reminder: Reminder; client: Client; vars: Record<string, string>; templates: ReturnType<typeof policyFromRow>['templates'] };

/**
 * Moves a live reminder (SCHEDULED or FAILED) to its outcome. A reminder that is no longer
 * live — CANCELLED by a reconcile, already SKIPPED/SENT/DEAD — is left as it is.
 */
async function markReminder(em: EntityManager, id: string, status: string, lastError: string | null, extra: { attempt?: boolean; deliveryId?: string } = {}): Promise<void> {
  await em.query(
    `UPDATE reminder SET status = $2, last_error = $3, attempts = attempts + $4, delivery_id = coalesce($5, delivery_id), updated_at = now()
     WHERE id = $1 AND status IN ('SCHEDULED', 'FAILED')`,
    [id, status, lastError?.slice(0, MAX_ERROR_LENGTH) ?? null, extra.attempt ? 1 : 0, extra.deliveryId ?? null],
  );
}

/**
 * `reminder.send`: sends one reminder row, once. Before sending it checks that the
 * cause still holds — for an appointment: it exists, is BOOKED, still starts when the
 * reminder was computed for, and has not started; for a plan: it is still ACTIVE or in
 * MAINTENANCE (and, for maintenance, nothing is booked). Then the client: consent, and
 * an address for the channel. Any of these failing: SKIPPED with the reason, no retry.
 * An invalid template: DEAD with the placeholder named, no retry. Otherwise the
 * delivery log sends it under the reminder's unique delivery key, and the reminder row
 * takes the outcome in the same transaction.
 */
export function reminderSendHandler(deps: ReminderDeps): Handler<'reminder.send'> {
  return async (data, ctx): Promise<HandlerResult> => {
    const now = deps.now();
    const loaded = await deps.db.system(async (em): Promise<Loaded> => {
      const reminder = await em.findOneBy(Reminder, { id: data.reminderId });
      if (!reminder) return { done: 'reminder-not-found' };
      if (reminder.organizationId !== data.organizationId) return { mismatch: reminder.organizationId };
      if (reminder.status !== 'SCHEDULED' && reminder.status !== 'FAILED') return { done: `reminder-${reminder.status.toLowerCase()}` };
      const skip = async (reason: string): Promise<Loaded> => {
        await markReminder(em, reminder.id, 'SKIPPED', reason);
        return { skip: reason };
      };
      const clinic = await em.findOneBy(Clinic, { id: reminder.clinicId ?? '' });
      if (!clinic) return skip('clinic not found');
      const vars: Record<string, string> = { clinicName: clinic.name, clinicPhone: clinic.phone ?? '' };
      let practitionerId: string;
      if (reminder.kind === 'APPOINTMENT') {
        const appt = await em.findOneBy(Appointment, { id: reminder.appointmentId ?? '' });
        if (!appt) return skip('the appointment no longer exists');
        if (appt.status !== 'BOOKED') return skip(`the appointment is ${appt.status.toLowerCase().replace('_', ' ')}`);
        if (appt.startsAt.getTime() !== reminder.appointmentStartsAt?.getTime()) return skip('the appointment was moved');
        if (appt.startsAt.getTime() <= now.getTime()) return skip('the appointment has started');
        practitionerId = appt.practitionerId;
        vars.appointmentTime = localTime(appt.startsAt, clinic.timeZone);
        const link = (purpose: 'appointment-confirm' | 'appointment-cancel', path: string) =>
          `${deps.adminUrl}/appointment/${path}?token=${encodeURIComponent(signLinkToken(purpose, appt.id, appt.startsAt, deps.appSecret))}`;
        vars.confirmLink = link('appointment-confirm', 'confirm');
        vars.cancelLink = link('appointment-cancel', 'cancel');
      } else {
        const plan = await em.findOneBy(TreatmentPlanRecord, { id: reminder.planId ?? '' });
        if (!plan || (plan.status !== 'ACTIVE' && plan.status !== 'MAINTENANCE')) return skip(plan ? `the plan is ${plan.status.toLowerCase()}` : 'the plan no longer exists');
        practitionerId = plan.practitionerId;
        const version = await em.findOneByOrFail(PlanVersion, { planId: plan.id, version: plan.currentVersion });
        const body = version.body as unknown as PlanBodyView;
        const [next] = (await em.query(
          `SELECT kind, starts_at FROM appointment WHERE plan_id = $1 AND status = 'BOOKED' AND starts_at > $2 ORDER BY starts_at LIMIT 1`,
          [plan.id, now],
        )) as { kind: string; starts_at: Date }[];
        if (reminder.kind === 'REASSESSMENT_DUE') {
          if (next?.kind === 'REASSESSMENT') return skip('the re-assessment is booked');
          vars.bookingHint = next ? `Your next visit is on ${localDate(new Date(next.starts_at), clinic.timeZone)}: ask for the re-assessment then.` : 'Please book a visit.';
        } else if (reminder.kind === 'MAINTENANCE_DUE' || reminder.kind === 'MAINTENANCE_FOLLOW_UP') {
          if (next) return skip('a visit is booked');
          const f = body.phases[body.currentPhaseIndex]?.frequency.value;
          vars.interval = f ? (f.perWeeks / f.sessions === 1 ? 'every week' : `every ${f.perWeeks / f.sessions} weeks`) : 'regularly';
          vars.dueDate = localDate(reminder.dueAt, clinic.timeZone);
        } else {
          const weekday = DateTime.fromJSDate(reminder.dueAt, { zone: clinic.timeZone }).weekday;
          const items = homeCareForDay({ status: plan.status, body }, weekday);
          if (items.length === 0) return skip('nothing prescribed for the day');
          vars.items = items.map((i) => `- ${i.description}`).join('\n');
        }
      }
      const client = await em.findOneBy(Client, { id: reminder.clientId });
      if (!client || client.archivedAt) return skip('the client is archived');
      if (!client.reminderConsent) return skip('the client has not agreed to reminders');
      if (!contactFor(client, reminder.channel)) return skip(reminder.channel === 'EMAIL' ? 'the client has no email address' : 'the client has no phone number');
      vars.clientName = clientName(client);
      const practitioner = await em.findOneBy(Practitioner, { id: practitionerId });
      vars.practitionerName = practitioner?.displayName ?? 'your practitioner';
      const policy = policyFromRow(await em.findOneBy(ReminderPolicyRecord, { clinicId: clinic.id }));
      return { reminder, client, vars, templates: policy.templates };
    });

    if ('mismatch' in loaded) {
      ctx.log.error({ reminderId: data.reminderId, payloadOrganizationId: data.organizationId }, 'reminder belongs to another organization: job refused');
      throw new PermanentJobError(`Reminder ${data.reminderId} does not belong to organization ${data.organizationId}`);
    }
    if ('done' in loaded) return { outcome: 'already-handled', reason: loaded.done };
    if ('skip' in loaded) {
      ctx.log.info({ reminderId: data.reminderId, reason: loaded.skip }, 'reminder skipped');
      return { outcome: 'skipped', reason: loaded.skip };
    }

    const { reminder, client, vars } = loaded;
    let content: { subject: string; text: string };
    try {
      content = renderReminder(reminder.kind, reminder.channel, vars, loaded.templates[reminder.kind]);
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      await deps.db.system((em) => markReminder(em, reminder.id, 'DEAD', `invalid template: ${err.message}`, { attempt: true }));
      ctx.log.error({ reminderId: reminder.id, err: err.message }, 'reminder template is invalid: not sent');
      throw new PermanentJobError(`Reminder ${reminder.id}: invalid template: ${err.message}`);
    }
    const to = contactFor(client, reminder.channel) as string;
    const settle = async (em: EntityManager, o: DeliveryOutcome): Promise<void> => {
      if (o.status === 'SKIPPED' || o.status === 'BUSY') return;
      if (o.status === 'SENT') await markReminder(em, reminder.id, 'SENT', null, { attempt: true, deliveryId: o.deliveryId });
      else if (o.status === 'ALREADY_SENT') await markReminder(em, reminder.id, 'SENT', null, { deliveryId: o.deliveryId });
      else if (o.status === 'ALREADY_DEAD') await markReminder(em, reminder.id, 'DEAD', o.lastError, { deliveryId: o.deliveryId });
      else await markReminder(em, reminder.id, o.status, o.error.message, { attempt: true, deliveryId: o.deliveryId });
    };
    // In the delivery's claim: the reminder row is locked and must still be live (a
    // reconcile may have cancelled it since it was loaded), and an appointment's reminder
    // re-checks the appointment once more under that lock.
    const claim = async (em: EntityManager): Promise<string | null> => {
      const [row] = (await em.query(`SELECT status FROM reminder WHERE id = $1 FOR UPDATE`, [reminder.id])) as { status: string }[];
      if (!row) return 'the reminder no longer exists';
      if (row.status !== 'SCHEDULED' && row.status !== 'FAILED') return `the reminder is ${row.status.toLowerCase()}`;
      if (reminder.kind !== 'APPOINTMENT') return null;
      const [appt] = (await em.query(`SELECT status, starts_at FROM appointment WHERE id = $1`, [reminder.appointmentId])) as { status: string; starts_at: Date }[];
      const reason = !appt
        ? 'the appointment no longer exists'
        : appt.status !== 'BOOKED'
          ? `the appointment is ${appt.status.toLowerCase().replace('_', ' ')}`
          : new Date(appt.starts_at).getTime() !== reminder.appointmentStartsAt?.getTime()
            ? 'the appointment was moved'
            : null;
      if (reason) await markReminder(em, reminder.id, 'SKIPPED', reason);
      return reason;
    };
    const outcome = await deps.deliveries.deliverOnce(
      {
        organizationId: reminder.organizationId,
        deliveryKey: reminder.deliveryKey,
        template: `reminder-${reminder.kind.toLowerCase().replace(/_/g, '-')}`,
        outboxId: ctx.jobId,
        message: reminder.channel === 'EMAIL' ? { channel: 'EMAIL', to, subject: content.subject, text: content.text } : { channel: 'SMS', to, text: content.text },
      },
      { isFinalAttempt: ctx.attempt >= ctx.maxAttempts, claim, onSettled: settle },
    );
    return jobResultOf(outcome, `Reminder ${reminder.id} to ${to}`);
  };
}
