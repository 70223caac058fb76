import type { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from './rls';

/**
 * Month roll-ups of the reports (issue 14; docs/reports.md "Month roll-ups").
 *
 * An organization-year report over plans read one `report_plan` row per plan (85,850 at fraction
 * 0.1, ten times that at the reference size) and one over days one `report_clinic_day` row per
 * clinic and day (53,530 at 0.1, 730,000 at the reference size). Here the whole months of a range
 * are kept summed once:
 *
 *  - report_plan_month: per organization, clinic, condition and clinic-local month of the plans'
 *    start day, every summable fact of `report_plan` (plans, sessions, expected range, range
 *    positions, pain change sum and count, benchmark reached, re-assessment verdicts, maintenance
 *    retention).
 *  - report_plan_month_pain: per organization, clinic, condition, month and pain-change bucket (a
 *    whole point, −10…+10, as the outcome distribution rounds it) of the plans with a measured
 *    change: plans and benchmark reached (the outcome distribution).
 *  - report_clinic_month: per organization, clinic and clinic-local month, the `report_clinic_day`
 *    counters summed.
 *
 * `computed_at` of a month row is the newest `computed_at` of the rows it sums, so a report's
 * freshness is the same whichever table it read.
 *
 * Kept current in the same transaction as the rows they sum: `fascia_report_recompute_plans` (the
 * set-based recompute the drain and the single-plan wrapper call) notes the (clinic, condition,
 * month) of its plans before and after recomputing them and recomputes those month rows from
 * `report_plan`; `fascia_report_recompute_days` recomputes the (clinic, month) of its clinic-days
 * from `report_clinic_day`. Month rows left with nothing to sum are deleted. Each month key is
 * recomputed under its own advisory lock, taken after the drain's key locks and in one order (so
 * two drainers recomputing different plans of one month serialize on it and never deadlock).
 */
export class ReportMonthRollups1764990000000 implements MigrationInterface {
  name = 'ReportMonthRollups1764990000000';

  async up(q: QueryRunner): Promise<void> {
    // No drain may run between the fill below and this migration's commit (it would recompute rows
    // with the old functions, leaving a month behind): the drain's first statement deletes from
    // report_dirty. Changes that mark rows dirty wait for the migration too (seconds).
    await q.query(`LOCK TABLE report_dirty, report_day, report_clinic_day, report_plan IN EXCLUSIVE MODE`);
    await q.query(`
      CREATE TABLE report_plan_month (
        organization_id uuid NOT NULL,
        clinic_id uuid NOT NULL,
        condition text NOT NULL,
        month date NOT NULL CHECK (month = date_trunc('month', month)::date),
        plans int NOT NULL,
        sessions int NOT NULL,
        expected_min int NOT NULL,
        expected_max int NOT NULL,
        within_range int NOT NULL,
        below_range int NOT NULL,
        above_range int NOT NULL,
        pain_measured int NOT NULL,
        pain_change numeric NOT NULL,
        reached_benchmark int NOT NULL,
        on_time int NOT NULL,
        late int NOT NULL,
        missed int NOT NULL,
        in_maintenance int NOT NULL,
        booked_within_interval int NOT NULL,
        computed_at timestamptz NOT NULL,
        PRIMARY KEY (organization_id, clinic_id, condition, month),
        FOREIGN KEY (organization_id, clinic_id) REFERENCES clinic(organization_id, id)
      );
      CREATE INDEX report_plan_month_org_month_idx ON report_plan_month (organization_id, month);

      CREATE TABLE report_plan_month_pain (
        organization_id uuid NOT NULL,
        clinic_id uuid NOT NULL,
        condition text NOT NULL,
        month date NOT NULL CHECK (month = date_trunc('month', month)::date),
        bucket smallint NOT NULL CHECK (bucket BETWEEN -10 AND 10),
        plans int NOT NULL,
        reached_benchmark int NOT NULL,
        computed_at timestamptz NOT NULL,
        PRIMARY KEY (organization_id, clinic_id, condition, month, bucket),
        FOREIGN KEY (organization_id, clinic_id) REFERENCES clinic(organization_id, id)
      );
      CREATE INDEX report_plan_month_pain_org_month_idx ON report_plan_month_pain (organization_id, month);

      CREATE TABLE report_clinic_month (
        organization_id uuid NOT NULL,
        clinic_id uuid NOT NULL,
        month date NOT NULL CHECK (month = date_trunc('month', month)::date),
        booked_minutes int NOT NULL,
        available_minutes int NOT NULL,
        booked int NOT NULL,
        completed int NOT NULL,
        no_shows int NOT NULL,
        late_cancels int NOT NULL,
        cancels int NOT NULL,
        new_clients int NOT NULL,
        returning_clients int NOT NULL,
        computed_at timestamptz NOT NULL,
        PRIMARY KEY (organization_id, clinic_id, month),
        FOREIGN KEY (organization_id, clinic_id) REFERENCES clinic(organization_id, id)
      );
      CREATE INDEX report_clinic_month_org_month_idx ON report_clinic_month (organization_id, month);

      -- A (clinic, condition, month) recomputed from report_plan reads just its plans.
      CREATE INDEX report_plan_org_clinic_condition_day_idx ON report_plan (organization_id, clinic_id, condition, day);
    `);
    for (const t of ['report_plan_month', 'report_plan_month_pain', 'report_clinic_month']) {
      await q.query(tenantTableSql(t, { app: 'SELECT' }));
    }

    await q.query(`
      -- Months of plans: p_months is a jsonb array of {o, c, k, m} (organization, clinic, condition, first of the month).
      CREATE FUNCTION fascia_report_recompute_plan_months(p_months jsonb) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
        BEGIN
          PERFORM pg_advisory_xact_lock(h) FROM (
            SELECT DISTINCT hashtextextended('report:plan-month:' || x.o::text || ':' || x.c::text || ':' || x.k || ':' || x.m::text, 0) AS h
            FROM jsonb_to_recordset(p_months) AS x(o uuid, c uuid, k text, m date)
            ORDER BY 1) s;

          INSERT INTO report_plan_month AS pm (organization_id, clinic_id, condition, month, plans, sessions, expected_min, expected_max,
                                               within_range, below_range, above_range, pain_measured, pain_change, reached_benchmark,
                                               on_time, late, missed, in_maintenance, booked_within_interval, computed_at)
          SELECT k.o, k.c, k.k, k.m, count(*)::int, sum(r.sessions)::int, sum(r.expected_min)::int, sum(r.expected_max)::int,
                 sum(r.within_range)::int, sum(r.below_range)::int, sum(r.above_range)::int, count(r.pain_change)::int, coalesce(sum(r.pain_change), 0),
                 sum(r.reached_benchmark)::int, sum(r.on_time)::int, sum(r.late)::int, sum(r.missed)::int, sum(r.in_maintenance)::int,
                 sum(r.booked_within_interval)::int, max(r.computed_at)
          FROM (SELECT DISTINCT x.o, x.c, x.k, x.m FROM jsonb_to_recordset(p_months) AS x(o uuid, c uuid, k text, m date)) k
          JOIN report_plan r ON r.organization_id = k.o AND r.clinic_id = k.c AND r.condition = k.k
                            AND r.day >= k.m AND r.day < (k.m + interval '1 month')::date
          GROUP BY k.o, k.c, k.k, k.m
          ON CONFLICT (organization_id, clinic_id, condition, month) DO UPDATE SET
            plans = EXCLUDED.plans, sessions = EXCLUDED.sessions, expected_min = EXCLUDED.expected_min, expected_max = EXCLUDED.expected_max,
            within_range = EXCLUDED.within_range, below_range = EXCLUDED.below_range, above_range = EXCLUDED.above_range,
            pain_measured = EXCLUDED.pain_measured, pain_change = EXCLUDED.pain_change, reached_benchmark = EXCLUDED.reached_benchmark,
            on_time = EXCLUDED.on_time, late = EXCLUDED.late, missed = EXCLUDED.missed, in_maintenance = EXCLUDED.in_maintenance,
            booked_within_interval = EXCLUDED.booked_within_interval, computed_at = EXCLUDED.computed_at;

          DELETE FROM report_plan_month pm
          USING (SELECT DISTINCT x.o, x.c, x.k, x.m FROM jsonb_to_recordset(p_months) AS x(o uuid, c uuid, k text, m date)) k
          WHERE pm.organization_id = k.o AND pm.clinic_id = k.c AND pm.condition = k.k AND pm.month = k.m
            AND NOT EXISTS (SELECT 1 FROM report_plan r WHERE r.organization_id = k.o AND r.clinic_id = k.c AND r.condition = k.k
                              AND r.day >= k.m AND r.day < (k.m + interval '1 month')::date);

          INSERT INTO report_plan_month_pain AS pp (organization_id, clinic_id, condition, month, bucket, plans, reached_benchmark, computed_at)
          SELECT k.o, k.c, k.k, k.m, greatest(-10, least(10, floor(r.pain_change + 0.5)))::smallint, count(*)::int, sum(r.reached_benchmark)::int, max(r.computed_at)
          FROM (SELECT DISTINCT x.o, x.c, x.k, x.m FROM jsonb_to_recordset(p_months) AS x(o uuid, c uuid, k text, m date)) k
          JOIN report_plan r ON r.organization_id = k.o AND r.clinic_id = k.c AND r.condition = k.k
                            AND r.day >= k.m AND r.day < (k.m + interval '1 month')::date
          WHERE r.pain_change IS NOT NULL
          GROUP BY 1, 2, 3, 4, 5
          ON CONFLICT (organization_id, clinic_id, condition, month, bucket) DO UPDATE SET
            plans = EXCLUDED.plans, reached_benchmark = EXCLUDED.reached_benchmark, computed_at = EXCLUDED.computed_at;

          DELETE FROM report_plan_month_pain pp
          USING (SELECT DISTINCT x.o, x.c, x.k, x.m FROM jsonb_to_recordset(p_months) AS x(o uuid, c uuid, k text, m date)) k
          WHERE pp.organization_id = k.o AND pp.clinic_id = k.c AND pp.condition = k.k AND pp.month = k.m
            AND NOT EXISTS (SELECT 1 FROM report_plan r WHERE r.organization_id = k.o AND r.clinic_id = k.c AND r.condition = k.k
                              AND r.day >= k.m AND r.day < (k.m + interval '1 month')::date
                              AND greatest(-10, least(10, floor(r.pain_change + 0.5))) = pp.bucket);
        END $f$;

      -- The set-based plan recompute of 1764945000000 keeps its body under a new name; this one adds the months
      -- its plans were in (before: a plan can move clinic, condition or start day) and are in now.
      ALTER FUNCTION fascia_report_recompute_plans(jsonb, timestamptz) RENAME TO fascia_report_recompute_plan_facts_set;
      CREATE FUNCTION fascia_report_recompute_plans(p_keys jsonb, p_now timestamptz) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
        DECLARE v_before jsonb; v_after jsonb;
        BEGIN
          SELECT coalesce(jsonb_agg(DISTINCT jsonb_build_object('o', r.organization_id, 'c', r.clinic_id, 'k', r.condition, 'm', date_trunc('month', r.day)::date)), '[]')
            INTO v_before
          FROM (SELECT DISTINCT x.o, x.p FROM jsonb_to_recordset(p_keys) AS x(o uuid, p uuid)) k
          JOIN report_plan r ON r.organization_id = k.o AND r.plan_id = k.p;
          PERFORM fascia_report_recompute_plan_facts_set(p_keys, p_now);
          SELECT coalesce(jsonb_agg(DISTINCT jsonb_build_object('o', r.organization_id, 'c', r.clinic_id, 'k', r.condition, 'm', date_trunc('month', r.day)::date)), '[]')
            INTO v_after
          FROM (SELECT DISTINCT x.o, x.p FROM jsonb_to_recordset(p_keys) AS x(o uuid, p uuid)) k
          JOIN report_plan r ON r.organization_id = k.o AND r.plan_id = k.p;
          IF jsonb_array_length(v_before) + jsonb_array_length(v_after) > 0 THEN
            PERFORM fascia_report_recompute_plan_months(v_before || v_after);
          END IF;
        END $f$;

      -- Months of clinics: p_months is a jsonb array of {o, c, m}.
      CREATE FUNCTION fascia_report_recompute_clinic_months(p_months jsonb) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
        BEGIN
          PERFORM pg_advisory_xact_lock(h) FROM (
            SELECT DISTINCT hashtextextended('report:clinic-month:' || x.c::text || ':' || x.m::text, 0) AS h
            FROM jsonb_to_recordset(p_months) AS x(c uuid, m date)
            ORDER BY 1) s;

          INSERT INTO report_clinic_month AS cm (organization_id, clinic_id, month, booked_minutes, available_minutes, booked, completed,
                                                 no_shows, late_cancels, cancels, new_clients, returning_clients, computed_at)
          SELECT k.o, k.c, k.m, sum(d.booked_minutes), sum(d.available_minutes), sum(d.booked), sum(d.completed), sum(d.no_shows),
                 sum(d.late_cancels), sum(d.cancels), sum(d.new_clients), sum(d.returning_clients), max(d.computed_at)
          FROM (SELECT DISTINCT x.o, x.c, x.m FROM jsonb_to_recordset(p_months) AS x(o uuid, c uuid, m date)) k
          JOIN report_clinic_day d ON d.organization_id = k.o AND d.clinic_id = k.c AND d.day >= k.m AND d.day < (k.m + interval '1 month')::date
          GROUP BY k.o, k.c, k.m
          ON CONFLICT (organization_id, clinic_id, month) DO UPDATE SET
            booked_minutes = EXCLUDED.booked_minutes, available_minutes = EXCLUDED.available_minutes, booked = EXCLUDED.booked,
            completed = EXCLUDED.completed, no_shows = EXCLUDED.no_shows, late_cancels = EXCLUDED.late_cancels, cancels = EXCLUDED.cancels,
            new_clients = EXCLUDED.new_clients, returning_clients = EXCLUDED.returning_clients, computed_at = EXCLUDED.computed_at;

          DELETE FROM report_clinic_month cm
          USING (SELECT DISTINCT x.o, x.c, x.m FROM jsonb_to_recordset(p_months) AS x(o uuid, c uuid, m date)) k
          WHERE cm.organization_id = k.o AND cm.clinic_id = k.c AND cm.month = k.m
            AND NOT EXISTS (SELECT 1 FROM report_clinic_day d WHERE d.organization_id = k.o AND d.clinic_id = k.c
                              AND d.day >= k.m AND d.day < (k.m + interval '1 month')::date);
        END $f$;

      -- 1764946000000's clinic-day recompute (counters, then referral flows), then the clinic-months of those days.
      CREATE OR REPLACE FUNCTION fascia_report_recompute_days(p_keys jsonb, p_now timestamptz) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
        BEGIN
          PERFORM fascia_report_recompute_day_counts_set(p_keys, p_now);
          PERFORM fascia_report_recompute_referrals((k->>'o')::uuid, (k->>'c')::uuid, (k->>'d')::date)
          FROM (SELECT DISTINCT k FROM jsonb_array_elements(p_keys) AS k) keys;
          PERFORM fascia_report_recompute_clinic_months(
            (SELECT coalesce(jsonb_agg(DISTINCT jsonb_build_object('o', x.o, 'c', x.c, 'm', date_trunc('month', x.d)::date)), '[]')
             FROM jsonb_to_recordset(p_keys) AS x(o uuid, c uuid, d date)));
        END $f$;

      REVOKE ALL ON FUNCTION fascia_report_recompute_plans(jsonb, timestamptz), fascia_report_recompute_plan_facts_set(jsonb, timestamptz),
        fascia_report_recompute_plan_months(jsonb), fascia_report_recompute_clinic_months(jsonb) FROM PUBLIC;

      -- The first fill, from the rows as they are (the lock above keeps them still until this commits).
      INSERT INTO report_plan_month (organization_id, clinic_id, condition, month, plans, sessions, expected_min, expected_max,
                                     within_range, below_range, above_range, pain_measured, pain_change, reached_benchmark,
                                     on_time, late, missed, in_maintenance, booked_within_interval, computed_at)
      SELECT organization_id, clinic_id, condition, date_trunc('month', day)::date, count(*), sum(sessions), sum(expected_min), sum(expected_max),
             sum(within_range), sum(below_range), sum(above_range), count(pain_change), coalesce(sum(pain_change), 0), sum(reached_benchmark),
             sum(on_time), sum(late), sum(missed), sum(in_maintenance), sum(booked_within_interval), max(computed_at)
      FROM report_plan GROUP BY 1, 2, 3, 4;
      INSERT INTO report_plan_month_pain (organization_id, clinic_id, condition, month, bucket, plans, reached_benchmark, computed_at)
      SELECT organization_id, clinic_id, condition, date_trunc('month', day)::date, greatest(-10, least(10, floor(pain_change + 0.5)))::smallint,
             count(*), sum(reached_benchmark), max(computed_at)
      FROM report_plan WHERE pain_change IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
      INSERT INTO report_clinic_month (organization_id, clinic_id, month, booked_minutes, available_minutes, booked, completed,
                                       no_shows, late_cancels, cancels, new_clients, returning_clients, computed_at)
      SELECT organization_id, clinic_id, date_trunc('month', day)::date, sum(booked_minutes), sum(available_minutes), sum(booked), sum(completed),
             sum(no_shows), sum(late_cancels), sum(cancels), sum(new_clients), sum(returning_clients), max(computed_at)
      FROM report_clinic_day GROUP BY 1, 2, 3;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION fascia_report_recompute_days(p_keys jsonb, p_now timestamptz) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
        BEGIN
          PERFORM fascia_report_recompute_day_counts_set(p_keys, p_now);
          PERFORM fascia_report_recompute_referrals((k->>'o')::uuid, (k->>'c')::uuid, (k->>'d')::date)
          FROM (SELECT DISTINCT k FROM jsonb_array_elements(p_keys) AS k) keys;
        END $f$;
      DROP FUNCTION fascia_report_recompute_plans(jsonb, timestamptz);
      ALTER FUNCTION fascia_report_recompute_plan_facts_set(jsonb, timestamptz) RENAME TO fascia_report_recompute_plans;
      DROP FUNCTION fascia_report_recompute_plan_months(jsonb), fascia_report_recompute_clinic_months(jsonb);
      DROP INDEX IF EXISTS report_plan_org_clinic_condition_day_idx;
      DROP TABLE IF EXISTS report_clinic_month, report_plan_month_pain, report_plan_month;
    `);
  }
}
