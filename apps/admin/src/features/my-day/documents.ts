import { graphql } from '../../gql';

/** A practitioner's day: the practitioners to choose from (managers), and the day itself in one query. */

export const DAY_PRACTITIONERS = graphql(`
  query DayPractitioners {
    # A clinic manager's or admin's choice of whose day to see.
    practitioners(first: 100) {
      ...PractitionerChoices
    }
  }
`);

/** A task as the day shows it (with the client's name). */
export const DAY_TASK = graphql(`
  fragment DayTask on PractitionerTask {
    id
    kind
    reason
    dueAt
    status
    clientId
    client {
      id
      firstName
      preferredName
      lastName
    }
  }
`);

/** The whole day in one request (one SQL statement): visits with last pain and open tasks, and every open task. */
export const MY_DAY = graphql(`
  query MyDay($practitionerId: ID) {
    myDay(practitionerId: $practitionerId) {
      practitioner {
        id
        displayName
      }
      clinics {
        id
        name
        timeZone
        date
      }
      visits {
        appointment {
          id
          clinicId
          clientId
          clientName
          kind
          status
          startsAt
          localStart
          localEnd
          durationMinutes
          sessionNumber
          room {
            id
            name
          }
        }
        lastPain {
          at
          source
          painNrs
        }
        openTasks {
          ...DayTask
        }
      }
      openTasks {
        ...DayTask
      }
    }
  }
`);

/** What completing or dismissing a task changes. */
graphql(`
  fragment DayTaskResolution on PractitionerTask {
    id
    status
    resolvedAt
  }
`);

export const COMPLETE_TASK = graphql(`
  mutation DayCompleteTask($id: ID!, $note: String) {
    completeTask(id: $id, note: $note) {
      ...DayTaskResolution
    }
  }
`);

export const DISMISS_TASK = graphql(`
  mutation DayDismissTask($id: ID!, $reason: String!) {
    dismissTask(id: $id, reason: $reason) {
      ...DayTaskResolution
    }
  }
`);
