import { graphql } from '../../gql';

/** The practitioners a person picks from (whose day, whose series): the first page of the connection, with each one's login. */
export const PRACTITIONER_CHOICES = graphql(`
  fragment PractitionerChoices on PractitionerConnection {
    totalCount
    edges {
      cursor
      node {
        id
        displayName
        userId
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
`);
