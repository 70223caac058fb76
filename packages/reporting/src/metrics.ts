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

const col = (key: string, label: string, kind: ValueKind): Column => ({ key, label, kind });

export const REPORTS = {
  utilisation: {
    name: 'utilisation',
    title: 'Utilisation',
    grain: 'day',
    columns: [col('bookedMinutes', 'Booked minutes', 'MINUTES'), col('availableMinutes', 'Available minutes', 'MINUTES'), col('utilisation', 'Utilisation', 'RATE')],
    headline: 'utilisation',
    counters: ['bookedMinutes', 'availableMinutes'],
    values: (c) => [c.bookedMinutes, c.availableMinutes, rate(c.bookedMinutes, c.availableMinutes)],
    groupings: NO_CONDITION,
    emptyNote: 'No practitioner hours or bookings in this range.',
  },
  attendance: {
    name: 'attendance',
    title: 'Attendance',
    grain: 'day',
    columns: [
      col('booked', 'Booked', 'COUNT'),
      col('completed', 'Completed', 'COUNT'),
      col('noShows', 'No-shows', 'COUNT'),
      col('lateCancels', 'Late cancels', 'COUNT'),
      col('cancels', 'Cancels', 'COUNT'),
      col('noShowRate', 'No-show rate', 'RATE'),
      col('lateCancelRate', 'Late-cancel rate', 'RATE'),
      col('cancelRate', 'Cancel rate', 'RATE'),
    ],
    headline: 'noShowRate',
    counters: ['booked', 'completed', 'noShows', 'lateCancels', 'cancels'],
    values: (c) => [c.booked, c.completed, c.noShows, c.lateCancels, c.cancels, rate(c.noShows, c.booked), rate(c.lateCancels, c.booked), rate(c.cancels, c.booked)],
    groupings: NO_CONDITION,
    emptyNote: 'No appointments in this range.',
  },
  clients: {
    name: 'clients',
    title: 'New and returning clients',
    grain: 'day',
    columns: [col('newClients', 'New clients', 'COUNT'), col('returningClients', 'Returning-client visits', 'COUNT')],
    headline: 'newClients',
    counters: ['newClients', 'returningClients'],
    values: (c) => [c.newClients, c.returningClients],
    groupings: NO_CONDITION,
    emptyNote: 'No completed visits in this range.',
  },
  'plan-sessions': {
    name: 'plan-sessions',
    title: 'Sessions per plan',
    grain: 'plan',
    columns: [
      col('plans', 'Plans', 'COUNT'),
      col('meanSessions', 'Mean sessions', 'COUNT'),
      col('meanExpectedMin', 'Mean expected (min)', 'COUNT'),
      col('meanExpectedMax', 'Mean expected (max)', 'COUNT'),
      col('withinRange', 'Within range', 'COUNT'),
      col('belowRange', 'Below range', 'COUNT'),
      col('aboveRange', 'Above range', 'COUNT'),
    ],
    headline: 'meanSessions',
    counters: ['plans', 'sessions', 'expectedMin', 'expectedMax', 'withinRange', 'belowRange', 'aboveRange'],
    values: (c) => [c.plans, mean(c.sessions, c.plans), mean(c.expectedMin, c.plans), mean(c.expectedMax, c.plans), c.withinRange, c.belowRange, c.aboveRange],
    groupings: ALL,
    emptyNote: 'No treatment plans started in this range.',
  },
  outcomes: {
    name: 'outcomes',
    title: 'Outcomes',
    grain: 'plan',
    columns: [col('plans', 'Plans', 'COUNT'), col('meanPainChange', 'Mean pain change', 'PAIN_CHANGE'), col('reachedBenchmark', 'Reached benchmark', 'COUNT'), col('reachedBenchmarkRate', 'Reached benchmark (share)', 'RATE')],
    headline: 'reachedBenchmarkRate',
    counters: ['plans', 'painMeasured', 'painChange', 'reachedBenchmark'],
    values: (c) => [c.plans, mean(c.painChange, c.painMeasured), c.reachedBenchmark, rate(c.reachedBenchmark, c.plans)],
    groupings: ALL,
    emptyNote: 'No treatment plans started in this range.',
  },
  'outcome-distribution': {
    name: 'outcome-distribution',
    title: 'Outcome distribution',
    grain: 'plan',
    columns: [col('plans', 'Plans', 'COUNT'), col('reachedBenchmark', 'Reached benchmark', 'COUNT')],
    headline: 'plans',
    counters: ['plans', 'reachedBenchmark'],
    values: (c) => [c.plans, c.reachedBenchmark],
    groupings: ALL,
    emptyNote: 'No plan with a measured pain change started in this range.',
  },
  'reassessment-timeliness': {
    name: 'reassessment-timeliness',
    title: 'Re-assessment timeliness',
    grain: 'plan',
    columns: [col('onTime', 'On time', 'COUNT'), col('late', 'Late', 'COUNT'), col('missed', 'Missed', 'COUNT'), col('onTimeRate', 'On-time rate', 'RATE')],
    headline: 'onTimeRate',
    counters: ['onTime', 'late', 'missed'],
    values: (c) => [c.onTime, c.late, c.missed, rate(c.onTime, c.onTime + c.late + c.missed)],
    groupings: ALL,
    emptyNote: 'No re-assessments of plans started in this range.',
  },
  retention: {
    name: 'retention',
    title: 'Maintenance retention',
    grain: 'plan',
    columns: [col('inMaintenance', 'In maintenance', 'COUNT'), col('bookedWithinInterval', 'Booked within interval', 'COUNT'), col('retentionRate', 'Retention rate', 'RATE')],
    headline: 'retentionRate',
    counters: ['inMaintenance', 'bookedWithinInterval'],
    values: (c) => [c.inMaintenance, c.bookedWithinInterval, rate(c.bookedWithinInterval, c.inMaintenance)],
    groupings: ALL,
    emptyNote: 'No plan of this range is in maintenance.',
  },
  'referral-flow': {
    name: 'referral-flow',
    title: 'Referral flows',
    grain: 'referral',
    columns: [
      col('sent', 'Sent', 'COUNT'),
      col('received', 'Received', 'COUNT'),
      col('accepted', 'Accepted', 'COUNT'),
      col('acceptanceRate', 'Acceptance rate', 'RATE'),
      col('meanHoursToAccept', 'Mean hours to accept', 'HOURS'),
    ],
    headline: 'acceptanceRate',
    counters: REFERRAL_COUNTERS,
    // Each side counts once: accepted ÷ (sent + received) is the share of the referrals this scope took part in that were accepted.
    values: (c) => [c.sent, c.received, c.accepted, rate(c.accepted, c.sent + c.received), mean(c.hoursToAccept, c.accepted)],
    groupings: ['DAY', 'WEEK', 'MONTH', 'CLINIC', 'DISCIPLINE'],
    emptyNote: 'No referrals sent or received in this range.',
  },
} as const satisfies Record<string, ReportDefinition>;

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
