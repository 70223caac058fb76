import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The report roll-ups' drain, set-based (docs/reports.md "Benchmark", docs/worker.md "Report roll-ups").
 *
 * 1764930000000 recomputed one key per function call (a clinic-day or a plan, each a handful of
 * statements), ~94 marks/s under load. Here a drain call:
 *  1. claims up to p_limit marks (FOR UPDATE SKIP LOCKED), then also every other unclaimed mark of
 *     the same keys (so the duplicates a burst of changes leaves are merged across the whole queue);
 *  2. takes one advisory lock per distinct key, in a fixed order (two drainers never interleave on
 *     one key and never deadlock; the later reads what the earlier committed);
 *  3. recomputes all the batch's clinic-days with one INSERT … SELECT … ON CONFLICT into report_day
 *     and one into report_clinic_day (`fascia_report_recompute_days`), and all its plans with one
 *     into report_plan (`fascia_report_recompute_plans`); rows of a key that no longer exist are deleted.
 *
 * Keys are passed as jsonb arrays of {o, c, d} (org, clinic, local day) and {o, p} (org, plan), so
 * another roll-up fed by the same keys adds its statement to the matching recompute function.
 *
 * The appointment trigger also marks fewer keys: the old and new day once when they are the same,
 * the plan only when what a plan's facts read changed, and the client's first two completed visits only
 * when the changed visit was or now is the client's first completed one.
 *
 * Available minutes start on a clinic's first day (the earlier of its creation and its first appointment,
 * as fascia_report_mark_all always started): the recompute counts none before it, and a change that
 * moves the first day marks the days in between (fascia_report_mark_first_day); the raw baseline
 * (packages/db/src/testing/report-baseline.ts) counts the same.
 *
 * The single-key functions fascia_report_recompute_day/plan stay (now wrappers) for callers by hand.
 */
export class ReportDrainSetBased1764945000000 implements MigrationInterface {
  name = 'ReportDrainSetBased1764945000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX report_dirty_day_key_idx ON report_dirty (organization_id, clinic_id, day) WHERE day IS NOT NULL;
      CREATE INDEX report_dirty_plan_key_idx ON report_dirty (organization_id, plan_id) WHERE plan_id IS NOT NULL;

      CREATE OR REPLACE FUNCTION fascia_report_recompute_days(p_keys jsonb, p_now timestamptz) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
        BEGIN
          INSERT INTO report_day AS r (organization_id, clinic_id, practitioner_id, day, booked_minutes, available_minutes, booked, completed,
                                       no_shows, late_cancels, cancels, new_clients, returning_clients, computed_at)
          WITH k AS (
            SELECT y.*, (least(cl.created_at, (SELECT min(f.starts_at) FROM appointment f WHERE f.organization_id = y.o AND f.clinic_id = y.c))
                           AT TIME ZONE cl.time_zone)::date AS first_day,
                   cl.opening_hours AS open, extract(isodow FROM y.d)::int AS dow,
                   y.d::timestamp AT TIME ZONE cl.time_zone AS t0, (y.d + 1)::timestamp AT TIME ZONE cl.time_zone AS t1
            FROM (SELECT DISTINCT x.o, x.c, x.d FROM jsonb_to_recordset(p_keys) AS x(o uuid, c uuid, d date)) y
            JOIN clinic cl ON cl.organization_id = y.o AND cl.id = y.c
          ), appts AS (
            SELECT k.o, k.c, k.d, a.practitioner_id,
              coalesce(sum(extract(epoch FROM a.ends_at - a.starts_at) / 60) FILTER (WHERE a.status IN ('BOOKED','CHECKED_IN','COMPLETED')), 0)::int AS booked_minutes,
              count(*)::int AS booked,
              count(*) FILTER (WHERE a.status = 'COMPLETED')::int AS completed,
              count(*) FILTER (WHERE a.status = 'NO_SHOW')::int AS no_shows,
              count(*) FILTER (WHERE a.status = 'LATE_CANCELLED')::int AS late_cancels,
              count(*) FILTER (WHERE a.status = 'CANCELLED')::int AS cancels,
              count(*) FILTER (WHERE a.status = 'COMPLETED' AND NOT a.seen_before)::int AS new_clients,
              count(*) FILTER (WHERE a.status = 'COMPLETED' AND a.seen_before)::int AS returning_clients
            FROM k
            JOIN LATERAL (
              SELECT x.practitioner_id, x.status, x.starts_at, x.ends_at,
                CASE WHEN x.status = 'COMPLETED' THEN EXISTS (
                  SELECT 1 FROM appointment e WHERE e.organization_id = x.organization_id AND e.client_id = x.client_id
                    AND e.status = 'COMPLETED' AND (e.starts_at, e.id) < (x.starts_at, x.id)) END AS seen_before
              FROM appointment x
              WHERE x.organization_id = k.o AND x.clinic_id = k.c AND x.starts_at >= k.t0 AND x.starts_at < k.t1
                AND NOT EXISTS (SELECT 1 FROM appointment n WHERE n.organization_id = x.organization_id AND n.rescheduled_from = x.id)
            ) a ON true
            GROUP BY k.o, k.c, k.d, a.practitioner_id
          ), avail AS (
            SELECT k.o, k.c, k.d, w.practitioner_id,
              sum(greatest(0, least(w.end_minute, fascia_report_hhmm(oh->>'end')) - greatest(w.start_minute, fascia_report_hhmm(oh->>'start'))))::int AS minutes
            FROM k
            JOIN practitioner_availability w ON w.organization_id = k.o AND w.clinic_id = k.c AND w.weekday = k.dow
            CROSS JOIN LATERAL jsonb_array_elements(k.open) oh
            WHERE (oh->>'weekday')::int = k.dow AND k.d >= k.first_day
            GROUP BY k.o, k.c, k.d, w.practitioner_id
          )
          SELECT coalesce(a.o, v.o), coalesce(a.c, v.c), coalesce(a.practitioner_id, v.practitioner_id), coalesce(a.d, v.d),
            coalesce(a.booked_minutes, 0), coalesce(v.minutes, 0), coalesce(a.booked, 0), coalesce(a.completed, 0), coalesce(a.no_shows, 0),
            coalesce(a.late_cancels, 0), coalesce(a.cancels, 0), coalesce(a.new_clients, 0), coalesce(a.returning_clients, 0), p_now
          FROM appts a FULL JOIN avail v ON v.o = a.o AND v.c = a.c AND v.d = a.d AND v.practitioner_id = a.practitioner_id
          ON CONFLICT (organization_id, clinic_id, day, practitioner_id) DO UPDATE SET
            booked_minutes = EXCLUDED.booked_minutes, available_minutes = EXCLUDED.available_minutes, booked = EXCLUDED.booked,
            completed = EXCLUDED.completed, no_shows = EXCLUDED.no_shows, late_cancels = EXCLUDED.late_cancels, cancels = EXCLUDED.cancels,
            new_clients = EXCLUDED.new_clients, returning_clients = EXCLUDED.returning_clients, computed_at = EXCLUDED.computed_at;

          -- Practitioners of a recomputed day who no longer have anything on it.
          DELETE FROM report_day r
          USING (SELECT DISTINCT o, c, d FROM jsonb_to_recordset(p_keys) AS x(o uuid, c uuid, d date)) k
          WHERE r.organization_id = k.o AND r.clinic_id = k.c AND r.day = k.d AND r.computed_at <> p_now;

          INSERT INTO report_clinic_day AS r (organization_id, clinic_id, day, booked_minutes, available_minutes, booked, completed,
                                              no_shows, late_cancels, cancels, new_clients, returning_clients, computed_at)
          SELECT rd.organization_id, rd.clinic_id, rd.day, sum(rd.booked_minutes), sum(rd.available_minutes), sum(rd.booked), sum(rd.completed),
                 sum(rd.no_shows), sum(rd.late_cancels), sum(rd.cancels), sum(rd.new_clients), sum(rd.returning_clients), p_now
          FROM (SELECT DISTINCT o, c, d FROM jsonb_to_recordset(p_keys) AS x(o uuid, c uuid, d date)) k
          JOIN report_day rd ON rd.organization_id = k.o AND rd.clinic_id = k.c AND rd.day = k.d
          GROUP BY rd.organization_id, rd.clinic_id, rd.day
          ON CONFLICT (organization_id, clinic_id, day) DO UPDATE SET
            booked_minutes = EXCLUDED.booked_minutes, available_minutes = EXCLUDED.available_minutes, booked = EXCLUDED.booked,
            completed = EXCLUDED.completed, no_shows = EXCLUDED.no_shows, late_cancels = EXCLUDED.late_cancels, cancels = EXCLUDED.cancels,
            new_clients = EXCLUDED.new_clients, returning_clients = EXCLUDED.returning_clients, computed_at = EXCLUDED.computed_at;

          DELETE FROM report_clinic_day r
          USING (SELECT DISTINCT o, c, d FROM jsonb_to_recordset(p_keys) AS x(o uuid, c uuid, d date)) k
          WHERE r.organization_id = k.o AND r.clinic_id = k.c AND r.day = k.d AND r.computed_at <> p_now;
        END $f$;

      -- Every plan of p_keys ({o, p}) at once; a PROPOSED, blocked or deleted plan has no row.
      CREATE OR REPLACE FUNCTION fascia_report_recompute_plans(p_keys jsonb, p_now timestamptz) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
        BEGIN
          INSERT INTO report_plan AS rp (organization_id, plan_id, clinic_id, practitioner_id, condition, day, sessions, expected_min, expected_max,
                                         within_range, below_range, above_range, pain_change, reached_benchmark, on_time, late, missed,
                                         in_maintenance, booked_within_interval, computed_at)
          SELECT tp.organization_id, tp.id, tp.clinic_id, tp.practitioner_id, coalesce(pv.body->'protocol'->>'id', 'unknown'),
            (tp.created_at AT TIME ZONE c.time_zone)::date,
            s.sessions, r.min, r.max,
            (fin AND s.sessions BETWEEN r.min AND r.max)::int, (fin AND s.sessions < r.min)::int, (fin AND s.sessions > r.max)::int,
            pain.latest - (pv.body->'baseline'->'pain'->0->>'score')::numeric,
            coalesce((SELECT ra.evaluation->>'overall' = 'all-met' FROM reassessment ra
                      WHERE ra.organization_id = tp.organization_id AND ra.plan_id = tp.id AND ra.status <> 'DISMISSED'
                      ORDER BY ra.assessed_at DESC, ra.id DESC LIMIT 1), false)::int,
            t.on_time, t.late, t.missed,
            (tp.status = 'MAINTENANCE')::int,
            (tp.status = 'MAINTENANCE' AND EXISTS (
              SELECT 1 FROM appointment b
              WHERE b.organization_id = tp.organization_id AND b.plan_id = tp.id AND b.status IN ('BOOKED','CHECKED_IN','COMPLETED')
                AND b.starts_at > coalesce(s.last_completed, tp.created_at)
                AND b.starts_at <= coalesce(s.last_completed, tp.created_at) + make_interval(days => ceil(7 * m.weeks)::int)))::int,
            p_now
          FROM (SELECT DISTINCT o, p FROM jsonb_to_recordset(p_keys) AS x(o uuid, p uuid)) k
          JOIN treatment_plan tp ON tp.organization_id = k.o AND tp.id = k.p
          JOIN clinic c ON c.organization_id = tp.organization_id AND c.id = tp.clinic_id
          JOIN plan_version pv ON pv.organization_id = tp.organization_id AND pv.plan_id = tp.id AND pv.version = tp.current_version
          CROSS JOIN LATERAL (SELECT tp.status IN ('MAINTENANCE','COMPLETED','DISCONTINUED') AS fin,
                                     (pv.body->'expectedSessions'->'value'->>'min')::int AS min,
                                     (pv.body->'expectedSessions'->'value'->>'max')::int AS max) r
          CROSS JOIN LATERAL (SELECT count(*)::int AS sessions, max(a.starts_at) AS last_completed FROM appointment a
                              WHERE a.organization_id = tp.organization_id AND a.plan_id = tp.id AND a.status = 'COMPLETED') s
          LEFT JOIN LATERAL (
            SELECT v.score AS latest FROM (
              SELECT n.signed_at AS at, n.pain_after::numeric AS score
                FROM appointment na JOIN session_note n ON n.organization_id = na.organization_id AND n.appointment_id = na.id
                WHERE na.organization_id = tp.organization_id AND na.plan_id = tp.id AND n.signed_at IS NOT NULL AND n.pain_after IS NOT NULL
              UNION ALL
              SELECT ra.assessed_at, (ra.measures->'pain'->0->>'score')::numeric FROM reassessment ra
                WHERE ra.organization_id = tp.organization_id AND ra.plan_id = tp.id AND ra.status <> 'DISMISSED' AND ra.measures->'pain'->0->>'score' IS NOT NULL
            ) v ORDER BY v.at DESC LIMIT 1) pain ON true
          CROSS JOIN LATERAL (
            SELECT coalesce(sum((g.days <= 7 * g.weeks)::int), 0)::int AS on_time,
                   coalesce(sum((g.days > 7 * g.weeks AND g.days <= 14 * g.weeks)::int), 0)::int AS late,
                   coalesce(sum((g.days > 14 * g.weeks)::int), 0)::int AS missed
            FROM (SELECT extract(epoch FROM ra.assessed_at - coalesce(lag(ra.assessed_at) OVER (ORDER BY ra.assessed_at, ra.id), tp.created_at)) / 86400 AS days,
                         coalesce((pv.body->'phases'->((pv.body->>'currentPhaseIndex')::int)->'reassessment'->'value'->>'everyWeeks')::numeric, 4) AS weeks
                  FROM reassessment ra
                  WHERE ra.organization_id = tp.organization_id AND ra.plan_id = tp.id AND ra.status <> 'DISMISSED') g
          ) t
          CROSS JOIN LATERAL (
            SELECT coalesce((SELECT (ph->'frequency'->'value'->>'perWeeks')::numeric / nullif((ph->'frequency'->'value'->>'sessions')::numeric, 0)
                             FROM jsonb_array_elements(pv.body->'phases') ph WHERE ph->>'kind' = 'maintenance' LIMIT 1), 4) AS weeks
          ) m
          WHERE tp.status <> 'PROPOSED' AND coalesce(pv.body->>'blocked', 'false') <> 'true'
          ON CONFLICT (organization_id, plan_id) DO UPDATE SET
            clinic_id = EXCLUDED.clinic_id, practitioner_id = EXCLUDED.practitioner_id, condition = EXCLUDED.condition, day = EXCLUDED.day,
            sessions = EXCLUDED.sessions, expected_min = EXCLUDED.expected_min, expected_max = EXCLUDED.expected_max,
            within_range = EXCLUDED.within_range, below_range = EXCLUDED.below_range, above_range = EXCLUDED.above_range,
            pain_change = EXCLUDED.pain_change, reached_benchmark = EXCLUDED.reached_benchmark, on_time = EXCLUDED.on_time,
            late = EXCLUDED.late, missed = EXCLUDED.missed, in_maintenance = EXCLUDED.in_maintenance,
            booked_within_interval = EXCLUDED.booked_within_interval, computed_at = EXCLUDED.computed_at;

          DELETE FROM report_plan r
          USING (SELECT DISTINCT o, p FROM jsonb_to_recordset(p_keys) AS x(o uuid, p uuid)) k
          WHERE r.organization_id = k.o AND r.plan_id = k.p AND r.computed_at <> p_now;
        END $f$;

      CREATE OR REPLACE FUNCTION fascia_report_recompute_day(p_org uuid, p_clinic uuid, p_day date) RETURNS void
        LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
          SELECT fascia_report_recompute_days(jsonb_build_array(jsonb_build_object('o', p_org, 'c', p_clinic, 'd', p_day)), clock_timestamp());
        $f$;
      CREATE OR REPLACE FUNCTION fascia_report_recompute_plan(p_org uuid, p_plan uuid) RETURNS void
        LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
          SELECT fascia_report_recompute_plans(jsonb_build_array(jsonb_build_object('o', p_org, 'p', p_plan)), clock_timestamp());
        $f$;

      CREATE OR REPLACE FUNCTION fascia_report_drain(p_limit int) RETURNS int
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
        DECLARE v_n int; v_m int; v_days jsonb; v_plans jsonb; v_now timestamptz := clock_timestamp();
        BEGIN
          -- 1. Claim a batch, then the other unclaimed marks of the same keys.
          WITH d AS (
            DELETE FROM report_dirty WHERE id IN (SELECT id FROM report_dirty ORDER BY id LIMIT p_limit FOR UPDATE SKIP LOCKED)
            RETURNING organization_id, clinic_id, day, plan_id
          )
          SELECT count(*)::int,
                 coalesce(jsonb_agg(DISTINCT jsonb_build_object('o', organization_id, 'c', clinic_id, 'd', day)) FILTER (WHERE plan_id IS NULL), '[]'),
                 coalesce(jsonb_agg(DISTINCT jsonb_build_object('o', organization_id, 'p', plan_id)) FILTER (WHERE plan_id IS NOT NULL), '[]')
            INTO v_n, v_days, v_plans FROM d;
          IF v_n = 0 THEN RETURN 0; END IF;
          WITH d AS (
            DELETE FROM report_dirty WHERE id IN (
              SELECT r.id FROM report_dirty r
              WHERE EXISTS (SELECT 1 FROM jsonb_to_recordset(v_days) AS x(o uuid, c uuid, d date)
                            WHERE r.organization_id = x.o AND r.clinic_id = x.c AND r.day = x.d)
                 OR EXISTS (SELECT 1 FROM jsonb_to_recordset(v_plans) AS x(o uuid, p uuid)
                            WHERE r.organization_id = x.o AND r.plan_id = x.p)
              FOR UPDATE SKIP LOCKED)
            RETURNING 1
          )
          SELECT count(*)::int INTO v_m FROM d;

          -- 2. One advisory lock per key, in one order.
          PERFORM pg_advisory_xact_lock(h) FROM (
            SELECT hashtextextended('report:day:' || x.c::text || ':' || x.d::text, 0) AS h FROM jsonb_to_recordset(v_days) AS x(c uuid, d date)
            UNION
            SELECT hashtextextended('report:plan:' || x.p::text, 0) FROM jsonb_to_recordset(v_plans) AS x(p uuid)
            ORDER BY 1) s;

          -- 3. Recompute (each statement reads what committed before it, after the locks).
          IF jsonb_array_length(v_days) > 0 THEN PERFORM fascia_report_recompute_days(v_days, v_now); END IF;
          IF jsonb_array_length(v_plans) > 0 THEN PERFORM fascia_report_recompute_plans(v_plans, v_now); END IF;
          RETURN v_n + v_m;
        END $f$;

      -- A clinic's days begin on the day it was created or of its first appointment, whichever is earlier: before
      -- that it has no available minutes (docs/reports.md). When a change of appointment p_id (at p_before before the
      -- change, p_after after it; null: not in this clinic) moves that first day, the days in between are marked.
      CREATE OR REPLACE FUNCTION fascia_report_mark_first_day(p_org uuid, p_clinic uuid, p_id uuid, p_before timestamptz, p_after timestamptz) RETURNS void
        LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
          INSERT INTO report_dirty (organization_id, clinic_id, day)
          SELECT p_org, p_clinic, d::date
          FROM (SELECT (least(c.created_at, m.at, p_before) AT TIME ZONE c.time_zone)::date AS was,
                       (least(c.created_at, m.at, p_after) AT TIME ZONE c.time_zone)::date AS is_now
                FROM clinic c
                CROSS JOIN LATERAL (SELECT min(a.starts_at) AS at FROM appointment a
                                    WHERE a.organization_id = p_org AND a.clinic_id = p_clinic AND a.id <> p_id) m
                WHERE c.organization_id = p_org AND c.id = p_clinic) x
          CROSS JOIN LATERAL generate_series(least(x.was, x.is_now), greatest(x.was, x.is_now) - 1, interval '1 day') d
          WHERE x.was <> x.is_now;
        $f$;

      -- Fewer marks per change (see the header).
      CREATE OR REPLACE FUNCTION fascia_report_on_appointment() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
        DECLARE v_same_day boolean := false; v_plan_changed boolean; v_firsts_changed boolean;
        BEGIN
          IF TG_OP = 'UPDATE' THEN
            IF (NEW.clinic_id, NEW.practitioner_id, NEW.client_id, NEW.plan_id, NEW.starts_at, NEW.ends_at, NEW.status, NEW.rescheduled_from)
                 IS NOT DISTINCT FROM (OLD.clinic_id, OLD.practitioner_id, OLD.client_id, OLD.plan_id, OLD.starts_at, OLD.ends_at, OLD.status, OLD.rescheduled_from) THEN
              RETURN NULL;
            END IF;
            v_same_day := NEW.organization_id = OLD.organization_id AND NEW.clinic_id = OLD.clinic_id
              AND (NEW.starts_at = OLD.starts_at OR EXISTS (
                SELECT 1 FROM clinic c WHERE c.organization_id = NEW.organization_id AND c.id = NEW.clinic_id
                  AND (NEW.starts_at AT TIME ZONE c.time_zone)::date = (OLD.starts_at AT TIME ZONE c.time_zone)::date));
            -- A plan's facts read its appointments' status and start only.
            v_plan_changed := (NEW.plan_id, NEW.status, NEW.starts_at) IS DISTINCT FROM (OLD.plan_id, OLD.status, OLD.starts_at);
            -- New vs returning reads the client's completed visits only.
            v_firsts_changed := (OLD.status = 'COMPLETED' OR NEW.status = 'COMPLETED')
              AND (NEW.status, NEW.client_id, NEW.starts_at) IS DISTINCT FROM (OLD.status, OLD.client_id, OLD.starts_at);
          ELSE
            v_plan_changed := true;
            IF TG_OP = 'INSERT' THEN v_firsts_changed := NEW.status = 'COMPLETED'; ELSE v_firsts_changed := OLD.status = 'COMPLETED'; END IF;
          END IF;
          IF TG_OP <> 'UPDATE' OR (NEW.clinic_id, NEW.starts_at) IS DISTINCT FROM (OLD.clinic_id, OLD.starts_at) THEN
            IF TG_OP <> 'INSERT' THEN
              PERFORM fascia_report_mark_first_day(OLD.organization_id, OLD.clinic_id, OLD.id, OLD.starts_at,
                CASE WHEN TG_OP = 'UPDATE' AND NEW.clinic_id = OLD.clinic_id THEN NEW.starts_at END);
            END IF;
            IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.clinic_id <> OLD.clinic_id) THEN
              PERFORM fascia_report_mark_first_day(NEW.organization_id, NEW.clinic_id, NEW.id, NULL, NEW.starts_at);
            END IF;
          END IF;
          -- Other visits change between new and returning only when the changed one was, or now is, the client's first
          -- completed visit (its own day is marked anyway).
          IF v_firsts_changed THEN
            v_firsts_changed :=
              (TG_OP <> 'INSERT' AND OLD.status = 'COMPLETED' AND NOT EXISTS (
                SELECT 1 FROM appointment e WHERE e.organization_id = OLD.organization_id AND e.client_id = OLD.client_id AND e.status = 'COMPLETED'
                  AND e.id <> OLD.id AND (e.starts_at, e.id) < (OLD.starts_at, OLD.id)))
              OR (TG_OP <> 'DELETE' AND NEW.status = 'COMPLETED' AND NOT EXISTS (
                SELECT 1 FROM appointment e WHERE e.organization_id = NEW.organization_id AND e.client_id = NEW.client_id AND e.status = 'COMPLETED'
                  AND e.id <> NEW.id AND (e.starts_at, e.id) < (NEW.starts_at, NEW.id)));
          END IF;
          IF TG_OP <> 'INSERT' THEN
            PERFORM fascia_report_mark_day(OLD.organization_id, OLD.clinic_id, OLD.starts_at);
            IF OLD.plan_id IS NOT NULL AND v_plan_changed THEN PERFORM fascia_report_mark_plan(OLD.organization_id, OLD.plan_id); END IF;
            IF v_firsts_changed THEN PERFORM fascia_report_mark_client_firsts(OLD.organization_id, OLD.client_id); END IF;
          END IF;
          IF TG_OP <> 'DELETE' THEN
            IF NOT v_same_day THEN PERFORM fascia_report_mark_day(NEW.organization_id, NEW.clinic_id, NEW.starts_at); END IF;
            IF NEW.plan_id IS NOT NULL AND NEW.plan_id IS DISTINCT FROM (CASE WHEN TG_OP = 'UPDATE' THEN OLD.plan_id END) THEN
              PERFORM fascia_report_mark_plan(NEW.organization_id, NEW.plan_id);
            END IF;
            IF v_firsts_changed AND (TG_OP = 'INSERT' OR NEW.client_id <> OLD.client_id) THEN
              PERFORM fascia_report_mark_client_firsts(NEW.organization_id, NEW.client_id);
            END IF;
            -- The row this one replaces stops counting as a cancel.
            IF NEW.rescheduled_from IS NOT NULL AND TG_OP = 'INSERT' THEN
              PERFORM fascia_report_mark_day(o.organization_id, o.clinic_id, o.starts_at) FROM appointment o
                WHERE o.organization_id = NEW.organization_id AND o.id = NEW.rescheduled_from;
            END IF;
          END IF;
          RETURN NULL;
        END $f$;

      REVOKE ALL ON FUNCTION fascia_report_recompute_days(jsonb, timestamptz), fascia_report_recompute_plans(jsonb, timestamptz),
        fascia_report_mark_first_day(uuid, uuid, uuid, timestamptz, timestamptz) FROM PUBLIC;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    // The functions of 1764930000000 come back only by reverting that migration too.
    await q.query(`DROP INDEX IF EXISTS report_dirty_day_key_idx, report_dirty_plan_key_idx`);
    throw new Error('ReportDrainSetBased1764945000000 cannot be reverted on its own: revert 1764930000000 with it.');
  }
}
