import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Due-now reminders handed to BullMQ as batch jobs (issue 10 goal 4; docs/worker.md, "The path
 * of a job"): the relay groups the `reminder.send` rows it claims that are due now into one
 * `reminder.send-batch` job and records that job's id on each of those rows, so that the
 * reconcile pass, which looks a reminder's job up by the reminder's id, can look up the batch
 * job instead (and hand the rows back to the relay when the queue lost it). NULL for a row
 * handed over as its own job (jobId = row id), as every row was before.
 *
 * Also: the relay's claim joined the leased rows back to the table by `id` alone, which the
 * primary key (id, organization_id) since DistributionKeys does not lead to a unique match for
 * a generic plan: it hashed the whole table on every claim. The claim now joins on both columns
 * (apps/worker/src/relay.ts); no index is needed for that.
 */
export class OutboxBatchJob1765020000000 implements MigrationInterface {
  name = 'OutboxBatchJob1765020000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox_message ADD COLUMN batch_job_id uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox_message DROP COLUMN batch_job_id`);
  }
}
