import type { Db } from '@fascia/db';
import { JOB_QUEUE, JOB_RETRY, type JobQueue, type JobRetryPolicy, type QueueKey, isJobName, parseJobData } from '@fascia/jobs';
import type { Logger } from './logger';

export interface OutboxRelayOptions {
  pollMs: number;
  batchSize: number;
  retryOverride?: Partial<JobRetryPolicy>;
}

interface PendingRow {
  id: string;
  job_name: string;
  payload: unknown;
  run_at: Date | null;
  attempts: number;
}

/** Delay before a row whose hand-over failed is tried again: 1 s, 2 s, 4 s … capped at an hour. */
const handOverBackoffSeconds = (attempts: number): number => Math.min(3600, 2 ** Math.min(attempts, 12));

/**
 * Moves committed outbox rows to BullMQ. Each tick, in one `fascia_system` transaction:
 * claim a batch of pending rows with `FOR UPDATE SKIP LOCKED` (so several relays share the
 * work without taking the same row), add each to its queue with the row id as jobId (so a
 * row handed over twice is still one job while BullMQ keeps it), and stamp dispatched_at.
 * A crash before the commit leaves the rows pending; the next tick sends them again.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = true;

  constructor(
    private readonly db: Db,
    private readonly queues: Record<QueueKey, JobQueue>,
    private readonly log: Logger,
    private readonly opts: OutboxRelayOptions,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops polling and waits for the tick in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.tick()
        .then((n) => this.schedule(n >= this.opts.batchSize ? 0 : this.opts.pollMs))
        .catch((err: unknown) => {
          this.log.error({ err: err instanceof Error ? err.message : String(err) }, 'outbox relay tick failed');
          this.schedule(this.opts.pollMs * 4);
        });
    }, ms);
  }

  private tick(): Promise<number> {
    const run = this.runOnce();
    this.running = run;
    return run.finally(() => {
      if (this.running === run) this.running = null;
    });
  }

  /** One pass over the pending rows; returns how many were handed to BullMQ. Safe to call concurrently. */
  async runOnce(): Promise<number> {
    return this.db.system(async (em) => {
      const rows = (await em.query(
        `SELECT id, job_name, payload, run_at, attempts FROM outbox_message
         WHERE dispatched_at IS NULL AND (last_error IS NULL OR run_at IS NULL OR run_at <= now())
         ORDER BY created_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED`,
        [this.opts.batchSize],
      )) as PendingRow[];
      if (rows.length === 0) return 0;
      const dispatched: string[] = [];
      for (const row of rows) {
        try {
          await this.handOver(row);
          dispatched.push(row.id);
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          this.log.error({ outboxId: row.id, job: row.job_name, attempts: row.attempts + 1, err: message }, 'outbox row not handed to the queue; will retry');
          await em.query(
            `UPDATE outbox_message SET attempts = attempts + 1, last_error = $2,
               run_at = greatest(coalesce(run_at, now()), now() + make_interval(secs => $3))
             WHERE id = $1`,
            [row.id, message.slice(0, 2000), handOverBackoffSeconds(row.attempts)],
          );
        }
      }
      if (dispatched.length > 0) {
        await em.query(`UPDATE outbox_message SET dispatched_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ANY($1::uuid[])`, [dispatched]);
        this.log.debug({ count: dispatched.length }, 'outbox rows handed to the queue');
      }
      return dispatched.length;
    });
  }

  private async handOver(row: PendingRow): Promise<void> {
    if (!isJobName(row.job_name)) throw new Error(`Unknown job "${row.job_name}"`);
    const data = parseJobData(row.job_name, row.payload);
    const retry = { ...JOB_RETRY[row.job_name], ...this.opts.retryOverride };
    const delay = row.run_at ? Math.max(0, new Date(row.run_at).getTime() - Date.now()) : 0;
    await this.queues[JOB_QUEUE[row.job_name]].add(row.job_name, data, {
      jobId: row.id,
      delay,
      attempts: retry.attempts,
      backoff: { type: 'exponential', delay: retry.backoffMs },
    });
  }
}
