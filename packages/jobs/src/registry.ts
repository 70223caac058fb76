import { z } from 'zod';

/** Queue names. Which job goes on which queue is its record's `queue`, in {@link JOBS}. */
export const QUEUES = {
  /** Messages to people: invitations, reminders, nudges. */
  notifications: 'fascia-notifications',
  /** Deciding what to send: appointment changes, the periodic sweeps and their per-clinic jobs. */
  scheduling: 'fascia-scheduling',
} as const;
export type QueueKey = keyof typeof QUEUES;
export type QueueName = (typeof QUEUES)[QueueKey];

/** The periodic sweeps; each is a job scheduler (stable key `sweep:<name>`) that fans out one job per clinic. */
export const SWEEPS = ['reassessments-due', 'maintenance-due', 'home-care', 'plan-review'] as const;
export type SweepName = (typeof SWEEPS)[number];

/** A referral's states (issue 12; the referral table's `status`). */
export const REFERRAL_STATUSES = ['DRAFT', 'SENT', 'ACCEPTED', 'DECLINED', 'SCHEDULED', 'COMPLETED', 'CLOSED', 'CANCELLED', 'EXPIRED'] as const;
export type ReferralStatusName = (typeof REFERRAL_STATUSES)[number];
/** The follow-ups of an unanswered referral. */
export const REFERRAL_FOLLOW_UPS = ['REMINDER', 'ESCALATION'] as const;
export type ReferralFollowUpKind = (typeof REFERRAL_FOLLOW_UPS)[number];

/** Retry policy of a job, applied when it is handed to BullMQ. */
export interface JobRetryPolicy {
  attempts: number;
  /** First retry delay of the exponential backoff, in ms (then ×2 each time). */
  backoffMs: number;
}
export const DEFAULT_RETRY: JobRetryPolicy = { attempts: 5, backoffMs: 5_000 };
const SWEEP_RETRY: JobRetryPolicy = { attempts: 3, backoffMs: 10_000 };

/** Everything about one job, in one record: its payload's schema, its queue, its retries. */
export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  schema: S;
  queue: QueueKey;
  retry: JobRetryPolicy;
}
const job = <S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition<S> => definition;

/**
 * The one typed registry: job name → its record. A payload carries the organization id
 * and record ids only, never whole records; the handler reloads them and re-checks that
 * they still belong to that organization. A new job is one entry here; `enqueue`, the
 * relay (queue, retries) and the worker's handler map (exhaustive) all follow from it.
 */
export const JOBS = {
  'staff.invitation.send': job({
    schema: z.object({ organizationId: z.uuid(), invitationId: z.uuid() }).strict(),
    queue: 'notifications',
    retry: DEFAULT_RETRY,
  }),
  /** An appointment was booked, moved, cancelled or changed status: reconcile its reminders. */
  'appointment.changed': job({
    schema: z.object({ organizationId: z.uuid(), appointmentId: z.uuid() }).strict(),
    queue: 'scheduling',
    retry: DEFAULT_RETRY,
  }),
  /** Send one `reminder` row (jobId = reminder id), re-checking that its cause still holds. */
  'reminder.send': job({
    schema: z.object({ organizationId: z.uuid(), reminderId: z.uuid() }).strict(),
    queue: 'notifications',
    retry: DEFAULT_RETRY,
  }),
  /**
   * Reminders of one organization that fell due, sent by one job (issue 10 goal 4): the relay
   * groups the `reminder.send` outbox rows it claims that are due now (or within a second) into
   * jobs of up to REMINDER_BATCH_SIZE (at most the worker's concurrency), records the job's id on
   * their rows (`outbox_message.batch_job_id`, for the reconcile pass), and the handler runs each
   * reminder's own send path; a reminder that fails for now is retried as its own
   * `reminder.send` job (jobId = reminder id). Made by the relay, never written to the outbox.
   */
  'reminder.send-batch': job({
    schema: z
      .object({ organizationId: z.uuid(), reminderIds: z.array(z.uuid()).min(1).max(200) })
      .strict(),
    queue: 'notifications',
    retry: DEFAULT_RETRY,
  }),
  /**
   * A referral changed state (issue 12): tell the side `organizationId` (the side to notify, not
   * the actor's) — the referrer or the receiver. The handler reloads that side's row by id.
   */
  'referral.changed': job({
    schema: z
      .object({
        organizationId: z.uuid(),
        referralId: z.uuid(),
        toStatus: z.enum(['SENT', 'ACCEPTED', 'DECLINED', 'SCHEDULED', 'COMPLETED', 'CLOSED', 'CANCELLED', 'EXPIRED']),
      })
      .strict(),
    queue: 'notifications',
    retry: DEFAULT_RETRY,
  }),
  /** A scheduler's tick: one `sweep.clinic` job per clinic, jobId `<sweep>.<clinicId>.<period>`. */
  'sweep.fanout': job({
    schema: z.object({ sweep: z.enum(SWEEPS) }).strict(),
    queue: 'scheduling',
    retry: SWEEP_RETRY,
  }),
  /** One sweep over one clinic for one period (a clinic-local date). */
  'sweep.clinic': job({
    schema: z
      .object({ organizationId: z.uuid(), clinicId: z.uuid(), sweep: z.enum(SWEEPS), period: z.string().regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2})?$/) })
      .strict(),
    queue: 'scheduling',
    retry: SWEEP_RETRY,
  }),
  /**
   * One follow-up of an unanswered referral (issue 12), written by the referral sweep in the
   * statement that claims it (`reminded_at` / `escalated_at` set): the reminder to the receiver
   * at its deadline, or the escalation to the receiving clinic's managers at twice it.
   * `organizationId` is the receiver's.
   */
  'referral.follow-up': job({
    schema: z.object({ organizationId: z.uuid(), referralId: z.uuid(), kind: z.enum(REFERRAL_FOLLOW_UPS) }).strict(),
    queue: 'notifications',
    retry: DEFAULT_RETRY,
  }),
  /**
   * A webhook event (issue 15 §4, `emitEvent` in webhooks.ts), written in the change's
   * transaction: the worker writes one `webhook_delivery` per enabled endpoint subscribed to
   * `type` (or only `endpointId`, for a test event) and queues `webhook.deliver` for each.
   * `data` holds ids only.
   */
  'webhook.event': job({
    schema: z
      .object({
        organizationId: z.uuid(),
        eventId: z.uuid(),
        type: z.string().regex(/^[a-z]+\.[a-z_]+$/),
        data: z.record(z.string().regex(/^[a-zA-Z]+$/), z.string().max(200).nullable()),
        endpointId: z.uuid().optional(),
        /** The change's transaction time (ISO 8601 UTC), written by `emitEvent`'s INSERT: the payload's `timestamp`. */
        occurredAt: z.iso.datetime().optional(),
      })
      .strict(),
    queue: 'notifications',
    retry: DEFAULT_RETRY,
  }),
  /** One signed POST of one event to one endpoint (jobId = the `webhook_delivery` id); retried with backoff. */
  'webhook.deliver': job({
    schema: z.object({ organizationId: z.uuid(), deliveryId: z.uuid() }).strict(),
    queue: 'notifications',
    retry: { attempts: 8, backoffMs: 30_000 },
  }),
  /**
   * A whole-organization FHIR export (issue 15): the worker writes one NDJSON file per resource
   * type under the export directory, its progress on the `fhir_export` row (id `exportId`).
   * Not retried by BullMQ: a failed export is marked FAILED and the admin starts another.
   */
  'fhir.export': job({
    schema: z.object({ organizationId: z.uuid(), exportId: z.uuid() }).strict(),
    queue: 'scheduling',
    retry: { attempts: 1, backoffMs: 1_000 },
  }),
  /** The referral sweep's tick (scheduler `sweep:referral-follow-ups`): claims due follow-ups, expires stale referrals. */
  'referral.sweep': job({
    schema: z.object({}).strict(),
    queue: 'scheduling',
    retry: SWEEP_RETRY,
  }),
  /**
   * The reports' roll-ups (issue 14; scheduler `report:drain`, every few seconds): drains the dirty
   * marks the source tables' triggers wrote, recomputing exactly those rows (docs/worker.md).
   */
  'report.drain': job({
    schema: z.object({}).strict(),
    queue: 'scheduling',
    retry: SWEEP_RETRY,
  }),
  /** The nightly reconcile (scheduler `report:reconcile`): marks every clinic's recent days and every live plan, then drains. */
  'report.reconcile': job({
    schema: z.object({}).strict(),
    queue: 'scheduling',
    retry: SWEEP_RETRY,
  }),
} as const;

export type JobName = keyof typeof JOBS;
export type JobData<N extends JobName> = z.infer<(typeof JOBS)[N]['schema']>;

/** BullMQ's retry options for a job (its record's policy, with the worker's override for tests). */
export function retryOptions(name: JobName, override?: Partial<JobRetryPolicy>): { attempts: number; backoff: { type: 'exponential'; delay: number } } {
  const retry = { ...JOBS[name].retry, ...override };
  return { attempts: retry.attempts, backoff: { type: 'exponential', delay: retry.backoffMs } };
}

/** Jobs that carry an organization (those the outbox may hold). The sweep fan-out is system-wide. */
export type OrganizationJobName = { [N in JobName]: JobData<N> extends { organizationId: string } ? N : never }[JobName];

export const JOB_NAMES = Object.keys(JOBS) as JobName[];

export function isJobName(name: string): name is JobName {
  return Object.prototype.hasOwnProperty.call(JOBS, name);
}

export class UnknownJobError extends Error {
  constructor(readonly jobName: string) {
    super(`Unknown job "${jobName}": it is not in the registry (packages/jobs/src/registry.ts)`);
    this.name = 'UnknownJobError';
  }
}

export class InvalidJobDataError extends Error {
  constructor(
    readonly jobName: string,
    readonly issues: z.core.$ZodIssue[],
  ) {
    super(`Invalid payload for job "${jobName}": ${issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    this.name = 'InvalidJobDataError';
  }
}

/** Validates a payload against the registry; throws {@link UnknownJobError} or {@link InvalidJobDataError}. */
export function parseJobData<N extends JobName>(name: N, data: unknown): JobData<N>;
export function parseJobData(name: string, data: unknown): JobData<JobName>;
export function parseJobData(name: string, data: unknown): JobData<JobName> {
  if (!isJobName(name)) throw new UnknownJobError(name);
  const result = JOBS[name].schema.safeParse(data);
  if (!result.success) throw new InvalidJobDataError(name, result.error.issues);
  return result.data;
}
