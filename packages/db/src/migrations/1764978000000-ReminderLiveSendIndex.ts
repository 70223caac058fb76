import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The worker's reconcile pass (apps/worker/src/reconcile.ts) walks the live reminders
 * (SCHEDULED or FAILED) that are overdue, across organizations, oldest first, to find those whose
 * queue job was lost (a Redis failover). The existing indexes lead with `organization_id`; this
 * partial one holds only live reminders — a small, moving set however many were ever sent — in
 * the walk's order, so a pass reads a few index pages.
 */
export class ReminderLiveSendIndex1764978000000 implements MigrationInterface {
  name = 'ReminderLiveSendIndex1764978000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX reminder_live_send_idx ON reminder (send_at, id) WHERE status IN ('SCHEDULED', 'FAILED')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX reminder_live_send_idx`);
  }
}
