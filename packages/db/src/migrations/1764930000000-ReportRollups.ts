import type { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from './rls';

/**
 * Issue 14: the reports' roll-ups (docs/reports.md, docs/worker.md "Report roll-ups").
 *
 *  - report_day: per organization, clinic, practitioner and clinic-local day, the counters of
 *    utilisation, attendance and new/returning clients. report_clinic_day: the same summed per
 *    clinic and day (what organization- and clinic-wide reports read).
 *  - report_plan: one row of facts per treatment plan (sessions against the expected range, pain
 *    change, benchmark, re-assessment timeliness, maintenance retention), dated by the plan's
 *    clinic-local start day.
 *  - report_dirty: what changed and is not yet recomputed: (clinic, day) or (plan). Written by
 *    triggers on the source tables in the same transaction as the change, so no code path can
 *    forget it; drained by `fascia_report_drain(limit)` (the worker's `report.drain` job), which
 *    claims marks with FOR UPDATE SKIP LOCKED, serializes each key with an advisory lock and
 *    recomputes exactly those rows from the raw tables. Idempotent: a key recomputed twice
 *    gives the same row.
 *
 * The trigger and recompute functions are SECURITY DEFINER with a fixed search_path: they write
 * tables the application roles only read.
 */
export class ReportRollups1764930000000 implements MigrationInterface {
  name = 'ReportRollups1764930000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report_day (
        organization_id uuid NOT NULL,
        clinic_id uuid NOT NULL,
        practitioner_id uuid NOT NULL,
        day date NOT NULL,
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
        PRIMARY KEY (organization_id, clinic_id, day, practitioner_id),
        FOREIGN KEY (organization_id, clinic_id) REFERENCES clinic(organization_id, id),
        FOREIGN KEY (organization_id, practitioner_id) REFERENCES practitioner(organization_id, id)
      );
      CREATE INDEX report_day_org_day_idx ON report_day (organization_id, day);

      CREATE TABLE report_clinic_day (
        organization_id uuid NOT NULL,
        clinic_id uuid NOT NULL,
        day date NOT NULL,
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
        PRIMARY KEY (organization_id, clinic_id, day),
        FOREIGN KEY (organization_id, clinic_id) REFERENCES clinic(organization_id, id)
      );
      CREATE INDEX report_clinic_day_org_day_idx ON report_clinic_day (organization_id, day);

      CREATE TABLE report_plan (
        organization_id uuid NOT NULL,
        plan_id uuid NOT NULL,
        clinic_id uuid NOT NULL,
        practitioner_id uuid NOT NULL,
        condition text NOT NULL,
        day date NOT NULL,
        sessions int NOT NULL,
        expected_min int NOT NULL,
        expected_max int NOT NULL,
        -- Only plans past active care (maintenance, completed, discontinued) are placed against the range.
        within_range int NOT NULL,
        below_range int NOT NULL,
        above_range int NOT NULL,
        pain_change numeric,
        reached_benchmark int NOT NULL,
        on_time int NOT NULL,
        late int NOT NULL,
        missed int NOT NULL,
        in_maintenance int NOT NULL,
        booked_within_interval int NOT NULL,
        computed_at timestamptz NOT NULL,
        PRIMARY KEY (organization_id, plan_id),
        FOREIGN KEY (organization_id, plan_id) REFERENCES treatment_plan(organization_id, id),
        FOREIGN KEY (organization_id, clinic_id) REFERENCES clinic(organization_id, id)
      );
      CREATE INDEX report_plan_org_day_idx ON report_plan (organization_id, day);
      CREATE INDEX report_plan_org_clinic_day_idx ON report_plan (organization_id, clinic_id, day);

      CREATE TABLE report_dirty (
        id bigint GENERATED ALWAYS AS IDENTITY,
        organization_id uuid NOT NULL,
        clinic_id uuid NOT NULL,
        day date,
        plan_id uuid,
        marked_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (organization_id, id),
        CHECK ((day IS NULL) <> (plan_id IS NULL))
      );
      CREATE INDEX report_dirty_claim_idx ON report_dirty (id);
      CREATE INDEX report_dirty_org_clinic_idx ON report_dirty (organization_id, clinic_id);

      -- A reschedule cancels the old row and names it in the new one: the old one is not a cancel.
      CREATE INDEX appointment_rescheduled_from_idx ON appointment (organization_id, rescheduled_from) WHERE rescheduled_from IS NOT NULL;
      CREATE INDEX appointment_client_completed_idx ON appointment (organization_id, client_id, starts_at, id) WHERE status = 'COMPLETED';
    `);
    for (const t of ['report_day', 'report_clinic_day', 'report_plan', 'report_dirty']) {
      await q.query(tenantTableSql(t, { app: 'SELECT' }));
    }

    await q.query(`
      -- Marks -------------------------------------------------------------------------------
      CREATE FUNCTION fascia_report_mark_day(p_org uuid, p_clinic uuid, p_at timestamptz) RETURNS void
        LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
          INSERT INTO report_dirty (organization_id, clinic_id, day)
          SELECT p_org, p_clinic, (p_at AT TIME ZONE c.time_zone)::date FROM clinic c WHERE c.organization_id = p_org AND c.id = p_clinic;
        $f$;

      CREATE FUNCTION fascia_report_mark_plan(p_org uuid, p_plan uuid) RETURNS void
        LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
          INSERT INTO report_dirty (organization_id, clinic_id, plan_id)
          SELECT p_org, tp.clinic_id, tp.id FROM treatment_plan tp WHERE tp.organization_id = p_org AND tp.id = p_plan;
        $f$;

      -- A client's first completed visit decides new vs returning: mark the days of their first two
      -- (after the change, the old first is the changed row itself or one of these).
      CREATE FUNCTION fascia_report_mark_client_firsts(p_org uuid, p_client uuid) RETURNS void
        LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
          INSERT INTO report_dirty (organization_id, clinic_id, day)
          SELECT a.organization_id, a.clinic_id, (a.starts_at AT TIME ZONE c.time_zone)::date
          FROM (SELECT organization_id, clinic_id, starts_at FROM appointment
                WHERE organization_id = p_org AND client_id = p_client AND status = 'COMPLETED'
                ORDER BY starts_at, id LIMIT 2) a
          JOIN clinic c ON c.organization_id = a.organization_id AND c.id = a.clinic_id;
        $f$;

      -- Days of a clinic a change of hours reaches: from 35 days back (the reconcile window) to a year ahead.
      -- Older days keep the hours they were computed with (the weekly template has no history).
      CREATE FUNCTION fascia_report_mark_clinic_days(p_org uuid, p_clinic uuid) RETURNS void
        LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
          INSERT INTO report_dirty (organization_id, clinic_id, day)
          SELECT p_org, p_clinic, d::date
          FROM clinic c, generate_series((now() AT TIME ZONE c.time_zone)::date - 35, (now() AT TIME ZONE c.time_zone)::date + 366, interval '1 day') d
          WHERE c.organization_id = p_org AND c.id = p_clinic;
        $f$;

      CREATE FUNCTION fascia_report_on_appointment() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
        BEGIN
          IF TG_OP = 'UPDATE' AND (NEW.clinic_id, NEW.practitioner_id, NEW.client_id, NEW.plan_id, NEW.starts_at, NEW.ends_at, NEW.status, NEW.rescheduled_from)
               IS NOT DISTINCT FROM (OLD.clinic_id, OLD.practitioner_id, OLD.client_id, OLD.plan_id, OLD.starts_at, OLD.ends_at, OLD.status, OLD.rescheduled_from) THEN
            RETURN NULL;
          END IF;
          IF TG_OP <> 'INSERT' THEN
            PERFORM fascia_report_mark_day(OLD.organization_id, OLD.clinic_id, OLD.starts_at);
            IF OLD.plan_id IS NOT NULL THEN PERFORM fascia_report_mark_plan(OLD.organization_id, OLD.plan_id); END IF;
            PERFORM fascia_report_mark_client_firsts(OLD.organization_id, OLD.client_id);
          END IF;
          IF TG_OP <> 'DELETE' THEN
            PERFORM fascia_report_mark_day(NEW.organization_id, NEW.clinic_id, NEW.starts_at);
            IF NEW.plan_id IS NOT NULL AND NEW.plan_id IS DISTINCT FROM (CASE WHEN TG_OP = 'UPDATE' THEN OLD.plan_id END) THEN
              PERFORM fascia_report_mark_plan(NEW.organization_id, NEW.plan_id);
            END IF;
            IF TG_OP = 'INSERT' OR NEW.client_id <> OLD.client_id THEN PERFORM fascia_report_mark_client_firsts(NEW.organization_id, NEW.client_id); END IF;
            -- The row this one replaces stops counting as a cancel.
            IF NEW.rescheduled_from IS NOT NULL AND TG_OP = 'INSERT' THEN
              PERFORM fascia_report_mark_day(o.organization_id, o.clinic_id, o.starts_at) FROM appointment o
                WHERE o.organization_id = NEW.organization_id AND o.id = NEW.rescheduled_from;
            END IF;
          END IF;
          RETURN NULL;
        END $f$;
      CREATE TRIGGER appointment_report_dirty AFTER INSERT OR UPDATE OR DELETE ON appointment
        FOR EACH ROW EXECUTE FUNCTION fascia_report_on_appointment();

      -- Notes, re-assessments, plan versions and plans change a plan's facts.
      CREATE FUNCTION fascia_report_on_plan_child() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
        DECLARE v_plan uuid;
        BEGIN
          IF TG_TABLE_NAME = 'session_note' THEN
            v_plan := coalesce(NEW.plan_id, (SELECT a.plan_id FROM appointment a WHERE a.organization_id = NEW.organization_id AND a.id = NEW.appointment_id));
          ELSIF TG_TABLE_NAME = 'treatment_plan' THEN
            v_plan := NEW.id;
          ELSE
            v_plan := NEW.plan_id;
          END IF;
          IF v_plan IS NOT NULL THEN PERFORM fascia_report_mark_plan(NEW.organization_id, v_plan); END IF;
          RETURN NULL;
        END $f$;
      CREATE TRIGGER session_note_report_dirty AFTER INSERT OR UPDATE OF signed_at, pain_after, plan_id ON session_note
        FOR EACH ROW EXECUTE FUNCTION fascia_report_on_plan_child();
      CREATE TRIGGER reassessment_report_dirty AFTER INSERT OR UPDATE ON reassessment
        FOR EACH ROW EXECUTE FUNCTION fascia_report_on_plan_child();
      CREATE TRIGGER plan_version_report_dirty AFTER INSERT ON plan_version
        FOR EACH ROW EXECUTE FUNCTION fascia_report_on_plan_child();
      CREATE TRIGGER treatment_plan_report_dirty AFTER INSERT OR UPDATE OF status, current_version, clinic_id, practitioner_id ON treatment_plan
        FOR EACH ROW EXECUTE FUNCTION fascia_report_on_plan_child();

      -- Weekly hours and opening hours change available minutes.
      CREATE FUNCTION fascia_report_on_hours() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
        BEGIN
          IF TG_TABLE_NAME = 'clinic' THEN
            PERFORM fascia_report_mark_clinic_days(NEW.organization_id, NEW.id);
            RETURN NULL;
          END IF;
          IF TG_OP <> 'INSERT' THEN PERFORM fascia_report_mark_clinic_days(OLD.organization_id, OLD.clinic_id); END IF;
          IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.clinic_id <> OLD.clinic_id) THEN
            PERFORM fascia_report_mark_clinic_days(NEW.organization_id, NEW.clinic_id);
          END IF;
          RETURN NULL;
        END $f$;
      CREATE TRIGGER practitioner_availability_report_dirty AFTER INSERT OR UPDATE OR DELETE ON practitioner_availability
        FOR EACH ROW EXECUTE FUNCTION fascia_report_on_hours();
      CREATE TRIGGER clinic_hours_report_dirty AFTER UPDATE OF opening_hours, time_zone ON clinic
        FOR EACH ROW WHEN (OLD.opening_hours IS DISTINCT FROM NEW.opening_hours OR OLD.time_zone IS DISTINCT FROM NEW.time_zone)
        EXECUTE FUNCTION fascia_report_on_hours();

      -- Recompute ---------------------------------------------------------------------------
      CREATE FUNCTION fascia_report_hhmm(p text) RETURNS int LANGUAGE sql IMMUTABLE AS $f$
        SELECT split_part(p, ':', 1)::int * 60 + split_part(p, ':', 2)::int
      $f$;

      CREATE FUNCTION fascia_report_recompute_day(p_org uuid, p_clinic uuid, p_day date) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
        DECLARE
          v_zone text; v_open jsonb; v_from timestamptz; v_to timestamptz;
          v_dow int := extract(isodow FROM p_day)::int;
          v_now timestamptz := clock_timestamp();
        BEGIN
          SELECT time_zone, opening_hours INTO v_zone, v_open FROM clinic WHERE organization_id = p_org AND id = p_clinic;
          DELETE FROM report_day WHERE organization_id = p_org AND clinic_id = p_clinic AND day = p_day;
          DELETE FROM report_clinic_day WHERE organization_id = p_org AND clinic_id = p_clinic AND day = p_day;
          IF v_zone IS NULL THEN RETURN; END IF;
          v_from := p_day::timestamp AT TIME ZONE v_zone;
          v_to := (p_day + 1)::timestamp AT TIME ZONE v_zone;
          INSERT INTO report_day (organization_id, clinic_id, practitioner_id, day, booked_minutes, available_minutes, booked, completed,
                                  no_shows, late_cancels, cancels, new_clients, returning_clients, computed_at)
          WITH appts AS (
            SELECT a.practitioner_id,
              coalesce(sum(extract(epoch FROM a.ends_at - a.starts_at) / 60) FILTER (WHERE a.status IN ('BOOKED','CHECKED_IN','COMPLETED')), 0)::int AS booked_minutes,
              count(*)::int AS booked,
              count(*) FILTER (WHERE a.status = 'COMPLETED')::int AS completed,
              count(*) FILTER (WHERE a.status = 'NO_SHOW')::int AS no_shows,
              count(*) FILTER (WHERE a.status = 'LATE_CANCELLED')::int AS late_cancels,
              count(*) FILTER (WHERE a.status = 'CANCELLED')::int AS cancels,
              count(*) FILTER (WHERE a.status = 'COMPLETED' AND NOT a.seen_before)::int AS new_clients,
              count(*) FILTER (WHERE a.status = 'COMPLETED' AND a.seen_before)::int AS returning_clients
            FROM (
              SELECT x.*, EXISTS (
                  SELECT 1 FROM appointment e WHERE e.organization_id = x.organization_id AND e.client_id = x.client_id
                    AND e.status = 'COMPLETED' AND (e.starts_at, e.id) < (x.starts_at, x.id)) AS seen_before
              FROM appointment x
              WHERE x.organization_id = p_org AND x.clinic_id = p_clinic AND x.starts_at >= v_from AND x.starts_at < v_to
                AND NOT EXISTS (SELECT 1 FROM appointment n WHERE n.organization_id = x.organization_id AND n.rescheduled_from = x.id)
            ) a
            GROUP BY a.practitioner_id
          ), avail AS (
            SELECT w.practitioner_id,
              sum(greatest(0, least(w.end_minute, fascia_report_hhmm(o->>'end')) - greatest(w.start_minute, fascia_report_hhmm(o->>'start'))))::int AS minutes
            FROM practitioner_availability w
            CROSS JOIN jsonb_array_elements(v_open) o
            WHERE w.organization_id = p_org AND w.clinic_id = p_clinic AND w.weekday = v_dow AND (o->>'weekday')::int = v_dow
            GROUP BY w.practitioner_id
          )
          SELECT p_org, p_clinic, coalesce(a.practitioner_id, v.practitioner_id), p_day,
            coalesce(a.booked_minutes, 0), coalesce(v.minutes, 0), coalesce(a.booked, 0), coalesce(a.completed, 0), coalesce(a.no_shows, 0),
            coalesce(a.late_cancels, 0), coalesce(a.cancels, 0), coalesce(a.new_clients, 0), coalesce(a.returning_clients, 0), v_now
          FROM appts a FULL JOIN avail v ON v.practitioner_id = a.practitioner_id;

          INSERT INTO report_clinic_day (organization_id, clinic_id, day, booked_minutes, available_minutes, booked, completed,
                                         no_shows, late_cancels, cancels, new_clients, returning_clients, computed_at)
          SELECT p_org, p_clinic, p_day, sum(booked_minutes), sum(available_minutes), sum(booked), sum(completed), sum(no_shows),
                 sum(late_cancels), sum(cancels), sum(new_clients), sum(returning_clients), v_now
          FROM report_day WHERE organization_id = p_org AND clinic_id = p_clinic AND day = p_day
          HAVING count(*) > 0;
        END $f$;

      -- One plan's facts (docs/reports.md): a PROPOSED or blocked plan has none.
      CREATE FUNCTION fascia_report_recompute_plan(p_org uuid, p_plan uuid) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
        BEGIN
          DELETE FROM report_plan WHERE organization_id = p_org AND plan_id = p_plan;
          INSERT INTO report_plan (organization_id, plan_id, clinic_id, practitioner_id, condition, day, sessions, expected_min, expected_max,
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
            clock_timestamp()
          FROM treatment_plan tp
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
          WHERE tp.organization_id = p_org AND tp.id = p_plan AND tp.status <> 'PROPOSED' AND coalesce(pv.body->>'blocked', 'false') <> 'true';
        END $f$;

      -- Drain ---------------------------------------------------------------------------------
      -- Claims up to p_limit marks (skipping those another worker holds), recomputes each distinct
      -- key once under an advisory lock (so two workers never interleave on one key, and the later
      -- one reads what the earlier committed), deletes the marks; returns how many marks it consumed.
      CREATE FUNCTION fascia_report_drain(p_limit int) RETURNS int
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
        DECLARE v_n int; v_keys jsonb; k record;
        BEGIN
          WITH d AS (
            DELETE FROM report_dirty WHERE id IN (SELECT id FROM report_dirty ORDER BY id LIMIT p_limit FOR UPDATE SKIP LOCKED)
            RETURNING organization_id, clinic_id, day, plan_id
          )
          SELECT count(*)::int,
                 coalesce(jsonb_agg(DISTINCT jsonb_build_object('o', organization_id, 'c', CASE WHEN plan_id IS NULL THEN clinic_id END, 'd', day, 'p', plan_id)), '[]')
            INTO v_n, v_keys FROM d;
          FOR k IN SELECT * FROM jsonb_to_recordset(v_keys) AS x(o uuid, c uuid, d date, p uuid) ORDER BY o, p NULLS FIRST, c, d LOOP
            IF k.p IS NOT NULL THEN
              PERFORM pg_advisory_xact_lock(hashtextextended('report:plan:' || k.p::text, 0));
              PERFORM fascia_report_recompute_plan(k.o, k.p);
            ELSE
              PERFORM pg_advisory_xact_lock(hashtextextended('report:day:' || k.c::text || ':' || k.d::text, 0));
              PERFORM fascia_report_recompute_day(k.o, k.c, k.d);
            END IF;
          END LOOP;
          RETURN v_n;
        END $f$;

      -- The nightly reconcile: every clinic's recent and coming days, every live plan.
      CREATE FUNCTION fascia_report_mark_recent(p_days_back int, p_days_ahead int) RETURNS int
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
        DECLARE v_n int; v_m int;
        BEGIN
          INSERT INTO report_dirty (organization_id, clinic_id, day)
          SELECT c.organization_id, c.id, d::date
          FROM clinic c, generate_series((now() AT TIME ZONE c.time_zone)::date - p_days_back, (now() AT TIME ZONE c.time_zone)::date + p_days_ahead, interval '1 day') d;
          GET DIAGNOSTICS v_n = ROW_COUNT;
          INSERT INTO report_dirty (organization_id, clinic_id, plan_id)
          SELECT organization_id, clinic_id, id FROM treatment_plan WHERE status IN ('ACTIVE','MAINTENANCE');
          GET DIAGNOSTICS v_m = ROW_COUNT;
          RETURN v_n + v_m;
        END $f$;

      -- Everything from the first appointment (or the clinic's creation) to a year ahead, and every plan:
      -- the first fill of a database that had data before the roll-ups (this migration, the seed, the scale generator).
      CREATE FUNCTION fascia_report_mark_all() RETURNS int
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
        DECLARE v_n int; v_m int;
        BEGIN
          INSERT INTO report_dirty (organization_id, clinic_id, day)
          SELECT c.organization_id, c.id, d::date
          FROM clinic c
          CROSS JOIN LATERAL (SELECT min(a.starts_at) AS first_at, max(a.starts_at) AS last_at FROM appointment a
                              WHERE a.organization_id = c.organization_id AND a.clinic_id = c.id) b
          CROSS JOIN LATERAL generate_series(
            (least(coalesce(b.first_at, c.created_at), c.created_at) AT TIME ZONE c.time_zone)::date,
            greatest((coalesce(b.last_at, now()) AT TIME ZONE c.time_zone)::date, (now() AT TIME ZONE c.time_zone)::date + 366),
            interval '1 day') d;
          GET DIAGNOSTICS v_n = ROW_COUNT;
          INSERT INTO report_dirty (organization_id, clinic_id, plan_id)
          SELECT organization_id, clinic_id, id FROM treatment_plan;
          GET DIAGNOSTICS v_m = ROW_COUNT;
          RETURN v_n + v_m;
        END $f$;

      REVOKE ALL ON FUNCTION fascia_report_drain(int), fascia_report_mark_recent(int, int), fascia_report_mark_all(),
        fascia_report_recompute_day(uuid, uuid, date), fascia_report_recompute_plan(uuid, uuid),
        fascia_report_mark_day(uuid, uuid, timestamptz), fascia_report_mark_plan(uuid, uuid),
        fascia_report_mark_client_firsts(uuid, uuid), fascia_report_mark_clinic_days(uuid, uuid) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION fascia_report_drain(int), fascia_report_mark_recent(int, int), fascia_report_mark_all() TO fascia_system;
      GRANT SELECT ON report_dirty TO fascia_system;
      CREATE POLICY report_dirty_system ON report_dirty FOR SELECT TO fascia_system USING (true);

      SELECT fascia_report_mark_all();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER IF EXISTS appointment_report_dirty ON appointment;
      DROP TRIGGER IF EXISTS session_note_report_dirty ON session_note;
      DROP TRIGGER IF EXISTS reassessment_report_dirty ON reassessment;
      DROP TRIGGER IF EXISTS plan_version_report_dirty ON plan_version;
      DROP TRIGGER IF EXISTS treatment_plan_report_dirty ON treatment_plan;
      DROP TRIGGER IF EXISTS practitioner_availability_report_dirty ON practitioner_availability;
      DROP TRIGGER IF EXISTS clinic_hours_report_dirty ON clinic;
      DROP FUNCTION IF EXISTS fascia_report_drain(int), fascia_report_mark_recent(int, int), fascia_report_mark_all(),
        fascia_report_recompute_day(uuid, uuid, date), fascia_report_recompute_plan(uuid, uuid), fascia_report_hhmm(text),
        fascia_report_on_appointment(), fascia_report_on_plan_child(), fascia_report_on_hours(),
        fascia_report_mark_day(uuid, uuid, timestamptz), fascia_report_mark_plan(uuid, uuid),
        fascia_report_mark_client_firsts(uuid, uuid), fascia_report_mark_clinic_days(uuid, uuid);
      DROP INDEX IF EXISTS appointment_rescheduled_from_idx, appointment_client_completed_idx;
      DROP TABLE IF EXISTS report_dirty, report_plan, report_clinic_day, report_day;
    `);
  }
}
