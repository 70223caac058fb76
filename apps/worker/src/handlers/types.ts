import type { JobData, JobName } from '@fascia/jobs';
import { UnrecoverableError } from 'bullmq';
import type { DeliveryOutcome } from '../deliveries';
import type { Logger } from '../logger';

export interface JobContext {
  /** The BullMQ jobId, which is the outbox row id. */
  jobId: string;
  /** 1-based. */
  attempt: number;
  maxAttempts: number;
  log: Logger;
}

/** What a handler did, stored as the BullMQ job's return value. */
export type HandlerResult = { outcome: string; [key: string]: unknown };

export type Handler<N extends JobName> = (data: JobData<N>, ctx: JobContext) => Promise<HandlerResult>;

/** One handler per registry entry: a job without a handler does not compile. */
export type Handlers = { [N in JobName]: Handler<N> };

/**
 * The job can never succeed (its records belong to another organization, its payload is
 * invalid, the provider refused for good): BullMQ fails it without retrying.
 */
export { UnrecoverableError as PermanentJobError } from 'bullmq';

/**
 * The job's result for a delivery's outcome, one rule for every handler: SENT and
 * already-handled return; DEAD fails the job for good (never retried); FAILED rethrows so
 * BullMQ retries with backoff.
 */
export function jobResultOf(outcome: DeliveryOutcome, what: string): HandlerResult {
  switch (outcome.status) {
    case 'SENT':
      return { outcome: 'sent', deliveryId: outcome.deliveryId, providerRef: outcome.providerRef };
    case 'SKIPPED':
      return { outcome: 'skipped', reason: outcome.reason };
    case 'ALREADY_SENT':
    case 'ALREADY_DEAD':
      return { outcome: 'already-handled', deliveryId: outcome.deliveryId, status: outcome.status };
    case 'DEAD':
      throw new UnrecoverableError(`${what} refused: ${outcome.error.message}`);
    case 'FAILED':
    case 'BUSY':
      throw outcome.error;
  }
}
