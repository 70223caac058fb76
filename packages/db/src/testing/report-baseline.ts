/**
 * The reports computed the straightforward way, from the raw tables (appointment, availability,
 * plans, notes, re-assessments) — never the roll-ups. The property test compares every report
 * with it, and the benchmark (bench/) times it as the baseline. One query per grain over the raw
 * rows, then the facts and the grouping in plain code through the reporting package's
 * definitions (counters → figures), so only the roll-ups and their aggregation are under test.
 */
import {
  DAY_COUNTERS,
  type Grouping,
  PLAN_COUNTERS,
  REFERRAL_COUNTERS,
  REPORTS,
  type BuiltReportName,
  bucketKey,
  disciplinePairKey,
  isTimeGrouping,
  painBucket,
  previousPeriod,
  rangePosition,
  sumCounters,
  timeliness,
} from '@fascia/reporting';

/** Anything that runs SQL with positional parameters (a DataSource, an EntityManager, a pg Client wrapper). */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export interface BaselineScope {
  organizationId: string;
  /** null: every clinic of the organization. */
  clinicIds: string[] | null;
  from: string;
  to: string;
  groupBy: Grouping;
}

export interface BaselineReport {
  rows: { key: string; values: (number | null)[] }[];
  total: (number | null)[];
  previousTotal: (number | null)[];
}

interface DayFact {
  clinicId: string;
  practitionerId: string;
  discipline: string;
  day: string;
  counters: Record<string, number>;
}
interface PlanFact extends Omit<DayFact, 'counters'> {
  condition: string;
  painChange: number | null;
  counters: Record<string, number>;
}

const iso = (d: Date | string): string => (typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10));

/** Per clinic, practitioner and clinic-local day, straight from appointments and weekly hours. */
export async function rawDayFacts(q: Queryable, s: Omit<BaselineScope, 'groupBy'>): Promise<DayFact[]> {
  const rows = (await q.query(
    `WITH c AS (
       -- A clinic's days begin on the day it was created or of its first appointment, whichever is earlier (docs/reports.md).
       SELECT cl.id, cl.time_zone, cl.opening_hours,
              (least(cl.created_at, (SELECT min(f.starts_at) FROM appointment f WHERE f.organization_id = cl.organization_id AND f.clinic_id = cl.id))
                 AT TIME ZONE cl.time_zone)::date AS first_day
       FROM clinic cl WHERE cl.organization_id = $1 AND ($2::uuid[] IS NULL OR cl.id = ANY($2::uuid[]))
     ), a AS (
       SELECT x.clinic_id, x.practitioner_id, (x.starts_at AT TIME ZONE c.time_zone)::date AS day, x.status,
              extract(epoch FROM x.ends_at - x.starts_at) / 60 AS minutes,
              EXISTS (SELECT 1 FROM appointment e WHERE e.organization_id = x.organization_id AND e.client_id = x.client_id AND e.status = 'COMPLETED'
                        AND (e.starts_at < x.starts_at OR (e.starts_at = x.starts_at AND e.id < x.id))) AS seen_before
       FROM appointment x JOIN c ON c.id = x.clinic_id
       WHERE x.organization_id = $1
         AND x.id NOT IN (SELECT r.rescheduled_from FROM appointment r WHERE r.organization_id = $1 AND r.rescheduled_from IS NOT NULL)
     ), ad AS (
       SELECT clinic_id, practitioner_id, day,
              coalesce(sum(minutes) FILTER (WHERE status IN ('BOOKED','CHECKED_IN','COMPLETED')), 0) AS booked_minutes,
              count(*) AS booked,
              count(*) FILTER (WHERE status = 'COMPLETED') AS completed,
              count(*) FILTER (WHERE status = 'NO_SHOW') AS no_shows,
              count(*) FILTER (WHERE status = 'LATE_CANCELLED') AS late_cancels,
              count(*) FILTER (WHERE status = 'CANCELLED') AS cancels,
              count(*) FILTER (WHERE status = 'COMPLETED' AND NOT seen_before) AS new_clients,
              count(*) FILTER (WHERE status = 'COMPLETED' AND seen_before) AS returning_clients
       FROM a WHERE day BETWEEN $3::date AND $4::date GROUP BY 1, 2, 3
     ), vd AS (
       SELECT w.clinic_id, w.practitioner_id, d::date AS day,
              sum(greatest(0, least(w.end_minute, split_part(o->>'end', ':', 1)::int * 60 + split_part(o->>'end', ':', 2)::int)
                              - greatest(w.start_minute, split_part(o->>'start', ':', 1)::int * 60 + split_part(o->>'start', ':', 2)::int))) AS minutes
       FROM practitioner_availability w
       JOIN c ON c.id = w.clinic_id
       CROSS JOIN generate_series($3::date, $4::date, interval '1 day') d
       CROSS JOIN jsonb_array_elements(c.opening_hours) o
       WHERE w.organization_id = $1 AND d >= c.first_day AND w.weekday = extract(isodow FROM d) AND (o->>'weekday')::int = extract(isodow FROM d)
       GROUP BY 1, 2, 3
     )
     SELECT coalesce(ad.clinic_id, vd.clinic_id) AS clinic_id, coalesce(ad.practitioner_id, vd.practitioner_id) AS practitioner_id,
            p.discipline, coalesce(ad.day, vd.day)::text AS day,
            coalesce(ad.booked_minutes, 0)::float8 AS "bookedMinutes", coalesce(vd.minutes, 0)::float8 AS "availableMinutes",
            coalesce(ad.booked, 0)::int AS booked, coalesce(ad.completed, 0)::int AS completed, coalesce(ad.no_shows, 0)::int AS "noShows",
            coalesce(ad.late_cancels, 0)::int AS "lateCancels", coalesce(ad.cancels, 0)::int AS cancels,
            coalesce(ad.new_clients, 0)::int AS "newClients", coalesce(ad.returning_clients, 0)::int AS "returningClients"
     FROM ad FULL JOIN vd ON vd.clinic_id = ad.clinic_id AND vd.practitioner_id = ad.practitioner_id AND vd.day = ad.day
     JOIN practitioner p ON p.organization_id = $1 AND p.id = coalesce(ad.practitioner_id, vd.practitioner_id)`,
    [s.organizationId, s.clinicIds, s.from, s.to],
  )) as Record<string, unknown>[];
  return rows.map((r) => ({
    clinicId: String(r.clinic_id),
    practitionerId: String(r.practitioner_id),
    discipline: String(r.discipline),
    day: iso(r.day as string),
    counters: Object.fromEntries(DAY_COUNTERS.map((k) => [k, Number(r[k])])),
  }));
}

interface RawPlan {
  plan_id: string;
  clinic_id: string;
  practitioner_id: string;
  discipline: string;
  day: string;
  status: string;
  created_at: Date;
  body: {
    blocked?: boolean;
    protocol?: { id?: string };
    expectedSessions: { value: { min: number; max: number } };
    baseline?: { pain?: { score: number }[] };
    currentPhaseIndex: number;
    phases: { kind: string; frequency?: { value?: { sessions: number; perWeeks: number } }; reassessment?: { value?: { everyWeeks?: number } } }[];
  };
  completed: string[] | null;
  held: string[] | null;
  reassessments: { at: string; pain: number | null; overall: string | null }[] | null;
  notes: { at: string; pain: number }[] | null;
}

/** One fact row per plan started (clinic-local day of creation) in the range, from the raw tables. */
export async function rawPlanFacts(q: Queryable, s: Omit<BaselineScope, 'groupBy'>): Promise<PlanFact[]> {
  const rows = (await q.query(
    `SELECT tp.id AS plan_id, tp.clinic_id, tp.practitioner_id, p.discipline, (tp.created_at AT TIME ZONE c.time_zone)::date::text AS day,
            tp.status, tp.created_at, pv.body,
            (SELECT json_agg(a.starts_at) FROM appointment a WHERE a.organization_id = tp.organization_id AND a.plan_id = tp.id AND a.status = 'COMPLETED') AS completed,
            (SELECT json_agg(a.starts_at) FROM appointment a WHERE a.organization_id = tp.organization_id AND a.plan_id = tp.id AND a.status IN ('BOOKED','CHECKED_IN','COMPLETED')) AS held,
            (SELECT json_agg(json_build_object('at', r.assessed_at, 'pain', (r.measures->'pain'->0->>'score')::numeric, 'overall', r.evaluation->>'overall') ORDER BY r.assessed_at, r.id)
               FROM reassessment r WHERE r.organization_id = tp.organization_id AND r.plan_id = tp.id AND r.status <> 'DISMISSED') AS reassessments,
            (SELECT json_agg(json_build_object('at', n.signed_at, 'pain', n.pain_after))
               FROM session_note n JOIN appointment a ON a.organization_id = n.organization_id AND a.id = n.appointment_id
               WHERE a.organization_id = tp.organization_id AND a.plan_id = tp.id AND n.signed_at IS NOT NULL AND n.pain_after IS NOT NULL) AS notes
     FROM treatment_plan tp
     JOIN clinic c ON c.organization_id = tp.organization_id AND c.id = tp.clinic_id
     JOIN practitioner p ON p.organization_id = tp.organization_id AND p.id = tp.practitioner_id
     JOIN plan_version pv ON pv.organization_id = tp.organization_id AND pv.plan_id = tp.id AND pv.version = tp.current_version
     WHERE tp.organization_id = $1 AND ($2::uuid[] IS NULL OR tp.clinic_id = ANY($2::uuid[])) AND tp.status <> 'PROPOSED'
       AND (tp.created_at AT TIME ZONE c.time_zone)::date BETWEEN $3::date AND $4::date`,
    [s.organizationId, s.clinicIds, s.from, s.to],
  )) as RawPlan[];
  return rows
    .filter((r) => r.body.blocked !== true)
    .map((r) => {
      const t = (x: string | Date): number => new Date(x).getTime();
      const sessions = (r.completed ?? []).length;
      const { min, max } = r.body.expectedSessions.value;
      const finished = ['MAINTENANCE', 'COMPLETED', 'DISCONTINUED'].includes(r.status);
      const position = rangePosition(sessions, min, max);
      const measured = [...(r.notes ?? []).map((n) => ({ at: t(n.at), pain: Number(n.pain) })), ...(r.reassessments ?? []).filter((x) => x.pain !== null).map((x) => ({ at: t(x.at), pain: Number(x.pain) }))];
      measured.sort((a, b) => b.at - a.at);
      const baseline = r.body.baseline?.pain?.[0]?.score;
      const painChange = measured.length > 0 && baseline !== undefined ? measured[0].pain - baseline : null;
      const ras = r.reassessments ?? [];
      const lastRa = ras[ras.length - 1];
      const cadence = r.body.phases[r.body.currentPhaseIndex]?.reassessment?.value?.everyWeeks ?? 4;
      const verdicts = { onTime: 0, late: 0, missed: 0 };
      let previous = t(r.created_at);
      for (const ra of ras) {
        verdicts[timeliness((t(ra.at) - previous) / 86_400_000, cadence)] += 1;
        previous = t(ra.at);
      }
      const maintenance = r.body.phases.find((ph) => ph.kind === 'maintenance')?.frequency?.value;
      const intervalWeeks = maintenance && maintenance.sessions ? maintenance.perWeeks / maintenance.sessions : 4;
      const completedTimes = (r.completed ?? []).map(t);
      const anchor = completedTimes.length ? Math.max(...completedTimes) : t(r.created_at);
      const bookedWithin = (r.held ?? []).some((h) => t(h) > anchor && t(h) <= anchor + Math.ceil(7 * intervalWeeks) * 86_400_000);
      const counters: Record<string, number> = {
        plans: 1,
        sessions,
        expectedMin: min,
        expectedMax: max,
        finished: finished ? 1 : 0,
        withinRange: finished && position === 'within' ? 1 : 0,
        belowRange: finished && position === 'below' ? 1 : 0,
        aboveRange: finished && position === 'above' ? 1 : 0,
        painMeasured: painChange === null ? 0 : 1,
        painChange: painChange ?? 0,
        reachedBenchmark: lastRa?.overall === 'all-met' ? 1 : 0,
        ...verdicts,
        inMaintenance: r.status === 'MAINTENANCE' ? 1 : 0,
        bookedWithinInterval: r.status === 'MAINTENANCE' && bookedWithin ? 1 : 0,
      };
      return {
        clinicId: r.clinic_id,
        practitionerId: r.practitioner_id,
        discipline: r.discipline,
        day: iso(r.day),
        condition: r.body.protocol?.id ?? 'unknown',
        painChange,
        counters: Object.fromEntries(PLAN_COUNTERS.map((k) => [k, counters[k]])),
      };
    });
}

interface ReferralFact extends Omit<DayFact, 'practitionerId'> {
  practitionerId: null;
}

/**
 * One fact per side of a referral sent in the range (the clinic-local day it was sent at that
 * side's clinic): the referrer's `referral` row counts as sent, the receiver's `referral_inbox`
 * row as received; accepted when that side has an ACCEPTED event, hours from sent to the first.
 */
export async function rawReferralFacts(q: Queryable, s: Omit<BaselineScope, 'groupBy'>): Promise<ReferralFact[]> {
  const rows = (await q.query(
    `SELECT * FROM (
       SELECT 'SENT' AS direction, r.referring_clinic_id AS clinic_id, (r.sent_at AT TIME ZONE c.time_zone)::date::text AS day,
              coalesce(p.discipline, 'UNKNOWN') AS from_discipline, r.target_discipline AS to_discipline,
              extract(epoch FROM (SELECT min(e.at) FROM referral_event e WHERE e.organization_id = r.organization_id AND e.referral_id = r.id AND e.to_status = 'ACCEPTED') - r.sent_at)::float8 / 3600 AS hours
       FROM referral r
       JOIN clinic c ON c.organization_id = r.organization_id AND c.id = r.referring_clinic_id
       LEFT JOIN practitioner p ON p.organization_id = r.organization_id AND p.id = r.referring_practitioner_id
       WHERE r.organization_id = $1 AND r.sent_at IS NOT NULL AND ($2::uuid[] IS NULL OR r.referring_clinic_id = ANY($2::uuid[]))
       UNION ALL
       SELECT 'RECEIVED', i.clinic_id, (i.sent_at AT TIME ZONE c.time_zone)::date::text,
              coalesce(sp.discipline, 'UNKNOWN'), i.discipline,
              extract(epoch FROM (SELECT min(e.at) FROM referral_event e WHERE e.organization_id = i.organization_id AND e.referral_id = i.id AND e.to_status = 'ACCEPTED') - i.sent_at)::float8 / 3600
       FROM referral_inbox i
       JOIN clinic c ON c.organization_id = i.organization_id AND c.id = i.clinic_id
       LEFT JOIN referral sr ON sr.organization_id = i.source_organization_id AND sr.id = i.id
       LEFT JOIN practitioner sp ON sp.organization_id = sr.organization_id AND sp.id = sr.referring_practitioner_id
       WHERE i.organization_id = $1 AND ($2::uuid[] IS NULL OR i.clinic_id = ANY($2::uuid[]))
     ) f WHERE f.day::date BETWEEN $3::date AND $4::date`,
    [s.organizationId, s.clinicIds, s.from, s.to],
  )) as { direction: string; clinic_id: string; day: string; from_discipline: string; to_discipline: string; hours: number | null }[];
  return rows.map((r) => {
    const counters: Record<string, number> = {
      sent: r.direction === 'SENT' ? 1 : 0,
      received: r.direction === 'RECEIVED' ? 1 : 0,
      accepted: r.hours === null ? 0 : 1,
      hoursToAccept: r.hours === null ? 0 : Number(r.hours),
    };
    return {
      clinicId: r.clinic_id,
      practitionerId: null,
      discipline: disciplinePairKey(r.from_discipline, r.to_discipline),
      day: iso(r.day),
      counters: Object.fromEntries(REFERRAL_COUNTERS.map((k) => [k, counters[k]])),
    };
  });
}

/** A report from the raw tables: rows keyed as the API keys them (only groups with facts), the total and the previous total. */
export async function baselineReport(q: Queryable, name: BuiltReportName, s: BaselineScope): Promise<BaselineReport> {
  const def = REPORTS[name];
  const prev = previousPeriod(s.from, s.to);
  const range = { ...s, from: prev.from };
  const facts: (DayFact | PlanFact | ReferralFact)[] =
    def.grain === 'day' ? await rawDayFacts(q, range) : def.grain === 'referral' ? await rawReferralFacts(q, range) : await rawPlanFacts(q, range);
  const counters = (def.grain === 'day' ? DAY_COUNTERS : def.grain === 'referral' ? REFERRAL_COUNTERS : PLAN_COUNTERS) as readonly string[];
  const values = def.values as (c: Record<string, number>) => (number | null)[];
  const distribution = name === 'outcome-distribution';
  const inScope = (f: DayFact | PlanFact | ReferralFact) => !distribution || (f as PlanFact).painChange !== null;
  const current = facts.filter((f) => f.day >= s.from && inScope(f));
  const previous = facts.filter((f) => f.day < s.from && inScope(f));
  const keyOf = (f: DayFact | PlanFact | ReferralFact): string | null => {
    if (distribution) return painBucket((f as PlanFact).painChange as number);
    if (!(def.groupings as readonly Grouping[]).includes(s.groupBy)) return null;
    if (isTimeGrouping(s.groupBy)) return bucketKey(f.day, s.groupBy);
    if (s.groupBy === 'CLINIC') return f.clinicId;
    if (s.groupBy === 'PRACTITIONER') return f.practitionerId ?? null;
    if (s.groupBy === 'DISCIPLINE') return f.discipline;
    return (f as PlanFact).condition;
  };
  const groups = new Map<string, Record<string, number>[]>();
  for (const f of current) {
    const k = keyOf(f);
    if (k === null) continue;
    groups.set(k, [...(groups.get(k) ?? []), f.counters]);
  }
  return {
    rows: [...groups].map(([key, cs]) => ({ key, values: values(sumCounters(counters, cs)) })),
    total: values(sumCounters(counters, current.map((f) => f.counters))),
    previousTotal: values(sumCounters(counters, previous.map((f) => f.counters))),
  };
}
