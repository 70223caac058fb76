import { graphql } from '../../gql';

/** The whole chart in one query (the API's statement count for it is fixed). */
export const CLIENT_CHART = graphql(`
  query ClientChartPage($clientId: ID!) {
    clientChart(clientId: $clientId) {
      client {
        id
        firstName
        lastName
        preferredName
        dateOfBirth
        intakes {
          id
          version
          createdAt
          createdBy
          blocked
          findings {
            rule
            outcome
            finding
          }
        }
        plans {
          id
          clinicId
          complaintKey
          status
          currentVersion
          createdAt
          current {
            blocked
            protocol
            currentPhaseIndex
            phases {
              index
              label
              kind
              completedSessions
              sessions {
                likely
              }
              frequency {
                description
              }
            }
            benchmarks {
              id
              complaintId
              measure
              baseline
              target
              direction
            }
          }
          versions {
            version
            changeKind
            reason
            changedBy
            changedAt
          }
          reassessments {
            id
            assessedAt
            decision
            reason
            status
            sessionsCompleted
            evaluation {
              overall
              summary
            }
          }
          nextReassessment {
            dueAtSession
            dueBy
            isDue
            sessionsUntilDue
          }
        }
      }
      appointments {
        id
        localStart
        durationMinutes
        status
        kind
        sessionNumber
        planId
        practitioner {
          id
          displayName
        }
        note {
          id
          signed
          checkin {
            painNow
          }
          painAfter
          techniques {
            technique
          }
          soap {
            assessment
          }
          addenda {
            id
          }
        }
      }
      trajectory {
        at
        source
        painNrs
        psfs
        odi
        ndi
        planId
      }
      tasks {
        id
        kind
        status
        reason
        dueAt
        resolvedAt
        practitioner {
          id
          displayName
        }
      }
      reminders {
        id
        kind
        channel
        status
        sendAt
        lastError
        appointmentStartsAt
        updatedAt
      }
    }
  }
`);
