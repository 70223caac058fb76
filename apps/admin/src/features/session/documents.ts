import { graphql } from '../../gql';

export const NOTE_FIELDS = graphql(`
  fragment NoteFields on SessionNote {
    id
    appointmentId
    signed
    signedAt
    createdAt
    checkin {
      painNow
      painAreas
      pressureToday
      notes
    }
    techniques {
      technique
      pressure
      areas
      minutes
    }
    durationMinutes
    clientFeedback
    painAfter
    soap {
      subjective
      objective
      assessment
      plan
    }
    homeCare {
      kind
      description
      daysPerWeek
    }
    addenda {
      id
      body
      authorId
      createdAt
    }
  }
`);

export const SESSION_APPOINTMENT = graphql(`
  query SessionAppointment($id: ID!) {
    appointment(id: $id) {
      id
      clientId
      clientName
      clinicId
      localStart
      localEnd
      durationMinutes
      timeZone
      status
      kind
      sessionNumber
      planId
      practitioner {
        id
        displayName
      }
      clinic {
        id
        name
      }
      note {
        ...NoteFields
      }
    }
  }
`);

export const CHECK_IN = graphql(`
  mutation CheckInAppointment($id: ID!) {
    checkIn(id: $id) {
      id
      status
    }
  }
`);

export const START_NOTE = graphql(`
  mutation StartSessionNote($appointmentId: ID!, $checkin: SessionCheckInInput!) {
    startSessionNote(appointmentId: $appointmentId, checkin: $checkin) {
      ...NoteFields
    }
  }
`);

export const UPDATE_NOTE = graphql(`
  mutation UpdateSessionNote($id: ID!, $input: UpdateSessionNoteInput!) {
    updateSessionNote(id: $id, input: $input) {
      ...NoteFields
    }
  }
`);

export const SIGN_NOTE = graphql(`
  mutation SignSessionNote($id: ID!) {
    signSessionNote(id: $id) {
      ...NoteFields
    }
  }
`);

export const ADD_ADDENDUM = graphql(`
  mutation AddAddendum($noteId: ID!, $body: String!) {
    addAddendum(noteId: $noteId, body: $body) {
      ...NoteFields
    }
  }
`);
