import { graphql } from '../../gql';

/** A practitioner's day: who they are, their clinics, today's appointments, last pain scores, open tasks. */

export const DAY_PRACTITIONERS = graphql(`
  query DayPractitioners {
    practitioners(first: 100) {
      totalCount
      edges {
        cursor
        node {
          id
          displayName
          userId
          availability {
            id
            clinicId
            clinic {
              id
              name
              timeZone
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const DAY_CALENDAR = graphql(`
  query DayCalendar($clinicId: ID!, $from: String!, $practitionerId: ID!) {
    calendar(clinicId: $clinicId, from: $from, days: 1, practitionerId: $practitionerId) {
      clinicId
      timeZone
      from
      appointments {
        id
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
    }
  }
`);

export const LAST_PAIN = graphql(`
  query DayLastPain($clientId: ID!) {
    clientChart(clientId: $clientId) {
      trajectory {
        at
        source
        painNrs
      }
    }
  }
`);

export const OPEN_TASKS = graphql(`
  query DayOpenTasks($practitionerId: ID) {
    practitionerTasks(status: OPEN, practitionerId: $practitionerId, first: 100) {
      totalCount
      edges {
        cursor
        node {
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
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const COMPLETE_TASK = graphql(`
  mutation DayCompleteTask($id: ID!, $note: String) {
    completeTask(id: $id, note: $note) {
      id
      status
      resolvedAt
    }
  }
`);

export const DISMISS_TASK = graphql(`
  mutation DayDismissTask($id: ID!, $reason: String!) {
    dismissTask(id: $id, reason: $reason) {
      id
      status
      resolvedAt
    }
  }
`);
