import type { TypedDocumentNode } from '@apollo/client';
import type { ReportFieldsFragment, ReportScope } from '../../gql/graphql';
import type { Better } from './values';
import {
  ATTENDANCE_REPORT,
  CLIENTS_REPORT,
  OUTCOME_DISTRIBUTION_REPORT,
  OUTCOMES_REPORT,
  PLAN_SESSIONS_REPORT,
  REASSESSMENT_TIMELINESS_REPORT,
  REFERRAL_FLOW_REPORT,
  RETENTION_REPORT,
  UTILISATION_REPORT,
} from './documents';

export type ReportData = ReportFieldsFragment;

export interface ReportSpec {
  /** The CSV endpoint's name: `/reports/<csvName>.csv`. */
  csvName: string;
  /** The heading until the API's title arrives. */
  title: string;
  /** One sentence under the heading: what the report answers. */
  question: string;
  document: TypedDocumentNode<{ report: ReportData }, { scope: ReportScope }>;
  /** The columns drawn; the table shows all of them. */
  chart: { series: string[]; stacked?: boolean; lineOverTime?: boolean };
  /** Rows are pain-change buckets whatever the grouping (the API ignores groupBy). */
  ignoresGrouping?: boolean;
  /**
   * Four figures or more: the card takes the dashboard's whole width, so its table shows every
   * column (at half width the last ones were cut off at 1360 px, and a day's date broke over four lines).
   */
  wide?: boolean;
}

/**
 * The dashboard's reports in the order shown: the four the issue asks to draw first
 * (utilisation over time, no-show rate, outcome distribution against the benchmark,
 * referral flows), then the rest. docs/reports.md defines each figure.
 */
export const REPORTS: ReportSpec[] = [
  {
    csvName: 'utilisation',
    title: 'Utilisation',
    question: 'How much of the practitioners’ available time was booked.',
    document: UTILISATION_REPORT,
    chart: { series: ['utilisation'], lineOverTime: true },
  },
  {
    csvName: 'attendance',
    title: 'Attendance',
    question: 'No-shows, late cancellations and cancellations, as a share of what was booked.',
    document: ATTENDANCE_REPORT,
    chart: { series: ['noShowRate', 'lateCancelRate', 'cancelRate'], lineOverTime: true },
    wide: true,
  },
  {
    csvName: 'outcome-distribution',
    title: 'Outcome distribution',
    question: 'How far pain moved from baseline across plans, and how many plans reached their benchmark.',
    document: OUTCOME_DISTRIBUTION_REPORT,
    chart: { series: ['reachedBenchmark', 'notReached'], stacked: true },
    ignoresGrouping: true,
  },
  {
    csvName: 'referral-flow',
    title: 'Referral flows',
    question: 'Referrals sent and received, how many were accepted and how quickly.',
    document: REFERRAL_FLOW_REPORT,
    chart: { series: ['sent', 'received', 'accepted'] },
    wide: true,
  },
  {
    csvName: 'outcomes',
    title: 'Outcomes',
    question: 'Mean pain change from baseline and the share of plans reaching their benchmark.',
    document: OUTCOMES_REPORT,
    chart: { series: ['reachedBenchmarkRate'], lineOverTime: true },
    wide: true,
  },
  {
    csvName: 'plan-sessions',
    title: 'Sessions per plan',
    question: 'Sessions used per plan against the range the plan expected.',
    document: PLAN_SESSIONS_REPORT,
    chart: { series: ['withinRange', 'belowRange', 'aboveRange'], stacked: true },
    wide: true,
  },
  {
    csvName: 'reassessment-timeliness',
    title: 'Re-assessments on time',
    question: 'Re-assessments done within the plan’s cadence, late, or missed.',
    document: REASSESSMENT_TIMELINESS_REPORT,
    chart: { series: ['onTime', 'late', 'missed'], stacked: true },
  },
  {
    csvName: 'retention',
    title: 'Maintenance retention',
    question: 'Clients in maintenance who booked again within their interval.',
    document: RETENTION_REPORT,
    chart: { series: ['retentionRate'], lineOverTime: true },
  },
  {
    csvName: 'clients',
    title: 'New and returning clients',
    question: 'Clients seen for the first time, and clients who came back.',
    document: CLIENTS_REPORT,
    chart: { series: ['newClients', 'returningClients'], stacked: true },
  },
];

/**
 * Which way each figure is good, for the headline's "(better)" / "(worse)": fewer no-shows,
 * a more negative pain change (pain went down). Figures not listed are neither.
 */
const BETTER: Record<string, Better> = {
  utilisation: 'higher',
  completed: 'higher',
  noShowRate: 'lower',
  lateCancelRate: 'lower',
  cancelRate: 'lower',
  noShows: 'lower',
  lateCancels: 'lower',
  cancels: 'lower',
  withinRange: 'higher',
  meanPainChange: 'lower',
  reachedBenchmark: 'higher',
  reachedBenchmarkRate: 'higher',
  onTime: 'higher',
  onTimeRate: 'higher',
  late: 'lower',
  missed: 'lower',
  acceptanceRate: 'higher',
  meanHoursToAccept: 'lower',
  retentionRate: 'higher',
  bookedWithinInterval: 'higher',
  newClients: 'higher',
  returningClients: 'higher',
};

export function betterOf(columnKey: string): Better {
  return BETTER[columnKey] ?? 'neither';
}

/** The chart's own columns that the API does not send (plans that did not reach the benchmark). */
export function derivedValue(report: ReportData, row: { values: readonly (number | null)[] }, key: string): number | null | undefined {
  const at = (k: string) => {
    const i = report.columns.findIndex((c) => c.key === k);
    return i < 0 ? undefined : row.values[i];
  };
  if (key === 'notReached') {
    const plans = at('plans');
    const reached = at('reachedBenchmark');
    return plans === null || plans === undefined || reached === null || reached === undefined ? null : plans - reached;
  }
  return at(key);
}

/**
 * The reports in the order their cards are laid out, two to a row: a wide card (`wide`) waits
 * until the half-filled row before it is completed by the next narrow one, so no row is left
 * half empty and the page reads (and tabs) in the order it is drawn.
 */
export function layoutOrder(specs: readonly ReportSpec[]): ReportSpec[] {
  const out: ReportSpec[] = [];
  const waiting: ReportSpec[] = [];
  let rowHalfFull = false;
  for (const spec of specs) {
    if (spec.wide) {
      if (rowHalfFull) waiting.push(spec);
      else out.push(spec);
      continue;
    }
    out.push(spec);
    rowHalfFull = !rowHalfFull;
    if (!rowHalfFull) out.push(...waiting.splice(0));
  }
  return [...out, ...waiting];
}
