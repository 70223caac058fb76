import { randomUUID } from 'node:crypto';
import { OutboxMessage } from '@fascia/db';
import type { EntityManager } from 'typeorm';
import { type JobData, type OrganizationJobName, parseJobData } from './registry';

export interface EnqueueOptions {
  /** When the job should run; omitted means as soon as the relay picks it up. */
  runAt?: Date;
  /**
   * The row id, which becomes the BullMQ jobId. Omitted: a new uuid. Given when a record
   * owns the job (a `reminder` row's id is its job's id).
   */
  id?: string;
}

/**
 * Writes a job to the outbox in the caller's transaction, so the job exists if and only
 * if the change that causes it commits. The worker's relay hands it to BullMQ with the
 * row id as the jobId. Returns that id.
 *
 * `em` is normally `TenantTx.em` (role fascia_app): its row-level security allows the
 * INSERT only for the tenant's own organization, and the role may not read the table,
 * so the id is generated here and nothing is returned from the INSERT.
 */
export async function enqueue<N extends OrganizationJobName>(em: EntityManager, name: N, data: JobData<N>, options: EnqueueOptions = {}): Promise<string> {
  const payload = parseJobData(name, data);
  if (options.runAt !== undefined && !Number.isFinite(options.runAt.getTime())) {
    throw new Error(`enqueue(${name}): runAt is not a valid date`);
  }
  const id = options.id ?? randomUUID();
  await em
    .createQueryBuilder()
    .insert()
    .into(OutboxMessage)
    .values({
      id,
      organizationId: (payload as { organizationId: string }).organizationId,
      jobName: name,
      // jsonb: TypeORM's deep-partial type can't describe Record<string, unknown>.
      payload: payload as never,
      runAt: options.runAt ?? null,
    })
    .updateEntity(false)
    .execute();
  return id;
}
