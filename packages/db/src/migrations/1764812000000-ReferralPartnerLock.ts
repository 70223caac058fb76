import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The second lock on sending (issue 12): a referral reaches another organization only while the
 * two are ACTIVE partners. The API checks it first (`createReferral`, `sendReferral`); here row-level
 * security refuses the receiver's inbox row, and `fascia_referral_grantees` names no one, for an
 * organization that is neither the sender itself nor an ACTIVE partner of it.
 */
export class ReferralPartnerLock1764812000000 implements MigrationInterface {
  name = 'ReferralPartnerLock1764812000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP POLICY referral_inbox_exchange_insert ON referral_inbox;
      CREATE POLICY referral_inbox_exchange_insert ON referral_inbox FOR INSERT TO fascia_exchange
        WITH CHECK (source_organization_id = fascia_current_org()
          AND (organization_id = fascia_current_org() OR fascia_is_active_partner(organization_id))
          AND EXISTS (
            SELECT 1 FROM referral r
             WHERE r.organization_id = fascia_current_org() AND r.id = referral_inbox.id
               AND r.target_organization_id = referral_inbox.organization_id));

      CREATE OR REPLACE FUNCTION fascia_referral_grantees(p_referral uuid) RETURNS TABLE (user_id uuid, display_name text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $f$
          WITH r AS (
            SELECT r.target_organization_id AS org, r.target_clinic_id AS clinic, r.target_practitioner_id AS pr
              FROM referral r
             WHERE r.organization_id = fascia_current_org() AND r.id = p_referral
               AND (r.target_organization_id = fascia_current_org() OR EXISTS (
                     SELECT 1 FROM partnership p
                      WHERE p.organization_id = fascia_current_org() AND p.partner_organization_id = r.target_organization_id
                        AND p.status = 'ACTIVE'))
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
      DROP POLICY referral_inbox_exchange_insert ON referral_inbox;
      CREATE POLICY referral_inbox_exchange_insert ON referral_inbox FOR INSERT TO fascia_exchange
        WITH CHECK (source_organization_id = fascia_current_org() AND EXISTS (
          SELECT 1 FROM referral r
           WHERE r.organization_id = fascia_current_org() AND r.id = referral_inbox.id
             AND r.target_organization_id = referral_inbox.organization_id));
    `);
  }
}
