import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13 item 9 (operations): an organization admin retries a dead-lettered job from the
 * operations page. Before the job runs again, the API makes what it gave up on sendable
 * again — the `delivery` rows it left DEAD and a `reminder` row left DEAD become FAILED —
 * in the admin's tenant transaction. `fascia_app` may change only those columns; the
 * tables' existing row-level security policies (organization_id = the tenant's) scope it.
 */
export class DeadLetterRetry1764910000000 implements MigrationInterface {
  name = 'DeadLetterRetry1764910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      GRANT UPDATE (status) ON delivery TO fascia_app;
      GRANT UPDATE (status, updated_at) ON reminder TO fascia_app;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      REVOKE UPDATE (status) ON delivery FROM fascia_app;
      REVOKE UPDATE (status, updated_at) ON reminder FROM fascia_app;
    `);
  }
}
