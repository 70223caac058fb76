import { preparedQuery, type Db, type TenantTx } from '@fascia/db';
import {
  DAY_COUNTERS,
  type Grouping,
  PAIN_BUCKETS,
  PLAN_COUNTERS,
  REFERRAL_COUNTERS,
  REPORTS,
  type ReportDefinition,
  bucketLabel,
  bucketsOf,
  checkRange,
  conditionLabel,
  csvLine,
  disciplineLabel,
  disciplinePairLabel,
  isTimeGrouping,
  painBucketLabel,
  previousPeriod,
  sumCounters,
} from '@fascia/reporting';
import type { Tenant } from '../../context';
import { AppError, badInput } from '../../common/errors';
import { inClinicScope } from '../../auth/scope';
import type { ReportRowType, ReportScope, ReportType } from './report.types';

export const REPORT_NAMES = ['utilisation', 'attendance', 'plan-sessions', 'outcomes', 'outcome-distribution', 'reassessment-timeliness', 'referral-flow', 'retention', 'clients'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];
export const isReportName = (s: string): s is ReportName => (REPORT_NAMES as readonly string[]).includes(s);

const GROUPINGS: readonly Grouping[] = ['DAY', 'WEEK', 'MONTH', 'CLINIC', 'PRACTITIONER', 'DISCIPLINE', 'CONDITION'];
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A checked scope: the clinics it covers (null = every clinic of the organization). */
export interface Checked {
  clinicIds: string[] | null;
  from: string;
  to: string;
  prev: { from: string; to: string };
  groupBy: Grouping;
}

type SqlCounters = Record<string, unknown>;
interface GroupRow extends SqlCounters {
  cur: boolean | null;
  gkey: string | null;
  glabel: string | null;
  computed_at: Date | null;
}

const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The SQL sum of each counter of a grain (column names of report_day / report_clinic_day / report_plan), per raw group. */
const DAY_INNER: Record<string, string> = Object.fromEntries(DAY_COUNTERS.map((k) => [k, `sum(r.${snake(k)}) AS "${k}"`]));
const PLAN_SQL: Record<(typeof PLAN_COUNTERS)[number], string> = {
  plans: 'count(r.plan_id)',
  sessions: 'sum(r.sessions)',
  expectedMin: 'sum(r.expected_min)',
  expectedMax: 'sum(r.expected_max)',
  finished: 'sum(r.within_range + r.below_range + r.above_range)',
  withinRange: 'sum(r.within_range)',
  belowRange: 'sum(r.below_range)',
  aboveRange: 'sum(r.above_range)',
  painMeasured: 'count(r.pain_change)',
  painChange: 'sum(r.pain_change)',
  reachedBenchmark: 'sum(r.reached_benchmark)',
  onTime: 'sum(r.on_time)',
  late: 'sum(r.late)',
  missed: 'sum(r.missed)',
  inMaintenance: 'sum(r.in_maintenance)',
  bookedWithinInterval: 'sum(r.booked_within_interval)',
};
const PLAN_INNER: Record<string, string> = Object.fromEntries(PLAN_COUNTERS.map((k) => [k, `${PLAN_SQL[k]} AS "${k}"`]));
/** The same sums over the month roll-up of plans (report_plan_month: each row already a sum over its plans). */
const PLAN_MONTH_SQL: Record<(typeof PLAN_COUNTERS)[number], string> = {
  ...PLAN_SQL,
  plans: 'sum(r.plans)',
  painMeasured: 'sum(r.pain_measured)',
};
const PLAN_MONTH_INNER: Record<string, string> = Object.fromEntries(PLAN_COUNTERS.map((k) => [k, `${PLAN_MONTH_SQL[k]} AS "${k}"`]));
/** The outcome distribution's counters over report_plan_month_pain (plans with a measured change, per bucket). */
const PAIN_MONTH_INNER: Record<string, string> = { plans: 'sum(r.plans) AS "plans"', reachedBenchmark: 'sum(r.reached_benchmark) AS "reachedBenchmark"' };
const REFERRAL_INNER: Record<string, string> = Object.fromEntries(REFERRAL_COUNTERS.map((k) => [k, `sum(r.${snake(k)}) AS "${k}"`]));

/**
 * The counters a report's figures read, in grain order: its `values` run once over a recording
 * stand-in (the definitions are straight-line: every counter they name is read whatever the
 * numbers). At least one, so the statement always has a sum.
 */
const READ = new Map<string, string[]>();
function countersRead(name: string, def: ReportDefinition, counters: readonly string[]): string[] {
  let read = READ.get(name);
  if (!read) {
    const seen = new Set<string>();
    const probe = new Proxy({}, { get: (_t, k) => (typeof k === 'string' && seen.add(k), 1) });
    (def.values as (c: Record<string, number>) => unknown)(probe as Record<string, number>);
    read = counters.filter((k) => seen.has(k));
    if (read.length === 0) read = [counters[0]];
    READ.set(name, read);
  }
  return read;
}
/** A day (YYYY-MM-DD) plus n days. */
const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** The first of the month of a day. */
const monthOf = (day: string): string => `${day.slice(0, 7)}-01`;
/** The first of the month after a day's. */
const nextMonth = (day: string): string => {
  const d = new Date(`${monthOf(day)}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
};

/**
 * The whole calendar months of [from, to] (both inclusive) as [start, end): the first of a month
 * on or after `from`, up to the first of the month of the day after `to`. None (start = end = the
 * day after `to`) when no whole month fits.
 */
export function wholeMonths(from: string, to: string): { start: string; end: string } {
  const after = addDays(to, 1);
  const start = from.endsWith('-01') ? from : nextMonth(from);
  const end = monthOf(after);
  return start < end ? { start, end } : { start: after, end: after };
}

/** Days from a to b (YYYY-MM-DD, b exclusive). */
const daysBetween = (a: string, b: string): number => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

/**
 * The share of the plan reports' range (both periods) that may be edge days and still be read
 * through the month roll-ups (docs/reports.md "Edge days: the guard"). The edge days' plans are
 * scattered over `report_plan` (a plan's row sits where its last recompute put it), so reading
 * them costs about one heap page per plan. At the reference shape (850,000 plans over 26 months,
 * apps/api/bench/report-months.mjs) the month roll-ups with their edges were 1.3–6.4× as fast as
 * the plan rows alone up to 4.9 % edge days, 1.2–3.2× at 5.7–6.6 %, and about even at 8.2 % (the
 * last 365 days: 60 edge days of 730): above this share a plan report reads its plan rows alone,
 * as before the month roll-ups. The day reports' edges (report_clinic_day, a fraction of the rows
 * per day) were still 1.8–2.1× ahead at 8.2 %: no guard.
 */
export const PLAN_EDGE_SHARE = 0.05;

/**
 * The edge days of a report's two periods: the days of the previous period's start up to the
 * current period's end that no whole calendar month of either period covers, and the range's days.
 */
export function edgeDays(s: Pick<Checked, 'from' | 'to' | 'prev'>): { edge: number; range: number } {
  const range = daysBetween(s.prev.from, addDays(s.to, 1));
  const whole = [wholeMonths(s.prev.from, s.prev.to), wholeMonths(s.from, s.to)].reduce((n, m) => n + daysBetween(m.start, m.end), 0);
  return { edge: range - whole, range };
}

/** The groups' sums added up per output group (and for the totals), as numbers. */
const outerSums = (counters: readonly string[]): string => counters.map((k) => `coalesce(sum(g."${k}"), 0)::float8 AS "${k}"`).join(', ');

/**
 * The one statement of a report (text and parameters): the aggregate over the current and the
 * previous period, and the scope's freshness. Exported for the tests (EXPLAIN of what the API runs).
 *
 * Where the grouping allows (by month, clinic or condition, the outcome distribution, and the
 * groupings a report does not keep: their totals), the whole calendar months of each period are
 * read from the month roll-ups (report_plan_month, report_plan_month_pain, report_clinic_month) and
 * only the edge days from report_plan / report_clinic_day: a range of whole months reads month rows
 * only. Day and week groupings read the day rows; practitioner and discipline groupings report_day
 * or report_plan (the month roll-ups have no practitioner).
 *
 * A plan report of the whole organization (`clinicIds` null: no clinic named and the caller reaches
 * every clinic) grouped by day, week, month or condition, the outcome distribution, or a grouping it
 * does not keep reads the organization-day roll-ups instead (report_plan_org_day,
 * report_plan_org_day_pain: one row per condition and plan start day for the whole organization),
 * both periods in one range and no edge days; by clinic, practitioner or discipline it reads as above.
 */
export function reportStatement(
  organizationId: string,
  name: ReportName,
  s: Checked,
  { monthRollups = true, edgeGuard = true, orgDays = true }: { monthRollups?: boolean; edgeGuard?: boolean; orgDays?: boolean } = {},
): { sql: string; params: unknown[]; months: boolean; orgDays: boolean } {
  const def: ReportDefinition = REPORTS[name];
  const distribution = name === 'outcome-distribution';
  const groupBy = s.groupBy;
  const answerable = distribution || def.groupings.includes(groupBy);

  const params: unknown[] = [organizationId, s.prev.from, s.to, s.from];
  const clinicFilter = s.clinicIds === null ? '' : ` AND r.clinic_id = ANY($${params.push(s.clinicIds)}::uuid[])`;
  const freshClinic = s.clinicIds === null ? '' : ` AND d.clinic_id = ANY($5::uuid[])`;
  const referral = def.grain === 'referral';
  const plan = def.grain === 'plan';
  const byPractitioner = !referral && (groupBy === 'PRACTITIONER' || groupBy === 'DISCIPLINE');
  const table = plan ? 'report_plan' : referral ? 'report_referral' : byPractitioner ? 'report_day' : 'report_clinic_day';
  // The month roll-ups serve every grouping but time at a finer grain than the month, and the practitioner's.
  // (monthRollups false: the day and plan rows only, as before the month roll-ups — for the benchmarks' before → after.)
  // A plan report whose edge days are more than PLAN_EDGE_SHARE of its range reads its plan rows alone
  // (edgeGuard false: the month roll-ups whatever the edges — for the benchmark that measures the rule).
  const edges = edgeDays(s);
  const fewEdges = !plan || !edgeGuard || edges.edge <= edges.range * PLAN_EDGE_SHARE;
  // A plan report of the whole organization (no clinic named, and the caller reaches every clinic) in a grouping
  // without clinic or practitioner reads the organization-day roll-ups alone, whatever its edges (orgDays false:
  // as before them — for the benchmarks' before → after).
  const useOrgDays = orgDays && plan && s.clinicIds === null && (!answerable || distribution || groupBy === 'DAY' || groupBy === 'WEEK' || groupBy === 'MONTH' || groupBy === 'CONDITION');
  const months = !useOrgDays && monthRollups && fewEdges && !referral && (!answerable || distribution || groupBy === 'MONTH' || groupBy === 'CLINIC' || groupBy === 'CONDITION');
  const monthTable = distribution ? 'report_plan_month_pain' : plan ? 'report_plan_month' : 'report_clinic_month';
  // Two levels: the roll-up rows are summed once per (period, raw group) — a day, the Monday of
  // a week, the first of a month, a clinic or practitioner id — with plain sums; the outer level
  // formats the keys, joins the labels and adds the total and previous total (GROUPING SETS) over
  // those few rows. Per roll-up row that is one pass of plain sums (no to_char, join or cast);
  // the organization-year over a year of plans is the case it matters for (docs/reports.md).
  let raw: string;
  let monthRaw = '';
  let key: string;
  let label = 'NULL::text';
  const join: string[] = [];
  if (distribution) {
    raw = `greatest(-10, least(10, floor(r.pain_change + 0.5)))::int`;
    monthRaw = 'r.bucket::int';
    key = 'g.k::text';
  } else if (!answerable) {
    raw = monthRaw = `'-'::text`; // typed: a bare literal in GROUP BY is refused ("non-integer constant")
    key = 'g.k';
  } else if (groupBy === 'DAY') {
    raw = 'r.day';
    key = `to_char(g.k, 'YYYY-MM-DD')`;
  } else if (groupBy === 'WEEK') {
    // The ISO week of a day is that of its Monday.
    raw = `date_trunc('week', r.day)::date`;
    key = `to_char(g.k, 'IYYY-"W"IW')`;
  } else if (groupBy === 'MONTH') {
    raw = `date_trunc('month', r.day)::date`;
    monthRaw = 'r.month';
    key = `to_char(g.k, 'YYYY-MM')`;
  } else if (groupBy === 'CLINIC') {
    raw = monthRaw = 'r.clinic_id';
    key = 'g.k::text';
    label = 'c.name';
    join.push('JOIN clinic c ON c.organization_id = $1 AND c.id = g.k');
  } else if (groupBy === 'PRACTITIONER') {
    raw = 'r.practitioner_id';
    key = 'g.k::text';
    label = 'p.display_name';
    join.push('JOIN practitioner p ON p.organization_id = $1 AND p.id = g.k');
  } else if (groupBy === 'DISCIPLINE' && referral) {
    raw = `r.from_discipline || '→' || r.to_discipline`;
    key = 'g.k';
  } else if (groupBy === 'DISCIPLINE') {
    raw = 'r.practitioner_id';
    key = 'p.discipline';
    join.push('JOIN practitioner p ON p.organization_id = $1 AND p.id = g.k');
  } else {
    raw = monthRaw = 'r.condition';
    key = 'g.k';
  }

  const counters: readonly string[] = plan ? PLAN_COUNTERS : referral ? REFERRAL_COUNTERS : DAY_COUNTERS;
  // Only the counters this report's figures read are summed (the others stay 0): outcomes reads 4
  // of the plan grain's 16, retention 2 — per roll-up row that is most of the statement's work.
  const used = countersRead(name, def, counters);
  const innerSql = plan ? PLAN_INNER : referral ? REFERRAL_INNER : DAY_INNER;
  const inner = used.map((k) => innerSql[k]).join(', ');
  const pain = distribution ? ' AND r.pain_change IS NOT NULL' : '';
  let rows: string;
  if (useOrgDays) {
    // Per organization, condition and plan start day (report_plan_org_day; the pain buckets: report_plan_org_day_pain),
    // each row already a sum over the organization's plans of that day: both periods in one index range.
    const orgRaw = distribution ? 'r.bucket::int' : raw;
    const orgInner = used.map((k) => {
      const sum = (distribution ? PAIN_MONTH_INNER : PLAN_MONTH_INNER)[k];
      if (!sum) throw new Error(`report ${name}: counter ${k} has no organization-day roll-up`);
      return sum;
    });
    rows = `SELECT r.day >= $4::date AS cur, ${orgRaw} AS k, max(r.computed_at) AS computed_at, ${orgInner.join(', ')}
           FROM ${distribution ? 'report_plan_org_day_pain' : 'report_plan_org_day'} r
           WHERE r.organization_id = $1 AND r.day BETWEEN $2::date AND $3::date
           GROUP BY 1, 2`;
  } else if (!months) {
    rows = `SELECT r.day >= $4::date AS cur, ${raw} AS k, max(r.computed_at) AS computed_at, ${inner}
           FROM ${table} r
           WHERE r.organization_id = $1 AND r.day BETWEEN $2::date AND $3::date${clinicFilter}${pain}
           GROUP BY 1, 2`;
  } else {
    // The previous period ends the day before the current one starts, so the edge days are three
    // ranges: before the previous period's first whole month, between its last and the current
    // period's first, after the current period's last (each empty when the edge is).
    const prevMonths = wholeMonths(s.prev.from, s.prev.to);
    const curMonths = wholeMonths(s.from, s.to);
    const [a0, b0, a1, b1, end] = [prevMonths.start, prevMonths.end, curMonths.start, curMonths.end, addDays(s.to, 1)].map((d) => `$${params.push(d)}::date`);
    const monthSql = distribution ? PAIN_MONTH_INNER : plan ? PLAN_MONTH_INNER : DAY_INNER;
    const monthInner = used.map((k) => {
      const sum = monthSql[k];
      if (!sum) throw new Error(`report ${name}: counter ${k} has no month roll-up`);
      return sum;
    });
    // Each range its own scan (an index range each; one scan of the whole span would read the months' rows too).
    const edge = (lo: string, hi: string): string => `SELECT * FROM ${table} r WHERE r.organization_id = $1 AND r.day >= ${lo} AND r.day < ${hi}${clinicFilter}${pain}`;
    rows = `SELECT r.day >= $4::date AS cur, ${raw} AS k, max(r.computed_at) AS computed_at, ${inner}
           FROM (${edge('$2::date', a0)} UNION ALL ${edge(b0, a1)} UNION ALL ${edge(b1, end)}) r
           GROUP BY 1, 2
           UNION ALL
           SELECT r.month >= $4::date AS cur, ${monthRaw} AS k, max(r.computed_at) AS computed_at, ${monthInner.join(', ')}
           FROM ${monthTable} r
           WHERE r.organization_id = $1 AND (r.month >= ${a0} AND r.month < ${b0} OR r.month >= ${a1} AND r.month < ${b1})${clinicFilter}
           GROUP BY 1, 2`;
  }
  // One statement: the aggregate, and the freshness of the scope (the dirty marks not yet
  // recomputed) joined to it (a row even when the roll-ups have none in the range).
  const sql = `WITH fresh AS (
       SELECT count(*)::int AS pending, min(d.marked_at) AS oldest FROM report_dirty d
       WHERE d.organization_id = $1${freshClinic} AND (${referral ? 'false' : 'd.plan_id IS NOT NULL'} OR d.day BETWEEN $4::date AND $3::date)
     ), agg AS (
       SELECT g.cur, ${key} AS gkey, ${label} AS glabel, max(g.computed_at) AS computed_at, ${outerSums(used)}, grouping(${key}) AS total_level
       FROM (
         ${rows}
       ) g ${join.join(' ')}
       GROUP BY GROUPING SETS ((g.cur, ${key}, ${label}), (g.cur))
     )
     SELECT f.pending, f.oldest, a.* FROM fresh f LEFT JOIN agg a ON true`;
  return { sql, params, months, orgDays: useOrgDays };
}

/**
 * The reports of issue 14 (docs/reports.md). Each report reads the roll-ups only (report_day,
 * report_clinic_day, report_plan, report_referral; never the appointment table) in one prepared
 * statement whatever the range or grouping: the aggregate over the current and previous period
 * (the rows summed per raw group, then GROUPING SETS over the groups: the groups, the total, the
 * previous total; labels joined in) with the freshness of the scope (the dirty marks not yet
 * recomputed) joined to it. The figures come from the counters through the reporting package's
 * definitions.
 */
export class ReportService {
  constructor(private readonly db: Db) {}

  report(tenant: Tenant, name: ReportName, scope: ReportScope): Promise<ReportType> {
    const checked = this.check(tenant, scope);
    return this.db.tenant(tenant, async (tx) => {
      const report = await this.compute(tx, name, checked);
      await tx.audit({ action: 'report.read', recordType: 'report', detail: describe(name, checked) });
      return report;
    });
  }

  /** The report as CSV lines (header, rows, total), for the streamed export; audited as `report.export`. */
  csv(tenant: Tenant, name: ReportName, scope: ReportScope): Promise<{ filename: string; lines: string[] }> {
    const checked = this.check(tenant, scope);
    return this.db.tenant(tenant, async (tx) => {
      const report = await this.compute(tx, name, checked);
      await tx.audit({ action: 'report.export', recordType: 'report', detail: { ...describe(name, checked), rows: report.rows.length } });
      return { filename: `${name}-${checked.from}-${checked.to}.csv`, lines: toCsvLines(report) };
    });
  }

  /** Validates the scope and applies clinic scope: a clinic-limited manager reaches their clinics only. */
  check(tenant: Tenant, scope: ReportScope): Checked {
    if (!scope || typeof scope !== 'object') throw badInput('scope', 'Give the report a scope: from, to and groupBy.');
    if (typeof scope.from !== 'string') throw badInput('scope.from', 'scope.from must be a date as YYYY-MM-DD.');
    if (typeof scope.to !== 'string') throw badInput('scope.to', 'scope.to must be a date as YYYY-MM-DD.');
    const problem = checkRange(scope.from, scope.to);
    if (problem) throw badInput(`scope.${problem.field}`, `scope.${problem.field}: ${problem.message}`);
    if (!GROUPINGS.includes(scope.groupBy)) throw badInput('scope.groupBy', `scope.groupBy must be one of ${GROUPINGS.join(', ')}.`);
    let clinicIds: string[] | null = tenant.clinicIds;
    if (scope.clinicId != null) {
      if (!UUID_RE.test(scope.clinicId)) throw badInput('scope.clinicId', 'scope.clinicId must be a clinic id (uuid), or null for the whole organization.');
      if (!inClinicScope(tenant, scope.clinicId)) {
        throw new AppError('FORBIDDEN', 'That clinic is not one your role reaches; pick one of your clinics, or ask an organization admin for its reports.', { field: 'scope.clinicId' });
      }
      clinicIds = [scope.clinicId.toLowerCase()];
    }
    return { clinicIds, from: scope.from, to: scope.to, prev: previousPeriod(scope.from, scope.to), groupBy: scope.groupBy };
  }

  private async compute(tx: TenantTx, name: ReportName, s: Checked): Promise<ReportType> {
    const def: ReportDefinition = REPORTS[name];
    const distribution = name === 'outcome-distribution';
    const groupBy = s.groupBy;
    const answerable = distribution || def.groupings.includes(groupBy);
    const referral = def.grain === 'referral';
    const counters: readonly string[] = def.grain === 'plan' ? PLAN_COUNTERS : referral ? REFERRAL_COUNTERS : DAY_COUNTERS;
    const { sql, params } = reportStatement(tx.organizationId, name, s);
    const result = await preparedQuery<GroupRow & { total_level: number | null; pending: number; oldest: Date | null }>(tx.em, sql, params);
    const groupRows = result.filter((r) => r.cur !== null);
    const fresh = result[0];

    const values = def.values as (c: Record<string, number>) => (number | null)[];
    const toCounters = (r: SqlCounters | undefined): Record<string, number> => sumCounters(counters, r ? [Object.fromEntries(counters.map((k) => [k, Number(r[k] ?? 0)]))] : []);
    const current = groupRows.filter((r) => r.cur && r.total_level === 0);
    const totalCur = groupRows.find((r) => r.cur && r.total_level === 1);
    const totalPrev = groupRows.find((r) => r.cur === false && r.total_level === 1);

    const byKey = new Map(current.map((r) => [r.gkey ?? '', r]));
    let rows: ReportRowType[];
    if (distribution) {
      rows = PAIN_BUCKETS.map((b) => ({ key: b, label: painBucketLabel(b), values: values(toCounters(byKey.get(b))) }));
    } else if (!answerable) {
      rows = [];
    } else if (isTimeGrouping(groupBy)) {
      rows = bucketsOf(s.from, s.to, groupBy).map((b) => ({ key: b, label: bucketLabel(b, groupBy), values: values(toCounters(byKey.get(b))) }));
    } else {
      rows = current
        .map((r) => {
          const k = r.gkey ?? '';
          const l = groupBy === 'DISCIPLINE' ? (referral ? disciplinePairLabel(k) : disciplineLabel(k)) : groupBy === 'CONDITION' ? conditionLabel(k) : (r.glabel ?? k);
          return { key: k, label: l, values: values(toCounters(r)) };
        })
        .sort((a, b) => a.label.localeCompare(b.label) || a.key.localeCompare(b.key));
    }
    const computedAt = current.concat(totalCur ? [totalCur] : []).reduce<Date | null>((m, r) => (r.computed_at && (!m || r.computed_at > m) ? r.computed_at : m), null);
    const empty = !totalCur;
    return {
      name,
      title: def.title,
      columns: def.columns,
      rows,
      total: { key: 'total', label: 'Total', values: values(toCounters(totalCur)) },
      previousTotal: { key: 'previous', label: `${s.prev.from} – ${s.prev.to}`, values: values(toCounters(totalPrev)) },
      headline: def.headline,
      freshness: { computedAt, pendingChanges: fresh?.pending ?? 0, oldestPendingAt: fresh?.oldest ?? null },
      note: !answerable
        ? `The ${def.title.toLowerCase()} report is not kept by ${groupBy.toLowerCase()}; group it by ${def.groupings.map((g) => g.toLowerCase()).join(', ')}.`
        : empty
          ? def.emptyNote
          : null,
    };
  }
}

function describe(name: ReportName, s: Checked): Record<string, unknown> {
  return { report: name, clinicIds: s.clinicIds, from: s.from, to: s.to, groupBy: s.groupBy };
}

/** Header `key,label,<column labels…>`, one line per row, then the total (RFC 4180). */
export function toCsvLines(report: ReportType): string[] {
  return [
    csvLine(['key', 'label', ...report.columns.map((c) => c.label)]),
    ...report.rows.map((r) => csvLine([r.key, r.label, ...r.values])),
    csvLine([report.total.key, report.total.label, ...report.total.values]),
  ];
}
