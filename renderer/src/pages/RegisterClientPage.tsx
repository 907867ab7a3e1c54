import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/client';
import type { ClientRegistration, ClientRegistrationResponse } from '../api/types';
import { ActionMessage } from '../components/ActionMessage';
import { Alert } from '../components/Alert';
import { BackLink } from '../components/BackLink';
import { Card } from '../components/Card';
import { CopyableDetail, Details } from '../components/Details';
import { PageHeader } from '../components/PageHeader';
import { SelectField } from '../components/SelectField';
import { TextAreaField } from '../components/TextAreaField';
import { TextField } from '../components/TextField';
import { useFocusFirstInvalid } from '../components/useFocusFirstInvalid';
import { Link } from '../router/Link';
import { pages, subPath } from '../routes';
import { redirectUriProblem } from '../validation';
import { useAction } from '../session/useAction';

type AuthMethod = ClientRegistration['token_endpoint_auth_method'];

const authOptions: { value: AuthMethod; label: string }[] = [
  { value: 'client_secret_basic', label: 'Confidential — client secret (server-side web app)' },
  { value: 'private_key_jwt', label: 'Confidential — private key JWT (backend service, signed assertions)' },
  { value: 'none', label: 'Public — no secret (browser or mobile app, PKCE only)' },
];

/** Operation scopes that look like wildcards but are allowed (DESIGN §5). */
const bulkOperationScopes = new Set(['system/*.$export', 'system/*.$bulkdata-status']);

interface FieldErrors {
  name?: string;
  scope?: string;
  redirectUris?: string;
  authMethod?: string;
  launchUri?: string;
  jwksUri?: string;
  jwks?: string;
}

function splitLines(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function httpsProblem(value: string, what: string): string | undefined {
  if (value.trim() === '') {
    return undefined;
  }
  try {
    return new URL(value.trim()).protocol === 'https:' ? undefined : `The ${what} must start with https://.`;
  } catch {
    return `Enter the full ${what}, starting with https://.`;
  }
}

/** Admin → System → API Clients → Register New App: the same rules as /oauth2/register, by an administrator. */
export function RegisterClientPage() {
  const page = pages.apiClients;
  const [registered, setRegistered] = useState<ClientRegistrationResponse>();

  return (
    <>
      <BackLink to={page.path}>All API clients</BackLink>
      <PageHeader
        title={registered === undefined ? 'Register New App' : 'App registered'}
        trail={[...page.trail, page.title]}
        subtitle={
          registered === undefined
            ? 'Register an app by hand, with the same rules apps follow when they register themselves. Scopes cannot be added after registration.'
            : undefined
        }
      />
      {registered === undefined ? <RegisterForm onRegistered={setRegistered} /> : <Registered client={registered} />}
    </>
  );
}

function RegisterForm({ onRegistered }: { onRegistered: (client: ClientRegistrationResponse) => void }) {
  const [name, setName] = useState('');
  const [authMethod, setAuthMethod] = useState<AuthMethod>('client_secret_basic');
  const [redirectUris, setRedirectUris] = useState('');
  const [scope, setScope] = useState('');
  const [launchUri, setLaunchUri] = useState('');
  const [jwksUri, setJwksUri] = useState('');
  const [jwks, setJwks] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const register = useAction();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, fieldErrors);

  const scopes = splitLines(scope);
  const isBackend = scopes.some((item) => item.startsWith('system/'));
  const isEhrLaunch = scopes.includes('launch');

  function validate(): FieldErrors {
    const uris = splitLines(redirectUris);
    const wildcard = scopes.find((item) => item.includes('*') && !bulkOperationScopes.has(item));
    let jwksError: string | undefined;
    if (jwks.trim() !== '') {
      try {
        const parsed = JSON.parse(jwks) as { keys?: unknown };
        jwksError = Array.isArray(parsed.keys) && parsed.keys.length > 0 ? undefined : 'A JWK Set is an object with a non-empty "keys" list.';
      } catch {
        jwksError = 'This is not valid JSON.';
      }
    }
    return {
      name: name.trim() === '' ? 'Enter the app’s name; users see it on the consent page.' : undefined,
      scope:
        scopes.length === 0
          ? 'Enter the scopes the app may ask for, such as openid fhirUser patient/Patient.rs.'
          : wildcard !== undefined
            ? `Wildcard scopes such as ${wildcard} are not allowed: name each resource type.`
            : authMethod === 'none' && scopes.some((item) => item.startsWith('user/') || item.startsWith('system/'))
              ? 'Public apps may not ask for user/ or system/ scopes.'
              : isBackend && scopes.some((item) => item.startsWith('patient/') || item.startsWith('user/'))
                ? 'A backend service asks for system/ scopes only.'
                : undefined,
      redirectUris: isBackend
        ? undefined
        : uris.length === 0
          ? 'Enter at least one redirect URI, one per line.'
          : uris.map(redirectUriProblem).find((problem) => problem !== undefined),
      authMethod:
        isBackend && authMethod !== 'private_key_jwt' ? 'Backend services (system/ scopes) authenticate with a private key JWT.' : undefined,
      launchUri: isEhrLaunch && launchUri.trim() === '' ? 'EHR-launch apps (scope launch) need their launch URL.' : httpsProblem(launchUri, 'launch URL'),
      jwksUri:
        authMethod === 'private_key_jwt' && jwksUri.trim() === '' && jwks.trim() === ''
          ? 'Give the app’s JWKS URL or paste its public keys below.'
          : jwksUri.trim() !== '' && jwks.trim() !== ''
            ? 'Give a JWKS URL or the keys, not both.'
            : httpsProblem(jwksUri, 'JWKS URL'),
      jwks: jwksError,
    };
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const errors = validate();
    setFieldErrors(errors);
    if (Object.values(errors).some((message) => message !== undefined)) {
      register.reset();
      return;
    }
    const body: ClientRegistration = { client_name: name.trim(), token_endpoint_auth_method: authMethod, scope: scopes.join(' ') };
    const uris = splitLines(redirectUris);
    if (uris.length > 0) {
      body.redirect_uris = uris;
    }
    if (launchUri.trim() !== '') {
      body.initiate_login_uri = launchUri.trim();
    }
    if (jwksUri.trim() !== '') {
      body.jwks_uri = jwksUri.trim();
    }
    if (jwks.trim() !== '') {
      body.jwks = JSON.parse(jwks) as { keys: unknown[] };
    }
    const result = await register.run(
      () => api.post<ClientRegistrationResponse>('/admin/api/clients', body),
      (client) => `Registered ${client.client_name}.`,
    );
    if (result !== undefined) {
      onRegistered(result);
    }
  }

  return (
    <form ref={formRef} className="stack" noValidate onSubmit={(event) => void handleSubmit(event)}>
      <Card title="The app">
        <div className="form card-form form-grid">
          <TextField
            label="App name"
            name="client_name"
            autoComplete="off"
            hint="Shown to users on the log-in and consent pages."
            required
            value={name}
            error={fieldErrors.name}
            onChange={(event) => setName(event.target.value)}
          />
          <SelectField
            label="Client type"
            name="token_endpoint_auth_method"
            hint="How the app proves who it is at the token endpoint."
            options={authOptions}
            value={authMethod}
            error={fieldErrors.authMethod}
            onChange={(event) => setAuthMethod(event.target.value as AuthMethod)}
          />
          <TextAreaField
            label="Scopes"
            name="scope"
            mono
            rows={4}
            spellCheck={false}
            hint="Separated by spaces or new lines, e.g. openid fhirUser offline_access launch/patient patient/Patient.rs patient/Observation.rs. Fixed once registered."
            required
            value={scope}
            error={fieldErrors.scope}
            onChange={(event) => setScope(event.target.value)}
          />
          <TextAreaField
            label="Redirect URIs"
            name="redirect_uris"
            mono
            rows={4}
            spellCheck={false}
            hint="One per line; matched exactly. Not needed for backend services."
            value={redirectUris}
            error={fieldErrors.redirectUris}
            onChange={(event) => setRedirectUris(event.target.value)}
          />
        </div>
      </Card>
      <Card title="Launch and keys" description="Only for EHR-launch apps and apps that sign their requests with a private key.">
        <div className="form card-form form-grid">
          <TextField
            label="Launch URL (optional)"
            name="initiate_login_uri"
            type="url"
            autoComplete="off"
            spellCheck={false}
            hint="Where an EHR launch starts (initiate_login_uri). Required when the scopes include launch."
            value={launchUri}
            error={fieldErrors.launchUri}
            onChange={(event) => setLaunchUri(event.target.value)}
          />
          <TextField
            label="JWKS URL (optional)"
            name="jwks_uri"
            type="url"
            autoComplete="off"
            spellCheck={false}
            hint="Where the app publishes its public keys (https)."
            value={jwksUri}
            error={fieldErrors.jwksUri}
            onChange={(event) => setJwksUri(event.target.value)}
          />
          <TextAreaField
            label="Public keys, JWK Set (optional)"
            name="jwks"
            mono
            rows={4}
            spellCheck={false}
            hint='Instead of a JWKS URL: {"keys":[{…}]}, each key with a kid.'
            value={jwks}
            error={fieldErrors.jwks}
            onChange={(event) => setJwks(event.target.value)}
          />
        </div>
      </Card>
      <div className="form-footer">
        <ActionMessage state={register.state.status === 'success' ? { status: 'idle' } : register.state} failure="Could not register the app." />
        <div className="button-row">
          <button type="submit" className="button button-primary" disabled={register.working}>
            {register.working ? 'Registering…' : 'Register app'}
          </button>
          <Link to={pages.apiClients.path} className="button button-secondary">
            Cancel
          </Link>
        </div>
      </div>
    </form>
  );
}

function Registered({ client }: { client: ClientRegistrationResponse }) {
  const page = pages.apiClients;
  return (
    <div className="stack">
      <Alert tone="success" title={`${client.client_name} is registered.`}>
        <p>
          Apps that ask for <code>launch</code>, <code>user/</code> or <code>system/</code> scopes, and public apps, start disabled: open the app’s
          page to review and enable it.
        </p>
      </Alert>
      <Card title="Credentials for the app’s developer">
        <Details>
          <CopyableDetail term="Client id" value={client.client_id} id="new-client-id" />
          {client.client_secret !== undefined && (
            <CopyableDetail term="Client secret" value={client.client_secret} id="new-client-secret" />
          )}
          <CopyableDetail term="Scopes" value={client.scope} />
        </Details>
        {client.client_secret !== undefined && (
          <Alert tone="warning" title="Copy the client secret now.">
            It is shown only this once: the server keeps only a hash of it. If it is lost, register the app again.
          </Alert>
        )}
      </Card>
      <div className="button-row">
        <Link to={subPath(page.path, client.client_id)} className="button button-primary">
          Open the app’s page
        </Link>
        <Link to={page.path} className="button button-secondary">
          Back to all API clients
        </Link>
      </div>
    </div>
  );
}
