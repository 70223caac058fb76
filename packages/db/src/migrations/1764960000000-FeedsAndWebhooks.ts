import type { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from './rls';

/**
 * Issue 15 §3–4: practitioners' iCalendar feeds and signed webhooks.
 *
 * `practitioner_feed`: one per practitioner; only the SHA-256 of the feed's secret token is
 * kept (`token_hash`, null once revoked). `fascia_system` reads it to find a feed by its hash
 * (the feed URL carries no sign-in); the feed itself is then read as the tenant.
 *
 * `appointment.ical_uid` / `ical_sequence`: an appointment's iCalendar identity. A reschedule
 * writes a new row naming the old one (`rescheduled_from`): the new row takes the old one's
 * UID and a SEQUENCE above it, so a calendar updates the event instead of adding a second. A
 * change of time, place, client, kind or status raises SEQUENCE by one, in a trigger, so no
 * service has to remember it: SEQUENCE is a stored counter, exact and monotonic.
 *
 * `webhook_endpoint`, `webhook_delivery` (one per event and endpoint), `webhook_attempt` (one
 * per try: status code, duration, error): written by the worker as `fascia_system`, read by
 * the organization's admins.
 */
export class FeedsAndWebhooks1764960000000 implements MigrationInterface {
  name = 'FeedsAndWebhooks1764960000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE practitioner_feed (
        organization_id uuid NOT NULL REFERENCES organization(id),
        practitioner_id uuid NOT NULL,
        token_hash bytea CHECK (token_hash IS NULL OR octet_length(token_hash) = 32),
        include_client_names boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        rotated_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        PRIMARY KEY (organization_id, practitioner_id),
        CHECK ((token_hash IS NULL) = (revoked_at IS NOT NULL))
      );
      CREATE INDEX practitioner_feed_token_idx ON practitioner_feed (token_hash) WHERE token_hash IS NOT NULL;

      ALTER TABLE appointment ADD COLUMN ical_uid uuid, ADD COLUMN ical_sequence integer NOT NULL DEFAULT 0;
      UPDATE appointment SET ical_uid = id;
      CREATE FUNCTION fascia_appointment_ical() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE prior record;
      BEGIN
        IF TG_OP = 'INSERT' THEN
          NEW.ical_uid := NEW.id;
          NEW.ical_sequence := 0;
          IF NEW.rescheduled_from IS NOT NULL THEN
            SELECT ical_uid, ical_sequence INTO prior FROM appointment
              WHERE organization_id = NEW.organization_id AND id = NEW.rescheduled_from;
            IF FOUND THEN
              NEW.ical_uid := coalesce(prior.ical_uid, NEW.rescheduled_from);
              NEW.ical_sequence := prior.ical_sequence + 1;
            END IF;
          END IF;
        ELSIF (NEW.starts_at, NEW.ends_at, NEW.clinic_id, NEW.room_id, NEW.client_id, NEW.kind, NEW.status, NEW.practitioner_id)
              IS DISTINCT FROM (OLD.starts_at, OLD.ends_at, OLD.clinic_id, OLD.room_id, OLD.client_id, OLD.kind, OLD.status, OLD.practitioner_id) THEN
          NEW.ical_uid := OLD.ical_uid;
          NEW.ical_sequence := OLD.ical_sequence + 1;
        ELSE
          NEW.ical_uid := OLD.ical_uid;
          NEW.ical_sequence := OLD.ical_sequence;
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER appointment_ical BEFORE INSERT OR UPDATE ON appointment FOR EACH ROW EXECUTE FUNCTION fascia_appointment_ical();
      CREATE INDEX appointment_feed_idx ON appointment (organization_id, practitioner_id, starts_at);

      CREATE TABLE webhook_endpoint (
        organization_id uuid NOT NULL REFERENCES organization(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        url text NOT NULL CHECK (char_length(url) BETWEEN 8 AND 2000),
        description text CHECK (char_length(description) <= 200),
        events text[] NOT NULL CHECK (cardinality(events) BETWEEN 1 AND 40),
        secret_sealed text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        disabled_reason text,
        disabled_at timestamptz,
        consecutive_failures integer NOT NULL DEFAULT 0,
        failing_since timestamptz,
        created_by uuid NOT NULL REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organization_id, id)
      );

      CREATE TABLE webhook_delivery (
        organization_id uuid NOT NULL REFERENCES organization(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        endpoint_id uuid NOT NULL,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'RETRYING', 'SUCCEEDED', 'FAILED', 'SKIPPED')),
        attempts integer NOT NULL DEFAULT 0,
        last_status_code integer,
        last_error text,
        last_duration_ms integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_attempt_at timestamptz,
        succeeded_at timestamptz,
        PRIMARY KEY (organization_id, id),
        UNIQUE (organization_id, endpoint_id, event_id),
        FOREIGN KEY (organization_id, endpoint_id) REFERENCES webhook_endpoint (organization_id, id) ON DELETE CASCADE
      );
      CREATE INDEX webhook_delivery_log_idx ON webhook_delivery (organization_id, endpoint_id, created_at DESC, id DESC);

      CREATE TABLE webhook_attempt (
        organization_id uuid NOT NULL REFERENCES organization(id),
        delivery_id uuid NOT NULL,
        attempt integer NOT NULL,
        attempted_at timestamptz NOT NULL DEFAULT now(),
        ok boolean NOT NULL,
        status_code integer,
        duration_ms integer NOT NULL,
        error text,
        PRIMARY KEY (organization_id, delivery_id, attempt),
        FOREIGN KEY (organization_id, delivery_id) REFERENCES webhook_delivery (organization_id, id) ON DELETE CASCADE
      );
    `);
    await q.query(tenantTableSql('practitioner_feed', { app: 'SELECT, INSERT, UPDATE', system: { privileges: 'SELECT', policy: 'read' } }));
    await q.query(tenantTableSql('webhook_endpoint', { app: 'SELECT, INSERT, UPDATE, DELETE', system: { privileges: 'SELECT, UPDATE', policy: 'write' } }));
    await q.query(tenantTableSql('webhook_delivery', { app: 'SELECT', system: { privileges: 'SELECT, INSERT, UPDATE', policy: 'write' } }));
    await q.query(tenantTableSql('webhook_attempt', { app: 'SELECT', system: { privileges: 'SELECT, INSERT', policy: 'write' } }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE IF EXISTS webhook_attempt, webhook_delivery, webhook_endpoint, practitioner_feed;
      DROP TRIGGER IF EXISTS appointment_ical ON appointment;
      DROP FUNCTION IF EXISTS fascia_appointment_ical();
      DROP INDEX IF EXISTS appointment_feed_idx;
      ALTER TABLE appointment DROP COLUMN IF EXISTS ical_sequence, DROP COLUMN IF EXISTS ical_uid;
    `);
  }
}
