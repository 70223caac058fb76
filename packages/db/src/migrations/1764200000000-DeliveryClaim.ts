import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The worker sends a delivery outside any transaction (on PGlite a transaction held
 * across an SMTP exchange froze the whole database). `claimed_until` is the lease a
 * worker takes on the row in its short claim transaction, so two workers on one key take
 * turns; it is cleared when the outcome is settled, and runs out if the worker dies.
 */
export class DeliveryClaim1764200000000 implements MigrationInterface {
  name = 'DeliveryClaim1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE delivery ADD COLUMN claimed_until timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE delivery DROP COLUMN claimed_until`);
  }
}
