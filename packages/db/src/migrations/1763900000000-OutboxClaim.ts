import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The relay leases outbox rows while it hands them to BullMQ, outside any transaction
 * (on PGlite a transaction held across the queue write would wait for itself).
 * `claimed_until` is that lease, and also the back-off after a failed hand-over, so
 * `run_at` keeps one meaning: when the job should run.
 */
export class OutboxClaim1763900000000 implements MigrationInterface {
  name = 'OutboxClaim1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE outbox_message ADD COLUMN claimed_until timestamptz;
      DROP INDEX IF EXISTS outbox_pending_idx;
      CREATE INDEX outbox_pending_idx ON outbox_message (created_at) WHERE dispatched_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox_message DROP COLUMN claimed_until`);
  }
}
