import type { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from './rls';

/**
 * Referral partners (issue 12, docs/referrals.md): one `partnership` row per side, with the SAME
 * id on both sides, so each organization's rows stay in its own organization (Citus,
 * docs/operations.md). The inviter writes its OUTGOING row as `fascia_app`; the invitee's
 * INCOMING row, and every later change to the other side's row, goes through the one door
 * (`throughExchange`, role `fascia_exchange`).
 *
 * What `fascia_exchange` may do here, each with a row-level-security policy naming the current
 * organization (`fascia_current_org()`) as a party:
 *  - partnership: read the rows of partnerships the current organization is party to (either
 *    side); insert and update the counterpart row of a partnership whose own-side row (same id)
 *    exists — never DELETE;
 *  - organization: read id, name and slug of the current organization and of any organization
 *    it has a partnership row with (any status, so an ended partner keeps its name in the list);
 *    and find one organization by its exact slug (`fascia_organization_by_slug`, to invite it —
 *    no listing);
 *  - clinic, practitioner, practitioner_availability: the directory fields only (column grants),
 *    of the current organization and of its ACTIVE partners; archived rows are the caller's to
 *    filter.
 */
export class Partnerships1764805000000 implements MigrationInterface {
  name = 'Partnerships1764805000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE partnership (
        organization_id uuid NOT NULL REFERENCES organization(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        partner_organization_id uuid NOT NULL REFERENCES organization(id),
        direction text NOT NULL CHECK (direction IN ('OUTGOING', 'INCOMING')),
        status text NOT NULL CHECK (status IN ('INVITED', 'ACTIVE', 'DECLINED', 'ENDED')),
        invited_by_user_id uuid NOT NULL,
        note text CHECK (note IS NULL OR char_length(note) <= 1000),
        created_at timestamptz NOT NULL DEFAULT now(),
        responded_at timestamptz,
        responded_by_user_id uuid,
        ended_at timestamptz,
        ended_by_organization_id uuid REFERENCES organization(id),
        end_reason text CHECK (end_reason IS NULL OR char_length(end_reason) <= 1000),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organization_id, id),
        CONSTRAINT partnership_not_self CHECK (partner_organization_id <> organization_id),
        CONSTRAINT partnership_ended_has_end CHECK ((status = 'ENDED') = (ended_at IS NOT NULL))
      );
      -- At most one open (INVITED or ACTIVE) partnership per pair, on each side.
      CREATE UNIQUE INDEX partnership_open_pair_uq ON partnership (organization_id, partner_organization_id)
        WHERE status IN ('INVITED', 'ACTIVE');
      -- The directory's policies ask "is this organization an ACTIVE partner of mine?".
      CREATE INDEX partnership_active_idx ON partnership (organization_id, partner_organization_id)
        WHERE status = 'ACTIVE';
    `);
    await q.query(tenantTableSql('partnership', { app: 'SELECT, INSERT, UPDATE' }));
    await q.query(`
      GRANT SELECT ON partnership TO fascia_exchange;
      GRANT INSERT ON partnership TO fascia_exchange;
      GRANT UPDATE (status, responded_at, responded_by_user_id, ended_at, ended_by_organization_id, end_reason, updated_at)
        ON partnership TO fascia_exchange;
      CREATE POLICY partnership_exchange_read ON partnership FOR SELECT TO fascia_exchange
        USING (organization_id = fascia_current_org() OR partner_organization_id = fascia_current_org());
      CREATE POLICY partnership_exchange_insert ON partnership FOR INSERT TO fascia_exchange
        WITH CHECK (partner_organization_id = fascia_current_org() AND EXISTS (
          SELECT 1 FROM partnership own
           WHERE own.organization_id = fascia_current_org() AND own.id = partnership.id
             AND own.partner_organization_id = partnership.organization_id));
      CREATE POLICY partnership_exchange_update ON partnership FOR UPDATE TO fascia_exchange
        USING (partner_organization_id = fascia_current_org() AND EXISTS (
          SELECT 1 FROM partnership own
           WHERE own.organization_id = fascia_current_org() AND own.id = partnership.id
             AND own.partner_organization_id = partnership.organization_id))
        WITH CHECK (partner_organization_id = fascia_current_org());

      -- Whether the current organization has an ACTIVE partnership with organization org.
      -- SECURITY INVOKER: the caller's own policies on partnership apply to it.
      CREATE OR REPLACE FUNCTION fascia_is_active_partner(org uuid) RETURNS boolean
        LANGUAGE sql STABLE AS $f$
          SELECT EXISTS (SELECT 1 FROM partnership p
                          WHERE p.organization_id = fascia_current_org()
                            AND p.partner_organization_id = org AND p.status = 'ACTIVE')
        $f$;
      GRANT EXECUTE ON FUNCTION fascia_is_active_partner(uuid) TO fascia_exchange;

      GRANT SELECT (id, name, slug) ON organization TO fascia_exchange;
      CREATE POLICY organization_exchange_read ON organization FOR SELECT TO fascia_exchange
        USING (id = fascia_current_org() OR EXISTS (
          SELECT 1 FROM partnership p
           WHERE p.organization_id = fascia_current_org() AND p.partner_organization_id = organization.id));

      -- Finding an organization to invite: by its exact slug only (like knowing an address), never a
      -- list. SECURITY DEFINER (the owner reads every organization); only the door may call it.
      CREATE OR REPLACE FUNCTION fascia_organization_by_slug(p_slug text)
        RETURNS TABLE (id uuid, name text, slug text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $f$
          SELECT o.id, o.name, o.slug FROM organization o WHERE o.slug = lower(p_slug) LIMIT 1
        $f$;
      REVOKE ALL ON FUNCTION fascia_organization_by_slug(text) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION fascia_organization_by_slug(text) TO fascia_exchange;

      GRANT SELECT (id, organization_id, name, city, country, time_zone, address_line1, postal_code, archived_at)
        ON clinic TO fascia_exchange;
      CREATE POLICY clinic_exchange_directory ON clinic FOR SELECT TO fascia_exchange
        USING (organization_id = fascia_current_org() OR fascia_is_active_partner(organization_id));

      GRANT SELECT (id, organization_id, display_name, discipline, modalities, archived_at)
        ON practitioner TO fascia_exchange;
      CREATE POLICY practitioner_exchange_directory ON practitioner FOR SELECT TO fascia_exchange
        USING (organization_id = fascia_current_org() OR fascia_is_active_partner(organization_id));

      GRANT SELECT (id, organization_id, practitioner_id, clinic_id) ON practitioner_availability TO fascia_exchange;
      CREATE POLICY practitioner_availability_exchange_directory ON practitioner_availability FOR SELECT TO fascia_exchange
        USING (organization_id = fascia_current_org() OR fascia_is_active_partner(organization_id));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP POLICY IF EXISTS practitioner_availability_exchange_directory ON practitioner_availability;
      DROP POLICY IF EXISTS practitioner_exchange_directory ON practitioner;
      DROP POLICY IF EXISTS clinic_exchange_directory ON clinic;
      DROP POLICY IF EXISTS organization_exchange_read ON organization;
      REVOKE ALL ON practitioner_availability, practitioner, clinic, organization FROM fascia_exchange;
      DROP FUNCTION IF EXISTS fascia_organization_by_slug(text);
      DROP FUNCTION IF EXISTS fascia_is_active_partner(uuid);
      DROP TABLE IF EXISTS partnership;
    `);
  }
}
