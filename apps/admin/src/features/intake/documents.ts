import { graphql } from '../../gql';

export const FINDING_FIELDS = graphql(`
  fragment FindingFields on ScreeningFinding {
    rule
    outcome
    finding
    referTo
    urgency
    maxPressure
    clearanceFrom
    excludedTechniques
    area {
      region
      side
    }
    evidence {
      kind
      text
      source
      citation
    }
  }
`);

export const INTAKE_CLIENT = graphql(`
  query IntakeClient($id: ID!) {
    client(id: $id) {
      id
      firstName
      lastName
      preferredName
      dateOfBirth
      clinicIds
      intakes {
        id
        version
        createdAt
        blocked
        data
      }
    }
  }
`);

export const RECORD_INTAKE = graphql(`
  mutation RecordIntake($input: RecordIntakeInput!) {
    recordIntake(input: $input) {
      id
      version
      blocked
      createdAt
      findings {
        ...FindingFields
      }
    }
  }
`);

export const PROPOSE_PLAN = graphql(`
  mutation ProposePlan($intakeId: ID!) {
    proposePlan(intakeId: $intakeId) {
      id
      status
    }
  }
`);
