import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The foundation schema: tenancy, staff, auth, audit, outbox and deliveries.
 *
 * Two NOLOGIN roles carry the application's privileges. Each transaction the API or
 * the worker opens switches to one of them (`set_config('role', …, true)`), so every
 * query runs as a role that owns no table and is subject to row-level security:
 *  - fascia_app:    everything done on behalf of a signed-in user or a tenant's job;
 *                   sees only rows whose organization_id is `fascia.org_id`.
 *  - fascia_system: sign-in, token refresh, invitation acceptance, the outbox relay
 *                   and deliveries; sees the auth tables and the outbox, no clinic data.
 */
export class Foundation1763800000000 implements MigrationInterface {
  name = 'Foundation1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$ BEGIN
        CREATE ROLE fascia_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
      DO $$ BEGIN
        CREATE ROLE fascia_system NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
      DO $$ BEGIN
        EXECUTE format('GRANT fascia_app, fascia_system TO %I', current_user);
      EXCEPTION WHEN others THEN NULL; END $$;
      CREATE EXTENSION IF NOT EXISTS btree_gist;

      CREATE OR REPLACE FUNCTION fascia_current_org() RETURNS uuid
        LANGUAGE sql STABLE AS $f$ SELECT nullif(current_setting('fascia.org_id', true), '')::uuid $f$;
      CREATE OR REPLACE FUNCTION fascia_current_user() RETURNS uuid
        LANGUAGE sql STABLE AS $f$ SELECT nullif(current_setting('fascia.user_id', true), '')::uuid $f$;

      CREATE TABLE organization (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        slug text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE clinic (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organization(id),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        address_line1 text NOT NULL,
        address_line2 text,
        city text NOT NULL,
        region text,
        postal_code text,
        country text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
        time_zone text NOT NULL,
        opening_hours jsonb NOT NULL DEFAULT '[]',
        phone text,
        archived_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (organization_id, name),
        UNIQUE (organization_id, id)
      );

      CREATE TABLE room (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL,
        clinic_id uuid NOT NULL,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        archived_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (organization_id, clinic_id) REFERENCES clinic(organization_id, id),
        UNIQUE (clinic_id, name),
        UNIQUE (organization_id, id)
      );

      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (email = lower(email) AND position('@' in email) > 1),
        display_name text NOT NULL,
        password_hash text,
        status text NOT NULL CHECK (status IN ('INVITED','ACTIVE','DISABLED')),
        last_sign_in_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX app_user_email_key ON app_user (email);

      CREATE TABLE membership (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organization(id),
        user_id uuid NOT NULL REFERENCES app_user(id),
        role text NOT NULL CHECK (role IN ('ORG_ADMIN','CLINIC_MANAGER','FRONT_DESK','PRACTITIONER')),
        clinic_ids uuid[] NOT NULL DEFAULT '{}',
        status text NOT NULL CHECK (status IN ('INVITED','ACTIVE','REVOKED')),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (organization_id, user_id, role)
      );
      CREATE INDEX membership_user_idx ON membership (user_id);

      CREATE TABLE practitioner (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organization(id),
        user_id uuid REFERENCES app_user(id),
        display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
        discipline text NOT NULL CHECK (discipline IN ('MASSAGE_THERAPIST','PHYSIOTHERAPIST','PAIN_SPECIALIST','ACUPUNCTURIST','PHYSICIAN')),
        modalities text[] NOT NULL DEFAULT '{}',
        email text,
        archived_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (organization_id, id)
      );
      CREATE INDEX practitioner_org_name_idx ON practitioner (organization_id, display_name, id);

      CREATE TABLE practitioner_availability (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL,
        practitioner_id uuid NOT NULL,
        clinic_id uuid NOT NULL,
        weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
        start_minute smallint NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
        end_minute smallint NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (start_minute < end_minute),
        FOREIGN KEY (organization_id, practitioner_id) REFERENCES practitioner(organization_id, id) ON DELETE CASCADE,
        FOREIGN KEY (organization_id, clinic_id) REFERENCES clinic(organization_id, id),
        -- A practitioner is in one place at a time: no two windows of the same weekday overlap, whatever the clinic.
        CONSTRAINT practitioner_availability_no_overlap EXCLUDE USING gist (
          practitioner_id WITH =, weekday WITH =, int4range(start_minute, end_minute) WITH &&
        )
      );

      CREATE TABLE invitation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organization(id),
        user_id uuid NOT NULL REFERENCES app_user(id),
        membership_id uuid NOT NULL REFERENCES membership(id),
        email text NOT NULL,
        invited_by uuid NOT NULL REFERENCES app_user(id),
        expires_at timestamptz NOT NULL,
        accepted_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE refresh_token (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user(id),
        organization_id uuid NOT NULL REFERENCES organization(id),
        family_id uuid NOT NULL,
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        created_ip text,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX refresh_token_family_idx ON refresh_token (family_id);

      CREATE TABLE audit_event (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid,
        actor_user_id uuid,
        action text NOT NULL,
        record_type text,
        record_id uuid,
        request_id text,
        source_address text,
        outcome text NOT NULL CHECK (outcome IN ('SUCCESS','DENIED','FAILURE')),
        detail jsonb,
        occurred_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX audit_event_org_time_idx ON audit_event (organization_id, occurred_at DESC);
      CREATE INDEX audit_event_record_idx ON audit_event (record_type, record_id);
      CREATE OR REPLACE FUNCTION fascia_audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN RAISE EXCEPTION 'audit_event is append-only' USING ERRCODE = 'insufficient_privilege'; END $f$;
      CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_event
        FOR EACH STATEMENT EXECUTE FUNCTION fascia_audit_is_append_only();

      CREATE TABLE access_grant (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organization(id),
        client_id uuid NOT NULL,
        grantee_user_id uuid NOT NULL REFERENCES app_user(id),
        grantee_organization_id uuid NOT NULL REFERENCES organization(id),
        record_types text[] NOT NULL CHECK (cardinality(record_types) > 0),
        referral_id uuid,
        expires_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX access_grant_grantee_idx ON access_grant (grantee_user_id, client_id);

      CREATE TABLE outbox_message (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid,
        job_name text NOT NULL,
        payload jsonb NOT NULL,
        run_at timestamptz,
        dispatched_at timestamptz,
        attempts int NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX outbox_pending_idx ON outbox_message (created_at) WHERE dispatched_at IS NULL;

      CREATE TABLE delivery (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid,
        delivery_key text NOT NULL UNIQUE,
        channel text NOT NULL CHECK (channel IN ('EMAIL','SMS')),
        recipient text NOT NULL,
        template text NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING','SENT','FAILED','DEAD')),
        attempts int NOT NULL DEFAULT 0,
        provider_ref text,
        last_error text,
        outbox_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      );
      CREATE INDEX delivery_org_time_idx ON delivery (organization_id, created_at DESC);
    `);

    // Privileges: the application roles own nothing, read and write through RLS only.
    await q.query(`
      GRANT USAGE ON SCHEMA public TO fascia_app, fascia_system;
      GRANT SELECT, UPDATE ON organization TO fascia_app;
      GRANT SELECT, INSERT, UPDATE ON clinic, room, practitioner TO fascia_app;
      GRANT SELECT, INSERT, UPDATE, DELETE ON practitioner_availability TO fascia_app;
      GRANT SELECT, UPDATE ON app_user TO fascia_app;
      GRANT SELECT, INSERT, UPDATE ON membership, invitation TO fascia_app;
      GRANT SELECT ON access_grant TO fascia_app;
      GRANT INSERT ON outbox_message TO fascia_app;
      GRANT SELECT ON delivery TO fascia_app;
      GRANT INSERT, SELECT ON audit_event TO fascia_app, fascia_system;

      GRANT SELECT ON organization, clinic TO fascia_system;
      GRANT SELECT, INSERT, UPDATE ON app_user, membership, invitation, refresh_token TO fascia_system;
      GRANT SELECT, INSERT, UPDATE ON outbox_message, delivery TO fascia_system;
      GRANT SELECT ON access_grant TO fascia_system;
      GRANT EXECUTE ON FUNCTION fascia_current_org(), fascia_current_user() TO fascia_app, fascia_system;

      -- Inviting staff must find or create a login by email, across organizations, without
      -- letting a tenant read other organizations' users: one narrow definer function.
      CREATE OR REPLACE FUNCTION fascia_ensure_user(p_email text, p_display_name text) RETURNS uuid
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $f$
        DECLARE v_id uuid;
        BEGIN
          IF fascia_current_org() IS NULL THEN RAISE EXCEPTION 'no tenant' USING ERRCODE = 'insufficient_privilege'; END IF;
          INSERT INTO app_user (email, display_name, status) VALUES (lower(p_email), p_display_name, 'INVITED')
            ON CONFLICT (email) DO NOTHING RETURNING id INTO v_id;
          IF v_id IS NULL THEN SELECT id INTO v_id FROM app_user WHERE email = lower(p_email); END IF;
          RETURN v_id;
        END $f$;
      REVOKE ALL ON FUNCTION fascia_ensure_user(text, text) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION fascia_ensure_user(text, text) TO fascia_app;
    `);

    // Row-level security: the second lock behind the tenant-scoped repositories.
    const tenantTables = ['clinic', 'room', 'practitioner', 'practitioner_availability', 'membership', 'invitation', 'delivery'];
    for (const t of tenantTables) {
      await q.query(`
        ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;
        CREATE POLICY ${t}_tenant ON ${t} TO fascia_app
          USING (organization_id = fascia_current_org())
          WITH CHECK (organization_id = fascia_current_org());
      `);
    }
    await q.query(`
      ALTER TABLE organization ENABLE ROW LEVEL SECURITY;
      CREATE POLICY organization_tenant ON organization TO fascia_app
        USING (id = fascia_current_org()) WITH CHECK (id = fascia_current_org());
      CREATE POLICY organization_system ON organization FOR SELECT TO fascia_system USING (true);
      CREATE POLICY clinic_system ON clinic FOR SELECT TO fascia_system USING (true);

      ALTER TABLE app_user ENABLE ROW LEVEL SECURITY;
      -- A tenant sees the users who hold (or are invited to) a membership in it, and itself.
      CREATE POLICY app_user_tenant ON app_user TO fascia_app
        USING (id = fascia_current_user() OR EXISTS (
          SELECT 1 FROM membership m WHERE m.user_id = app_user.id AND m.organization_id = fascia_current_org()))
        WITH CHECK (true);
      CREATE POLICY app_user_system ON app_user TO fascia_system USING (true) WITH CHECK (true);
      CREATE POLICY membership_system ON membership TO fascia_system USING (true) WITH CHECK (true);
      CREATE POLICY invitation_system ON invitation TO fascia_system USING (true) WITH CHECK (true);
      CREATE POLICY delivery_system ON delivery TO fascia_system USING (true) WITH CHECK (true);

      ALTER TABLE refresh_token ENABLE ROW LEVEL SECURITY;
      CREATE POLICY refresh_token_system ON refresh_token TO fascia_system USING (true) WITH CHECK (true);

      ALTER TABLE access_grant ENABLE ROW LEVEL SECURITY;
      -- The owner organization sees the grants it gave; a grantee sees the grants made to it.
      CREATE POLICY access_grant_tenant ON access_grant FOR SELECT TO fascia_app
        USING (organization_id = fascia_current_org()
               OR (grantee_organization_id = fascia_current_org() AND grantee_user_id = fascia_current_user()));
      CREATE POLICY access_grant_system ON access_grant FOR SELECT TO fascia_system USING (true);

      ALTER TABLE outbox_message ENABLE ROW LEVEL SECURITY;
      CREATE POLICY outbox_tenant ON outbox_message FOR INSERT TO fascia_app
        WITH CHECK (organization_id = fascia_current_org());
      CREATE POLICY outbox_system ON outbox_message TO fascia_system USING (true) WITH CHECK (true);

      ALTER TABLE audit_event ENABLE ROW LEVEL SECURITY;
      CREATE POLICY audit_tenant_insert ON audit_event FOR INSERT TO fascia_app
        WITH CHECK (organization_id IS NOT DISTINCT FROM fascia_current_org());
      CREATE POLICY audit_tenant_read ON audit_event FOR SELECT TO fascia_app
        USING (organization_id = fascia_current_org());
      CREATE POLICY audit_system_insert ON audit_event FOR INSERT TO fascia_system WITH CHECK (true);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE IF EXISTS delivery, outbox_message, access_grant, audit_event, refresh_token, invitation,
        practitioner_availability, practitioner, membership, app_user, room, clinic, organization CASCADE;
      DROP FUNCTION IF EXISTS fascia_ensure_user(text, text), fascia_audit_is_append_only(), fascia_current_org(), fascia_current_user();
    `);
  }
}
