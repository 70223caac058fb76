import { randomUUID } from 'node:crypto';
import { Appointment, type Clock, Client, Clinic, type Db, ReminderPolicyRecord, type ReminderKind, SqlParams } from '@fascia/db';
import { channelsFor, planAppointmentReminders, policyFromRow } from '@fascia/follow-up';
import { type JobQueue, type QueueKey, enqueue } from '@fascia/jobs';
import type { EntityManager } from 'typeorm';
import type { DeliveryLog, Param } from '../deliveries';
import { returnedRows } from '../relay';
import type { Handler } from './types';

export interface ReminderDeps {
  db: Db;
  deliveries: DeliveryLog;
  appSecret: string;
  adminUrl: string;
  clock: Clock;
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
       ON CONFLICT (organization_id, delivery_key) DO NOTHING RETURNING id`,
      [id, r.organizationId, r.clinicId, r.kind, r.appointmentId, r.planId, r.clientId, r.channel, r.leadMinutes, r.dueAt, r.sendAt, r.appointmentStartsAt, r.deliveryKey],
    ),
  );
  let scheduled = inserted[0]?.id ?? null;
  if (!scheduled) {
    const revived = returnedRows<{ id: string }>(
      await em.query(
        `UPDATE reminder SET id = $1, status = 'SCHEDULED', attempts = 0, last_error = NULL, due_at = $3, send_at = $4, updated_at = now()
         WHERE organization_id = $5 AND delivery_key = $2 AND status = 'CANCELLED' RETURNING id`,
        [id, r.deliveryKey, r.dueAt, r.sendAt, r.organizationId],
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
    const now = deps.clock.now();
    const result = await deps.db.system(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('appointment-reminders'), hashtext($1))`, [data.appointmentId]);
      // Every read names the payload's organization (issue 16 §1): an appointment of another
      // organization is not found, and its reminders are not touched.
      const org = data.organizationId;
      const appt = await em.findOneBy(Appointment, { organizationId: org, id: data.appointmentId });
      const live = appt !== null && appt.status === 'BOOKED' && appt.startsAt.getTime() > now.getTime();
      const existing = (await em.query(
        `SELECT id, status, appointment_starts_at FROM reminder WHERE organization_id = $1 AND appointment_id = $2 AND kind = 'APPOINTMENT' FOR UPDATE`,
        [org, data.appointmentId],
      )) as { id: string; status: string; appointment_starts_at: Date }[];
      const cancel = existing.filter(
        (r) => (r.status === 'SCHEDULED' || r.status === 'FAILED') && (!live || new Date(r.appointment_starts_at).getTime() !== appt.startsAt.getTime()),
      );
      const reason = !appt ? 'appointment deleted' : !live ? `appointment ${appt.status === 'BOOKED' ? 'started' : appt.status.toLowerCase()}` : 'appointment moved';
      if (cancel.length > 0) {
        await em.query(`UPDATE reminder SET status = 'CANCELLED', last_error = $3, updated_at = now() WHERE organization_id = $1 AND id = ANY($2::uuid[])`, [org, cancel.map((r) => r.id), reason]);
      }
      const created: string[] = [];
      let omitted: unknown[] = [];
      if (live) {
        const client = await em.findOneByOrFail(Client, { organizationId: org, id: appt.clientId });
        const clinic = await em.findOneByOrFail(Clinic, { organizationId: org, id: appt.clinicId });
        const policy = policyFromRow(await em.findOneBy(ReminderPolicyRecord, { organizationId: org, clinicId: appt.clinicId }));
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
    for (const id of result.cancelled) {
      await deps.queues.notifications.remove(id).catch((err: unknown) => ctx.log.warn({ reminderId: id, err: String(err) }, 'could not remove a cancelled reminder job; it will skip itself'));
    }
    return { outcome: 'reconciled', created: result.created.length, cancelled: result.cancelled.length, omitted: result.omitted.length };
  };
}

/**
 * Moves a live reminder (SCHEDULED or FAILED) to its outcome. A reminder that is no longer
 * live — CANCELLED by a reconcile, already SKIPPED/SENT/DEAD — is left as it is.
 */
/** A reminder row's key: its organization and id (every statement names the organization, issue 16 §1). */
export type ReminderKey = { organizationId: string; id: string };

export async function markReminder(em: EntityManager, id: ReminderKey, status: string, lastError: string | null, extra: { attempt?: boolean; deliveryId?: string } = {}): Promise<void> {
  await em.query(...markReminderSql(id, status, lastError, extra));
}

/** {@link markReminder}'s UPDATE, with its parameters added through `param` (to join it into a larger statement). */
export function markReminderFragment(param: Param, id: ReminderKey, status: string, lastError: string | null, extra: { attempt?: boolean; deliveryId?: string } = {}): string {
  return `UPDATE reminder SET status = ${param(status)}::text, last_error = ${param(lastError?.slice(0, MAX_ERROR_LENGTH) ?? null)}::text,
            attempts = attempts + ${param(extra.attempt ? 1 : 0)}::int, delivery_id = coalesce(${param(extra.deliveryId ?? null)}::uuid, delivery_id), updated_at = now()
          WHERE organization_id = ${param(id.organizationId)}::uuid AND id = ${param(id.id)}::uuid AND status IN ('SCHEDULED', 'FAILED')`;
}

/** {@link markReminder}'s UPDATE as a statement of its own: `[sql, parameters]`. */
export function markReminderSql(id: ReminderKey, status: string, lastError: string | null, extra: { attempt?: boolean; deliveryId?: string } = {}): [string, unknown[]] {
  const p = new SqlParams();
  return [markReminderFragment(p.param, id, status, lastError, extra), p.values];
}
