import type { SessionFieldsFragment } from '../gql/graphql';

/**
 * How the Apollo link (created before React renders) tells the React tree about the
 * session: the tree installs the handlers, the link calls them.
 */
export const sessionEvents: {
  expired(): void;
  refreshed(session: SessionFieldsFragment): void;
} = {
  expired() {},
  refreshed() {},
};
