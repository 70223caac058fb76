import type { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from './rls';

/**
 * Referrals between practitioners (issue 12, docs/api.md "Referrals", docs/referrals.md).
 *
 * One row per side, never a row both tenants must reach (Citus, docs/operations.md):
 *  - `referral`       the referrer's side (organization = the referrer's);
 *  - `referral_inbox` the receiver's side, same id (organization = the receiver's);
 *  - `referral_event` one row per side per change.
 * A referral inside one organization has both rows in that organization.
 *
 * `access_grant` (the consent made concrete) learns the record types CURRENT_PLAN and
 * SIGNED_NOTES (PLAN, never stored by any code path, becomes CURRENT_PLAN), and may now be
 * written: by the owner organization as `fascia_app`, by the receiving side through the door.
 *
 * What `fascia_exchange` (the one door, packages/db/src/exchange) may do here, each behind a
 * policy naming the current organization as a party:
 *  - referral: the receiver reads, locks and updates (status, reply, times, assignee names) the
 *    referrer's row of a referral addressed to it; the referrer reads its own;
 *  - referral_inbox: the referrer inserts, reads, locks and updates the receiver's row of its own
 *    referral; the receiver reads its own;
 *  - referral_event: either side inserts the counterpart's event row of a referral it is party to;
 *  - access_grant: the grantee organization reads its grants; the receiving side inserts a grant
 *    (a pool's assignee) and revokes grants of a referral addressed to it;
 *  - outbox_message: a `referral.changed` message for the other side of such a referral;
 *  - clinical tables (intake, treatment_plan, plan_version, reassessment, session_note,
 *    session_addendum): SELECT only, of rows for which a live grant exists to the current user
 *    in the current organization, for that client and a record type that covers the table.
 *  - `fascia_referral_grantees(referral)`: who receives a referral's grants (the named
 *    practitioner's login, or the receiving clinic's managers) — a narrow definer function only
 *    the door may call, for the current organization's own referral.
 */
export class Referrals1764810000000 implements MigrationInterface {
  name = 'Referrals1764810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE referral (
        organization_id uuid NOT NULL REFERENCES organization(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        client_id uuid NOT NULL,
        referring_user_id uuid NOT NULL REFERENCES app_user(id),
        referring_practitioner_id uuid,
        referring_clinic_id uuid NOT NULL,
        target_organization_id uuid NOT NULL REFERENCES organization(id),
        target_clinic_id uuid NOT NULL,
        target_practitioner_id uuid,
        target_discipline text NOT NULL
          CHECK (target_discipline IN ('MASSAGE_THERAPIST','PHYSIOTHERAPIST','PAIN_SPECIALIST','ACUPUNCTURIST','PHYSICIAN')),
        -- What the referrer shows of the target (names as they were when sent; the assignee once assigned).
        target_names jsonb NOT NULL DEFAULT '{}',
        reason text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 2000),
        clinical_question text NOT NULL CHECK (char_length(clinical_question) BETWEEN 1 AND 2000),
        urgency text NOT NULL CHECK (urgency IN ('ROUTINE','URGENT','EMERGENCY')),
        shared_records text[] NOT NULL DEFAULT '{}'
          CHECK (shared_records <@ ARRAY['INTAKE_SUMMARY','CURRENT_PLAN','OUTCOME_HISTORY','SIGNED_NOTES']::text[]),
        consent_method text NOT NULL CHECK (consent_method IN ('VERBAL','WRITTEN')),
        consent_recorded_by_user_id uuid NOT NULL REFERENCES app_user(id),
        consent_recorded_at timestamptz NOT NULL,
        consent_ends_at timestamptz NOT NULL,
        consent_withdrawn_at timestamptz,
        status text NOT NULL DEFAULT 'DRAFT'
          CHECK (status IN ('DRAFT','SENT','ACCEPTED','DECLINED','SCHEDULED','COMPLETED','CLOSED','CANCELLED','EXPIRED')),
        valid_for_days smallint NOT NULL DEFAULT 30 CHECK (valid_for_days BETWEEN 1 AND 90),
        valid_until timestamptz,
        sent_at timestamptz,
        due_at timestamptz,
        responded_at timestamptz,
        source_reassessment_id uuid,
        reply jsonb,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organization_id, id),
        FOREIGN KEY (organization_id, client_id) REFERENCES client(organization_id, id),
        FOREIGN KEY (organization_id, referring_clinic_id) REFERENCES clinic(organization_id, id),
        FOREIGN KEY (organization_id, referring_practitioner_id) REFERENCES practitioner(organization_id, id),
        CHECK ((status = 'DRAFT') = (sent_at IS NULL))
      );
      CREATE INDEX referral_outbox_idx ON referral (organization_id, created_at DESC, id DESC);
      CREATE INDEX referral_client_idx ON referral (organization_id, client_id);
      CREATE INDEX referral_target_idx ON referral (target_organization_id, id);

      CREATE TABLE referral_inbox (
        organization_id uuid NOT NULL REFERENCES organization(id),
        id uuid NOT NULL,
        source_organization_id uuid NOT NULL REFERENCES organization(id),
        source_organization_name text NOT NULL,
        source_clinic_name text NOT NULL,
        referrer_name text NOT NULL,
        clinic_id uuid NOT NULL,
        practitioner_id uuid,
        discipline text NOT NULL
          CHECK (discipline IN ('MASSAGE_THERAPIST','PHYSIOTHERAPIST','PAIN_SPECIALIST','ACUPUNCTURIST','PHYSICIAN')),
        urgency text NOT NULL CHECK (urgency IN ('ROUTINE','URGENT','EMERGENCY')),
        status text NOT NULL
          CHECK (status IN ('SENT','ACCEPTED','DECLINED','SCHEDULED','COMPLETED','CLOSED','CANCELLED','EXPIRED')),
        reason text NOT NULL,
        clinical_question text NOT NULL,
        shared_records text[] NOT NULL DEFAULT '{}',
        consent_method text NOT NULL CHECK (consent_method IN ('VERBAL','WRITTEN')),
        consent_recorded_at timestamptz NOT NULL,
        consent_ends_at timestamptz NOT NULL,
        consent_withdrawn_at timestamptz,
        client_snapshot jsonb NOT NULL,
        local_client_id uuid,
        appointment_id uuid,
        reply jsonb,
        sent_at timestamptz NOT NULL,
        responded_at timestamptz,
        due_at timestamptz NOT NULL,
        escalate_at timestamptz NOT NULL,
        valid_until timestamptz NOT NULL,
        reminded_at timestamptz,
        escalated_at timestamptz,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organization_id, id),
        FOREIGN KEY (organization_id, clinic_id) REFERENCES clinic(organization_id, id),
        FOREIGN KEY (organization_id, practitioner_id) REFERENCES practitioner(organization_id, id),
        FOREIGN KEY (organization_id, local_client_id) REFERENCES client(organization_id, id),
        FOREIGN KEY (organization_id, appointment_id) REFERENCES appointment(organization_id, id)
      );
      CREATE INDEX referral_inbox_list_idx ON referral_inbox (organization_id, created_at DESC, id DESC);
      CREATE INDEX referral_inbox_source_idx ON referral_inbox (source_organization_id, id);
      -- The worker's follow-up sweeps (R3): only unanswered referrals are ever followed up.
      CREATE INDEX referral_inbox_due_idx ON referral_inbox (due_at) WHERE status = 'SENT' AND reminded_at IS NULL;
      CREATE INDEX referral_inbox_escalate_idx ON referral_inbox (escalate_at) WHERE status = 'SENT' AND escalated_at IS NULL;
      CREATE INDEX referral_inbox_valid_idx ON referral_inbox (valid_until) WHERE status = 'SENT';

      CREATE TABLE referral_event (
        organization_id uuid NOT NULL REFERENCES organization(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        referral_id uuid NOT NULL,
        from_status text,
        to_status text NOT NULL,
        actor_user_id uuid,
        actor_organization_id uuid NOT NULL,
        actor_name text NOT NULL,
        reason text CHECK (reason IS NULL OR char_length(reason) <= 2000),
        at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organization_id, id)
      );
      CREATE INDEX referral_event_referral_idx ON referral_event (organization_id, referral_id, at);

      -- The consent's record types (PLAN was never stored; it is CURRENT_PLAN now).
      UPDATE access_grant SET record_types = array_replace(record_types, 'PLAN', 'CURRENT_PLAN');
      ALTER TABLE access_grant ADD CONSTRAINT access_grant_record_types_known
        CHECK (record_types <@ ARRAY['INTAKE_SUMMARY','CURRENT_PLAN','OUTCOME_HISTORY','SIGNED_NOTES']::text[]);
      CREATE INDEX access_grant_referral_idx ON access_grant (organization_id, referral_id) WHERE referral_id IS NOT NULL;
      CREATE INDEX access_grant_live_idx ON access_grant (grantee_user_id, organization_id, client_id) WHERE revoked_at IS NULL;
    `);

    await q.query(tenantTableSql('referral', { app: 'SELECT, INSERT, UPDATE', system: { privileges: 'SELECT', policy: 'read' } }));
    await q.query(tenantTableSql('referral_inbox', { app: 'SELECT, UPDATE', system: { privileges: 'SELECT', policy: 'read' } }));
    await q.query(tenantTableSql('referral_event', { app: 'SELECT, INSERT', system: { privileges: 'SELECT', policy: 'read' } }));

    await q.query(`
      -- The worker's follow-up sweep claims unanswered referrals (sets reminded_at / escalated_at).
      GRANT UPDATE (reminded_at, escalated_at) ON referral_inbox TO fascia_system;
      CREATE POLICY referral_inbox_system_follow_up ON referral_inbox FOR UPDATE TO fascia_system
        USING (status = 'SENT') WITH CHECK (status = 'SENT');

      -- The owner organization writes the grants of its own referrals.
      GRANT INSERT ON access_grant TO fascia_app;
      GRANT UPDATE (revoked_at) ON access_grant TO fascia_app;
      CREATE POLICY access_grant_owner_insert ON access_grant FOR INSERT TO fascia_app
        WITH CHECK (organization_id = fascia_current_org());
      CREATE POLICY access_grant_owner_update ON access_grant FOR UPDATE TO fascia_app
        USING (organization_id = fascia_current_org()) WITH CHECK (organization_id = fascia_current_org());

      -- The referrer's row: read by its own organization and by the organization it is addressed to.
      GRANT SELECT ON referral TO fascia_exchange;
      GRANT UPDATE (status, responded_at, reply, target_names, version, updated_at) ON referral TO fascia_exchange;
      CREATE POLICY referral_exchange_read ON referral FOR SELECT TO fascia_exchange
        USING (organization_id = fascia_current_org() OR target_organization_id = fascia_current_org());
      CREATE POLICY referral_exchange_update ON referral FOR UPDATE TO fascia_exchange
        USING (target_organization_id = fascia_current_org() AND status <> 'DRAFT')
        WITH CHECK (target_organization_id = fascia_current_org());

      -- The receiver's row: read by its own organization and by the referrer; written by the referrer.
      GRANT SELECT, INSERT ON referral_inbox TO fascia_exchange;
      GRANT UPDATE (status, consent_withdrawn_at, responded_at, version, updated_at) ON referral_inbox TO fascia_exchange;
      CREATE POLICY referral_inbox_exchange_read ON referral_inbox FOR SELECT TO fascia_exchange
        USING (organization_id = fascia_current_org() OR source_organization_id = fascia_current_org());
      CREATE POLICY referral_inbox_exchange_insert ON referral_inbox FOR INSERT TO fascia_exchange
        WITH CHECK (source_organization_id = fascia_current_org() AND EXISTS (
          SELECT 1 FROM referral r
           WHERE r.organization_id = fascia_current_org() AND r.id = referral_inbox.id
             AND r.target_organization_id = referral_inbox.organization_id));
      CREATE POLICY referral_inbox_exchange_update ON referral_inbox FOR UPDATE TO fascia_exchange
        USING (source_organization_id = fascia_current_org())
        WITH CHECK (source_organization_id = fascia_current_org());

      -- Events: each side writes the counterpart's row of a referral it is party to.
      GRANT INSERT ON referral_event TO fascia_exchange;
      CREATE POLICY referral_event_exchange_insert ON referral_event FOR INSERT TO fascia_exchange
        WITH CHECK (actor_organization_id = fascia_current_org() AND (
          organization_id = fascia_current_org()
          OR EXISTS (SELECT 1 FROM referral r WHERE r.organization_id = fascia_current_org() AND r.id = referral_event.referral_id
                        AND r.target_organization_id = referral_event.organization_id)
          OR EXISTS (SELECT 1 FROM referral_inbox i WHERE i.organization_id = fascia_current_org() AND i.id = referral_event.referral_id
                        AND i.source_organization_id = referral_event.organization_id)));

      -- Grants: the grantee organization reads its own; the receiving side adds (a pool's assignee)
      -- and revokes grants of a referral addressed to it.
      GRANT SELECT ON access_grant TO fascia_exchange;
      GRANT INSERT ON access_grant TO fascia_exchange;
      GRANT UPDATE (revoked_at) ON access_grant TO fascia_exchange;
      CREATE POLICY access_grant_exchange_read ON access_grant FOR SELECT TO fascia_exchange
        USING (organization_id = fascia_current_org() OR grantee_organization_id = fascia_current_org());
      CREATE POLICY access_grant_exchange_insert ON access_grant FOR INSERT TO fascia_exchange
        WITH CHECK (grantee_organization_id = fascia_current_org() AND EXISTS (
          SELECT 1 FROM referral_inbox i
           WHERE i.organization_id = fascia_current_org() AND i.id = access_grant.referral_id
             AND i.source_organization_id = access_grant.organization_id));
      CREATE POLICY access_grant_exchange_update ON access_grant FOR UPDATE TO fascia_exchange
        USING (grantee_organization_id = fascia_current_org())
        WITH CHECK (grantee_organization_id = fascia_current_org() AND revoked_at IS NOT NULL);

      -- The worker's notice to the other side of a referral.
      GRANT INSERT ON outbox_message TO fascia_exchange;
      CREATE POLICY outbox_exchange_referral ON outbox_message FOR INSERT TO fascia_exchange
        WITH CHECK (job_name = 'referral.changed' AND (
          organization_id = fascia_current_org()
          OR EXISTS (SELECT 1 FROM referral r WHERE r.organization_id = fascia_current_org()
                        AND r.id = (outbox_message.payload->>'referralId')::uuid
                        AND r.target_organization_id = outbox_message.organization_id)
          OR EXISTS (SELECT 1 FROM referral_inbox i WHERE i.organization_id = fascia_current_org()
                        AND i.id = (outbox_message.payload->>'referralId')::uuid
                        AND i.source_organization_id = outbox_message.organization_id)));

      -- A live grant to the current user in the current organization for this client and one of
      -- these record types (SECURITY INVOKER: access_grant's own policies apply beneath it).
      CREATE OR REPLACE FUNCTION fascia_live_grant(p_owner uuid, p_client uuid, p_types text[]) RETURNS boolean
        LANGUAGE sql STABLE AS $f$
          SELECT EXISTS (
            SELECT 1 FROM access_grant g
             WHERE g.grantee_user_id = fascia_current_user()
               AND g.grantee_organization_id = fascia_current_org()
               AND g.organization_id = p_owner AND g.client_id = p_client
               AND g.record_types && p_types
               AND g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > now()))
        $f$;
      GRANT EXECUTE ON FUNCTION fascia_live_grant(uuid, uuid, text[]) TO fascia_exchange;

      GRANT SELECT ON intake, treatment_plan, plan_version, reassessment, session_note, session_addendum TO fascia_exchange;
      CREATE POLICY intake_exchange_grant ON intake FOR SELECT TO fascia_exchange
        USING (fascia_live_grant(organization_id, client_id, ARRAY['INTAKE_SUMMARY','OUTCOME_HISTORY']));
      CREATE POLICY treatment_plan_exchange_grant ON treatment_plan FOR SELECT TO fascia_exchange
        USING (fascia_live_grant(organization_id, client_id, ARRAY['CURRENT_PLAN']));
      CREATE POLICY plan_version_exchange_grant ON plan_version FOR SELECT TO fascia_exchange
        USING (EXISTS (SELECT 1 FROM treatment_plan p WHERE p.organization_id = plan_version.organization_id AND p.id = plan_version.plan_id));
      CREATE POLICY reassessment_exchange_grant ON reassessment FOR SELECT TO fascia_exchange
        USING (fascia_live_grant(organization_id, client_id, ARRAY['OUTCOME_HISTORY']));
      CREATE POLICY session_note_exchange_grant ON session_note FOR SELECT TO fascia_exchange
        USING (signed_at IS NOT NULL AND fascia_live_grant(organization_id, client_id, ARRAY['SIGNED_NOTES','OUTCOME_HISTORY']));
      CREATE POLICY session_addendum_exchange_grant ON session_addendum FOR SELECT TO fascia_exchange
        USING (EXISTS (SELECT 1 FROM session_note n WHERE n.organization_id = session_addendum.organization_id AND n.id = session_addendum.note_id));

      -- Who receives a referral's grants when it is sent: the named practitioner's login, or (a
      -- pool, or a practitioner without a login) the receiving clinic's managers. For the current
      -- organization's own referral only; only the door may call it.
      CREATE OR REPLACE FUNCTION fascia_referral_grantees(p_referral uuid) RETURNS TABLE (user_id uuid, display_name text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $f$
          WITH r AS (
            SELECT r.target_organization_id AS org, r.target_clinic_id AS clinic, r.target_practitioner_id AS pr
              FROM referral r WHERE r.organization_id = fascia_current_org() AND r.id = p_referral
          ), named AS (
            SELECT u.id AS user_id, u.display_name FROM r
              JOIN practitioner p ON p.organization_id = r.org AND p.id = r.pr AND p.user_id IS NOT NULL
              JOIN membership m ON m.organization_id = r.org AND m.user_id = p.user_id AND m.status = 'ACTIVE'
              JOIN app_user u ON u.id = p.user_id
          )
          SELECT * FROM named
          UNION ALL
          SELECT u.id, u.display_name FROM r
            JOIN membership m ON m.organization_id = r.org AND m.status = 'ACTIVE' AND m.role = 'CLINIC_MANAGER'
                             AND (cardinality(m.clinic_ids) = 0 OR r.clinic = ANY(m.clinic_ids))
            JOIN app_user u ON u.id = m.user_id
           WHERE NOT EXISTS (SELECT 1 FROM named)
        $f$;
      REVOKE ALL ON FUNCTION fascia_referral_grantees(uuid) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION fascia_referral_grantees(uuid) TO fascia_exchange;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION IF EXISTS fascia_referral_grantees(uuid);
      DROP POLICY IF EXISTS session_addendum_exchange_grant ON session_addendum;
      DROP POLICY IF EXISTS session_note_exchange_grant ON session_note;
      DROP POLICY IF EXISTS reassessment_exchange_grant ON reassessment;
      DROP POLICY IF EXISTS plan_version_exchange_grant ON plan_version;
      DROP POLICY IF EXISTS treatment_plan_exchange_grant ON treatment_plan;
      DROP POLICY IF EXISTS intake_exchange_grant ON intake;
      REVOKE ALL ON intake, treatment_plan, plan_version, reassessment, session_note, session_addendum FROM fascia_exchange;
      DROP FUNCTION IF EXISTS fascia_live_grant(uuid, uuid, text[]);
      DROP POLICY IF EXISTS outbox_exchange_referral ON outbox_message;
      REVOKE ALL ON outbox_message FROM fascia_exchange;
      DROP POLICY IF EXISTS access_grant_exchange_update ON access_grant;
      DROP POLICY IF EXISTS access_grant_exchange_insert ON access_grant;
      DROP POLICY IF EXISTS access_grant_exchange_read ON access_grant;
      DROP POLICY IF EXISTS access_grant_owner_update ON access_grant;
      DROP POLICY IF EXISTS access_grant_owner_insert ON access_grant;
      DROP POLICY IF EXISTS referral_inbox_system_follow_up ON referral_inbox;
      REVOKE ALL ON access_grant FROM fascia_exchange;
      REVOKE INSERT, UPDATE ON access_grant FROM fascia_app;
      DROP INDEX IF EXISTS access_grant_live_idx;
      DROP INDEX IF EXISTS access_grant_referral_idx;
      ALTER TABLE access_grant DROP CONSTRAINT IF EXISTS access_grant_record_types_known;
      DROP TABLE IF EXISTS referral_event, referral_inbox, referral;
    `);
  }
}
