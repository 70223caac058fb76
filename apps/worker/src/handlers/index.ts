import { type JobData, type JobName, type JobProcessor, InvalidJobDataError, UnknownJobError, parseJobData } from '@fascia/jobs';
import type { Logger } from '../logger';
import { fhirExportHandler, type FhirExportDeps } from './fhir-export';
import { Limiter } from '../limiter';
import { reminderSendHandler } from './reminder-send';
import { reminderSendBatchHandler } from './reminder-send/batch';
import { referralChangedHandler, referralFollowUpHandler, referralSweepHandler, type ReferralDeps } from './referrals';
import { appointmentChangedHandler, type ReminderDeps } from './reminders';
import { reportDrainHandler, reportReconcileHandler } from './reports';
import { staffInvitationHandler, type StaffInvitationDeps } from './staff-invitation';
import { sweepClinicHandler, sweepFanoutHandler, type SweepDeps } from './sweeps';
import { type Handler, type Handlers, PermanentJobError } from './types';
import { webhookDeliverHandler, webhookEventHandler, type WebhookDeps } from './webhooks';

export * from './types';
export { staffInvitationHandler, invitationDeliveryKey } from './staff-invitation';
export { appointmentChangedHandler, scheduleReminder } from './reminders';
export { contactFor, reminderGate, reminderSendHandler, skipReason } from './reminder-send';
export { reminderSendBatchHandler } from './reminder-send/batch';
export {
  claimReferralFollowUps,
  coreExpireReferral,
  clinicManagers,
  DEFAULT_REFERRAL_SWEEP_PATTERN,
  type ExpireReferral,
  REFERRAL_SWEEP_SCHEDULER_KEY,
  referralChangedHandler,
  referralDeliveryKey,
  referralFollowUpHandler,
  referralSweepHandler,
  registerReferralSweepScheduler,
} from './referrals';
export {
  DEFAULT_REPORT_DRAIN_EVERY_MS,
  DEFAULT_REPORT_RECONCILE_PATTERN,
  REPORT_DRAIN_SCHEDULER_KEY,
  REPORT_RECONCILE_SCHEDULER_KEY,
  registerReportSchedulers,
  reportDrainHandler,
  reportReconcileHandler,
} from './reports';
export { DEFAULT_WEBHOOK_SETTINGS, postWebhook, webhookDeliverHandler, webhookEventHandler, type WebhookSettings } from './webhooks';
export { registerSweepSchedulers, sweepSchedulerKey, sweepJobId, DEFAULT_SWEEP_PATTERNS, sweepClinicHandler, sweepFanoutHandler } from './sweeps';

export { expireExports, fhirExportHandler, FHIR_EXPORT_BATCH } from './fhir-export';

export type HandlerDeps = StaffInvitationDeps &
  ReminderDeps &
  SweepDeps &
  ReferralDeps &
  WebhookDeps &
  FhirExportDeps & {
    /**
     * Reminder sends at once in this process, whether each is its own `reminder.send` job or one
     * reminder of a `reminder.send-batch` job (the worker passes WORKER_CONCURRENCY): the messages
     * in hand at a crash stay bounded by it. Default: unbounded (tests that call handlers directly).
     */
    reminderSendConcurrency?: number;
  };

export function createHandlers(deps: HandlerDeps): Handlers {
  const sendOne = reminderSendHandler(deps);
  const limiter = deps.reminderSendConcurrency ? new Limiter(deps.reminderSendConcurrency) : null;
  const reminderSend: Handlers['reminder.send'] = limiter ? (data, ctx) => limiter.run(() => sendOne(data, ctx)) : sendOne;
  return {
    'staff.invitation.send': staffInvitationHandler(deps),
    'appointment.changed': appointmentChangedHandler(deps),
    'reminder.send': reminderSend,
    'reminder.send-batch': reminderSendBatchHandler(deps, reminderSend),
    'sweep.fanout': sweepFanoutHandler(deps),
    'sweep.clinic': sweepClinicHandler(deps),
    'referral.changed': referralChangedHandler(deps),
    'referral.follow-up': referralFollowUpHandler(deps),
    'referral.sweep': referralSweepHandler(deps),
    'report.drain': reportDrainHandler(deps),
    'report.reconcile': reportReconcileHandler(deps),
    'webhook.event': webhookEventHandler(deps),
    'webhook.deliver': webhookDeliverHandler(deps),
    'fhir.export': fhirExportHandler(deps),
  };
}

/** The BullMQ processor: parses the payload with the registry's schema, then runs the job's handler. */
export function createProcessor(handlers: Handlers, log: Logger): JobProcessor {
  return async (job) => {
    const jobLog = log.child({ job: job.name, jobId: job.id, attempt: job.attemptsMade + 1 });
    let data: JobData<JobName>;
    try {
      data = parseJobData(job.name, job.data);
    } catch (err) {
      if (err instanceof UnknownJobError || err instanceof InvalidJobDataError) {
        jobLog.error({ err: err.message }, 'job refused');
        throw new PermanentJobError(err.message);
      }
      throw err;
    }
    const handler = handlers[job.name] as Handler<JobName>;
    // A duration, not a time of day: measured on the monotonic clock, not the injected one.
    const started = performance.now();
    const result = await handler(data, { jobId: String(job.id), attempt: job.attemptsMade + 1, maxAttempts: job.opts.attempts ?? 1, log: jobLog });
    jobLog.info({ ms: Math.round(performance.now() - started), ...result }, 'job done');
    return result;
  };
}
