import { type Clock, type Db, systemClock, Delivery, Reminder } from '@fascia/db';
import { type JobQueue, type QueueBackendConfig, type QueueKey, QUEUES, createQueue } from '@fascia/jobs';
import { In } from 'typeorm';
import type { Tenant } from '../../context';

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

  async close(): Promise<void> {
    const open = Object.values(this.queues ?? {});
    this.queues = null;
    await Promise.allSettled(open.map((q) => q.close()));
  }
}
