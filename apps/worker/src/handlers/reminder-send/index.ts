import { TemplateError } from '@fascia/follow-up';
import { systemQuery } from '@fascia/db';
import type { ClaimGuard, DeliveryOutcome, Param } from '../../deliveries';
import { type ReminderDeps, type ReminderKey, markReminderFragment, markReminderSql } from '../reminders';
import { type Handler, type HandlerResult, jobResultOf, PermanentJobError } from '../types';
import { renderReminderMessage } from './content';
import { contactFor, reminderGate, skipReason } from './eligibility';
import { type LoadedReminderRow, createReminderLoader } from './load';

export { contactFor, homeCareItems, reminderGate, skipReason, type ReminderCase, type ReminderFacts } from './eligibility';
export { reminderVariables, renderReminderMessage } from './content';

/**
 * `reminder.send`: sends one reminder row, once. A delivered reminder costs three
 * statements (see the statement-count test), none of them in an explicit transaction, and
 * the jobs in flight in a process share them: a batch of reminders costs the same three
 * statements (the loader's and the delivery log's micro-batchers, batcher.ts):
 *  1. load — the reminder and, while it is still live, its clinic, appointment or plan,
 *     client, practitioner and policy, in one statement (load.ts);
 *  2. decide — `reminderGate` and `skipReason` (pure): a reminder whose cause no longer
 *     holds is SKIPPED with the reason (one more statement) and not retried;
 *  3. render — the template variables and the message; an invalid template makes the
 *     reminder DEAD with the placeholder named, no retry;
 *  4. deliver and settle — the delivery log claims the reminder's unique delivery key in
 *     one statement that first re-checks the reminder (and its appointment) under a row
 *     lock on the reminder, sends, and records the outcome on the delivery and the
 *     reminder rows in one statement.
 */
export function reminderSendHandler(deps: ReminderDeps): Handler<'reminder.send'> {
  // One per handler (per process): the loads of the jobs in flight go together (load.ts).
  const load = createReminderLoader(deps.db, deps.clock);
  return async (data, ctx): Promise<HandlerResult> => {
    const { found, now } = await load({ organizationId: data.organizationId, id: data.reminderId });
    const gate = reminderGate(found?.loaded.reminder ?? null, data.organizationId);
    if ('mismatch' in gate) {
      ctx.log.error({ reminderId: data.reminderId, payloadOrganizationId: data.organizationId }, 'reminder belongs to another organization: job refused');
      throw new PermanentJobError(`Reminder ${data.reminderId} does not belong to organization ${data.organizationId}`);
    }
    if ('done' in gate || !found) return { outcome: 'already-handled', reason: 'done' in gate ? gate.done : 'reminder-not-found' };

    const loaded = found.loaded;
    const reminder = loaded.reminder;
    const skip = skipReason(loaded, now);
    if (skip !== null) {
      await systemQuery(deps.db, ...markReminderSql(reminder, 'SKIPPED', skip));
      ctx.log.info({ reminderId: data.reminderId, reason: skip }, 'reminder skipped');
      return { outcome: 'skipped', reason: skip };
    }

    let content: { subject: string; text: string };
    try {
      content = renderReminderMessage(loaded, { adminUrl: deps.adminUrl, appSecret: deps.appSecret });
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      await systemQuery(deps.db, ...markReminderSql(reminder, 'DEAD', `invalid template: ${err.message}`, { attempt: true }));
      ctx.log.error({ reminderId: reminder.id, err: err.message }, 'reminder template is invalid: not sent');
      throw new PermanentJobError(`Reminder ${reminder.id}: invalid template: ${err.message}`);
    }

    const to = contactFor(loaded.client!, reminder.channel) as string;
    const outcome = await deps.deliveries.deliverOnce(
      {
        organizationId: reminder.organizationId,
        deliveryKey: reminder.deliveryKey,
        template: `reminder-${reminder.kind.toLowerCase().replace(/_/g, '-')}`,
        outboxId: ctx.jobId,
        message: reminder.channel === 'EMAIL' ? { channel: 'EMAIL', to, subject: content.subject, text: content.text } : { channel: 'SMS', to, text: content.text },
      },
      { isFinalAttempt: ctx.attempt >= ctx.maxAttempts, guard: reminderGuard(reminder),
        settle: (o, param) => settleReminderSql(reminder, o, param),
        setSettle: { kind: 'reminder', ref: reminder.id, sql: REMINDER_SET_SETTLE },
      },
    );
    return jobResultOf(outcome, `Reminder ${reminder.id} to ${to}`);
  };
}

/** Why a reminder (r) may not be sent now, given its appointment (a), and whether the refusal is recorded: one verdict for a lone claim and a batch's. */
const REMINDER_VERDICT = `CASE
               WHEN r.status NOT IN ('SCHEDULED', 'FAILED') THEN 'the reminder is ' || lower(r.status)
               WHEN r.kind <> 'APPOINTMENT' THEN NULL
               WHEN a.id IS NULL THEN 'the appointment no longer exists'
               WHEN a.status <> 'BOOKED' THEN 'the appointment is ' || replace(lower(a.status), '_', ' ')
               WHEN date_trunc('milliseconds', a.starts_at) IS DISTINCT FROM date_trunc('milliseconds', r.appointment_starts_at) THEN 'the appointment was moved'
             END AS reason,
             r.status IN ('SCHEDULED', 'FAILED') AS record`;

/**
 * The delivery claim's guard: the reminder row is locked and must still be live (a
 * reconcile may have cancelled it since it was loaded), and an appointment's reminder
 * re-checks the appointment once more under that lock (`appointmentSkipReason`, in SQL);
 * that reason is recorded on the reminder (SKIPPED), a reminder no longer live is left as it is.
 * Starts are compared to the millisecond, as appointmentSkipReason compares them (a JavaScript
 * Date's precision): a start written with microseconds is not "moved" from the reminder's copy.
 */
export function reminderGuard(reminder: Pick<LoadedReminderRow, 'id' | 'kind' | 'organizationId'>): ClaimGuard {
  return {
    missing: 'the reminder no longer exists',
    set: { kind: 'reminder', ref: reminder.id, sql: REMINDER_SET_GUARD },
    sql: (param) => `
      SELECT ${REMINDER_VERDICT}
      FROM reminder r LEFT JOIN appointment a ON a.organization_id = r.organization_id AND ${reminder.kind === 'APPOINTMENT' ? 'a.id = r.appointment_id' : 'false'}
      WHERE r.organization_id = ${param(reminder.organizationId)}::uuid AND r.id = ${param(reminder.id)}::uuid
      FOR UPDATE OF r`,
  };
}

/**
 * {@link reminderGuard} for a whole batch of claims (deliveries.ts, `ClaimGuard.set`): the same
 * checks, each request's reminder locked — in one order, the rows' keys', so two batches that
 * share reminders (a job handed over twice) wait for each other instead of deadlocking.
 */
const REMINDER_SET_GUARD = `
      SELECT req.i,
             ${REMINDER_VERDICT}
      FROM req
      JOIN reminder r ON r.organization_id = req.org AND r.id = req.ref
      LEFT JOIN appointment a ON r.kind = 'APPOINTMENT' AND a.organization_id = r.organization_id AND a.id = r.appointment_id
      ORDER BY r.organization_id, r.id
      FOR UPDATE OF r`;

/**
 * {@link settleReminderSql} for a batch's SENT, FAILED and DEAD outcomes (deliveries.ts,
 * `SetSettle`): each live reminder takes its delivery's status and error (none when SENT), an
 * attempt, and the delivery row's id, in the statement that records the delivery.
 */
const REMINDER_SET_SETTLE = `
      UPDATE reminder r
      SET status = s.status, last_error = s.error, attempts = r.attempts + 1, delivery_id = s.id, updated_at = now()
      FROM s WHERE r.organization_id = s.org AND r.id = s.ref AND r.status IN ('SCHEDULED', 'FAILED')`;

/** The reminder row's UPDATE for the delivery's outcome, joined into the statement that records it. */
function settleReminderSql(reminderId: ReminderKey, o: DeliveryOutcome, param: Param): string | null {
  if (o.status === 'BUSY') return null;
  if (o.status === 'SKIPPED') return markReminderFragment(param, reminderId, 'SKIPPED', o.reason);
  if (o.status === 'SENT') return markReminderFragment(param, reminderId, 'SENT', null, { attempt: true, deliveryId: o.deliveryId });
  if (o.status === 'ALREADY_SENT') return markReminderFragment(param, reminderId, 'SENT', null, { deliveryId: o.deliveryId });
  if (o.status === 'ALREADY_DEAD') return markReminderFragment(param, reminderId, 'DEAD', o.lastError, { deliveryId: o.deliveryId });
  return markReminderFragment(param, reminderId, o.status, o.error.message, { attempt: true, deliveryId: o.deliveryId });
}
