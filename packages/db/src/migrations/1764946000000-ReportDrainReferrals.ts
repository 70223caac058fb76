import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Joins two roll-up changes written side by side: 1764940000000 (the referral-flow roll-up) made
 * the single clinic-day recompute also recompute that day's `report_referral` rows, and
 * 1764945000000 (the set-based drain) replaced the drain and that single-key function with
 * `fascia_report_recompute_days(keys, now)`, which knows only `report_day` and
 * `report_clinic_day`. Here the set-based function keeps its body under a new name and the old
 * name recomputes both, so the drain, the nightly reconcile and the single-key wrapper all cover
 * referral flows again. Referral rows are few per clinic-day, so their recompute stays per key.
 */
export class ReportDrainReferrals1764946000000 implements MigrationInterface {
  name = 'ReportDrainReferrals1764946000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER FUNCTION fascia_report_recompute_days(jsonb, timestamptz) RENAME TO fascia_report_recompute_day_counts_set;
      CREATE FUNCTION fascia_report_recompute_days(p_keys jsonb, p_now timestamptz) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
        BEGIN
          PERFORM fascia_report_recompute_day_counts_set(p_keys, p_now);
          PERFORM fascia_report_recompute_referrals((k->>'o')::uuid, (k->>'c')::uuid, (k->>'d')::date)
          FROM (SELECT DISTINCT k FROM jsonb_array_elements(p_keys) AS k) keys;
        END $f$;
      REVOKE ALL ON FUNCTION fascia_report_recompute_days(jsonb, timestamptz), fascia_report_recompute_day_counts_set(jsonb, timestamptz) FROM PUBLIC;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION fascia_report_recompute_days(jsonb, timestamptz);
      ALTER FUNCTION fascia_report_recompute_day_counts_set(jsonb, timestamptz) RENAME TO fascia_report_recompute_days;
    `);
  }
}
