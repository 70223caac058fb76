import { JOBS, type JobRetryPolicy } from '@fascia/jobs';
import { type Handler, type HandlerResult, PermanentJobError } from '../types';
import type { ReminderDeps } from '../reminders';

export interface ReminderBatchDeps extends ReminderDeps {
  retryOverride?: Partial<JobRetryPolicy>;
}

/**
 * `reminder.send-batch`: the reminders of one organization that fell due, handed to the queue
 * as one job by the relay (relay.ts; docs/worker.md, "The path of a job"). Each reminder goes
 * through `send` — the `reminder.send` handler itself, held to the process's concurrency by
 * the runtime's limiter — all at once, so the micro-batchers make one load, one claim and one
 * settle statement of them. Per reminder, everything is as if it were its own job: the
 * decision, the delivery key's claim, the settle. What a reminder's outcome does to the job:
 *  - sent, skipped, already handled: nothing more;
 *  - refused for good (a permanent SMTP refusal, an invalid template, a reminder of another
 *    organization): recorded on its rows as the handler records it (DEAD), never retried;
 *  - a transient failure (SMTP 4xx, a lost connection, another worker's lease, a failed
 *    statement): that reminder alone is retried, as its own `reminder.send` job (jobId = the
 *    reminder id, so a cancellation removes it as it removes any reminder's job), with the
 *    attempts and back-off it would have had after a first failed attempt. The batch job
 *    completes once those jobs are added; if adding them fails, the batch job fails and BullMQ
 *    runs it again (its handled reminders then cost one statement, and send nothing).
 */
export function reminderSendBatchHandler(deps: ReminderBatchDeps, send: Handler<'reminder.send'>): Handler<'reminder.send-batch'> {
  return async (data, ctx): Promise<HandlerResult> => {
    const retry = { ...JOBS['reminder.send'].retry, ...deps.retryOverride };
    const results = await Promise.all(
      data.reminderIds.map(async (reminderId) => {
        try {
          // Attempt 1 of the reminder's own count: its later attempts are its own job's. The batch
          // job's logger as it is: every line the handler writes names the reminder already (a
          // pino child per reminder, with its redaction set up again, was ~1 % of the worker's CPU).
          const r = await send({ organizationId: data.organizationId, reminderId }, { jobId: reminderId, attempt: 1, maxAttempts: retry.attempts, log: ctx.log });
          return { reminderId, outcome: r.outcome };
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          return { reminderId, outcome: err instanceof PermanentJobError ? 'failed' : 'retry', error: message };
        }
      }),
    );
    const retries = results.filter((r) => r.outcome === 'retry');
    if (retries.length > 0) {
      await deps.queues.notifications.addBulk(
        retries.map((r) => ({
          name: 'reminder.send',
          data: { organizationId: data.organizationId, reminderId: r.reminderId },
          opts: {
            jobId: r.reminderId,
            // What BullMQ would have done after the first attempt: wait backoffMs, then double.
            delay: retry.backoffMs,
            attempts: Math.max(1, retry.attempts - 1),
            backoff: { type: 'exponential' as const, delay: retry.backoffMs * 2 },
          },
        })),
      );
      ctx.log.warn({ count: retries.length, reminders: retries.slice(0, 20) }, 'reminders of a batch failed for now: each retried as its own job');
    }
    const count = (outcome: string) => results.filter((r) => r.outcome === outcome).length;
    return {
      outcome: 'batch',
      reminders: results.length,
      sent: count('sent'),
      skipped: count('skipped'),
      alreadyHandled: count('already-handled'),
      failed: count('failed'),
      retried: retries.length,
    };
  };
}
