import { graphql } from '../../gql';

/** The client and their plans, with the current version's phases and benchmarks (the baseline the measures are read against). */
export const REASSESSMENT_CLIENT = graphql(`
  query ReassessmentClient($id: ID!) {
    client(id: $id) {
      id
      firstName
      lastName
      preferredName
      intakes {
        id
        complaints {
          id
          region
          side
        }
      }
      plans {
        id
        intakeId
        status
        clinicId
        currentVersion
        current {
          currentPhaseIndex
          phases {
            index
            kind
            label
            frequency {
              description
            }
          }
          benchmarks {
            id
            measure
            complaintId
            baseline
            target
            direction
            reason
          }
        }
        nextReassessment {
          sessionsCompleted
          isDue
          dueAtSession
        }
      }
    }
  }
`);

export const RECORD_REASSESSMENT = graphql(`
  mutation RecordReassessmentPage($input: RecordReassessmentInput!) {
    recordReassessment(input: $input) {
      id
      planId
      planVersion
      status
      decision
      reason
      changes
      sessionsCompleted
      evaluation {
        overall
        summary
        results {
          benchmarkId
          measure
          complaintId
          baseline
          current
          improvement
          status
        }
      }
      painChanges {
        complaintId
        region
        kind
        baseline
        current
        finding
      }
      proposedPlan {
        currentPhaseIndex
        phases {
          kind
          label
          frequency {
            description
          }
        }
      }
    }
  }
`);

export const ACCEPT_REASSESSMENT = graphql(`
  mutation AcceptReassessmentPage($id: ID!, $reason: String) {
    acceptReassessment(id: $id, reason: $reason) {
      id
      status
      currentVersion
    }
  }
`);

export const DISMISS_REASSESSMENT = graphql(`
  mutation DismissReassessmentPage($id: ID!, $reason: String!) {
    dismissReassessment(id: $id, reason: $reason) {
      id
      status
    }
  }
`);

export const PROPOSE_REPLAN = graphql(`
  query ProposeReplan($planId: ID) {
    proposeReplan(planId: $planId) {
      planId
      planVersion
      token
      timeZone
      summary
      hasConflicts
      keep {
        appointmentId
        sessionNumber
        phaseKind
        localStart
        conflict
      }
      move {
        appointmentId
        sessionNumber
        fromLocalStart
        localStart
        conflict
      }
      cancel {
        appointmentId
        localStart
      }
      add {
        sessionNumber
        phaseKind
        localStart
        durationMinutes
        conflict
      }
    }
  }
`);

export const APPLY_REPLAN = graphql(`
  mutation ApplyReplan($input: ApplyReplanInput!) {
    applyReplan(input: $input) {
      planId
      kept {
        id
      }
      moved {
        id
      }
      cancelled {
        id
      }
      added {
        id
      }
    }
  }
`);

/** Before accepting: what the next step would do to the booked sessions (a preview; nothing changes). */
export const PREVIEW_REPLAN = graphql(`
  query PreviewReplan($reassessmentId: ID) {
    proposeReplan(reassessmentId: $reassessmentId) {
      planId
      summary
      preview
      cancel {
        appointmentId
      }
      move {
        appointmentId
      }
      add {
        sessionNumber
      }
    }
  }
`);
