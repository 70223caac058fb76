import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `report_dirty` is a queue: every change inserts marks, the drain deletes them. Each report reads
 * it for its freshness (the marks in scope not yet recomputed), and a burst leaves its marks behind
 * as dead rows until the table is vacuumed: after the first fill of the 0.1 scale database (153,739
 * marks drained) the freshness count walked 152,160 dead index entries and 1,667 heap pages — 103 ms
 * a report, for an empty queue — because autovacuum waits for 20 % of the table's (last counted)
 * size plus 50 rows, and the table's size swings from nothing to a burst and back. Vacuum it after
 * every 2,000 dead rows, whatever its size, without the cost-based pauses (a queue's pages are few
 * and hot), and analyze it as often so the planner sees how many marks are waiting.
 */
export class ReportDirtyVacuum1764985000000 implements MigrationInterface {
  name = 'ReportDirtyVacuum1764985000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE report_dirty SET (
        autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000,
        autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 2000,
        autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 2000,
        autovacuum_vacuum_cost_delay = 0
      )
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE report_dirty RESET (
        autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold,
        autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_insert_threshold,
        autovacuum_analyze_scale_factor, autovacuum_analyze_threshold,
        autovacuum_vacuum_cost_delay
      )
    `);
  }
}
