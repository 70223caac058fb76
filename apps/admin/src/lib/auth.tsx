import { useApolloClient } from '@apollo/client/react';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { MeFieldsFragment, SessionFieldsFragment } from '../gql/graphql';
import { refreshSession } from './apollo';
import { SIGN_OUT } from './documents';
import { clearTokens, getRefreshToken, storeTokens } from './session';

export type AuthState =
  | { status: 'loading' }
  | { status: 'signedOut'; reason?: 'expired' | 'signedOut' }
  | { status: 'signedIn'; me: MeFieldsFragment };

interface AuthValue {
  state: AuthState;
  /**
   * Called with the payload of signIn / acceptInvitation. Empties the Apollo cache first:
   * the new identity must not see what the previous one loaded.
   */
  startSession(session: SessionFieldsFragment): Promise<void>;
  /** After refresh (by the link) the Me may have changed, e.g. new roles. */
  updateMe(me: MeFieldsFragment): void;
  /** Forgets the session here (tokens and cached data) without telling the server. */
  endSession(reason: 'expired' | 'signedOut'): void;
  /** Revokes the refresh token on the server (best effort), then ends the session. */
  signOut(): Promise<void>;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const client = useApolloClient();
  const [state, setState] = useState<AuthState>(() => (getRefreshToken() ? { status: 'loading' } : { status: 'signedOut' }));
  // Bumped whenever the identity changes, so a reload's refresh that answers late
  // cannot bring back the session that was replaced or ended meanwhile.
  const epoch = useRef(0);

  // A reload keeps the person signed in: trade the stored refresh token for a session.
  useEffect(() => {
    if (state.status !== 'loading') return;
    let cancelled = false;
    const started = epoch.current;
    void refreshSession().then((session) => {
      if (cancelled || epoch.current !== started) return;
      setState(session ? { status: 'signedIn', me: session.me } : { status: 'signedOut' });
    });
    return () => {
      cancelled = true;
    };
    // Only on first mount: later changes of state are the session's own doing.
  }, []);

  const startSession = useCallback(
    async (session: SessionFieldsFragment) => {
      epoch.current += 1;
      // Before the new tokens are used: queries of the previous identity are stopped and
      // its cached clinics, practitioners and staff are gone.
      await client.clearStore();
      storeTokens(session);
      setState({ status: 'signedIn', me: session.me });
    },
    [client],
  );

  const updateMe = useCallback((me: MeFieldsFragment) => setState({ status: 'signedIn', me }), []);

  const finishSession = useCallback(
    (reason: 'expired' | 'signedOut') => {
      epoch.current += 1;
      clearTokens();
      setState({ status: 'signedOut', reason });
      // Whoever signs in next must not see the previous person's cached data.
      return client.clearStore();
    },
    [client],
  );

  const endSession = useCallback(
    (reason: 'expired' | 'signedOut') => {
      void finishSession(reason);
    },
    [finishSession],
  );

  const signOut = useCallback(async () => {
    const refreshToken = getRefreshToken();
    if (refreshToken) {
      try {
        await client.mutate({ mutation: SIGN_OUT, variables: { refreshToken } });
      } catch {
        // Signing out locally is what matters to the person at the desk.
      }
    }
    await finishSession('signedOut');
  }, [client, finishSession]);

  const value = useMemo(
    () => ({ state, startSession, updateMe, endSession, signOut }),
    [state, startSession, updateMe, endSession, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}

/** The signed-in person; only for screens rendered behind the sign-in gate. */
export function useMe(): MeFieldsFragment {
  const { state } = useAuth();
  if (state.status !== 'signedIn') throw new Error('useMe while not signed in');
  return state.me;
}
