import { graphql } from '../../gql';

/**
 * The reports of issue 14 (docs/reports.md): every report has the same shape — columns, one
 * row per group, the total, the previous period's total, the headline column and how fresh
 * the roll-up is — so one chart, one table and one CSV button serve them all.
 */
export const REPORT_FIELDS = graphql(`
  fragment ReportFields on Report {
    name
    title
    columns {
      key
      label
      kind
    }
    rows {
      key
      label
      values
    }
    total {
      key
      label
      values
    }
    previousTotal {
      key
      label
      values
    }
    headline
    freshness {
      computedAt
      pendingChanges
      oldestPendingAt
    }
    note
  }
`);

export const UTILISATION_REPORT = graphql(`
  query UtilisationReport($scope: ReportScope!) {
    report: utilisationReport(scope: $scope) {
      ...ReportFields
    }
  }
`);

export const ATTENDANCE_REPORT = graphql(`
  query AttendanceReport($scope: ReportScope!) {
    report: attendanceReport(scope: $scope) {
      ...ReportFields
    }
  }
`);

export const PLAN_SESSIONS_REPORT = graphql(`
  query PlanSessionsReport($scope: ReportScope!) {
    report: planSessionsReport(scope: $scope) {
      ...ReportFields
    }
  }
`);

export const OUTCOMES_REPORT = graphql(`
  query OutcomesReport($scope: ReportScope!) {
    report: outcomesReport(scope: $scope) {
      ...ReportFields
    }
  }
`);

export const OUTCOME_DISTRIBUTION_REPORT = graphql(`
  query OutcomeDistributionReport($scope: ReportScope!) {
    report: outcomeDistributionReport(scope: $scope) {
      ...ReportFields
    }
  }
`);

export const REASSESSMENT_TIMELINESS_REPORT = graphql(`
  query ReassessmentTimelinessReport($scope: ReportScope!) {
    report: reassessmentTimelinessReport(scope: $scope) {
      ...ReportFields
    }
  }
`);

export const REFERRAL_FLOW_REPORT = graphql(`
  query ReferralFlowReport($scope: ReportScope!) {
    report: referralFlowReport(scope: $scope) {
      ...ReportFields
    }
  }
`);

export const RETENTION_REPORT = graphql(`
  query RetentionReport($scope: ReportScope!) {
    report: retentionReport(scope: $scope) {
      ...ReportFields
    }
  }
`);

export const CLIENTS_REPORT = graphql(`
  query ClientsReport($scope: ReportScope!) {
    report: clientsReport(scope: $scope) {
      ...ReportFields
    }
  }
`);

/** The dashboard's pending-invitation count: the API counts, not the first page of members. */
export const PENDING_INVITATIONS = graphql(`
  query PendingInvitations {
    members(first: 1, status: "INVITED") {
      totalCount
    }
  }
`);
