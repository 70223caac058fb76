import type { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from './rls';

/**
 * Organization-wide day roll-ups of the plan reports (issue 14; docs/reports.md "The whole
 * organization from the organization-day roll-ups").
 *
 * At the reference shape (1,000 clinics, ~850,000 plans over two years, 8 conditions) a plan report
 * of the whole organization over the last 365 days read ~60 edge days of 730 (the partial months at
 * both ends of both periods): either their plans scattered over `report_plan` beside the month
 * roll-ups, or every plan of the range (the edge guard) — 550–1,000 ms of PostgreSQL either way.
 * Here the plans are kept summed once per organization, condition and plan start day (clinic-local,
 * as `report_plan.day`), over every clinic:
 *
 *  - report_plan_org_day: per organization, condition and day, the summed facts of
 *    `report_plan_month` (plans, sessions, expected range, range positions, pain change sum and
 *    count, benchmark reached, re-assessment verdicts, maintenance retention);
 *  - report_plan_org_day_pain: per organization, condition, day and pain-change bucket (−10…+10,
 *    rounded as the outcome distribution rounds): the plans with a measured change and how many
 *    reached their benchmark.
 *
 * Two years are ~730 days × the conditions (~6,000 rows at the reference shape), so a whole-
 * organization report over any range reads a few thousand rows, edges or not.
 *
 * `computed_at` is the newest `computed_at` of the plans a row sums (the report's freshness is
 * the same whichever table answered). Kept current in the same transaction as the plans:
 * `fascia_report_recompute_plans` (what the drain, the single-plan wrapper, `fascia_report_mark_all`'s
 * and the nightly reconcile's marks end in) notes the (organization, clinic, condition, day) of its
 * plans' rows before and after recomputing them, recomputes their months (as in 1764990000000), and
 * adds after − before to their organization-days where every plan stayed in its (condition, day) and
 * pain bucket (`fascia_report_apply_plan_org_days`), recomputing the other keys from `report_plan`
 * (`fascia_report_recompute_plan_org_days`); rows left with nothing to sum are deleted. Each
 * (organization, condition, day) is updated under its own advisory lock, taken after the drain's
 * key locks and the month locks, in one order: two drainers touching one day serialize on it (the
 * later reads what the earlier committed) and never deadlock.
 */
export class ReportPlanOrgDays1765000000000 implements MigrationInterface {
  name = 'ReportPlanOrgDays1765000000000';

  async up(q: QueryRunner): Promise<void> {
    // No drain between the fill below and this commit (it would recompute plans with the old function and
    // leave an organization-day behind): the drain's first statement deletes from report_dirty.
    await q.query(`LOCK TABLE report_dirty, report_plan IN EXCLUSIVE MODE`);
    await q.query(`
      CREATE TABLE report_plan_org_day (
        organization_id uuid NOT NULL REFERENCES organization(id),
        condition text NOT NULL,
        day date NOT NULL,
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
        PRIMARY KEY (organization_id, day, condition)
      );

      CREATE TABLE report_plan_org_day_pain (
        organization_id uuid NOT NULL REFERENCES organization(id),
        condition text NOT NULL,
        day date NOT NULL,
        bucket smallint NOT NULL CHECK (bucket BETWEEN -10 AND 10),
        plans int NOT NULL,
        reached_benchmark int NOT NULL,
        computed_at timestamptz NOT NULL,
        PRIMARY KEY (organization_id, day, condition, bucket)
      );

      -- An (organization, condition, day) recomputed from report_plan reads just its plans.
      CREATE INDEX report_plan_org_condition_day_idx ON report_plan (organization_id, condition, day);
    `);
    for (const t of ['report_plan_org_day', 'report_plan_org_day_pain']) {
      await q.query(tenantTableSql(t, { app: 'SELECT' }));
    }

    await q.query(`
      -- Organization-days of plans: p_days is a jsonb array of {o, k, d} (organization, condition, clinic-local start day).
      CREATE FUNCTION fascia_report_recompute_plan_org_days(p_days jsonb) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
        BEGIN
          PERFORM pg_advisory_xact_lock(h) FROM (
            SELECT DISTINCT hashtextextended('report:plan-org-day:' || x.o::text || ':' || x.k || ':' || x.d::text, 0) AS h
            FROM jsonb_to_recordset(p_days) AS x(o uuid, k text, d date)
            ORDER BY 1) s;

          INSERT INTO report_plan_org_day AS od (organization_id, condition, day, plans, sessions, expected_min, expected_max,
                                                 within_range, below_range, above_range, pain_measured, pain_change, reached_benchmark,
                                                 on_time, late, missed, in_maintenance, booked_within_interval, computed_at)
          SELECT k.o, k.k, k.d, count(*)::int, sum(r.sessions)::int, sum(r.expected_min)::int, sum(r.expected_max)::int,
                 sum(r.within_range)::int, sum(r.below_range)::int, sum(r.above_range)::int, count(r.pain_change)::int, coalesce(sum(r.pain_change), 0),
                 sum(r.reached_benchmark)::int, sum(r.on_time)::int, sum(r.late)::int, sum(r.missed)::int, sum(r.in_maintenance)::int,
                 sum(r.booked_within_interval)::int, max(r.computed_at)
          FROM (SELECT DISTINCT x.o, x.k, x.d FROM jsonb_to_recordset(p_days) AS x(o uuid, k text, d date)) k
          JOIN report_plan r ON r.organization_id = k.o AND r.condition = k.k AND r.day = k.d
          GROUP BY k.o, k.k, k.d
          ON CONFLICT (organization_id, day, condition) DO UPDATE SET
            plans = EXCLUDED.plans, sessions = EXCLUDED.sessions, expected_min = EXCLUDED.expected_min, expected_max = EXCLUDED.expected_max,
            within_range = EXCLUDED.within_range, below_range = EXCLUDED.below_range, above_range = EXCLUDED.above_range,
            pain_measured = EXCLUDED.pain_measured, pain_change = EXCLUDED.pain_change, reached_benchmark = EXCLUDED.reached_benchmark,
            on_time = EXCLUDED.on_time, late = EXCLUDED.late, missed = EXCLUDED.missed, in_maintenance = EXCLUDED.in_maintenance,
            booked_within_interval = EXCLUDED.booked_within_interval, computed_at = EXCLUDED.computed_at;

          DELETE FROM report_plan_org_day od
          USING (SELECT DISTINCT x.o, x.k, x.d FROM jsonb_to_recordset(p_days) AS x(o uuid, k text, d date)) k
          WHERE od.organization_id = k.o AND od.condition = k.k AND od.day = k.d
            AND NOT EXISTS (SELECT 1 FROM report_plan r WHERE r.organization_id = k.o AND r.condition = k.k AND r.day = k.d);

          INSERT INTO report_plan_org_day_pain AS op (organization_id, condition, day, bucket, plans, reached_benchmark, computed_at)
          SELECT k.o, k.k, k.d, greatest(-10, least(10, floor(r.pain_change + 0.5)))::smallint, count(*)::int, sum(r.reached_benchmark)::int, max(r.computed_at)
          FROM (SELECT DISTINCT x.o, x.k, x.d FROM jsonb_to_recordset(p_days) AS x(o uuid, k text, d date)) k
          JOIN report_plan r ON r.organization_id = k.o AND r.condition = k.k AND r.day = k.d
          WHERE r.pain_change IS NOT NULL
          GROUP BY 1, 2, 3, 4
          ON CONFLICT (organization_id, day, condition, bucket) DO UPDATE SET
            plans = EXCLUDED.plans, reached_benchmark = EXCLUDED.reached_benchmark, computed_at = EXCLUDED.computed_at;

          DELETE FROM report_plan_org_day_pain op
          USING (SELECT DISTINCT x.o, x.k, x.d FROM jsonb_to_recordset(p_days) AS x(o uuid, k text, d date)) k
          WHERE op.organization_id = k.o AND op.condition = k.k AND op.day = k.d
            AND NOT EXISTS (SELECT 1 FROM report_plan r WHERE r.organization_id = k.o AND r.condition = k.k AND r.day = k.d
                              AND greatest(-10, least(10, floor(r.pain_change + 0.5))) = op.bucket);
        END $f$;

      -- What a plan recompute changed in its organization-days: p_before and p_after are the recomputed plans' report_plan rows
      -- (to_jsonb) before and after. An organization-day is a plain sum of its plans, so where every plan row before is
      -- replaced in the same (condition, day) — and, when its pain was measured, the same pain bucket — by a row as new, the
      -- difference after − before is added to it (computed_at: the newer of the row's and the new plans': the newest of its
      -- plans still). Every other (condition, day) — a plan left it, changed bucket, or went — is recomputed from report_plan
      -- (fascia_report_recompute_plan_org_days). The cost is the changed plans', not the day's plans' (a day of the whole
      -- organization holds ~1/6,000 of its plans: hundreds at the reference size). Under the same per-key advisory locks as
      -- the recompute, taken first, in one order.
      CREATE FUNCTION fascia_report_apply_plan_org_days(p_before jsonb, p_after jsonb) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
        DECLARE v_exact jsonb;
        BEGIN
          PERFORM pg_advisory_xact_lock(h) FROM (
            SELECT DISTINCT hashtextextended('report:plan-org-day:' || x.organization_id::text || ':' || x.condition || ':' || x.day::text, 0) AS h
            FROM jsonb_to_recordset(p_before || p_after) AS x(organization_id uuid, condition text, day date)
            ORDER BY 1) s;

          -- (Joins, not NOT EXISTS over the arrays: a function in a correlated subquery is read again for every row.)
          SELECT coalesce(jsonb_agg(DISTINCT jsonb_build_object('o', b.organization_id, 'k', b.condition, 'd', b.day)), '[]') INTO v_exact
          FROM jsonb_to_recordset(p_before) AS b(organization_id uuid, plan_id uuid, condition text, day date, sessions int, expected_min int, expected_max int, within_range int, below_range int, above_range int, pain_change numeric, reached_benchmark int, on_time int, late int, missed int, in_maintenance int, booked_within_interval int, computed_at timestamptz)
          LEFT JOIN jsonb_to_recordset(p_after) AS a(organization_id uuid, plan_id uuid, condition text, day date, sessions int, expected_min int, expected_max int, within_range int, below_range int, above_range int, pain_change numeric, reached_benchmark int, on_time int, late int, missed int, in_maintenance int, booked_within_interval int, computed_at timestamptz) ON a.organization_id = b.organization_id AND a.plan_id = b.plan_id
          WHERE a.plan_id IS NULL OR a.condition <> b.condition OR a.day <> b.day OR a.computed_at < b.computed_at
             OR (b.pain_change IS NOT NULL
                 AND (a.pain_change IS NULL OR greatest(-10, least(10, floor(a.pain_change + 0.5))) <> greatest(-10, least(10, floor(b.pain_change + 0.5)))));

          INSERT INTO report_plan_org_day AS od (organization_id, condition, day, plans, sessions, expected_min, expected_max,
                                                 within_range, below_range, above_range, pain_measured, pain_change, reached_benchmark,
                                                 on_time, late, missed, in_maintenance, booked_within_interval, computed_at)
          SELECT x.organization_id, x.condition, x.day, sum(x.s)::int, sum(x.s * x.sessions)::int, sum(x.s * x.expected_min)::int, sum(x.s * x.expected_max)::int,
                 sum(x.s * x.within_range)::int, sum(x.s * x.below_range)::int, sum(x.s * x.above_range)::int,
                 sum(x.s * (x.pain_change IS NOT NULL)::int)::int, coalesce(sum(x.s * x.pain_change), 0),
                 sum(x.s * x.reached_benchmark)::int, sum(x.s * x.on_time)::int, sum(x.s * x.late)::int, sum(x.s * x.missed)::int,
                 sum(x.s * x.in_maintenance)::int, sum(x.s * x.booked_within_interval)::int, max(x.computed_at) FILTER (WHERE x.s = 1)
          FROM (SELECT 1 AS s, a.* FROM jsonb_to_recordset(p_after) AS a(organization_id uuid, plan_id uuid, condition text, day date, sessions int, expected_min int, expected_max int, within_range int, below_range int, above_range int, pain_change numeric, reached_benchmark int, on_time int, late int, missed int, in_maintenance int, booked_within_interval int, computed_at timestamptz)
                UNION ALL
                SELECT -1, b.* FROM jsonb_to_recordset(p_before) AS b(organization_id uuid, plan_id uuid, condition text, day date, sessions int, expected_min int, expected_max int, within_range int, below_range int, above_range int, pain_change numeric, reached_benchmark int, on_time int, late int, missed int, in_maintenance int, booked_within_interval int, computed_at timestamptz)) x
          LEFT JOIN jsonb_to_recordset(v_exact) AS e(o uuid, k text, d date) ON e.o = x.organization_id AND e.k = x.condition AND e.d = x.day
          WHERE e.o IS NULL
          GROUP BY x.organization_id, x.condition, x.day
          ON CONFLICT (organization_id, day, condition) DO UPDATE SET
            plans = od.plans + EXCLUDED.plans, sessions = od.sessions + EXCLUDED.sessions, expected_min = od.expected_min + EXCLUDED.expected_min,
            expected_max = od.expected_max + EXCLUDED.expected_max, within_range = od.within_range + EXCLUDED.within_range,
            below_range = od.below_range + EXCLUDED.below_range, above_range = od.above_range + EXCLUDED.above_range,
            pain_measured = od.pain_measured + EXCLUDED.pain_measured, pain_change = od.pain_change + EXCLUDED.pain_change,
            reached_benchmark = od.reached_benchmark + EXCLUDED.reached_benchmark, on_time = od.on_time + EXCLUDED.on_time,
            late = od.late + EXCLUDED.late, missed = od.missed + EXCLUDED.missed, in_maintenance = od.in_maintenance + EXCLUDED.in_maintenance,
            booked_within_interval = od.booked_within_interval + EXCLUDED.booked_within_interval,
            computed_at = greatest(od.computed_at, EXCLUDED.computed_at);

          INSERT INTO report_plan_org_day_pain AS op (organization_id, condition, day, bucket, plans, reached_benchmark, computed_at)
          SELECT x.organization_id, x.condition, x.day, greatest(-10, least(10, floor(x.pain_change + 0.5)))::smallint,
                 sum(x.s)::int, sum(x.s * x.reached_benchmark)::int, max(x.computed_at) FILTER (WHERE x.s = 1)
          FROM (SELECT 1 AS s, a.* FROM jsonb_to_recordset(p_after) AS a(organization_id uuid, plan_id uuid, condition text, day date, sessions int, expected_min int, expected_max int, within_range int, below_range int, above_range int, pain_change numeric, reached_benchmark int, on_time int, late int, missed int, in_maintenance int, booked_within_interval int, computed_at timestamptz)
                UNION ALL
                SELECT -1, b.* FROM jsonb_to_recordset(p_before) AS b(organization_id uuid, plan_id uuid, condition text, day date, sessions int, expected_min int, expected_max int, within_range int, below_range int, above_range int, pain_change numeric, reached_benchmark int, on_time int, late int, missed int, in_maintenance int, booked_within_interval int, computed_at timestamptz)) x
          LEFT JOIN jsonb_to_recordset(v_exact) AS e(o uuid, k text, d date) ON e.o = x.organization_id AND e.k = x.condition AND e.d = x.day
          WHERE x.pain_change IS NOT NULL AND e.o IS NULL
          GROUP BY 1, 2, 3, 4
          ON CONFLICT (organization_id, day, condition, bucket) DO UPDATE SET
            plans = op.plans + EXCLUDED.plans, reached_benchmark = op.reached_benchmark + EXCLUDED.reached_benchmark,
            computed_at = greatest(op.computed_at, EXCLUDED.computed_at);

          IF jsonb_array_length(v_exact) > 0 THEN
            PERFORM fascia_report_recompute_plan_org_days(v_exact);
          END IF;
        END $f$;

      -- 1764990000000's plan recompute, with the organization-days of its plans updated after their months (locks: each
      -- plan's — the drain holds them already; a direct call takes them here, so no two recomputes of a plan overlap and
      -- its row before is the committed one — then the months, then the organization-days).
      CREATE OR REPLACE FUNCTION fascia_report_recompute_plans(p_keys jsonb, p_now timestamptz) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
        DECLARE v_before jsonb; v_after jsonb; v_months jsonb;
        BEGIN
          PERFORM pg_advisory_xact_lock(h) FROM (
            SELECT DISTINCT hashtextextended('report:plan:' || x.p::text, 0) AS h FROM jsonb_to_recordset(p_keys) AS x(p uuid)
            ORDER BY 1) s;
          SELECT coalesce(jsonb_agg(to_jsonb(r)), '[]') INTO v_before
          FROM (SELECT DISTINCT x.o, x.p FROM jsonb_to_recordset(p_keys) AS x(o uuid, p uuid)) k
          JOIN report_plan r ON r.organization_id = k.o AND r.plan_id = k.p;
          PERFORM fascia_report_recompute_plan_facts_set(p_keys, p_now);
          SELECT coalesce(jsonb_agg(to_jsonb(r)), '[]') INTO v_after
          FROM (SELECT DISTINCT x.o, x.p FROM jsonb_to_recordset(p_keys) AS x(o uuid, p uuid)) k
          JOIN report_plan r ON r.organization_id = k.o AND r.plan_id = k.p;
          IF jsonb_array_length(v_before) + jsonb_array_length(v_after) > 0 THEN
            SELECT jsonb_agg(DISTINCT jsonb_build_object('o', x.organization_id, 'c', x.clinic_id, 'k', x.condition, 'm', date_trunc('month', x.day)::date))
              INTO v_months
            FROM jsonb_to_recordset(v_before || v_after) AS x(organization_id uuid, clinic_id uuid, condition text, day date);
            PERFORM fascia_report_recompute_plan_months(v_months);
            PERFORM fascia_report_apply_plan_org_days(v_before, v_after);
          END IF;
        END $f$;

      REVOKE ALL ON FUNCTION fascia_report_recompute_plans(jsonb, timestamptz), fascia_report_recompute_plan_org_days(jsonb),
        fascia_report_apply_plan_org_days(jsonb, jsonb) FROM PUBLIC;

      -- The first fill, from the plans as they are (the lock above keeps them still until this commits).
      INSERT INTO report_plan_org_day (organization_id, condition, day, plans, sessions, expected_min, expected_max,
                                       within_range, below_range, above_range, pain_measured, pain_change, reached_benchmark,
                                       on_time, late, missed, in_maintenance, booked_within_interval, computed_at)
      SELECT organization_id, condition, day, count(*), sum(sessions), sum(expected_min), sum(expected_max),
             sum(within_range), sum(below_range), sum(above_range), count(pain_change), coalesce(sum(pain_change), 0), sum(reached_benchmark),
             sum(on_time), sum(late), sum(missed), sum(in_maintenance), sum(booked_within_interval), max(computed_at)
      FROM report_plan GROUP BY 1, 2, 3;
      INSERT INTO report_plan_org_day_pain (organization_id, condition, day, bucket, plans, reached_benchmark, computed_at)
      SELECT organization_id, condition, day, greatest(-10, least(10, floor(pain_change + 0.5)))::smallint, count(*), sum(reached_benchmark), max(computed_at)
      FROM report_plan WHERE pain_change IS NOT NULL GROUP BY 1, 2, 3, 4;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      -- 1764990000000's plan recompute: the months of its plans only.
      CREATE OR REPLACE FUNCTION fascia_report_recompute_plans(p_keys jsonb, p_now timestamptz) RETURNS void
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
      DROP FUNCTION fascia_report_apply_plan_org_days(jsonb, jsonb), fascia_report_recompute_plan_org_days(jsonb);
      DROP INDEX IF EXISTS report_plan_org_condition_day_idx;
      DROP TABLE IF EXISTS report_plan_org_day_pain, report_plan_org_day;
    `);
  }
}
