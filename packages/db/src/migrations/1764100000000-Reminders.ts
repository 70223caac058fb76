import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reminders and follow-up (issue 5, docs/worker.md):
 *  - reminder_policy: per clinic, the lead times, channels, quiet hours (clinic-local
 *    'HH:mm') and per-kind templates. A clinic without a row uses the default policy
 *    (packages/jobs, DEFAULT_REMINDER_POLICY).
 *  - reminder: one row per message the worker will send later. Its id is the BullMQ
 *    jobId; its delivery_key is unique, so no sweep or reconcile ever plans it twice,
 *    and the delivery row with the same key is sent at most once.
 *  - practitioner_task: re-assessments due and plan-review alerts, with a unique
 *    dedupe_key so a repeated sweep is one task.
 *  - appointment_link_use: a confirm/cancel link from a reminder is honoured once.
 * The worker (fascia_system) reads plans, plan versions, re-assessments and
 * practitioners to decide; it reads no session notes.
 */
export class Reminders1764100000000 implements MigrationInterface {
  name = 'Reminders1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reminder_policy (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL,
        clinic_id uuid NOT NULL UNIQUE,
        -- Minutes before the appointment; sub-hour values are allowed (tests, same-day clinics).
        lead_minutes int[] NOT NULL CHECK (cardinality(lead_minutes) BETWEEN 1 AND 6 AND 0 < ALL (lead_minutes) AND 20160 >= ALL (lead_minutes)),
        channels text[] NOT NULL CHECK (cardinality(channels) BETWEEN 1 AND 2 AND channels <@ ARRAY['EMAIL','SMS']),
        -- Clinic-local 'HH:mm'; equal start and end means no quiet hours.
        quiet_start text NOT NULL CHECK (quiet_start ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
        quiet_end text NOT NULL CHECK (quiet_end ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
        -- { [kind]: { EMAIL?: { subject, text }, SMS?: { text } } }, validated by packages/jobs.
        templates jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (organization_id, clinic_id) REFERENCES clinic(organization_id, id)
      );

      CREATE TABLE reminder (
        id uuid PRIMARY KEY,
        organization_id uuid NOT NULL REFERENCES organization(id),
        clinic_id uuid,
        kind text NOT NULL CHECK (kind IN ('APPOINTMENT','REASSESSMENT_DUE','MAINTENANCE_DUE','MAINTENANCE_FOLLOW_UP','HOME_CARE')),
        appointment_id uuid,
        plan_id uuid,
        client_id uuid NOT NULL,
        channel text NOT NULL CHECK (channel IN ('EMAIL','SMS')),
        lead_minutes int,
        -- When it fell due (UTC), and when it is sent once quiet hours are applied.
        due_at timestamptz NOT NULL,
        send_at timestamptz NOT NULL,
        -- The appointment start it was computed for: a moved appointment no longer matches.
        appointment_starts_at timestamptz,
        status text NOT NULL DEFAULT 'SCHEDULED' CHECK (status IN ('SCHEDULED','SENT','CANCELLED','SKIPPED','FAILED','DEAD')),
        attempts int NOT NULL DEFAULT 0,
        last_error text,
        delivery_key text NOT NULL UNIQUE,
        delivery_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (kind <> 'APPOINTMENT' OR (appointment_id IS NOT NULL AND appointment_starts_at IS NOT NULL))
      );
      CREATE INDEX reminder_appointment_idx ON reminder (appointment_id) WHERE appointment_id IS NOT NULL;
      CREATE INDEX reminder_org_status_idx ON reminder (organization_id, status, send_at);

      CREATE TABLE practitioner_task (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL,
        clinic_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('REASSESSMENT_DUE','PLAN_REVIEW')),
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
        practitioner_id uuid NOT NULL,
        client_id uuid NOT NULL,
        plan_id uuid,
        due_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN','DONE','DISMISSED')),
        dedupe_key text NOT NULL UNIQUE,
        resolved_at timestamptz,
        resolved_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (organization_id, client_id) REFERENCES client(organization_id, id),
        FOREIGN KEY (organization_id, practitioner_id) REFERENCES practitioner(organization_id, id)
      );
      CREATE INDEX practitioner_task_open_idx ON practitioner_task (organization_id, practitioner_id, status, due_at);

      CREATE TABLE appointment_link_use (
        organization_id uuid NOT NULL,
        appointment_id uuid NOT NULL,
        purpose text NOT NULL CHECK (purpose IN ('appointment-confirm','appointment-cancel')),
        -- The start the link was signed for (its expiry).
        starts_at timestamptz NOT NULL,
        used_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (appointment_id, purpose, starts_at),
        FOREIGN KEY (organization_id, appointment_id) REFERENCES appointment(organization_id, id)
      );
    `);

    for (const t of ['reminder_policy', 'reminder', 'practitioner_task', 'appointment_link_use']) {
      await q.query(`
        ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;
        CREATE POLICY ${t}_tenant ON ${t} TO fascia_app
          USING (organization_id = fascia_current_org())
          WITH CHECK (organization_id = fascia_current_org());
      `);
    }
    await q.query(`
      GRANT SELECT, INSERT, UPDATE, DELETE ON reminder_policy TO fascia_app;
      GRANT SELECT ON reminder TO fascia_app;
      GRANT SELECT, UPDATE (status, resolved_at, resolved_by, updated_at) ON practitioner_task TO fascia_app;
      GRANT SELECT, INSERT ON appointment_link_use TO fascia_app;

      GRANT SELECT ON reminder_policy, plan_version, reassessment, practitioner TO fascia_system;
      GRANT SELECT, INSERT, UPDATE ON reminder, practitioner_task TO fascia_system;
      CREATE POLICY reminder_policy_system ON reminder_policy FOR SELECT TO fascia_system USING (true);
      CREATE POLICY plan_version_system ON plan_version FOR SELECT TO fascia_system USING (true);
      CREATE POLICY reassessment_system ON reassessment FOR SELECT TO fascia_system USING (true);
      CREATE POLICY practitioner_system ON practitioner FOR SELECT TO fascia_system USING (true);
      CREATE POLICY reminder_system ON reminder TO fascia_system USING (true) WITH CHECK (true);
      CREATE POLICY practitioner_task_system ON practitioner_task TO fascia_system USING (true) WITH CHECK (true);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP POLICY IF EXISTS plan_version_system ON plan_version;
      DROP POLICY IF EXISTS reassessment_system ON reassessment;
      DROP POLICY IF EXISTS practitioner_system ON practitioner;
      REVOKE SELECT ON plan_version, reassessment, practitioner FROM fascia_system;
      DROP TABLE IF EXISTS appointment_link_use, practitioner_task, reminder, reminder_policy CASCADE;
    `);
  }
}
