import { type Clock, type Db, type TenantTx, systemClock, Delivery, Reminder, CHANNELS, REMINDER_KINDS, REMINDER_STATUSES, type Channel, type ReminderKind, type ReminderStatus } from '@fascia/db';
import { type JobQueue, type QueueBackendConfig, type QueueKey, QUEUES, createQueue } from '@fascia/jobs';
import { In } from 'typeorm';
import { z } from 'zod';
import type { Tenant } from '../../context';
import { CAPPED_TOTAL, cappedCount, decodeCursor, pageSize, toCount, toPage, type Page } from '../../common/pagination';
import { AppError, conflict } from '../../common/errors';
import { parse, uuid } from '../../common/validation';

export interface ReminderLogEntry {
  id: string;
  kind: ReminderKind;
  channel: Channel;
  status: ReminderStatus;
  sendAt: Date;
  dueAt: Date;
  attempts: number;
  lastError: string | null;
  clientId: string;
  clientName: string;
  clinicId: string | null;
  clinicName: string | null;
  appointmentId: string | null;
  appointmentStartsAt: Date | null;
  updatedAt: Date;
}

const reminderLogFilter = z
  .object({
    status: z.enum(REMINDER_STATUSES).nullish(),
    channel: z.enum(CHANNELS).nullish(),
    kind: z.enum(REMINDER_KINDS).nullish(),
    clinicId: uuid.nullish(),
    clientId: uuid.nullish(),
    from: z.date().nullish(),
    to: z.date().nullish(),
  })
  .refine((f) => !f.from || !f.to || f.from < f.to, { path: ['to'], message: 'must be after from' });

export interface QueueHealth {
  key: QueueKey;
  name: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
  /** Age of the oldest waiting job, in seconds (null when none waits). */
  oldestWaitingSeconds: number | null;
}

/** A job of this organization that BullMQ gave up on (its attempts spent): the queue's failed set. */
export interface DeadLetterJob {
  queue: QueueKey;
  jobId: string;
  name: string;
  attemptsMade: number;
  failedReason: string | null;
  failedAt: Date | null;
  /** The deliveries the job made that ended DEAD (the message it could not send), by key. */
  deliveryKeys: string[];
}

export interface DeadLetterOutcome {
  queue: QueueKey;
  jobId: string;
  name: string;
  action: 'RETRIED' | 'DISCARDED';
}

const deadLetterInput = z
  .object({
    queue: z.enum(Object.keys(QUEUES) as [QueueKey, ...QueueKey[]], { message: `must be one of ${Object.keys(QUEUES).join(', ')}` }),
    jobId: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    reason: z.string().trim().max(500, 'must be at most 500 characters').transform((s) => s || null).nullish(),
  })
  .strict();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** How far into each queue's failed set the dead-letter view reads (the set holds every organization's jobs). */
const FAILED_SCAN = 500;

export interface QueueHealthReport {
  queues: QueueHealth[];
  /** This organization's jobs in the queues' failed sets, newest first: what can be retried or discarded. */
  failedJobs: DeadLetterJob[];
  /** This organization's FAILED and DEAD deliveries, newest first: the dead-letter view. */
  deadLetters: Delivery[];
  /** This organization's FAILED and DEAD reminders (including those that failed before any delivery, e.g. a bad template). */
  failedReminders: Reminder[];
}

/**
 * Queue health for administrators. The queue handles are created on first use from the
 * same backend choice as the worker (`queueBackendFromEnv`), so an API that never shows
 * queue health never connects to Redis. Counts are of the shared queues (they hold
 * every organization's jobs and no data); the dead-letter lists are the tenant's own,
 * read as `fascia_app` under row-level security.
 */
export class OperationsService {
  private queues: Partial<Record<QueueKey, JobQueue>> | null = null;

  constructor(
    private readonly db: Db,
    private readonly backend: () => QueueBackendConfig,
    private readonly clock: Clock = systemClock,
  ) {}

  private handles(): Record<QueueKey, JobQueue> {
    if (!this.queues) {
      const cfg = this.backend();
      this.queues = {};
      for (const [key, name] of Object.entries(QUEUES) as [QueueKey, string][]) this.queues[key] = createQueue(name, cfg);
    }
    return this.queues as Record<QueueKey, JobQueue>;
  }

  async queueHealth(tenant: Tenant, limit = 50): Promise<QueueHealthReport> {
    const now = this.clock.now().getTime();
    const queues = await Promise.all(
      Object.entries(this.handles()).map(async ([key, q]): Promise<QueueHealth> => {
        const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized');
        const [oldest] = await q.getJobs(['waiting'], 0, 0, true);
        return {
          key: key as QueueKey,
          name: q.name,
          waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
          active: counts.active ?? 0,
          delayed: counts.delayed ?? 0,
          failed: counts.failed ?? 0,
          completed: counts.completed ?? 0,
          oldestWaitingSeconds: oldest?.timestamp ? Math.max(0, Math.round((now - oldest.timestamp) / 1000)) : null,
        };
      }),
    );
    const take = Math.max(1, Math.min(200, limit));
    const jobs = await this.failedJobsOf(tenant, take);
    const [deadLetters, failedReminders, dead] = await this.db.tenant(tenant, async (tx) => [
      // delivery.organization_id is nullable (system messages), so not a tenant repository; RLS and the filter both scope it.
      await tx.em.find(Delivery, { where: { organizationId: tenant.organizationId, status: In(['FAILED', 'DEAD']) }, order: { createdAt: 'DESC' }, take }),
      await tx.repo(Reminder).find({ where: { status: In(['FAILED', 'DEAD']) }, order: { updatedAt: 'DESC' }, take }),
      jobs.length
        ? await tx.em.find(Delivery, { where: { organizationId: tenant.organizationId, status: 'DEAD', outboxId: In(jobs.filter((j) => UUID.test(j.jobId)).map((j) => j.jobId)) } })
        : [],
    ] as const);
    const failedJobs = jobs.map((j) => ({ ...j, deliveryKeys: dead.filter((d) => d.outboxId === j.jobId).map((d) => d.deliveryKey) }));
    return { queues, failedJobs, deadLetters, failedReminders };
  }

  /** The organization's jobs among the newest {@link FAILED_SCAN} of each queue's failed set, newest first. */
  private async failedJobsOf(tenant: Tenant, take: number): Promise<DeadLetterJob[]> {
    const lists = await Promise.all(
      Object.entries(this.handles()).map(async ([key, q]) => {
        const jobs = await q.getJobs(['failed'], 0, FAILED_SCAN - 1, false);
        return jobs
          .filter((j) => j && (j.data as { organizationId?: string } | undefined)?.organizationId === tenant.organizationId)
          .map(
            (j): DeadLetterJob => ({
              queue: key as QueueKey,
              jobId: String(j.id),
              name: j.name,
              attemptsMade: j.attemptsMade,
              failedReason: j.failedReason || null,
              failedAt: j.finishedOn ? new Date(j.finishedOn) : null,
              deliveryKeys: [],
            }),
          );
      }),
    );
    return lists
      .flat()
      .sort((a, b) => (b.failedAt?.getTime() ?? 0) - (a.failedAt?.getTime() ?? 0))
      .slice(0, take);
  }

  /**
   * The organization's dead-lettered job, or NOT_FOUND (another organization's job is not
   * told apart from none); CONFLICT when it has left the failed set meanwhile (already
   * retried or discarded, perhaps by another admin).
   */
  private async deadLetter(tenant: Tenant, queue: QueueKey, jobId: string) {
    const job = await this.handles()[queue].getJob(jobId);
    if (!job || (job.data as { organizationId?: string } | undefined)?.organizationId !== tenant.organizationId) {
      throw new AppError('NOT_FOUND', `No job ${jobId} of your organization is in the ${queue} queue. Refresh the page: it may have been discarded.`, { field: 'jobId' });
    }
    const state = await job.getState();
    if (state !== 'failed') throw conflict(`Job ${jobId} is no longer in the dead letters: it is ${state} now (someone may have retried it already).`, { state });
    return job;
  }

  /**
   * Runs a dead-lettered job again, from its first attempt, as an organization admin asked
   * (audited). What it left DEAD is made FAILED again first, in the same transaction — the
   * deliveries it made (`delivery.outbox_id` = the job id) and, for a reminder, the reminder
   * row — or the rerun would find the message given up and send nothing. The job is moved
   * back to waiting last, inside the transaction: if BullMQ refuses, nothing is changed.
   */
  async retryDeadLetter(tenant: Tenant, input: unknown): Promise<DeadLetterOutcome> {
    const { queue, jobId } = parse(deadLetterInput, input, 'input');
    const job = await this.deadLetter(tenant, queue, jobId);
    const data = job.data as { reminderId?: string };
    return this.db.tenant(tenant, async (tx: TenantTx) => {
      if (UUID.test(jobId)) {
        await tx.em.query(`UPDATE delivery SET status = 'FAILED' WHERE organization_id = $1 AND outbox_id = $2::uuid AND status = 'DEAD'`, [tx.organizationId, jobId]);
      }
      if (job.name === 'reminder.send' && data.reminderId && UUID.test(data.reminderId)) {
        await tx.em.query(`UPDATE reminder SET status = 'FAILED', updated_at = now() WHERE organization_id = $1 AND id = $2::uuid AND status = 'DEAD'`, [tx.organizationId, data.reminderId]);
      }
      await tx.audit({ action: 'deadLetter.retry', recordType: 'job', recordId: UUID.test(jobId) ? jobId : null, detail: { queue, jobId, jobName: job.name, attemptsMade: job.attemptsMade, failedReason: job.failedReason ?? null } });
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      return { queue, jobId, name: job.name, action: 'RETRIED' as const };
    });
  }

  /**
   * Removes a dead-lettered job for good, as an organization admin asked, with an optional
   * reason (audited). Its delivery and reminder rows stay as they are (DEAD): the record of
   * what was not sent. Removed last, inside the transaction, like a retry.
   */
  async discardDeadLetter(tenant: Tenant, input: unknown): Promise<DeadLetterOutcome> {
    const { queue, jobId, reason } = parse(deadLetterInput, input, 'input');
    const job = await this.deadLetter(tenant, queue, jobId);
    return this.db.tenant(tenant, async (tx: TenantTx) => {
      await tx.audit({ action: 'deadLetter.discard', recordType: 'job', recordId: UUID.test(jobId) ? jobId : null, detail: { queue, jobId, jobName: job.name, reason: reason ?? null, failedReason: job.failedReason ?? null } });
      await job.remove();
      return { queue, jobId, name: job.name, action: 'DISCARDED' as const };
    });
  }

  /**
   * The delivery log: every reminder of the organization (sent, skipped with its reason,
   * failed, cancelled, waiting), newest send time first, filtered; one statement per page
   * with its client's and clinic's names and the capped count (reminder_org_send_idx, or
   * reminder_org_client_idx / reminder_org_status_idx for a client or a status).
   */
  reminderLog(tenant: Tenant, args: { filter?: unknown; first?: number | null; after?: string | null }): Promise<Page<ReminderLogEntry>> {
    const size = pageSize(args.first);
    const after = decodeCursor(args.after, 'time');
    const f = parse(reminderLogFilter, args.filter ?? {}, 'filter');
    return this.db.tenant(tenant, async (tx) => {
      const params: unknown[] = [tx.organizationId];
      const parts = ['r.organization_id = $1'];
      const add = (sql: string, value: unknown) => {
        params.push(value);
        parts.push(sql.replace('?', `$${params.length}`));
      };
      if (f.status) add('r.status = ?', f.status);
      if (f.channel) add('r.channel = ?', f.channel);
      if (f.kind) add('r.kind = ?', f.kind);
      if (f.clinicId) add('r.clinic_id = ?::uuid', f.clinicId);
      if (f.clientId) add('r.client_id = ?::uuid', f.clientId);
      if (f.from) add('r.send_at >= ?::timestamptz', f.from);
      if (f.to) add('r.send_at < ?::timestamptz', f.to);
      const where = parts.join(' AND ');
      const countSql = cappedCount('reminder r', where, 'r.send_at DESC, r.id DESC');
      const keyset = after ? ` AND (r.send_at, r.id) < ($${params.length + 1}::timestamptz, $${params.length + 2}::uuid)` : '';
      const rows = (await tx.em.query(
        `SELECT r.id, r.kind, r.channel, r.status, r.send_at AS "sendAt", r.due_at AS "dueAt", r.attempts, r.last_error AS "lastError",
                r.client_id AS "clientId", coalesce(c.preferred_name, c.first_name) || ' ' || c.last_name AS "clientName",
                r.clinic_id AS "clinicId", k.name AS "clinicName", r.appointment_id AS "appointmentId",
                r.appointment_starts_at AS "appointmentStartsAt", r.updated_at AS "updatedAt", ${countSql} AS "${CAPPED_TOTAL}"
         FROM reminder r
         JOIN client c ON c.organization_id = r.organization_id AND c.id = r.client_id
         LEFT JOIN clinic k ON k.organization_id = r.organization_id AND k.id = r.clinic_id
         WHERE ${where}${keyset}
         ORDER BY r.send_at DESC, r.id DESC
         LIMIT ${size + 1}`,
        after ? [...params, after[0], after[1]] : params,
      )) as (ReminderLogEntry & { [CAPPED_TOTAL]: number })[];
      // The count's column stays on the rows (docs/architecture.md, "Rows keep their shape"); past
      // the end (no row to carry it) it is asked alone.
      const n = rows.length > 0 ? rows[0][CAPPED_TOTAL] : ((await tx.em.query(`SELECT ${countSql} AS n`, params)) as { n: number }[])[0].n;
      return toPage(rows, size, toCount(n), (r) => r.sendAt.toISOString());
    });
  }

  async close(): Promise<void> {
    const open = Object.values(this.queues ?? {});
    this.queues = null;
    await Promise.allSettled(open.map((q) => q.close()));
  }
}
