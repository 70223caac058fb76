import { z } from 'zod';

/** Queue names. Which job goes on which queue is decided by {@link JOB_QUEUE}, below. */
export const QUEUES = {
  /** Messages to people: invitations now; reminders and nudges later. */
  notifications: 'fascia-notifications',
} as const;
export type QueueKey = keyof typeof QUEUES;
export type QueueName = (typeof QUEUES)[QueueKey];

/**
 * The one typed registry: job name → payload schema. A payload carries the organization
 * id and record ids only, never whole records; the handler reloads them and re-checks
 * that they still belong to that organization.
 */
export const JOBS = {
  'staff.invitation.send': z.object({ organizationId: z.uuid(), invitationId: z.uuid() }).strict(),
} as const;

export type JobName = keyof typeof JOBS;
export type JobData<N extends JobName> = z.infer<(typeof JOBS)[N]>;

/** Which queue each job runs on. Exhaustive: a new job without a queue does not compile. */
export const JOB_QUEUE: { readonly [N in JobName]: QueueKey } = {
  'staff.invitation.send': 'notifications',
};

/** Retry policy per job, applied by the relay when it hands a row to BullMQ. */
export interface JobRetryPolicy {
  attempts: number;
  /** First retry delay of the exponential backoff, in ms (then ×2 each time). */
  backoffMs: number;
}
export const DEFAULT_RETRY: JobRetryPolicy = { attempts: 5, backoffMs: 5_000 };
export const JOB_RETRY: { readonly [N in JobName]: JobRetryPolicy } = {
  'staff.invitation.send': DEFAULT_RETRY,
};

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
  const result = JOBS[name].safeParse(data);
  if (!result.success) throw new InvalidJobDataError(name, result.error.issues);
  return result.data;
}
