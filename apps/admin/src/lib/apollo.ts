import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import type { ApolloCache } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { relayStylePagination } from '@apollo/client/utilities';
import { print } from 'graphql';
import { from, switchMap } from 'rxjs';
import type { SessionFieldsFragment } from '../gql/graphql';
import { REFRESH_SESSION } from './documents';
import { clearTokens, getAccessToken, getRefreshToken, storeTokens } from './session';

export const GRAPHQL_PATH = '/graphql';

/** Operations that must never trigger a refresh-and-retry. */
const SESSION_OPERATIONS = new Set(['SignIn', 'RefreshSession', 'SignOut', 'AcceptInvitation']);

let inflight: Promise<SessionFieldsFragment | null> | null = null;

/**
 * Exchanges the stored refresh token for a new session. One refresh at a time: the
 * refresh token rotates, so two parallel refreshes would spend it twice.
 */
export function refreshSession(): Promise<SessionFieldsFragment | null> {
  inflight ??= (async () => {
    const refreshToken = getRefreshToken();
    if (!refreshToken) return null;
    try {
      const res = await fetch(GRAPHQL_PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
        body: JSON.stringify({ operationName: 'RefreshSession', query: print(REFRESH_SESSION), variables: { refreshToken } }),
      });
      const body = (await res.json()) as { data?: { refreshSession?: SessionFieldsFragment } | null };
      const session = body.data?.refreshSession ?? null;
      if (!session) {
        clearTokens();
        return null;
      }
      storeTokens(session);
      return session;
    } catch {
      // Network trouble is not a sign-out: keep the refresh token for the next try.
      return null;
    }
  })().finally(() => {
    inflight = null;
  });
  return inflight;
}

/**
 * After a create: drop every cached page of that list, so whichever screen shows it
 * next (mounted now or later) fetches it again, with whatever filter it uses.
 */
export function evictList(cache: ApolloCache, fieldName: 'clinics' | 'practitioners' | 'members' | 'clients' | 'referralsInbox' | 'referralsOutbox'): void {
  cache.evict({ id: 'ROOT_QUERY', fieldName });
  cache.gc();
}

export function createApolloClient(options: { onSessionExpired(): void; onSessionRefreshed(session: SessionFieldsFragment): void }) {
  const auth = new SetContextLink((prev) => {
    const token = getAccessToken();
    return { fasciaToken: token, headers: { ...prev.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } };
  });

  // UNAUTHENTICATED: refresh once with the stored refresh token, then retry; when that
  // fails too, the session is over and the app goes back to sign-in.
  const retryOnExpiry = new ErrorLink(({ error, operation, forward }) => {
    if (SESSION_OPERATIONS.has(operation.operationName ?? '')) return;
    if (!CombinedGraphQLErrors.is(error)) return;
    if (!error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) return;
    if (operation.getContext().fasciaRetried) {
      options.onSessionExpired();
      return;
    }
    // Another request already refreshed while this one was in flight: just retry.
    const sentWith = operation.getContext().fasciaToken as string | null | undefined;
    const current = getAccessToken();
    if (current && sentWith !== current) {
      operation.setContext({ fasciaRetried: true });
      return forward(operation);
    }
    return from(refreshSession()).pipe(
      switchMap((session) => {
        if (!session) {
          options.onSessionExpired();
          throw error;
        }
        options.onSessionRefreshed(session);
        operation.setContext({ fasciaRetried: true });
        return forward(operation);
      }),
    );
  });

  return new ApolloClient({
    // Several people edit the same organization: show what is cached at once, then
    // what the server says now.
    defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network', nextFetchPolicy: 'cache-first' } },
    link: ApolloLink.from([retryOnExpiry, auth, new HttpLink({ uri: GRAPHQL_PATH })]),
    cache: new InMemoryCache({
      typePolicies: {
        Query: {
          fields: {
            // `first` is part of the key: the header's clinic switcher (first: 100) and
            // the Clinics page (first: 25, then "Show more") are different lists, and
            // so are the dashboard's lists (first: 50) and the paginated pages.
            // fetchMore keeps the original `first`, so its pages still merge.
            clinics: relayStylePagination(['first']),
            practitioners: relayStylePagination(['first', 'clinicId', 'discipline']),
            members: relayStylePagination(['first', 'status']),
            clients: relayStylePagination(['first', 'search', 'clinicId']),
            referralsInbox: relayStylePagination(['first', 'filter']),
            referralsOutbox: relayStylePagination(['first', 'filter']),
            referralDirectory: relayStylePagination(['first', 'filter']),
            clientAppointments: relayStylePagination(['first', 'clientId', 'when']),
          },
        },
      },
    }),
  });
}
