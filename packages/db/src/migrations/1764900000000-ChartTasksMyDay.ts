import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13 items 3 and 8 (the chart's tasks, a practitioner's day).
 *
 *  - practitioner_task_client_idx: the chart reads a client's tasks by (organization, client)
 *    in its one statement, by due time.
 *  - appointment_practitioner_time_idx: `myDay` reads one practitioner's appointments of a day
 *    across their clinics (the calendar's index leads with the clinic).
 */
export class ChartTasksMyDay1764900000000 implements MigrationInterface {
  name = 'ChartTasksMyDay1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX practitioner_task_client_idx ON practitioner_task (organization_id, client_id, due_at, id);
      CREATE INDEX appointment_practitioner_time_idx ON appointment (organization_id, practitioner_id, starts_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX appointment_practitioner_time_idx, practitioner_task_client_idx;`);
  }
}
