import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The role behind the one door for everything that crosses an organization's boundary
 * (referrals between partner organizations, issue 12; docs/referrals.md).
 *
 * `fascia_exchange` (NOLOGIN, no BYPASSRLS, owns nothing) is what a request's transaction
 * switches to, for a few statements, when it must read or write a row of another
 * organization: a partner's directory entry, the other side of a referral, a client's
 * consented records. It has no privilege of its own here; each later migration grants it
 * exactly the tables and columns a cross-organization step needs, each with a row-level
 * security policy that exposes only the rows the current organization and user
 * (`fascia_current_org()`, `fascia_current_user()`) are a party to. So row-level security
 * stays the second lock behind the door's own checks (packages/db/src/exchange).
 */
export class ExchangeRole1764800000000 implements MigrationInterface {
  name = 'ExchangeRole1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$ BEGIN
        CREATE ROLE fascia_exchange NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
      DO $$ BEGIN
        EXECUTE format('GRANT fascia_exchange TO %I', current_user);
      EXCEPTION WHEN others THEN NULL; END $$;
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fascia_runtime') THEN
          GRANT fascia_exchange TO fascia_runtime;
        END IF;
      END $$;
      GRANT USAGE ON SCHEMA public TO fascia_exchange;
      GRANT EXECUTE ON FUNCTION fascia_current_org(), fascia_current_user() TO fascia_exchange;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$ BEGIN
        REVOKE ALL ON SCHEMA public FROM fascia_exchange;
        REVOKE EXECUTE ON FUNCTION fascia_current_org(), fascia_current_user() FROM fascia_exchange;
      EXCEPTION WHEN undefined_object THEN NULL; END $$;
    `);
  }
}
