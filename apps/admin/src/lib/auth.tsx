import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { MeFieldsFragment, SessionFieldsFragment } from '../gql/graphql';
import { refreshSession } from './apollo';
import { clearTokens, getRefreshToken, storeTokens } from './session';

export type AuthState =
  | { status: 'loading' }
  | { status: 'signedOut'; reason?: 'expired' | 'signedOut' }
  | { status: 'signedIn'; me: MeFieldsFragment };

interface AuthValue {
  state: AuthState;
  /** Called with the payload of signIn / acceptInvitation. */
  startSession(session: SessionFieldsFragment): void;
  /** After refresh (by the link) the Me may have changed, e.g. new roles. */
  updateMe(me: MeFieldsFragment): void;
  endSession(reason: 'expired' | 'signedOut'): void;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children, onEnd }: { children: ReactNode; onEnd(): void }) {
  const [state, setState] = useState<AuthState>(() => (getRefreshToken() ? { status: 'loading' } : { status: 'signedOut' }));

  // A reload keeps the person signed in: trade the stored refresh token for a session.
  useEffect(() => {
    if (state.status !== 'loading') return;
    let cancelled = false;
    void refreshSession().then((session) => {
      if (cancelled) return;
      setState(session ? { status: 'signedIn', me: session.me } : { status: 'signedOut' });
    });
    return () => {
      cancelled = true;
    };
    // Only on first mount: later changes of state are the session's own doing.
  }, []);

  const startSession = useCallback((session: SessionFieldsFragment) => {
    storeTokens(session);
    setState({ status: 'signedIn', me: session.me });
  }, []);

  const updateMe = useCallback((me: MeFieldsFragment) => setState({ status: 'signedIn', me }), []);

  const endSession = useCallback(
    (reason: 'expired' | 'signedOut') => {
      clearTokens();
      setState({ status: 'signedOut', reason });
      onEnd();
    },
    [onEnd],
  );

  const value = useMemo(() => ({ state, startSession, updateMe, endSession }), [state, startSession, updateMe, endSession]);
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
