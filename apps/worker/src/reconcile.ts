import { type Db, systemQuery } from '@fascia/db';
import type { JobQueue, QueueKey } from '@fascia/jobs';
import type { Logger } from './logger';

export interface ReconcileOptions {
  /** How often a pass runs, and how long a reminder must be overdue (and its row handed over) before its job is looked for. */
  everyMs: number;
  /** Reminders looked up per pass (a larger backlog is walked over several passes). Default 500. */
  batchSize?: number;
  /** Re-registers the job schedulers (idempotent upserts): a scheduler whose next tick was lost ticks again. */
  registerSchedulers?: () => Promise<unknown>;
}

/** What one pass did. */
export interface ReconcilePass {
  /** Overdue live reminders whose job was looked for. */
  checked: number;
  /** Of those, the ones whose job was gone and whose outbox row was handed back to the relay. */
  requeued: string[];
}

/**
 * A queue call that does not answer (a client still finding its way around a failover) fails the
 * pass after this long instead of holding it: the next pass tries again.
 */
const QUEUE_CALL_TIMEOUT_MS = 15_000;

function within<T>(what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer from the queue in ${QUEUE_CALL_TIMEOUT_MS} ms`)), QUEUE_CALL_TIMEOUT_MS);
    timer.unref?.();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

interface Candidate {
  id: string;
  send_at: Date;
  /** The `reminder.send-batch` job its row was handed over in, or null (its own job, jobId = id). */
  batch_job_id: string | null;
}

/** States in which a job will still run (or is running). */
const PENDING_STATES = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);

/**
 * The worker's safety net for jobs the queue lost. Reminders are rows in PostgreSQL; their
 * jobs live in the queue, and a queue can lose recent writes: Redis replicates asynchronously,
 * so when a Redis Cluster master dies, the jobs written to it and not yet copied to the replica
 * that takes over are gone (docs/operations.md, "Redis Cluster").
 *
 * Every `everyMs` each worker process looks at live reminders (SCHEDULED or FAILED) that are
 * overdue by more than `everyMs` and whose outbox row was handed over more than `everyMs` ago
 * (a row still pending is the relay's, not lost), oldest first, a batch a pass, walking on from
 * where the last pass stopped. A reminder whose job (jobId = reminder id) the queue no longer
 * knows (`getJobState` → unknown) gets its outbox row back (`dispatched_at` cleared), and the
 * relay hands it over again as it does any row — the relay stays the only producer. A job that
 * still exists in any state (waiting, delayed, active, completed, failed) is left alone.
 *
 * A reminder handed over in a batch (`outbox_message.batch_job_id`) is looked for by that
 * batch job's id: while the batch job is still to run (waiting, delayed, active) it is left
 * alone; once the batch job is gone, completed or failed, a reminder still live is lost unless
 * its own job (jobId = reminder id: the retry a batch adds for a reminder that failed for now)
 * is in the queue — the same rule as for any reminder.
 *
 * A duplicate is harmless: two workers re-queueing the same row give one job (the jobId), and
 * a reminder that was sent meanwhile is SENT, so its job does nothing (the delivery claim).
 * The same pass re-registers the job schedulers (idempotent upserts), so a scheduler whose
 * next tick was lost in a failover ticks again.
 */
export class ReminderReconciler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<ReconcilePass> | null = null;
  private stopped = true;
  /** Where the walk over overdue reminders resumes: (send_at, id) of the last one looked at. */
  private cursor: Candidate | null = null;
  /** Reminders re-queued since start (for logs and tests). */
  requeuedTotal = 0;
  passes = 0;

  constructor(
    private readonly db: Db,
    private readonly queues: Readonly<Record<QueueKey, JobQueue>>,
    private readonly log: Logger,
    private readonly opts: ReconcileOptions,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const run = this.runOnce();
      this.running = run;
      run
        .catch((err: unknown) => this.log.error({ err: err instanceof Error ? err.message : String(err) }, 'reconcile pass failed'))
        .finally(() => {
          if (this.running === run) this.running = null;
          this.schedule();
        });
    }, this.opts.everyMs);
    this.timer.unref?.();
  }

  /** One pass. Safe to run concurrently with the relay, the workers and other processes' passes. */
  async runOnce(): Promise<ReconcilePass> {
    this.passes += 1;
    if (this.opts.registerSchedulers) {
      await within('re-registering the job schedulers', this.opts.registerSchedulers()).catch((err: unknown) => this.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'reconcile: job schedulers not re-registered'));
    }
    const graceSeconds = this.opts.everyMs / 1000;
    const batch = this.opts.batchSize ?? 500;
    // Across organizations by design (a system pass, like the relay's claim); the partial index
    // reminder_live_send_idx holds only live reminders, so this reads a handful of index pages.
    const rows = await systemQuery<Candidate>(
      this.db,
      `SELECT r.id, r.send_at, o.batch_job_id FROM reminder r
       JOIN outbox_message o ON o.id = r.id AND o.organization_id = r.organization_id
       WHERE r.status IN ('SCHEDULED', 'FAILED')
         AND r.send_at <= now() - make_interval(secs => $1)
         AND o.dispatched_at <= now() - make_interval(secs => $1)
         AND (r.send_at, r.id) > ($2::timestamptz, $3::uuid)
       ORDER BY r.send_at, r.id
       LIMIT $4`,
      [graceSeconds, this.cursor?.send_at ?? new Date(0), this.cursor?.id ?? '00000000-0000-0000-0000-000000000000', batch],
    );
    this.cursor = rows.length < batch ? null : rows[rows.length - 1];
    if (rows.length === 0) return { checked: 0, requeued: [] };

    const q = this.queues.notifications;
    const batchIds = [...new Set(rows.map((r) => r.batch_job_id).filter((b): b is string => b !== null))];
    const batchStates = new Map(await within('looking the batch jobs up', Promise.all(batchIds.map(async (b) => [b, await q.getJobState(b)] as const))));
    // A reminder whose batch job is still to run is that job's: its own job is not looked for.
    const open = rows.filter((r) => r.batch_job_id === null || !PENDING_STATES.has(batchStates.get(r.batch_job_id) ?? 'unknown'));
    const states = await within('looking the jobs up', Promise.all(open.map((r) => q.getJobState(r.id))));
    const lostRows = open.filter((_, i) => states[i] === 'unknown');
    const lost = lostRows.map((r) => r.id);
    if (lost.length === 0) return { checked: rows.length, requeued: [] };
    // A job hash left without its place in any list (a partly replicated write) would make the
    // relay's add a no-op (same jobId): remove what is left of it first. Nothing, usually. (A
    // batch job that completed or failed keeps its record: its id is never added again.)
    const leftovers = [...lost, ...batchIds.filter((b) => batchStates.get(b) === 'unknown')];
    await within('removing what is left of the lost jobs', Promise.all(leftovers.map((id) => q.remove(id).catch(() => 0))));

    // Back to the relay, only while the reminder is still live and its row still handed over.
    const requeued = await systemQuery<{ id: string }>(
      this.db,
      `UPDATE outbox_message o SET dispatched_at = NULL, claimed_until = NULL, batch_job_id = NULL
       FROM reminder r
       WHERE o.id = ANY($1::uuid[]) AND r.id = o.id AND r.organization_id = o.organization_id AND r.status IN ('SCHEDULED', 'FAILED') AND o.dispatched_at IS NOT NULL
       RETURNING o.id`,
      [lost],
    );
    const ids = requeued.map((r) => r.id);
    this.requeuedTotal += ids.length;
    if (ids.length > 0) this.log.warn({ count: ids.length, reminderIds: ids.slice(0, 20) }, 'reconcile: reminders whose job the queue lost handed back to the relay');
    return { checked: rows.length, requeued: ids };
  }
}
