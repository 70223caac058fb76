import type { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from './rls';

/**
 * Whole-organization FHIR exports (issue 15, docs/api.md "FHIR export"): one row per export an
 * organization admin starts. The worker's `fhir.export` job fills it in — its progress (rows
 * done of the total), the NDJSON files it wrote (one per resource type, under the export
 * directory), when it finished and when its files expire.
 */
export class FhirExports1764950000000 implements MigrationInterface {
  name = 'FhirExports1764950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE fhir_export (
        organization_id uuid NOT NULL REFERENCES organization(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        requested_by uuid NOT NULL REFERENCES app_user(id),
        status text NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED', 'EXPIRED')),
        rows_total integer NOT NULL DEFAULT 0 CHECK (rows_total >= 0),
        rows_done integer NOT NULL DEFAULT 0 CHECK (rows_done >= 0),
        files jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(files) = 'array'),
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        expires_at timestamptz,
        PRIMARY KEY (organization_id, id)
      );
      CREATE INDEX fhir_export_recent_idx ON fhir_export (organization_id, created_at DESC, id);
    `);
    await q.query(tenantTableSql('fhir_export', { app: 'SELECT, INSERT, UPDATE' }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS fhir_export`);
  }
}
