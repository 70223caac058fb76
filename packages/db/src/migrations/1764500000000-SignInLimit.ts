import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed sign-in counters, shared by every API process (rate-limiter-flexible's
 * RateLimiterPostgres layout: key, points, expire in epoch milliseconds). Keys hold a hash
 * of the email or the client address, never the email itself. Not tenant data: a sign-in
 * happens before the organization is known, so only `fascia_system` touches it.
 */
export class SignInLimit1764500000000 implements MigrationInterface {
  name = 'SignInLimit1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sign_in_limit (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      );
      CREATE INDEX sign_in_limit_expire ON sign_in_limit (expire);
      GRANT SELECT, INSERT, UPDATE, DELETE ON sign_in_limit TO fascia_system;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS sign_in_limit`);
  }
}
