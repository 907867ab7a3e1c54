import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError, api } from '../api/client';
import type { SessionResponse, SetupState } from '../api/types';
import { Alert } from '../components/Alert';
import { AuthLayout } from '../components/AuthLayout';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { TextField } from '../components/TextField';
import { useFocusFirstInvalid } from '../components/useFocusFirstInvalid';
import { navigate } from '../router/history';
import { Link } from '../router/Link';
import { useSession } from '../session/SessionContext';
import { useApiResource } from '../session/useApiResource';

/** The server's rule for staff passwords (server/src/users/staff-users.ts); the server still checks. */
const MIN_PASSWORD_LENGTH = 10;

interface SetupPageProps {
  /** The one-time token from the setup link the server printed. */
  token: string | null;
}

interface FieldErrors {
  username?: string;
  password?: string;
  confirm?: string;
}

/** Creates the first administrator from the one-time setup link, then signs them in. */
export function SetupPage({ token }: SetupPageProps) {
  const [setup, reload] = useApiResource<SetupState>('/admin/api/setup');
  const intro = <p>Create the first administrator account for this server.</p>;

  if (setup.status === 'loading') {
    return (
      <AuthLayout title="Set up InPracSys EHR">
        <Loading label="Checking whether setup is needed…" />
      </AuthLayout>
    );
  }
  if (setup.status === 'error') {
    return (
      <AuthLayout title="Set up InPracSys EHR">
        <LoadError what="the setup state" error={setup.error} onRetry={reload} />
      </AuthLayout>
    );
  }
  if (!setup.data.needed) {
    return (
      <AuthLayout title="Set up InPracSys EHR">
        <SetupDone />
      </AuthLayout>
    );
  }
  if (token === null || token === '') {
    return (
      <AuthLayout title="Set up InPracSys EHR" intro={intro}>
        <Alert tone="error" title="This setup link is incomplete.">
          Use the full one-time link that the server printed when it started; it ends in{' '}
          <code>/admin/setup?token=…</code>.
        </Alert>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title="Set up InPracSys EHR" intro={intro}>
      <SetupForm token={token} />
    </AuthLayout>
  );
}

function SetupDone() {
  const { session } = useSession();
  return (
    <Alert tone="info" title="Setup is already complete.">
      <p>An administrator account exists, so this setup link no longer works.</p>
      <p>
        <Link to="/">{session.status === 'authenticated' ? 'Go to the dashboard' : 'Go to the log-in page'}</Link>
      </p>
    </Alert>
  );
}

function SetupForm({ token }: { token: string }) {
  const { signedIn } = useSession();
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiError>();
  const [submitting, setSubmitting] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, fieldErrors);

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const errors: FieldErrors = {
      username: username.trim() === '' ? 'Choose a username.' : undefined,
      password: password.length < MIN_PASSWORD_LENGTH ? `Use at least ${MIN_PASSWORD_LENGTH} characters.` : undefined,
      confirm: confirm !== password ? 'The two passwords do not match.' : undefined,
    };
    setFieldErrors(errors);
    if (Object.values(errors).some((message) => message !== undefined)) {
      return;
    }

    setSubmitting(true);
    setError(undefined);
    try {
      const response = await api.post<SessionResponse>('/admin/api/setup', { token, username: username.trim(), password });
      signedIn(response);
      // Leave the one-time token out of the address bar and the history.
      navigate('/', { replace: true });
    } catch (caught) {
      setSubmitting(false);
      setError(caught instanceof ApiError ? caught : new ApiError(0, String(caught)));
    }
  }

  return (
    <>
      {error !== undefined && (
        <Alert tone="error" title="Could not create the administrator.">
          <p>{error.message}</p>
          {error.status === 409 && (
            <p>
              <Link to="/">Go to the log-in page</Link>
            </p>
          )}
        </Alert>
      )}
      <form ref={formRef} className="form" noValidate onSubmit={(event) => void handleSubmit(event)}>
        <TextField
          label="Username"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          hint="Letters, digits and . _ @ - only."
          required
          value={username}
          error={fieldErrors.username}
          onChange={(event) => setUsername(event.target.value)}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          hint={`At least ${MIN_PASSWORD_LENGTH} characters. A passphrase of several words is strong and easy to type.`}
          required
          value={password}
          error={fieldErrors.password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <TextField
          label="Confirm password"
          name="confirm"
          type="password"
          autoComplete="new-password"
          required
          value={confirm}
          error={fieldErrors.confirm}
          onChange={(event) => setConfirm(event.target.value)}
        />
        <button type="submit" className="button button-primary button-block" disabled={submitting}>
          {submitting ? 'Creating account…' : 'Create administrator'}
        </button>
      </form>
    </>
  );
}
