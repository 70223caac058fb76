import { TemplateError } from '@fascia/follow-up';
import type { EntityManager } from 'typeorm';
import type { DeliveryOutcome } from '../../deliveries';
import { type ReminderDeps, markReminder } from '../reminders';
import { type Handler, type HandlerResult, jobResultOf, PermanentJobError } from '../types';
import { renderReminderMessage } from './content';
import { appointmentSkipReason, contactFor, reminderGate, skipReason } from './eligibility';
import { type LoadedReminder, loadReminder, loadReminderCase } from './load';

export { contactFor, homeCareItems, reminderGate, skipReason, type ReminderCase, type ReminderFacts } from './eligibility';
export { reminderVariables, renderReminderMessage } from './content';

type Decided = { done: string } | { mismatch: string } | { skip: string } | { send: LoadedReminder };

/**
 * `reminder.send`: sends one reminder row, once, in four steps:
 *  1. load — the reminder, then (if it is still this job's) its clinic, appointment or
 *     plan, client, practitioner and policy, in one `fascia_system` transaction;
 *  2. decide — `reminderGate` and `skipReason` (pure): a reminder whose cause no longer
 *     holds is SKIPPED with the reason, in that same transaction, and not retried;
 *  3. render — the template variables and the message; an invalid template makes the
 *     reminder DEAD with the placeholder named, no retry;
 *  4. deliver and settle — the delivery log sends it under the reminder's unique
 *     delivery key, re-checking the reminder (and its appointment) under the delivery's
 *     lock, and the reminder row takes the outcome in the delivery's transaction.
 */
export function reminderSendHandler(deps: ReminderDeps): Handler<'reminder.send'> {
  return async (data, ctx): Promise<HandlerResult> => {
    const now = deps.clock.now();
    const decided = await deps.db.system(async (em): Promise<Decided> => {
      const reminder = await loadReminder(em, data.reminderId);
      const gate = reminderGate(reminder, data.organizationId);
      if (!('proceed' in gate) || !reminder) return gate as Decided;
      const loaded = await loadReminderCase(em, reminder, now);
      const skip = skipReason(loaded, now);
      if (skip === null) return { send: loaded };
      await markReminder(em, reminder.id, 'SKIPPED', skip);
      return { skip };
    });

    if ('mismatch' in decided) {
      ctx.log.error({ reminderId: data.reminderId, payloadOrganizationId: data.organizationId }, 'reminder belongs to another organization: job refused');
      throw new PermanentJobError(`Reminder ${data.reminderId} does not belong to organization ${data.organizationId}`);
    }
    if ('done' in decided) return { outcome: 'already-handled', reason: decided.done };
    if ('skip' in decided) {
      ctx.log.info({ reminderId: data.reminderId, reason: decided.skip }, 'reminder skipped');
      return { outcome: 'skipped', reason: decided.skip };
    }

    const loaded = decided.send;
    const reminder = loaded.reminder;
    let content: { subject: string; text: string };
    try {
      content = renderReminderMessage(loaded, { adminUrl: deps.adminUrl, appSecret: deps.appSecret });
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      await deps.db.system((em) => markReminder(em, reminder.id, 'DEAD', `invalid template: ${err.message}`, { attempt: true }));
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
      { isFinalAttempt: ctx.attempt >= ctx.maxAttempts, claim: (em) => claimReminder(em, loaded), onSettled: (em, o) => settleReminder(em, reminder.id, o) },
    );
    return jobResultOf(outcome, `Reminder ${reminder.id} to ${to}`);
  };
}

/**
 * In the delivery's claim: the reminder row is locked and must still be live (a
 * reconcile may have cancelled it since it was loaded), and an appointment's reminder
 * re-checks the appointment once more under that lock. Returns why not to send, or null.
 */
async function claimReminder(em: EntityManager, loaded: LoadedReminder): Promise<string | null> {
  const { reminder } = loaded;
  const [row] = (await em.query(`SELECT status FROM reminder WHERE id = $1 FOR UPDATE`, [reminder.id])) as { status: string }[];
  if (!row) return 'the reminder no longer exists';
  if (row.status !== 'SCHEDULED' && row.status !== 'FAILED') return `the reminder is ${row.status.toLowerCase()}`;
  if (reminder.kind !== 'APPOINTMENT') return null;
  const [appt] = (await em.query(`SELECT status, starts_at FROM appointment WHERE id = $1`, [reminder.appointmentId])) as { status: string; starts_at: Date }[];
  const reason = appointmentSkipReason(appt && { status: appt.status, startsAt: new Date(appt.starts_at) }, reminder);
  if (reason) await markReminder(em, reminder.id, 'SKIPPED', reason);
  return reason;
}

/** The reminder row takes the delivery's outcome, in the delivery's transaction. */
async function settleReminder(em: EntityManager, reminderId: string, o: DeliveryOutcome): Promise<void> {
  if (o.status === 'SKIPPED' || o.status === 'BUSY') return;
  if (o.status === 'SENT') await markReminder(em, reminderId, 'SENT', null, { attempt: true, deliveryId: o.deliveryId });
  else if (o.status === 'ALREADY_SENT') await markReminder(em, reminderId, 'SENT', null, { deliveryId: o.deliveryId });
  else if (o.status === 'ALREADY_DEAD') await markReminder(em, reminderId, 'DEAD', o.lastError, { deliveryId: o.deliveryId });
  else await markReminder(em, reminderId, o.status, o.error.message, { attempt: true, deliveryId: o.deliveryId });
}
