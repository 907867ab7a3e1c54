import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError, api } from '../api/client';
import type { SessionResponse, SetupState } from '../api/types';
import { Alert } from '../components/Alert';
import { AuthLayout } from '../components/AuthLayout';
import { TextField } from '../components/TextField';
import { useFocusFirstInvalid } from '../components/useFocusFirstInvalid';
import { plural } from '../format';
import { useSession } from '../session/SessionContext';

interface LoginPageProps {
  /** The previous session ended (rather than this being a first visit). */
  sessionExpired: boolean;
}

interface FieldErrors {
  username?: string;
  password?: string;
}

/** Staff log in. On success the session changes and the app goes back to the page that was asked for. */
export function LoginPage({ sessionExpired }: LoginPageProps) {
  const { signedIn } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string>();
  const [submitting, setSubmitting] = useState(false);
  const [pausedForSeconds, setPausedForSeconds] = useState<number>();
  const setupNeeded = useSetupNeeded();
  const passwordRef = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, fieldErrors);

  // After a 429, keep the button disabled until the server's Retry-After has passed.
  useEffect(() => {
    if (pausedForSeconds === undefined) {
      return;
    }
    const timer = window.setTimeout(() => setPausedForSeconds(undefined), pausedForSeconds * 1000);
    return () => window.clearTimeout(timer);
  }, [pausedForSeconds]);

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const errors: FieldErrors = {
      username: username.trim() === '' ? 'Enter your username.' : undefined,
      password: password === '' ? 'Enter your password.' : undefined,
    };
    setFieldErrors(errors);
    if (errors.username !== undefined || errors.password !== undefined) {
      return;
    }

    setSubmitting(true);
    setError(undefined);
    try {
      const response = await api.post<SessionResponse>('/admin/api/session', { username: username.trim(), password });
      signedIn(response);
    } catch (caught) {
      setSubmitting(false);
      setPassword('');
      if (caught instanceof ApiError && caught.status === 429) {
        setError(throttleMessage(caught.retryAfterSeconds));
        setPausedForSeconds(caught.retryAfterSeconds ?? 60);
      } else {
        setError(caught instanceof Error ? caught.message : String(caught));
      }
      // Keep focus in the form: the button it was on may now be disabled.
      passwordRef.current?.focus();
    }
  }

  return (
    <AuthLayout title="Log in" intro={<p>Sign in with your staff account to manage this server.</p>}>
      {sessionExpired && error === undefined && (
        <Alert tone="info">Your session has ended. Please log in again.</Alert>
      )}
      {setupNeeded && (
        <Alert tone="info" title="No administrator account yet.">
          Open the one-time setup link that the server printed when it started (it ends in{' '}
          <code>/admin/setup?token=…</code>) to create the first administrator.
        </Alert>
      )}
      {error !== undefined && (
        <Alert tone="error" title="Could not log in.">
          {error}
        </Alert>
      )}
      <form ref={formRef} className="form" noValidate onSubmit={(event) => void handleSubmit(event)}>
        <TextField
          label="Username"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={username}
          error={fieldErrors.username}
          onChange={(event) => setUsername(event.target.value)}
        />
        <TextField
          ref={passwordRef}
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          error={fieldErrors.password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <button type="submit" className="button button-primary button-block" disabled={submitting || pausedForSeconds !== undefined}>
          {submitting ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </AuthLayout>
  );
}

function throttleMessage(retryAfterSeconds: number | undefined): string {
  const wait =
    retryAfterSeconds === undefined
      ? 'a minute'
      : retryAfterSeconds < 90
        ? plural(retryAfterSeconds, 'second')
        : plural(Math.ceil(retryAfterSeconds / 60), 'minute');
  return `Too many login attempts. For your security, logging in is paused. Try again in ${wait}.`;
}

/** Whether the server still waits for its first administrator (shown as a hint; errors are ignored). */
function useSetupNeeded(): boolean {
  const [needed, setNeeded] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    api
      .get<SetupState>('/admin/api/setup', controller.signal)
      .then((state) => setNeeded(state.needed))
      .catch(() => undefined);
    return () => controller.abort();
  }, []);
  return needed;
}
