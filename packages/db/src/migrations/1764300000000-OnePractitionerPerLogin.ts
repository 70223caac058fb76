import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A login is at most one practitioner in an organization: "the practitioner I act as" is
 * then one row, not an arbitrary pick among several.
 */
export class OnePractitionerPerLogin1764300000000 implements MigrationInterface {
  name = 'OnePractitionerPerLogin1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE UNIQUE INDEX practitioner_one_per_login ON practitioner (organization_id, user_id) WHERE user_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS practitioner_one_per_login`);
  }
}
