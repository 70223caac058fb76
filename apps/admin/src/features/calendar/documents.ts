import { graphql } from '../../gql';

/** The calendar's operations (the API's appointment module, docs/api.md "Appointments"). */

export const CALENDAR_APPOINTMENT = graphql(`
  fragment CalendarAppointment on Appointment {
    id
    clinicId
    clientId
    clientName
    practitionerId
    practitioner {
      id
      displayName
    }
    roomId
    room {
      id
      name
    }
    kind
    status
    statusReason
    clientConfirmedAt
    startsAt
    endsAt
    localStart
    localEnd
    durationMinutes
    sessionNumber
    planId
    rescheduledFrom
  }
`);

export const CALENDAR_CLINIC = graphql(`
  query CalendarClinic($id: ID!) {
    clinic(id: $id) {
      id
      name
      timeZone
      lateCancelHours
      openingHours {
        weekday
        start
        end
      }
      rooms {
        id
        name
      }
    }
    practitioners(first: 100, clinicId: $id) {
      totalCount
      edges {
        cursor
        node {
          id
          displayName
          discipline
          userId
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const CLINIC_CALENDAR = graphql(`
  query ClinicCalendar($clinicId: ID!, $from: String!, $days: Int!, $practitionerId: ID, $roomId: ID) {
    calendar(clinicId: $clinicId, from: $from, days: $days, practitionerId: $practitionerId, roomId: $roomId, includeFreed: true) {
      clinicId
      timeZone
      from
      to
      appointments {
        ...CalendarAppointment
      }
    }
  }
`);

export const CLIENT_PICKER = graphql(`
  query CalendarClientPicker($search: String!, $clinicId: ID) {
    clients(first: 8, search: $search, clinicId: $clinicId) {
      totalCount
      edges {
        cursor
        node {
          id
          firstName
          preferredName
          lastName
          dateOfBirth
          phone
          email
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const CREATE_CALENDAR_CLIENT = graphql(`
  mutation CalendarCreateClient($input: CreateClientInput!) {
    createClient(input: $input) {
      id
      firstName
      preferredName
      lastName
      dateOfBirth
      phone
      email
    }
  }
`);

export const BOOK_APPOINTMENT = graphql(`
  mutation CalendarBookAppointment($input: BookAppointmentInput!) {
    bookAppointment(input: $input) {
      ...CalendarAppointment
    }
  }
`);

export const RESCHEDULE_APPOINTMENT = graphql(`
  mutation CalendarRescheduleAppointment($id: ID!, $input: RescheduleAppointmentInput!) {
    rescheduleAppointment(id: $id, input: $input) {
      ...CalendarAppointment
    }
  }
`);

export const APPOINTMENT_CHANGE = graphql(`
  fragment CalendarAppointmentChange on AppointmentChange {
    appointment {
      ...CalendarAppointment
    }
    rebooked {
      ...CalendarAppointment
    }
    moved {
      id
      localStart
    }
    shiftProblem
  }
`);

export const CANCEL_APPOINTMENT = graphql(`
  mutation CalendarCancelAppointment($id: ID!, $reason: String!, $cancelledBy: CancelledBy!) {
    cancelAppointment(id: $id, reason: $reason, cancelledBy: $cancelledBy) {
      ...CalendarAppointmentChange
    }
  }
`);

export const MARK_NO_SHOW = graphql(`
  mutation CalendarMarkNoShow($id: ID!) {
    markNoShow(id: $id) {
      ...CalendarAppointmentChange
    }
  }
`);

export const CHECK_IN = graphql(`
  mutation CalendarCheckIn($id: ID!) {
    checkIn(id: $id) {
      ...CalendarAppointment
    }
  }
`);

export const CLIENT_PLANS = graphql(`
  query CalendarClientPlans($clientId: ID!) {
    client(id: $clientId) {
      id
      plans {
        id
        status
        complaintKey
        currentVersion
      }
    }
  }
`);

export const BOOK_PLAN_SERIES = graphql(`
  mutation CalendarBookPlanSeries($input: BookPlanSeriesInput!) {
    bookPlanSeries(input: $input) {
      seriesId
      appointments {
        ...CalendarAppointment
      }
    }
  }
`);
