// The reports' baseline (issue 14 benchmark): each report's totals computed by straightforward SQL
// over the raw tables (appointment, clinic, practitioner_availability, treatment_plan,
// plan_version, session_note, reassessment, referral, referral_inbox) — what a report would cost
// with no roll-up. The definitions follow docs/reports.md (the same rules as the roll-ups'
// recompute functions, written as one set-based query over the whole scope and range).
//
// Parameters of every query: $1 the organization, $2 the clinics (uuid[]), $3 the first and $4 the
// last clinic-local day (YYYY-MM-DD, inclusive). Each returns one row whose columns are the
// report's column keys (the total of the scope and range).

const hhmm = (e) => `(split_part(${e}, ':', 1)::int * 60 + split_part(${e}, ':', 2)::int)`;

/** Appointments of the clinics whose clinic-local start day is in the range, less the rows a reschedule replaced. */
const APPTS = `
  appts AS (
    SELECT a.*, c.time_zone
    FROM appointment a JOIN clinic c ON c.organization_id = a.organization_id AND c.id = a.clinic_id
    WHERE a.organization_id = $1 AND a.clinic_id = ANY($2::uuid[])
      AND a.starts_at >= ($3::date::timestamp AT TIME ZONE c.time_zone) AND a.starts_at < (($4::date + 1)::timestamp AT TIME ZONE c.time_zone)
      AND NOT EXISTS (SELECT 1 FROM appointment n WHERE n.organization_id = a.organization_id AND n.rescheduled_from = a.id))`;

/** One row of facts per plan of the clinics whose clinic-local start day is in the range (PROPOSED and blocked plans have none). */
const PLANS = `
  plans AS (
    SELECT tp.id, tp.status,
      s.sessions, r.min, r.max, r.fin,
      pain.latest - (pv.body->'baseline'->'pain'->0->>'score')::numeric AS pain_change,
      coalesce((SELECT ra.evaluation->>'overall' = 'all-met' FROM reassessment ra
                WHERE ra.organization_id = tp.organization_id AND ra.plan_id = tp.id AND ra.status <> 'DISMISSED'
                ORDER BY ra.assessed_at DESC, ra.id DESC LIMIT 1), false) AS reached,
      t.on_time, t.late, t.missed,
      (tp.status = 'MAINTENANCE' AND EXISTS (
        SELECT 1 FROM appointment b
        WHERE b.organization_id = tp.organization_id AND b.plan_id = tp.id AND b.status IN ('BOOKED','CHECKED_IN','COMPLETED')
          AND b.starts_at > coalesce(s.last_completed, tp.created_at)
          AND b.starts_at <= coalesce(s.last_completed, tp.created_at) + make_interval(days => ceil(7 * m.weeks)::int))) AS within_interval
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
            FROM reassessment ra WHERE ra.organization_id = tp.organization_id AND ra.plan_id = tp.id AND ra.status <> 'DISMISSED') g
    ) t
    CROSS JOIN LATERAL (
      SELECT coalesce((SELECT (ph->'frequency'->'value'->>'perWeeks')::numeric / nullif((ph->'frequency'->'value'->>'sessions')::numeric, 0)
                       FROM jsonb_array_elements(pv.body->'phases') ph WHERE ph->>'kind' = 'maintenance' LIMIT 1), 4) AS weeks
    ) m
    WHERE tp.organization_id = $1 AND tp.clinic_id = ANY($2::uuid[]) AND tp.status <> 'PROPOSED' AND coalesce(pv.body->>'blocked', 'false') <> 'true'
      AND (tp.created_at AT TIME ZONE c.time_zone)::date BETWEEN $3::date AND $4::date)`;

export const RAW = {
  utilisation: `
    WITH ${APPTS}
    SELECT b.booked_minutes, v.available_minutes, b.booked_minutes / nullif(v.available_minutes, 0) AS utilisation
    FROM (SELECT coalesce(sum(extract(epoch FROM ends_at - starts_at) / 60), 0)::float8 AS booked_minutes FROM appts WHERE status IN ('BOOKED','CHECKED_IN','COMPLETED')) b,
         (SELECT coalesce(sum(greatest(0, least(w.end_minute, ${hhmm("o->>'end'")}) - greatest(w.start_minute, ${hhmm("o->>'start'")}))), 0)::float8 AS available_minutes
          FROM clinic c CROSS JOIN generate_series($3::date, $4::date, interval '1 day') d
          JOIN practitioner_availability w ON w.organization_id = c.organization_id AND w.clinic_id = c.id AND w.weekday = extract(isodow FROM d)
          CROSS JOIN jsonb_array_elements(c.opening_hours) o
          WHERE c.organization_id = $1 AND c.id = ANY($2::uuid[]) AND (o->>'weekday')::int = w.weekday) v`,
  attendance: `
    WITH ${APPTS}
    SELECT count(*)::float8 AS booked, count(*) FILTER (WHERE status = 'COMPLETED')::float8 AS completed,
           count(*) FILTER (WHERE status = 'NO_SHOW')::float8 AS "noShows", count(*) FILTER (WHERE status = 'LATE_CANCELLED')::float8 AS "lateCancels",
           count(*) FILTER (WHERE status = 'CANCELLED')::float8 AS cancels,
           (count(*) FILTER (WHERE status = 'NO_SHOW'))::float8 / nullif(count(*), 0) AS "noShowRate"
    FROM appts`,
  clients: `
    WITH ${APPTS}
    SELECT count(*) FILTER (WHERE NOT seen)::float8 AS "newClients", count(*) FILTER (WHERE seen)::float8 AS "returningClients"
    FROM (SELECT EXISTS (SELECT 1 FROM appointment e WHERE e.organization_id = x.organization_id AND e.client_id = x.client_id
                          AND e.status = 'COMPLETED' AND (e.starts_at, e.id) < (x.starts_at, x.id)) AS seen
          FROM appts x WHERE x.status = 'COMPLETED') f`,
  'plan-sessions': `
    WITH ${PLANS}
    SELECT count(*)::float8 AS plans, avg(sessions)::float8 AS "meanSessions", avg(min)::float8 AS "meanExpectedMin", avg(max)::float8 AS "meanExpectedMax",
           count(*) FILTER (WHERE fin AND sessions BETWEEN min AND max)::float8 AS "withinRange",
           count(*) FILTER (WHERE fin AND sessions < min)::float8 AS "belowRange", count(*) FILTER (WHERE fin AND sessions > max)::float8 AS "aboveRange"
    FROM plans`,
  outcomes: `
    WITH ${PLANS}
    SELECT count(*)::float8 AS plans, avg(pain_change)::float8 AS "meanPainChange", count(*) FILTER (WHERE reached)::float8 AS "reachedBenchmark"
    FROM plans`,
  'outcome-distribution': `
    WITH ${PLANS}
    SELECT count(*) FILTER (WHERE pain_change IS NOT NULL)::float8 AS plans, count(*) FILTER (WHERE reached AND pain_change IS NOT NULL)::float8 AS "reachedBenchmark"
    FROM plans`,
  'reassessment-timeliness': `
    WITH ${PLANS}
    SELECT sum(on_time)::float8 AS "onTime", sum(late)::float8 AS late, sum(missed)::float8 AS missed,
           sum(on_time)::float8 / nullif(sum(on_time + late + missed), 0) AS "onTimeRate"
    FROM plans`,
  retention: `
    WITH ${PLANS}
    SELECT count(*) FILTER (WHERE status = 'MAINTENANCE')::float8 AS "inMaintenance", count(*) FILTER (WHERE within_interval)::float8 AS "bookedWithinInterval"
    FROM plans`,
  'referral-flow': `
    SELECT s.sent, r.received, s.accepted, s.accepted / nullif(s.sent, 0) AS "acceptanceRate", s.hours AS "meanHoursToAccept"
    FROM (SELECT count(*)::float8 AS sent, count(*) FILTER (WHERE f.status IN ('ACCEPTED','SCHEDULED','COMPLETED','CLOSED'))::float8 AS accepted,
                 (avg(extract(epoch FROM f.responded_at - f.sent_at) / 3600) FILTER (WHERE f.status IN ('ACCEPTED','SCHEDULED','COMPLETED','CLOSED')))::float8 AS hours
          FROM referral f JOIN clinic c ON c.organization_id = f.organization_id AND c.id = f.referring_clinic_id
          WHERE f.organization_id = $1 AND f.referring_clinic_id = ANY($2::uuid[]) AND f.sent_at IS NOT NULL
            AND (f.sent_at AT TIME ZONE c.time_zone)::date BETWEEN $3::date AND $4::date) s,
         (SELECT count(*)::float8 AS received FROM referral_inbox i JOIN clinic c ON c.organization_id = i.organization_id AND c.id = i.clinic_id
          WHERE i.organization_id = $1 AND i.clinic_id = ANY($2::uuid[]) AND (i.sent_at AT TIME ZONE c.time_zone)::date BETWEEN $3::date AND $4::date) r`,
};
