import { graphql } from '../../gql';

export const EVIDENCE_FIELDS = graphql(`
  fragment EvidenceFields on Evidence {
    kind
    text
    source
    citation
  }
`);

export const PLAN_BODY_FIELDS = graphql(`
  fragment PlanBodyFields on PlanBody {
    blocked
    blockedReason
    protocol
    protocolDescription
    pathway
    severity
    severityReason
    currentPhaseIndex
    expectedSessions {
      min
      likely
      max
      reason
      evidence {
        ...EvidenceFields
      }
    }
    phases {
      index
      kind
      label
      purpose
      completedSessions
      sessions {
        min
        likely
        max
        reason
        evidence {
          ...EvidenceFields
        }
      }
      frequency {
        description
        sessions
        perWeeks
        reason
        evidence {
          ...EvidenceFields
        }
      }
      durationWeeks {
        min
        likely
        max
        reason
        evidence {
          ...EvidenceFields
        }
      }
      sessionLengthMinutes {
        value
        reason
        evidence {
          ...EvidenceFields
        }
      }
      reassessment {
        everySessions
        everyWeeks
        reason
        evidence {
          ...EvidenceFields
        }
      }
    }
    techniques {
      complaintId
      technique
      pressure
      reason
      evidence {
        ...EvidenceFields
      }
    }
    excludedTechniques {
      complaintId
      technique
      reason
    }
    safeguards {
      id
      source
      reason
      maxSessionsPerWeek
      maxSessionMinutes
      reassessWithinSessions
      evidence {
        ...EvidenceFields
      }
    }
    homeCare {
      complaintId
      kind
      description
      daysPerWeek {
        value
        reason
        evidence {
          ...EvidenceFields
        }
      }
    }
    benchmarks {
      id
      complaintId
      measure
      baseline
      target
      direction
      thresholdPoints
      reason
      evidence {
        ...EvidenceFields
      }
    }
    findings {
      ...FindingFields
    }
    referralAdvice {
      to
      reason
      urgency
    }
    warnings {
      code
      message
    }
  }
`);

export const PLAN = graphql(`
  query PlanPage($id: ID!) {
    plan(id: $id) {
      id
      clientId
      clinicId
      practitionerId
      complaintKey
      status
      currentVersion
      createdAt
      current {
        ...PlanBodyFields
      }
      versions {
        version
        changeKind
        reason
        changedBy
        changedAt
      }
    }
  }
`);

export const PLAN_CLIENT = graphql(`
  query PlanClient($id: ID!) {
    client(id: $id) {
      id
      firstName
      lastName
      preferredName
    }
  }
`);

/** What accepting or editing a plan changes. */
graphql(`
  fragment PlanVersionState on TreatmentPlan {
    id
    status
    currentVersion
  }
`);

export const ACCEPT_PLAN = graphql(`
  mutation AcceptPlan($planId: ID!, $reason: String) {
    acceptPlan(planId: $planId, reason: $reason) {
      ...PlanVersionState
    }
  }
`);

export const EDIT_PLAN = graphql(`
  mutation EditPlan($planId: ID!, $input: EditPlanInput!) {
    editPlan(planId: $planId, input: $input) {
      ...PlanVersionState
    }
  }
`);

export const BOOK_SERIES = graphql(`
  mutation BookPlanSeries($input: BookPlanSeriesInput!) {
    bookPlanSeries(input: $input) {
      seriesId
      timeZone
      appointments {
        id
        localStart
        durationMinutes
        sessionNumber
        phaseIndex
        status
      }
    }
  }
`);

export const PLAN_PRACTITIONERS = graphql(`
  query PlanPractitioners($clinicId: ID) {
    practitioners(first: 100, clinicId: $clinicId) {
      ...PractitionerChoices
    }
  }
`);
