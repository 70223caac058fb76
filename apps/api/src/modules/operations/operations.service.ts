import { type Clock, type Db, systemClock, Delivery, Reminder, CHANNELS, REMINDER_KINDS, REMINDER_STATUSES, type Channel, type ReminderKind, type ReminderStatus } from '@fascia/db';
import { type JobQueue, type QueueBackendConfig, type QueueKey, QUEUES, createQueue } from '@fascia/jobs';
import { In } from 'typeorm';
import { z } from 'zod';
import type { Tenant } from '../../context';
import { COUNT_LIMIT, decodeCursor, pageSize, toPage, type Count, type Page } from '../../common/pagination';
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

export interface QueueHealthReport {
  queues: QueueHealth[];
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
    const [deadLetters, failedReminders] = await this.db.tenant(tenant, async (tx) => [
      // delivery.organization_id is nullable (system messages), so not a tenant repository; RLS and the filter both scope it.
      await tx.em.find(Delivery, { where: { organizationId: tenant.organizationId, status: In(['FAILED', 'DEAD']) }, order: { createdAt: 'DESC' }, take }),
      await tx.repo(Reminder).find({ where: { status: In(['FAILED', 'DEAD']) }, order: { updatedAt: 'DESC' }, take }),
    ]);
    return { queues, deadLetters, failedReminders };
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
      const countSql = `(SELECT count(*)::int FROM (SELECT 1 FROM reminder r WHERE ${where} ORDER BY r.send_at DESC, r.id DESC LIMIT ${COUNT_LIMIT + 1}) capped)`;
      const keyset = after ? ` AND (r.send_at, r.id) < ($${params.length + 1}::timestamptz, $${params.length + 2}::uuid)` : '';
      const rows = (await tx.em.query(
        `SELECT r.id, r.kind, r.channel, r.status, r.send_at AS "sendAt", r.due_at AS "dueAt", r.attempts, r.last_error AS "lastError",
                r.client_id AS "clientId", coalesce(c.preferred_name, c.first_name) || ' ' || c.last_name AS "clientName",
                r.clinic_id AS "clinicId", k.name AS "clinicName", r.appointment_id AS "appointmentId",
                r.appointment_starts_at AS "appointmentStartsAt", r.updated_at AS "updatedAt", ${countSql} AS total
         FROM reminder r
         JOIN client c ON c.organization_id = r.organization_id AND c.id = r.client_id
         LEFT JOIN clinic k ON k.organization_id = r.organization_id AND k.id = r.clinic_id
         WHERE ${where}${keyset}
         ORDER BY r.send_at DESC, r.id DESC
         LIMIT ${size + 1}`,
        after ? [...params, after[0], after[1]] : params,
      )) as (ReminderLogEntry & { total: number })[];
      let n: number;
      if (rows.length > 0) n = rows[0].total;
      else n = ((await tx.em.query(`SELECT ${countSql} AS n`, params)) as { n: number }[])[0].n;
      const total: Count = { count: Math.min(n, COUNT_LIMIT), capped: n > COUNT_LIMIT };
      return toPage(
        rows.map(({ total: _t, ...r }) => r),
        size,
        total,
        (r) => r.sendAt.toISOString(),
      );
    });
  }

  async close(): Promise<void> {
    const open = Object.values(this.queues ?? {});
    this.queues = null;
    await Promise.allSettled(open.map((q) => q.close()));
  }
}
