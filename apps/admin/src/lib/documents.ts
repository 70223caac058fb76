import { graphql } from '../gql';

/** Operations shared by several screens. Screen-specific ones sit in their screens. */

export const ME_FIELDS = graphql(`
  fragment MeFields on Me {
    user {
      id
      email
      displayName
    }
    organization {
      id
      name
      slug
    }
    roles
    clinicIds
  }
`);

export const SESSION_FIELDS = graphql(`
  fragment SessionFields on AuthPayload {
    accessToken
    accessTokenExpiresAt
    refreshToken
    me {
      ...MeFields
    }
  }
`);

export const REFRESH_SESSION = graphql(`
  mutation RefreshSession($refreshToken: String!) {
    refreshSession(refreshToken: $refreshToken) {
      ...SessionFields
    }
  }
`);

export const SIGN_OUT = graphql(`
  mutation SignOut($refreshToken: String!) {
    signOut(refreshToken: $refreshToken)
  }
`);

export const CLINIC_OPTIONS = graphql(`
  query ClinicOptions {
    clinics(first: 100) {
      totalCount
      edges {
        cursor
        node {
          id
          name
          city
          timeZone
          openingHours {
            weekday
            start
            end
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
