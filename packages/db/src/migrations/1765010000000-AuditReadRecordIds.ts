import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A read's audit as one row carrying the ids of every record it touched (issue 10: "audit of a
 * read is one statement however many records it touched"; one chart view wrote ~131 rows, one per
 * intake, plan, note and re-assessment shown, each with 7 index entries).
 *
 *  - `record_ids uuid[]`: set only on a read of several records (`note.read` of a chart's 112
 *    notes: one row); `record_id` is then null. Single-record events (every write, a read of one
 *    record) keep `record_id` and leave `record_ids` null, so existing rows are valid as they are
 *    (a nullable column without a default: no rewrite of the table).
 *  - The admins' audit log finds a record's events by `record_id = $id OR record_ids @> ARRAY[$id]`
 *    (docs/api.md, "Audit log"): the second arm by a GIN index over (organization_id, record_ids)
 *    (`btree_gin` for the uuid column: a contrib extension in PostgreSQL 15 and in the embedded
 *    server), partial, so the single-record rows (nearly all of the log) add nothing to it. Its
 *    pending list (GIN's fast update: an INSERT appends its entries there, cheaply; every search
 *    reads the whole list) is held to 256 kB, not the default 4 MB: about 70 chart reads, then
 *    the insert that passes it moves the list into the index.
 *  - A CHECK keeps the two apart (`NOT VALID`: the existing rows have no `record_ids`, and new
 *    rows are checked all the same; skipping the scan keeps the lock short on millions of rows).
 */
export class AuditReadRecordIds1765010000000 implements MigrationInterface {
  name = 'AuditReadRecordIds1765010000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE EXTENSION IF NOT EXISTS btree_gin;
      ALTER TABLE audit_event ADD COLUMN record_ids uuid[];
      ALTER TABLE audit_event ADD CONSTRAINT audit_event_record_ids_shape
        CHECK (record_ids IS NULL OR (record_id IS NULL AND cardinality(record_ids) >= 2 AND array_position(record_ids, NULL) IS NULL)) NOT VALID;
      CREATE INDEX audit_event_org_record_ids_idx ON audit_event USING gin (organization_id, record_ids) WITH (gin_pending_list_limit = 256) WHERE record_ids IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX audit_event_org_record_ids_idx;
      ALTER TABLE audit_event DROP CONSTRAINT audit_event_record_ids_shape;
      ALTER TABLE audit_event DROP COLUMN record_ids;
    `);
  }
}
