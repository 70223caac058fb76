import { randomUUID } from 'node:crypto';
import { type Db, systemQuery } from '@fascia/db';
import type { JobsOptions } from 'bullmq';
import { JOBS, type JobName, type JobQueue, type JobRetryPolicy, type QueueKey, isJobName, parseJobData, retryOptions } from '@fascia/jobs';
import type { Logger } from './logger';

export interface OutboxRelayOptions {
  pollMs: number;
  batchSize: number;
  retryOverride?: Partial<JobRetryPolicy>;
  /**
   * Due `reminder.send` rows of one organization go to the queue as one `reminder.send-batch`
   * job of up to this many reminders (the worker passes REMINDER_BATCH_SIZE, at most its
   * concurrency). 1 (the default here): every row is its own job.
   */
  reminderBatchSize?: number;
  /** A reminder due within this long (ms) counts as due now: it may ride in a batch, which waits for its latest member. Default 1000. */
  reminderBatchWindowMs?: number;
}

/** The window within which a reminder counts as due now, by default (see OutboxRelayOptions). */
export const DEFAULT_REMINDER_BATCH_WINDOW_MS = 1000;

interface ClaimedRow {
  id: string;
  organization_id: string;
  job_name: string;
  payload: unknown;
  /** run_at before the claim pushed it forward. */
  run_at: Date | null;
  attempts: number;
}

export { returnedRows } from '@fascia/db';

/** How long a claim holds a row. A relay that dies holding it releases it when this runs out. */
export const CLAIM_LEASE_SECONDS = 30;

/** Delay before a row whose hand-over failed is tried again: 1 s, 2 s, 4 s … capped at an hour. */
const handOverBackoffSeconds = (attempts: number): number => Math.min(3600, 2 ** Math.min(attempts, 12));

/**
 * Moves committed outbox rows to BullMQ, in three steps so that no database transaction
 * is open while the queue is written to (a slow queue never holds a row lock or a
 * connection of the application database). A batch costs two statements and one queue
 * write per queue, however many rows it holds:
 *
 * 1. claim — one statement picks a batch of pending rows with `FOR UPDATE SKIP LOCKED`
 *    (several relays never pick the same row) and leases them: `claimed_until` moves to
 *    now + 30 s, so other relays leave them alone until the lease runs out;
 * 2. hand over — the rows become BullMQ jobs, one `addBulk` per queue, each jobId the row
 *    id, delayed until the row's original `run_at`. A row that cannot be a job (unknown
 *    name, invalid payload) fails alone; a queue write that fails fails its batch;
 * 3. settle — one statement: `dispatched_at` is stamped on the rows handed over; a row
 *    that failed keeps its error and its lease becomes the back-off before the next try.
 *
 * A relay killed after the claim leaves its rows leased; when the lease runs out another
 * relay (or the same one, restarted) hands them over again. A row handed over twice is
 * one job as long as BullMQ still holds it (completed jobs are kept 7 days), and the
 * handlers' delivery keys hold after that.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = true;

  constructor(
    private readonly db: Db,
    private readonly queues: Partial<Record<QueueKey, JobQueue>>,
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
    const rows = await systemQuery<ClaimedRow>(
      this.db,
      // The batch size is written into the text (a whole number, from the config): a generic plan
      // of `LIMIT $1` assumes a tenth of the table, and the join back must be on the whole primary
      // key (id, organization_id) — on id alone it hashed the whole table at every claim.
      `WITH c AS (
         SELECT id, organization_id FROM outbox_message
         WHERE dispatched_at IS NULL AND (claimed_until IS NULL OR claimed_until <= now())
         ORDER BY created_at
         LIMIT ${Math.max(1, Math.trunc(this.opts.batchSize))}
         FOR UPDATE SKIP LOCKED)
       UPDATE outbox_message o
       SET attempts = o.attempts + 1, claimed_until = now() + make_interval(secs => $1)
       FROM c WHERE o.id = c.id AND o.organization_id = c.organization_id
       RETURNING o.id, o.organization_id, o.job_name, o.payload, o.run_at, o.attempts`,
      [CLAIM_LEASE_SECONDS],
    );
    if (rows.length === 0) return 0;

    const handedOver: ClaimedRow[] = [];
    const failed: { row: ClaimedRow; message: string }[] = [];
    const fail = (row: ClaimedRow, err: unknown): void => {
      const message = err instanceof Error ? err.message : String(err);
      this.log.error({ outboxId: row.id, job: row.job_name, attempts: row.attempts, err: message }, 'outbox row not handed to the queue; will retry');
      failed.push({ row, message });
    };
    // BullMQ counts a delay on its own clock (the system's), so the delay is measured on it too.
    const nowMs = Date.now();
    type Bulk = Parameters<JobQueue['addBulk']>[0][number];
    // One entry per job to add: a row's own job, or a batch job carrying several rows.
    const byQueue = new Map<JobQueue, { rows: ClaimedRow[]; job: Bulk }[]>();
    const add = (queue: JobQueue, rowsOfJob: ClaimedRow[], job: Bulk): void => {
      const list = byQueue.get(queue) ?? [];
      list.push({ rows: rowsOfJob, job });
      byQueue.set(queue, list);
    };
    // Due reminders, by organization, waiting to be grouped into batch jobs.
    const due = new Map<string, { row: ClaimedRow; queue: JobQueue; delay: number; data: unknown }[]>();
    const batchSize = Math.max(1, Math.trunc(this.opts.reminderBatchSize ?? 1));
    const windowMs = this.opts.reminderBatchWindowMs ?? DEFAULT_REMINDER_BATCH_WINDOW_MS;
    for (const row of rows) {
      try {
        const { queue, job } = this.jobFor(row, nowMs);
        if (batchSize > 1 && row.job_name === 'reminder.send' && (job.opts.delay ?? 0) <= windowMs) {
          const org = (job.data as { organizationId: string }).organizationId;
          const list = due.get(org) ?? [];
          list.push({ row, queue, delay: job.opts.delay ?? 0, data: job.data });
          due.set(org, list);
        } else {
          add(queue, [row], job);
        }
      } catch (err) {
        fail(row, err);
      }
    }
    const batchOf = new Map<string, string>();
    for (const [organizationId, list] of due) {
      for (let i = 0; i < list.length; i += batchSize) {
        const chunk = list.slice(i, i + batchSize);
        if (chunk.length === 1) {
          const only = chunk[0];
          add(only.queue, [only.row], { name: 'reminder.send', data: only.data, opts: { jobId: only.row.id, delay: only.delay, ...retryOptions('reminder.send', this.opts.retryOverride) } });
          continue;
        }
        // A new id per batch: a batch handed over twice (a relay killed before its settle) is two
        // jobs, and the second finds its reminders handled (the delivery keys hold).
        const jobId = randomUUID();
        for (const c of chunk) batchOf.set(c.row.id, jobId);
        const data = parseJobData('reminder.send-batch', { organizationId, reminderIds: chunk.map((c) => (c.data as { reminderId: string }).reminderId) });
        // Never early: the batch waits for its latest member.
        const delay = Math.max(...chunk.map((c) => c.delay));
        add(chunk[0].queue, chunk.map((c) => c.row), { name: 'reminder.send-batch', data, opts: { jobId, delay, ...retryOptions('reminder.send-batch', this.opts.retryOverride) } });
      }
    }
    await Promise.all(
      [...byQueue].map(async ([queue, list]) => {
        try {
          await queue.addBulk(list.map((l) => l.job));
          for (const l of list) handedOver.push(...l.rows);
        } catch (err) {
          for (const l of list) for (const r of l.rows) fail(r, err);
        }
      }),
    );

    // One statement settles the batch: the rows handed over (with their batch job's id, or NULL
    // for a row that is its own job), and each failure's error and back-off.
    await systemQuery(
      this.db,
      `WITH h AS (SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS h(id, organization_id, batch_job_id)),
       done AS (
         UPDATE outbox_message o SET dispatched_at = now(), claimed_until = NULL, last_error = NULL, batch_job_id = h.batch_job_id
         FROM h WHERE o.id = h.id AND o.organization_id = h.organization_id RETURNING o.id),
       f AS (SELECT * FROM unnest($4::uuid[], $5::uuid[], $6::text[], $7::int[]) AS f(id, organization_id, message, backoff))
       UPDATE outbox_message o SET last_error = f.message, claimed_until = now() + make_interval(secs => f.backoff)
       FROM f WHERE o.id = f.id AND o.organization_id = f.organization_id`,
      [
        handedOver.map((r) => r.id),
        handedOver.map((r) => r.organization_id),
        handedOver.map((r) => batchOf.get(r.id) ?? null),
        failed.map((f) => f.row.id),
        failed.map((f) => f.row.organization_id),
        failed.map((f) => f.message.slice(0, 2000)),
        failed.map((f) => handOverBackoffSeconds(f.row.attempts - 1)),
      ],
    );
    if (handedOver.length > 0) this.log.debug({ count: handedOver.length }, 'outbox rows handed to the queue');
    return handedOver.length;
  }

  /** The row as a BullMQ job on its queue; throws when it cannot be one. */
  private jobFor(row: ClaimedRow, nowMs: number): { queue: JobQueue; job: { name: JobName; data: unknown; opts: JobsOptions & { delay: number } } } {
    if (!isJobName(row.job_name)) throw new Error(`Unknown job "${row.job_name}"`);
    const data = parseJobData(row.job_name, row.payload);
    const delay = row.run_at ? Math.max(0, new Date(row.run_at).getTime() - nowMs) : 0;
    const { queue: key } = JOBS[row.job_name];
    const queue = this.queues[key];
    if (!queue) throw new Error(`No queue "${key}" for job "${row.job_name}" in this relay`);
    return { queue, job: { name: row.job_name, data, opts: { jobId: row.id, delay, ...retryOptions(row.job_name, this.opts.retryOverride) } } };
  }
}
