import type { Grouping } from './dates';

export type ValueKind = 'COUNT' | 'RATE' | 'MINUTES' | 'HOURS' | 'PAIN_CHANGE';

/** The counters kept per clinic, practitioner and clinic-local day (`report_day`). Every one adds across days, practitioners and clinics. */
export const DAY_COUNTERS = ['bookedMinutes', 'availableMinutes', 'booked', 'completed', 'noShows', 'lateCancels', 'cancels', 'newClients', 'returningClients'] as const;
export type DayCounter = (typeof DAY_COUNTERS)[number];

/** The facts kept per plan (`report_plan`), summed over the plans of a group. */
export const PLAN_COUNTERS = [
  'plans',
  'sessions',
  'expectedMin',
  'expectedMax',
  'finished',
  'withinRange',
  'belowRange',
  'aboveRange',
  'painMeasured',
  'painChange',
  'reachedBenchmark',
  'onTime',
  'late',
  'missed',
  'inMaintenance',
  'bookedWithinInterval',
] as const;
export type PlanCounter = (typeof PLAN_COUNTERS)[number];

/**
 * The counters kept per clinic, clinic-local day (the day a referral was sent), direction,
 * from- and to-discipline and partner organization (`report_referral`). Each side of a referral
 * counts on its own clinic: `sent` on the referrer's, `received` on the receiver's, and
 * `accepted` / `hoursToAccept` (sent → accepted) on each side that saw it accepted.
 */
export const REFERRAL_COUNTERS = ['sent', 'received', 'accepted', 'hoursToAccept'] as const;
export type ReferralCounter = (typeof REFERRAL_COUNTERS)[number];

export type Counters<K extends string> = Record<K, number>;

export interface Column {
  key: string;
  label: string;
  kind: ValueKind;
}

/** A share, or null when there is nothing to divide by. */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}
/** A mean, or null over nothing. */
export const mean = (sum: number, n: number): number | null => (n > 0 ? sum / n : null);

interface Base<G extends 'day' | 'plan' | 'referral', K extends string> {
  name: string;
  title: string;
  grain: G;
  columns: Column[];
  headline: string;
  /** The counters this report sums. */
  counters: readonly K[];
  /** Summed counters of a group → its values, aligned with `columns`. The one definition of the metric. */
  values: (c: Counters<K>) => (number | null)[];
  /** Groupings this report can answer; others get an empty table and a note. */
  groupings: readonly Grouping[];
  /** Said when the report has nothing to show in a scope. */
  emptyNote: string;
}
export type DayReport = Base<'day', DayCounter>;
export type PlanReport = Base<'plan', PlanCounter>;
export type ReferralReport = Base<'referral', ReferralCounter>;
export type ReportDefinition = DayReport | PlanReport | ReferralReport;

const ALL: Grouping[] = ['DAY', 'WEEK', 'MONTH', 'CLINIC', 'PRACTITIONER', 'DISCIPLINE', 'CONDITION'];
const NO_CONDITION: Grouping[] = ['DAY', 'WEEK', 'MONTH', 'CLINIC', 'PRACTITIONER', 'DISCIPLINE'];

/** One column of a report with its one definition over a group's summed counters. */
interface Metric<K extends string> extends Column {
  value: (c: Counters<K>) => number | null;
}

/** A derived column (a rate, a mean). */
const metric = <K extends string>(key: string, label: string, kind: ValueKind, value: (c: Counters<K>) => number | null): Metric<K> => ({ key, label, kind, value });
/** A counter shown as summed. */
const counter = <K extends string>(key: K, label: string): Metric<K> => metric<K>(key, label, 'COUNT', (c) => c[key]);

type Spec<G extends 'day' | 'plan' | 'referral', K extends string> = Omit<Base<G, K>, 'name' | 'grain' | 'columns' | 'values'> & { metrics: Metric<K>[] };

/** A report from its metrics: the columns and `values` (aligned with them) come from the one list. */
function report<G extends 'day' | 'plan' | 'referral', K extends string>(name: string, grain: G, { metrics, ...spec }: Spec<G, K>): Base<G, K> {
  return { name, grain, ...spec, columns: metrics.map(({ key, label, kind }) => ({ key, label, kind })), values: (c) => metrics.map((m) => m.value(c)) };
}
const dayReport = (name: string, spec: Spec<'day', DayCounter>): DayReport => report(name, 'day', spec);
const planReport = (name: string, spec: Spec<'plan', PlanCounter>): PlanReport => report(name, 'plan', spec);
const referralReport = (name: string, spec: Spec<'referral', ReferralCounter>): ReferralReport => report(name, 'referral', spec);

export const REPORTS = {
  utilisation: dayReport('utilisation', {
    title: 'Utilisation',
    metrics: [
      metric('bookedMinutes', 'Booked minutes', 'MINUTES', (c) => c.bookedMinutes),
      metric('availableMinutes', 'Available minutes', 'MINUTES', (c) => c.availableMinutes),
      metric('utilisation', 'Utilisation', 'RATE', (c) => rate(c.bookedMinutes, c.availableMinutes)),
    ],
    headline: 'utilisation',
    counters: ['bookedMinutes', 'availableMinutes'],
    groupings: NO_CONDITION,
    emptyNote: 'No practitioner hours or bookings in this range.',
  }),
  attendance: dayReport('attendance', {
    title: 'Attendance',
    metrics: [
      counter('booked', 'Booked'),
      counter('completed', 'Completed'),
      counter('noShows', 'No-shows'),
      counter('lateCancels', 'Late cancels'),
      counter('cancels', 'Cancels'),
      metric('noShowRate', 'No-show rate', 'RATE', (c) => rate(c.noShows, c.booked)),
      metric('lateCancelRate', 'Late-cancel rate', 'RATE', (c) => rate(c.lateCancels, c.booked)),
      metric('cancelRate', 'Cancel rate', 'RATE', (c) => rate(c.cancels, c.booked)),
    ],
    headline: 'noShowRate',
    counters: ['booked', 'completed', 'noShows', 'lateCancels', 'cancels'],
    groupings: NO_CONDITION,
    emptyNote: 'No appointments in this range.',
  }),
  clients: dayReport('clients', {
    title: 'New and returning clients',
    metrics: [counter('newClients', 'New clients'), counter('returningClients', 'Returning-client visits')],
    headline: 'newClients',
    counters: ['newClients', 'returningClients'],
    groupings: NO_CONDITION,
    emptyNote: 'No completed visits in this range.',
  }),
  'plan-sessions': planReport('plan-sessions', {
    title: 'Sessions per plan',
    metrics: [
      counter('plans', 'Plans'),
      metric('meanSessions', 'Mean sessions', 'COUNT', (c) => mean(c.sessions, c.plans)),
      metric('meanExpectedMin', 'Mean expected (min)', 'COUNT', (c) => mean(c.expectedMin, c.plans)),
      metric('meanExpectedMax', 'Mean expected (max)', 'COUNT', (c) => mean(c.expectedMax, c.plans)),
      counter('withinRange', 'Within range'),
      counter('belowRange', 'Below range'),
      counter('aboveRange', 'Above range'),
    ],
    headline: 'meanSessions',
    counters: ['plans', 'sessions', 'expectedMin', 'expectedMax', 'withinRange', 'belowRange', 'aboveRange'],
    groupings: ALL,
    emptyNote: 'No treatment plans started in this range.',
  }),
  outcomes: planReport('outcomes', {
    title: 'Outcomes',
    metrics: [
      counter('plans', 'Plans'),
      metric('meanPainChange', 'Mean pain change', 'PAIN_CHANGE', (c) => mean(c.painChange, c.painMeasured)),
      counter('reachedBenchmark', 'Reached benchmark'),
      metric('reachedBenchmarkRate', 'Reached benchmark (share)', 'RATE', (c) => rate(c.reachedBenchmark, c.plans)),
    ],
    headline: 'reachedBenchmarkRate',
    counters: ['plans', 'painMeasured', 'painChange', 'reachedBenchmark'],
    groupings: ALL,
    emptyNote: 'No treatment plans started in this range.',
  }),
  'outcome-distribution': planReport('outcome-distribution', {
    title: 'Outcome distribution',
    metrics: [counter('plans', 'Plans'), counter('reachedBenchmark', 'Reached benchmark')],
    headline: 'plans',
    counters: ['plans', 'reachedBenchmark'],
    groupings: ALL,
    emptyNote: 'No plan with a measured pain change started in this range.',
  }),
  'reassessment-timeliness': planReport('reassessment-timeliness', {
    title: 'Re-assessment timeliness',
    metrics: [
      counter('onTime', 'On time'),
      counter('late', 'Late'),
      counter('missed', 'Missed'),
      metric('onTimeRate', 'On-time rate', 'RATE', (c) => rate(c.onTime, c.onTime + c.late + c.missed)),
    ],
    headline: 'onTimeRate',
    counters: ['onTime', 'late', 'missed'],
    groupings: ALL,
    emptyNote: 'No re-assessments of plans started in this range.',
  }),
  retention: planReport('retention', {
    title: 'Maintenance retention',
    metrics: [
      counter('inMaintenance', 'In maintenance'),
      counter('bookedWithinInterval', 'Booked within interval'),
      metric('retentionRate', 'Retention rate', 'RATE', (c) => rate(c.bookedWithinInterval, c.inMaintenance)),
    ],
    headline: 'retentionRate',
    counters: ['inMaintenance', 'bookedWithinInterval'],
    groupings: ALL,
    emptyNote: 'No plan of this range is in maintenance.',
  }),
  'referral-flow': referralReport('referral-flow', {
    title: 'Referral flows',
    metrics: [
      counter('sent', 'Sent'),
      counter('received', 'Received'),
      counter('accepted', 'Accepted'),
      // Each side counts once: accepted ÷ (sent + received) is the share of the referrals this scope took part in that were accepted.
      metric('acceptanceRate', 'Acceptance rate', 'RATE', (c) => rate(c.accepted, c.sent + c.received)),
      metric('meanHoursToAccept', 'Mean hours to accept', 'HOURS', (c) => mean(c.hoursToAccept, c.accepted)),
    ],
    headline: 'acceptanceRate',
    counters: REFERRAL_COUNTERS,
    groupings: ['DAY', 'WEEK', 'MONTH', 'CLINIC', 'DISCIPLINE'],
    emptyNote: 'No referrals sent or received in this range.',
  }),
} satisfies Record<string, ReportDefinition>;

export type BuiltReportName = keyof typeof REPORTS;

/** Adds counters (clinics in their own zones, practitioners, days). */
export function sumCounters<K extends string>(keys: readonly K[], rows: readonly Partial<Counters<K>>[]): Counters<K> {
  const out = Object.fromEntries(keys.map((k) => [k, 0])) as Counters<K>;
  for (const r of rows) for (const k of keys) out[k] += Number(r[k] ?? 0);
  return out;
}

/** The distribution's bucket of a pain change: a whole point, "-10".."10". */
export function painBucket(change: number): string {
  return String(Math.max(-10, Math.min(10, Math.round(change))) || 0);
}
export const PAIN_BUCKETS: string[] = Array.from({ length: 21 }, (_, i) => String(i - 10));

/** Where a plan's completed sessions fall against its expected range. */
export function rangePosition(sessions: number, min: number, max: number): 'below' | 'within' | 'above' {
  return sessions < min ? 'below' : sessions > max ? 'above' : 'within';
}

/**
 * A re-assessment against the plan's cadence (weeks): on time when it came within the cadence
 * of the previous anchor (the plan's start or the last re-assessment), late within twice it,
 * missed beyond (the due one was skipped).
 */
export function timeliness(daysSincePrevious: number, cadenceWeeks: number): 'onTime' | 'late' | 'missed' {
  const due = cadenceWeeks * 7;
  return daysSincePrevious <= due ? 'onTime' : daysSincePrevious <= 2 * due ? 'late' : 'missed';
}

/** A condition code (the plan's protocol) in words: "chronic-low-back" → "Chronic low back". */
export function conditionLabel(code: string): string {
  const words = code.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A discipline in words: "MASSAGE_THERAPIST" → "Massage therapist". */
export function disciplineLabel(code: string): string {
  const words = code.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A referral's discipline pair "FROM→TO" in words: "MASSAGE_THERAPIST→PHYSIOTHERAPIST" → "Massage therapist → Physiotherapist" (UNKNOWN: no referring practitioner named). */
export function disciplinePairLabel(key: string): string {
  const [from, to] = key.split('→');
  return `${disciplineLabel(from ?? '')} → ${disciplineLabel(to ?? '')}`;
}
export const disciplinePairKey = (from: string, to: string): string => `${from}→${to}`;

/** A pain-change bucket's label: "-3" → "−3 points". */
export const painBucketLabel = (bucket: string): string => (bucket === '0' ? 'No change' : `${Number(bucket) > 0 ? '+' : ''}${bucket} points`);

/** One CSV cell (RFC 4180); a cell a spreadsheet would run as a formula is prefixed with an apostrophe. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
export const csvLine = (cells: (string | number | null)[]): string => `${cells.map(csvCell).join(',')}\r\n`;
