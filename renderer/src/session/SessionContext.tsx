import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { ApiError, api, setCsrfToken } from '../api/client';
import type { SessionResponse, User } from '../api/types';
import { navigate } from '../router/history';

export type SessionState =
  | { status: 'loading' }
  | { status: 'unavailable'; message: string }
  | { status: 'anonymous'; expired: boolean }
  | { status: 'authenticated'; user: User };

interface SessionContextValue {
  session: SessionState;
  /** Ask the server again who is logged in (after a failure to reach it). */
  refresh: () => void;
  /** Record a successful login or first-admin setup. */
  signedIn: (response: SessionResponse) => void;
  logOut: () => Promise<void>;
  /** Call when an API request answers 401: the session ended on the server. */
  expired: () => void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    api
      .get<SessionResponse>('/admin/api/session', controller.signal)
      .then((response) => {
        setCsrfToken(response.csrfToken);
        setSession({ status: 'authenticated', user: response.user });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) {
          return;
        }
        setCsrfToken(undefined);
        if (error instanceof ApiError && error.status === 401) {
          setSession({ status: 'anonymous', expired: false });
        } else {
          setSession({ status: 'unavailable', message: error instanceof Error ? error.message : String(error) });
        }
      });
    return () => controller.abort();
  }, [attempt]);

  const refresh = useCallback(() => {
    setSession({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  const signedIn = useCallback((response: SessionResponse) => {
    setCsrfToken(response.csrfToken);
    setSession({ status: 'authenticated', user: response.user });
  }, []);

  const expired = useCallback(() => {
    setCsrfToken(undefined);
    setSession({ status: 'anonymous', expired: true });
  }, []);

  const logOut = useCallback(async () => {
    try {
      await api.delete('/admin/api/session');
    } catch (error) {
      // An already-ended session is as good as a logout; anything else is worth showing.
      if (!(error instanceof ApiError && error.status === 401)) {
        throw error;
      }
    }
    setCsrfToken(undefined);
    // Both updates land in one render, so the login page does not offer to return here.
    setSession({ status: 'anonymous', expired: false });
    navigate('/login', { replace: true });
  }, []);

  const value = useMemo(
    () => ({ session, refresh, signedIn, logOut, expired }),
    [session, refresh, signedIn, logOut, expired],
  );
  return <SessionContext value={value}>{children}</SessionContext>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (value === null) {
    throw new Error('useSession must be used inside <SessionProvider>');
  }
  return value;
}
