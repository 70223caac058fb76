import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Clinical records (SPEC §The clinical flow): clients, versioned intakes, treatment
 * plans with their versions, appointments, session notes with addenda, re-assessments.
 * Every table is tenant-scoped with row-level security like the foundation's. Double
 * booking is impossible in PostgreSQL itself: exclusion constraints over the booked
 * time range per practitioner, per room and per client (btree_gist), so it holds under
 * concurrent requests. A signed note cannot change (trigger); corrections are addenda.
 */
export class ClinicalRecords1764000000000 implements MigrationInterface {
  name = 'ClinicalRecords1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE clinic ADD COLUMN late_cancel_hours smallint NOT NULL DEFAULT 24
        CHECK (late_cancel_hours BETWEEN 0 AND 168);

      CREATE TABLE client (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organization(id),
        first_name text NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
        last_name text NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
        preferred_name text,
        date_of_birth date,
        email text,
        phone text,
        preferred_channels text[] NOT NULL DEFAULT '{}',
        reminder_consent boolean NOT NULL DEFAULT false,
        emergency_contact jsonb,
        payment_method text CHECK (payment_method IN ('SELF_PAY','INSURANCE','FSA_HSA')),
        payment_notes text,
        clinic_ids uuid[] NOT NULL DEFAULT '{}',
        archived_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (organization_id, id)
      );
      CREATE INDEX client_name_idx ON client (organization_id, lower(last_name), lower(first_name), id);
      CREATE INDEX client_email_idx ON client (organization_id, lower(email));
      CREATE INDEX client_phone_idx ON client (organization_id, regexp_replace(phone, '[^0-9+]', '', 'g'));

      CREATE TABLE intake (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL,
        client_id uuid NOT NULL,
        version int NOT NULL CHECK (version > 0),
        clinic_id uuid NOT NULL,
        practitioner_id uuid NOT NULL,
        data jsonb NOT NULL,
        findings jsonb NOT NULL DEFAULT '[]',
        blocked boolean NOT NULL DEFAULT false,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (organization_id, client_id) REFERENCES client(organization_id, id),
        FOREIGN KEY (organization_id, clinic_id) REFERENCES clinic(organization_id, id),
        FOREIGN KEY (organization_id, practitioner_id) REFERENCES practitioner(organization_id, id),
        UNIQUE (client_id, version),
        UNIQUE (organization_id, id)
      );

      CREATE TABLE treatment_plan (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL,
        client_id uuid NOT NULL,
        intake_id uuid NOT NULL,
        clinic_id uuid NOT NULL,
        practitioner_id uuid NOT NULL,
        -- The intake complaint this plan treats; one active plan per complaint.
        complaint_key text NOT NULL,
        status text NOT NULL CHECK (status IN ('PROPOSED','ACTIVE','MAINTENANCE','COMPLETED','DISCONTINUED')),
        current_version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (organization_id, client_id) REFERENCES client(organization_id, id),
        FOREIGN KEY (organization_id, intake_id) REFERENCES intake(organization_id, id),
        FOREIGN KEY (organization_id, clinic_id) REFERENCES clinic(organization_id, id),
        FOREIGN KEY (organization_id, practitioner_id) REFERENCES practitioner(organization_id, id),
        UNIQUE (organization_id, id)
      );
      CREATE UNIQUE INDEX treatment_plan_one_active_per_complaint ON treatment_plan (client_id, complaint_key)
        WHERE status IN ('ACTIVE','MAINTENANCE');
      CREATE INDEX treatment_plan_client_idx ON treatment_plan (organization_id, client_id);

      CREATE TABLE plan_version (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL,
        plan_id uuid NOT NULL,
        version int NOT NULL CHECK (version > 0),
        body jsonb NOT NULL,
        -- PROPOSED, ACCEPTED, EDITED, or a re-assessment's decision (STEP_DOWN, CHANGE_APPROACH…)
        change_kind text NOT NULL,
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
        changed_by uuid NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (organization_id, plan_id) REFERENCES treatment_plan(organization_id, id),
        UNIQUE (plan_id, version)
      );

      CREATE TABLE appointment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL,
        clinic_id uuid NOT NULL,
        practitioner_id uuid NOT NULL,
        room_id uuid,
        client_id uuid NOT NULL,
        plan_id uuid,
        series_id uuid,
        session_number int CHECK (session_number > 0),
        phase_index int CHECK (phase_index >= 0),
        kind text NOT NULL DEFAULT 'SESSION' CHECK (kind IN ('INTAKE','SESSION','REASSESSMENT','MAINTENANCE')),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'BOOKED'
          CHECK (status IN ('BOOKED','CHECKED_IN','COMPLETED','CANCELLED','LATE_CANCELLED','NO_SHOW')),
        status_reason text,
        status_changed_at timestamptz,
        rescheduled_from uuid,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (starts_at < ends_at),
        FOREIGN KEY (organization_id, clinic_id) REFERENCES clinic(organization_id, id),
        FOREIGN KEY (organization_id, practitioner_id) REFERENCES practitioner(organization_id, id),
        FOREIGN KEY (organization_id, room_id) REFERENCES room(organization_id, id),
        FOREIGN KEY (organization_id, client_id) REFERENCES client(organization_id, id),
        FOREIGN KEY (organization_id, plan_id) REFERENCES treatment_plan(organization_id, id),
        UNIQUE (organization_id, id),
        -- Only appointments that hold time block it; a cancelled or missed one frees it.
        CONSTRAINT appointment_practitioner_no_overlap EXCLUDE USING gist (
          practitioner_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&
        ) WHERE (status IN ('BOOKED','CHECKED_IN','COMPLETED')),
        CONSTRAINT appointment_room_no_overlap EXCLUDE USING gist (
          room_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&
        ) WHERE (room_id IS NOT NULL AND status IN ('BOOKED','CHECKED_IN','COMPLETED')),
        CONSTRAINT appointment_client_no_overlap EXCLUDE USING gist (
          client_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&
        ) WHERE (status IN ('BOOKED','CHECKED_IN','COMPLETED'))
      );
      CREATE INDEX appointment_clinic_time_idx ON appointment (organization_id, clinic_id, starts_at);
      CREATE INDEX appointment_client_idx ON appointment (organization_id, client_id, starts_at);
      CREATE INDEX appointment_plan_idx ON appointment (plan_id, session_number);

      CREATE TABLE session_note (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL,
        appointment_id uuid NOT NULL UNIQUE,
        client_id uuid NOT NULL,
        practitioner_id uuid NOT NULL,
        plan_id uuid,
        checkin jsonb NOT NULL,
        techniques jsonb NOT NULL DEFAULT '[]',
        duration_minutes int CHECK (duration_minutes BETWEEN 1 AND 480),
        client_feedback text,
        pain_after smallint CHECK (pain_after BETWEEN 0 AND 10),
        soap jsonb NOT NULL DEFAULT '{}',
        home_care jsonb NOT NULL DEFAULT '[]',
        signed_at timestamptz,
        signed_by uuid,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (organization_id, appointment_id) REFERENCES appointment(organization_id, id),
        FOREIGN KEY (organization_id, client_id) REFERENCES client(organization_id, id),
        UNIQUE (organization_id, id)
      );
      CREATE INDEX session_note_client_idx ON session_note (organization_id, client_id);
      CREATE OR REPLACE FUNCTION fascia_signed_note_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
          IF OLD.signed_at IS NOT NULL THEN
            RAISE EXCEPTION 'a signed session note cannot change; add an addendum' USING ERRCODE = 'check_violation';
          END IF;
          RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END $f$;
      CREATE TRIGGER session_note_immutable_when_signed BEFORE UPDATE OR DELETE ON session_note
        FOR EACH ROW EXECUTE FUNCTION fascia_signed_note_is_immutable();

      CREATE TABLE session_addendum (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL,
        note_id uuid NOT NULL,
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
        author_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (organization_id, note_id) REFERENCES session_note(organization_id, id)
      );

      CREATE TABLE reassessment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL,
        client_id uuid NOT NULL,
        plan_id uuid NOT NULL,
        plan_version int NOT NULL,
        appointment_id uuid,
        sessions_completed int NOT NULL CHECK (sessions_completed >= 0),
        measures jsonb NOT NULL,
        health jsonb,
        evaluation jsonb NOT NULL,
        proposal jsonb NOT NULL,
        decision text NOT NULL,
        status text NOT NULL DEFAULT 'PROPOSED' CHECK (status IN ('PROPOSED','ACCEPTED','DISMISSED')),
        accepted_version int,
        assessed_by uuid NOT NULL,
        assessed_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (organization_id, client_id) REFERENCES client(organization_id, id),
        FOREIGN KEY (organization_id, plan_id) REFERENCES treatment_plan(organization_id, id)
      );
      CREATE INDEX reassessment_plan_idx ON reassessment (organization_id, plan_id, assessed_at);
    `);

    const tables = ['client', 'intake', 'treatment_plan', 'plan_version', 'appointment', 'session_note', 'session_addendum', 'reassessment'];
    for (const t of tables) {
      await q.query(`
        ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;
        CREATE POLICY ${t}_tenant ON ${t} TO fascia_app
          USING (organization_id = fascia_current_org())
          WITH CHECK (organization_id = fascia_current_org());
      `);
    }
    await q.query(`
      GRANT SELECT, INSERT, UPDATE ON client, treatment_plan, appointment, session_note, reassessment TO fascia_app;
      GRANT SELECT, INSERT ON intake, plan_version, session_addendum TO fascia_app;
      GRANT UPDATE (late_cancel_hours) ON clinic TO fascia_app;
      -- The worker reads appointments and clients to remind them (issue 5), never clinical notes.
      GRANT SELECT ON client, appointment, treatment_plan TO fascia_system;
      CREATE POLICY client_system ON client FOR SELECT TO fascia_system USING (true);
      CREATE POLICY appointment_system ON appointment FOR SELECT TO fascia_system USING (true);
      CREATE POLICY treatment_plan_system ON treatment_plan FOR SELECT TO fascia_system USING (true);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE IF EXISTS reassessment, session_addendum, session_note, appointment, plan_version,
        treatment_plan, intake, client CASCADE;
      DROP FUNCTION IF EXISTS fascia_signed_note_is_immutable();
      ALTER TABLE clinic DROP COLUMN IF EXISTS late_cancel_hours;
    `);
  }
}
