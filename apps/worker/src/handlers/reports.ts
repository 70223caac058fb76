import { type Db, drainReportMarks, markRecentReportDays } from '@fascia/db';
import { type JobQueue, type JobRetryPolicy, retryOptions } from '@fascia/jobs';
import type { Handler } from './types';

export interface ReportDeps {
  db: Db;
}

export const REPORT_DRAIN_SCHEDULER_KEY = 'report:drain';
export const REPORT_RECONCILE_SCHEDULER_KEY = 'report:reconcile';
/** How often the roll-ups catch up with changes (ms). */
export const DEFAULT_REPORT_DRAIN_EVERY_MS = 5_000;
/** The nightly reconcile, in UTC. */
export const DEFAULT_REPORT_RECONCILE_PATTERN = '40 2 * * *';
/** One tick drains at most this many batches, so a backlog is shared across ticks and workers. */
const MAX_BATCHES_PER_TICK = 200;

/** Registers (or updates) the drain (every few seconds) and the nightly reconcile. */
export async function registerReportSchedulers(
  queue: JobQueue,
  opts: { everyMs?: number; reconcilePattern?: string; retryOverride?: Partial<JobRetryPolicy> } = {},
): Promise<string[]> {
  // A completed tick is dropped (its counts are in the log): a tick every few seconds would crowd the kept history.
  await queue.upsertJobScheduler(
    REPORT_DRAIN_SCHEDULER_KEY as never,
    { every: opts.everyMs ?? DEFAULT_REPORT_DRAIN_EVERY_MS },
    { name: 'report.drain', data: {}, opts: { ...retryOptions('report.drain', opts.retryOverride), removeOnComplete: true } },
  );
  await queue.upsertJobScheduler(
    REPORT_RECONCILE_SCHEDULER_KEY as never,
    { pattern: opts.reconcilePattern ?? DEFAULT_REPORT_RECONCILE_PATTERN, tz: 'UTC' },
    { name: 'report.reconcile', data: {}, opts: retryOptions('report.reconcile', opts.retryOverride) },
  );
  return [REPORT_DRAIN_SCHEDULER_KEY, REPORT_RECONCILE_SCHEDULER_KEY];
}

/** `report.drain`: recomputes the roll-up rows the dirty marks name, batch by batch. */
export function reportDrainHandler(deps: ReportDeps): Handler<'report.drain'> {
  return async () => {
    const { marks, batches } = await drainReportMarks(deps.db, { maxBatches: MAX_BATCHES_PER_TICK });
    return { outcome: marks > 0 ? 'drained' : 'nothing to do', marks, batches };
  };
}

/** `report.reconcile`: marks the recent days and live plans again, then drains them. */
export function reportReconcileHandler(deps: ReportDeps): Handler<'report.reconcile'> {
  return async () => {
    const marked = await markRecentReportDays(deps.db);
    const { marks, batches } = await drainReportMarks(deps.db);
    return { outcome: 'reconciled', marked, marks, batches };
  };
}
