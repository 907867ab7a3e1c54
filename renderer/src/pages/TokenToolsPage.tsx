import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { localUserId } from '../api/clients';
import { api } from '../api/client';
import type { ParsedToken } from '../api/types';
import { ActionMessage } from '../components/ActionMessage';
import { Badge } from '../components/Badge';
import type { BadgeTone } from '../components/Badge';
import { Card } from '../components/Card';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Detail, Details } from '../components/Details';
import { PageHeader } from '../components/PageHeader';
import { TextAreaField } from '../components/TextAreaField';
import { useFocusFirstInvalid } from '../components/useFocusFirstInvalid';
import { formatDateTime } from '../format';
import { Link } from '../router/Link';
import { pages, subPath } from '../routes';
import { useAction } from '../session/useAction';
import { present } from '../present';

const statusText: Record<ParsedToken['status'], { label: string; tone: BadgeTone; explain: string }> = {
  active: { label: 'Active', tone: 'success', explain: 'The FHIR API accepts this token until it expires.' },
  expired: { label: 'Expired', tone: 'neutral', explain: 'This token is past its expiry time; the FHIR API refuses it.' },
  revoked: { label: 'Revoked', tone: 'danger', explain: 'This token was revoked; the FHIR API refuses it.' },
  invalid: { label: 'Invalid', tone: 'danger', explain: 'This is not a token this server issued, or its signature does not verify.' },
};

/** Admin → System → Token Tools: paste an access token, see what it is, revoke it. */
export function TokenToolsPage() {
  const page = pages.tokenTools;
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [parsed, setParsed] = useState<ParsedToken>();
  const [confirming, setConfirming] = useState(false);
  const parse = useAction();
  const revoke = useAction();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, { error });

  function checkToken(): string | undefined {
    const problem = token.trim() === '' ? 'Paste the whole encoded token first.' : undefined;
    setError(problem);
    return problem;
  }

  async function handleParse(event?: FormEvent<HTMLFormElement>): Promise<void> {
    event?.preventDefault();
    revoke.reset();
    if (checkToken() !== undefined) {
      parse.reset();
      return;
    }
    const result = await parse.run(
      () => api.post<ParsedToken>('/admin/api/token-tools/parse', { token: token.trim() }),
      (answer) => `Parsed. Status: ${statusText[answer.status].label.toLowerCase()}.`,
    );
    setParsed(result);
  }

  async function handleRevoke(): Promise<void> {
    setConfirming(false);
    parse.reset();
    const result = await revoke.run(
      () => api.post<ParsedToken | undefined>('/admin/api/token-tools/revoke', { token: token.trim() }),
      (answer) =>
        answer?.status === 'invalid'
          ? 'Nothing to revoke: this server did not issue this token.'
          : 'Token revoked. The FHIR API refuses it from now on.',
    );
    if (result !== undefined) {
      // The server answers with the token as it is now; Parse Token asks again.
      setParsed((current) => (typeof result === 'object' && 'status' in result ? result : current === undefined ? current : { ...current, status: 'revoked' }));
    }
  }

  return (
    <>
      <PageHeader title={page.title} trail={page.trail} subtitle="Look up an access token an app presented: who it was issued to, what it allows, and whether it still works." />
      <div className="stack">
        <form ref={formRef} className="panel form" noValidate onSubmit={(event) => void handleParse(event)}>
          <TextAreaField
            label="Access token"
            name="token"
            mono
            token
            rows={5}
            spellCheck={false}
            autoComplete="off"
            hint="Paste the whole encoded token (eyJ…). It is sent to this server only and is not stored."
            value={token}
            error={error}
            onChange={(event) => setToken(event.target.value)}
          />
          <ActionMessage state={parse.state.status === 'success' ? { status: 'idle' } : parse.state} failure="Could not parse the token." />
          <ActionMessage state={revoke.state} failure="Could not revoke the token." />
          <div className="button-row">
            <button type="submit" className="button button-primary" disabled={parse.working}>
              {parse.working ? 'Parsing…' : 'Parse Token'}
            </button>
            <button
              type="button"
              className="button button-danger-outline"
              disabled={revoke.working}
              onClick={() => {
                if (checkToken() === undefined) {
                  setConfirming(true);
                }
              }}
            >
              {revoke.working ? 'Revoking…' : 'Revoke Token'}
            </button>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                setToken('');
                setParsed(undefined);
                setError(undefined);
                parse.reset();
                revoke.reset();
              }}
            >
              Clear
            </button>
          </div>
        </form>
        {parsed !== undefined && <ParsedTokenCard token={parsed} />}
      </div>
      {confirming && (
        <ConfirmDialog title="Revoke this token?" confirmLabel="Revoke Token" danger onConfirm={() => void handleRevoke()} onCancel={() => setConfirming(false)}>
          <p>The token stops working at once. Other tokens of the same app and user are not affected.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function ParsedTokenCard({ token }: { token: ParsedToken }) {
  const status = statusText[token.status];
  const user = token.user;
  return (
    <Card title="Token">
      <p className="status-line token-status" id="token-status">
        <Badge tone={status.tone}>{status.label}</Badge>
        <span className="token-status-text">{token.reason ?? status.explain}</span>
      </p>
      {token.status !== 'invalid' || present(token.jti) ? (
        <Details>
          {present(token.tokenType) && token.tokenType !== 'unknown' && (
            <Detail term="Token type">{token.tokenType === 'refresh_token' ? 'Refresh token' : 'Access token'}</Detail>
          )}
          <Detail term="Identifier (jti)">{present(token.jti) ? <code className="break">{token.jti}</code> : <span className="muted">—</span>}</Detail>
          <Detail term="Client">
            {present(token.clientId) ? (
              <>
                <Link to={subPath(pages.apiClients.path, token.clientId)}>{token.clientName ?? token.clientId}</Link>{' '}
                <code className="muted break">{token.clientId}</code>
              </>
            ) : (
              <span className="muted">—</span>
            )}
          </Detail>
          <Detail term="Authenticated user">
            {!present(user) ? (
              <span className="muted">None (backend service)</span>
            ) : user.kind === 'patient' && present(user.patientId) ? (
              <>
                <Link to={subPath(pages.patients.path, user.patientId)}>{user.username}</Link> <span className="muted">(patient)</span>
              </>
            ) : user.kind === 'staff' ? (
              <>
                <Link to={subPath(pages.users.path, localUserId(user.userId))}>{user.username}</Link> <span className="muted">(staff)</span>
              </>
            ) : user.kind === 'system' ? (
              <span className="muted">None: a backend service acting for itself</span>
            ) : (
              <>
                {user.username} <span className="muted">({user.kind})</span>
              </>
            )}
          </Detail>
          <Detail term="Scopes">
            {present(token.scope) && token.scope !== '' ? (
              <ul className="chips" aria-label="Scopes of the token">
                {token.scope.split(/\s+/).map((scope) => (
                  <li key={scope} className="chip">
                    {scope}
                  </li>
                ))}
              </ul>
            ) : (
              <span className="muted">—</span>
            )}
          </Detail>
          <Detail term="Patient">
            {present(token.patient) ? <Link to={subPath(pages.patients.path, token.patient)}>Patient/{token.patient}</Link> : <span className="muted">—</span>}
          </Detail>
          <Detail term="Issued">{present(token.issuedAt) ? formatDateTime(token.issuedAt) : '—'}</Detail>
          <Detail term="Expires">{present(token.expiresAt) ? formatDateTime(token.expiresAt) : '—'}</Detail>
        </Details>
      ) : null}
      {present(token.claims) && Object.keys(token.claims).length > 0 && (
        <details className="claims" open>
          <summary>All claims</summary>
          <pre className="code-block">{JSON.stringify(token.claims, null, 2)}</pre>
        </details>
      )}
    </Card>
  );
}
