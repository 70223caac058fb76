import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../testing';
import { COORDINATOR_LOCAL_TABLES, INFRASTRUCTURE_TABLES, REFERENCE_TABLES, distributionViolations, tenantTables } from '../distribution';

/**
 * The schema stays ready to be distributed by organization (Citus; docs/scale-out.md): the
 * migrated schema is read from the catalog and every tenant table, constraint and unique
 * index is held to the rules of packages/db/src/distribution.ts.
 */
describe('the migrated schema is ready to be distributed by organization_id', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  it('breaks no rule: keys, unique indexes, exclusions and foreign keys of every tenant table carry organization_id; every other table is listed', async () => {
    expect(await distributionViolations(t.dataSource)).toEqual([]);
  });

  it('covers the tables the cross-organization features, the roll-ups, webhooks, feeds and FHIR exports added', async () => {
    const tenant = await tenantTables(t.dataSource);
    for (const table of [
      'appointment', 'client', 'referral', 'referral_inbox', 'referral_event', 'referral_message', 'referral_read_marker', 'partnership',
      'report_day', 'report_clinic_day', 'report_plan', 'report_referral', 'report_dirty', 'outbox_message',
      'webhook_endpoint', 'webhook_delivery', 'webhook_attempt', 'practitioner_feed', 'fhir_export',
    ]) {
      expect(tenant).toContain(table);
    }
  });

  it('catches a table or constraint that breaks a rule, naming it', async () => {
    await t.dataSource.query(`
      CREATE TABLE dist_probe_global (id uuid PRIMARY KEY);
      CREATE TABLE dist_probe_parent (organization_id uuid NOT NULL, id uuid NOT NULL, PRIMARY KEY (organization_id, id), CONSTRAINT dist_probe_parent_id_key UNIQUE (id));
      CREATE TABLE dist_probe (
        organization_id uuid NOT NULL, id uuid NOT NULL, parent_id uuid, user_id uuid REFERENCES app_user (id), code text, during tstzrange,
        PRIMARY KEY (id),
        CONSTRAINT dist_probe_code_key UNIQUE (code),
        CONSTRAINT dist_probe_parent_fkey FOREIGN KEY (parent_id) REFERENCES dist_probe_parent (id),
        CONSTRAINT dist_probe_no_overlap EXCLUDE USING gist (parent_id WITH =, during WITH &&)
      );
      CREATE UNIQUE INDEX dist_probe_partial_uq ON dist_probe (parent_id) WHERE code IS NOT NULL;
      -- Fine: organization_id first or not, compared with =, joined on organization_id.
      CREATE TABLE dist_probe_ok (
        organization_id uuid NOT NULL, id uuid NOT NULL, parent_id uuid, during tstzrange,
        PRIMARY KEY (id, organization_id),
        FOREIGN KEY (organization_id, parent_id) REFERENCES dist_probe_parent (organization_id, id),
        EXCLUDE USING gist (parent_id WITH =, organization_id WITH =, during WITH &&)
      );
      CREATE UNIQUE INDEX dist_probe_ok_uq ON dist_probe_ok (parent_id, organization_id) WHERE during IS NOT NULL;`);
    try {
      const found = await distributionViolations(t.dataSource);
      const text = found.join('\n');
      expect(text).toMatch(/dist_probe_global: has no organization_id and is not listed/);
      expect(text).toMatch(/dist_probe_parent: unique constraint dist_probe_parent_id_key does not include organization_id/);
      expect(text).toMatch(/dist_probe: primary key dist_probe_pkey does not include organization_id/);
      expect(text).toMatch(/dist_probe: unique constraint dist_probe_code_key does not include organization_id/);
      expect(text).toMatch(/dist_probe: unique index dist_probe_partial_uq does not include organization_id/);
      expect(text).toMatch(/dist_probe: exclusion constraint dist_probe_no_overlap does not compare organization_id with =/);
      expect(text).toMatch(/dist_probe: foreign key dist_probe_parent_fkey to tenant table dist_probe_parent does not join on organization_id/);
      // Exactly those: the foreign key to app_user (a reference table) and all of dist_probe_ok pass.
      expect(found).toHaveLength(7);
    } finally {
      await t.dataSource.query(`DROP TABLE dist_probe_ok, dist_probe, dist_probe_parent, dist_probe_global`);
    }
  });

  it('docs/scale-out.md names every distributed, reference and coordinator-local table', async () => {
    const doc = readFileSync(join(__dirname, '../../../../docs/scale-out.md'), 'utf8');
    const missing = [...(await tenantTables(t.dataSource)), ...Object.keys(REFERENCE_TABLES), ...Object.keys(COORDINATOR_LOCAL_TABLES), ...Object.keys(INFRASTRUCTURE_TABLES).map((n) => n.replace(/^public\./, ''))].filter(
      (table) => !doc.includes(`\`${table}\``),
    );
    expect(missing).toEqual([]);
  });
});
