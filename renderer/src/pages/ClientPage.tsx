import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { itemsOf, profileLabel, toAccessToken, toApiClient, toApiUser, toRefreshToken, toRefreshTokenPage, tokenUserLabel } from '../api/clients';
import { ApiError, api } from '../api/client';
import type { AccessTokenInfo, ApiClient, AuthenticatedApiUser, RefreshTokenInfo } from '../api/types';
import { ActionMessage } from '../components/ActionMessage';
import { Alert } from '../components/Alert';
import { BackLink } from '../components/BackLink';
import { Badge } from '../components/Badge';
import type { BadgeTone } from '../components/Badge';
import { Card } from '../components/Card';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { CopyableDetail, Detail, Details } from '../components/Details';
import { EmptyState } from '../components/EmptyState';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { SearchBox } from '../components/SearchBox';
import { formatDateTime } from '../format';
import { Link } from '../router/Link';
import { pages, subPath } from '../routes';
import { useAction } from '../session/useAction';
import type { Action } from '../session/useAction';
import { useApiResource } from '../session/useApiResource';
import { useSession } from '../session/SessionContext';
import { present } from '../present';

/** One API client: details, Enable/Disable, scopes, Authenticated API Users and access tokens. */
export function ClientPage({ clientId }: { clientId: string }) {
  const page = pages.apiClients;
  const base = `/admin/api/clients/${encodeURIComponent(clientId)}`;
  const [resource, reload] = useApiResource<unknown>(base);
  const [changed, setChanged] = useState<ApiClient>();
  const toggle = useAction();
  const loaded = useMemo(() => (resource.status === 'ready' ? toApiClient(resource.data) : undefined), [resource]);
  const client = changed ?? loaded;
  // Disabling a client ends its tokens: the lists below reload after each change.
  const [generation, setGeneration] = useState(0);
  // Revoking a user ends their tokens: the token lists reload, the user list updates itself.
  const [tokensGeneration, setTokensGeneration] = useState(0);
  // Revoking a refresh token ends its grant: the access tokens and the users reload.
  const [grantsGeneration, setGrantsGeneration] = useState(0);
  const onChanged = useCallback((next: ApiClient) => {
    setChanged(next);
    setGeneration((n) => n + 1);
  }, []);

  return (
    <>
      <BackLink to={page.path}>All API clients</BackLink>
      <PageHeader
        title={client?.name ?? 'API client'}
        trail={[...page.trail, page.title]}
        subtitle={
          client === undefined ? undefined : (
            <>
              {client.enabled ? <Badge tone="success">Enabled</Badge> : <Badge tone="warning">Disabled</Badge>} {profileLabel(client.profile)} ·{' '}
              {client.public ? 'Public' : 'Confidential'}
            </>
          )
        }
        actions={client !== undefined && <EnableButton base={base} client={client} action={toggle} onChanged={onChanged} />}
      />
      {resource.status === 'loading' && <Loading label="Loading the app…" />}
      {resource.status === 'error' && <LoadError what="the app" error={resource.error} onRetry={reload} />}
      {client !== undefined && (
        <div className="stack">
          <ActionMessage state={toggle.state} failure="Could not change the app’s status." />
          <EnableNotice client={client} />
          <div className="two-columns">
            <DetailsCard client={client} />
            <ScopesCard client={client} />
          </div>
          <ApiUsersCard key={`users-${generation}-${grantsGeneration}`} base={base} onRevoked={() => setTokensGeneration((n) => n + 1)} />
          <TokensCard key={`tokens-${generation}-${tokensGeneration}-${grantsGeneration}`} base={base} />
          <RefreshTokensCard key={`refresh-${generation}-${tokensGeneration}`} base={base} onRevoked={() => setGrantsGeneration((n) => n + 1)} />
        </div>
      )}
    </>
  );
}

function EnableNotice({ client }: { client: ApiClient }) {
  if (client.enabled) {
    return null;
  }
  return (
    <p className="notice notice-warning">
      This app is disabled: it cannot log anyone in, and every token it holds is refused. Review its scopes and redirect URIs, then enable it if you
      trust it.
    </p>
  );
}

interface EnableButtonProps {
  base: string;
  client: ApiClient;
  action: Action;
  onChanged: (client: ApiClient) => void;
}

function EnableButton({ base, client, action, onChanged }: EnableButtonProps) {
  const [confirming, setConfirming] = useState(false);
  const enabling = !client.enabled;

  async function apply(): Promise<void> {
    setConfirming(false);
    const result = await action.run(
      async () => toApiClient(await api.post<unknown>(`${base}/${enabling ? 'enable' : 'disable'}`, {})),
      (next) => (next.enabled ? `${next.name} is enabled: it can log users in.` : `${next.name} is disabled: its tokens no longer work.`),
    );
    if (result !== undefined) {
      onChanged(result);
    }
  }

  return (
    <>
      <button
        type="button"
        className={enabling ? 'button button-primary' : 'button button-danger-outline'}
        disabled={action.working}
        onClick={() => setConfirming(true)}
      >
        {enabling ? 'Enable' : 'Disable'}
      </button>
      {confirming && (
        <ConfirmDialog
          title={enabling ? `Enable ${client.name}?` : `Disable ${client.name}?`}
          confirmLabel={enabling ? 'Enable' : 'Disable'}
          danger={!enabling}
          onConfirm={() => void apply()}
          onCancel={() => setConfirming(false)}
        >
          {enabling ? (
            <p>
              The app will be able to log users in and receive tokens for these scopes: <code>{client.scopes.join(' ')}</code>.
            </p>
          ) : (
            <p>Every token the app holds stops working at once, and nobody can log in to it until it is enabled again.</p>
          )}
        </ConfirmDialog>
      )}
    </>
  );
}

function DetailsCard({ client }: { client: ApiClient }) {
  return (
    <Card title="Details">
      <Details>
        <CopyableDetail term="Client id" value={client.clientId} id="client-id" />
        <Detail term="Type">
          {client.public ? 'Public' : 'Confidential'}
          {client.tokenEndpointAuthMethod !== undefined && (
            <>
              {' '}
              <code className="muted">{client.tokenEndpointAuthMethod}</code>
            </>
          )}
        </Detail>
        <Detail term="Profile">{profileLabel(client.profile)}</Detail>
        <Detail term="Registered">{client.registeredAt === '' ? '—' : formatDateTime(client.registeredAt)}</Detail>
        <Detail term="Redirect URIs">
          {client.redirectUris.length === 0 ? (
            <span className="muted">None</span>
          ) : (
            <ul className="plain-list">
              {client.redirectUris.map((uri) => (
                <li key={uri}>
                  <code className="break">{uri}</code>
                </li>
              ))}
            </ul>
          )}
        </Detail>
        {client.launchUri !== undefined && (
          <Detail term="Launch URL">
            <code className="break">{client.launchUri}</code>
          </Detail>
        )}
        {client.jwksUri !== undefined && (
          <Detail term="JWKS URL">
            <code className="break">{client.jwksUri}</code>
          </Detail>
        )}
        {client.grantTypes !== undefined && client.grantTypes.length > 0 && <Detail term="Grant types">{client.grantTypes.join(', ')}</Detail>}
      </Details>
    </Card>
  );
}

function ScopesCard({ client }: { client: ApiClient }) {
  return (
    <Card title="Registered scopes" description="Read-only: scopes are fixed at registration. An app that needs more must register again.">
      {client.scopes.length === 0 ? (
        <p className="card-body-text muted">No scopes.</p>
      ) : (
        <ul className="chips card-chips" aria-label="Registered scopes">
          {client.scopes.map((scope) => (
            <li key={scope} className="chip">
              {scope}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function ApiUsersCard({ base, onRevoked }: { base: string; onRevoked: () => void }) {
  const [resource, reload] = useApiResource<unknown>(`${base}/users`, { keepPrevious: true });
  const [query, setQuery] = useState('');
  const [revoking, setRevoking] = useState<AuthenticatedApiUser>();
  const action = useAction();
  const users = useMemo(() => (resource.status === 'ready' ? itemsOf(resource.data).map(toApiUser) : []), [resource]);
  const needle = query.toLowerCase();
  const shown = users.filter((user) => needle === '' || `${user.username} ${user.userId} ${user.patientId ?? ''}`.toLowerCase().includes(needle));
  const onSearch = useCallback((value: string) => setQuery(value), []);

  async function revoke(user: AuthenticatedApiUser): Promise<void> {
    setRevoking(undefined);
    const done = await action.run(
      () => api.post<unknown>(`${base}/users/${encodeURIComponent(user.userId)}/revoke`, {}),
      () => `Revoked ${user.username}: the app’s tokens for this user no longer work. They must authorize the app again to use it.`,
    );
    if (done !== undefined) {
      reload();
      onRevoked();
    }
  }

  return (
    <Card title="Authenticated API Users" description="People who authorized this app. Revoke User ends that person’s grant and every token the app holds for them.">
      <div className="card-toolbar">
        <SearchBox label="Search users" value={query} placeholder="Username or id" onSearch={onSearch} />
      </div>
      <ActionMessage state={action.state} failure="Could not revoke the user." />
      {resource.status === 'loading' && <Loading label="Loading authenticated users…" />}
      {resource.status === 'error' && <LoadError what="the authenticated users" error={resource.error} onRetry={reload} />}
      {resource.status === 'ready' &&
        (shown.length === 0 ? (
          <EmptyState title={users.length === 0 ? 'Nobody has authorized this app yet.' : `No users match “${query}”.`} />
        ) : (
          <div className="table-wrap">
            <table className="table" aria-label="Authenticated API users">
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Authorized</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((user) => (
                  <tr key={`${user.kind}-${user.userId}`}>
                    <td className="cell-nowrap">
                      {user.kind === 'patient' && present(user.patientId) ? (
                        <Link to={subPath(pages.patients.path, user.patientId)}>{user.username}</Link>
                      ) : (
                        user.username
                      )}
                    </td>
                    <td>{user.kind === 'patient' ? 'Patient' : 'Staff'}</td>
                    <td className="cell-nowrap">{user.authorizedAt === '' ? '—' : formatDateTime(user.authorizedAt)}</td>
                    <td className="cell-actions">
                      {present(user.revokedAt) ? (
                        <Badge tone="neutral">Revoked</Badge>
                      ) : (
                        <button
                          type="button"
                          className="button button-small button-danger-outline"
                          aria-label={`Revoke User ${user.username}`}
                          disabled={action.working}
                          onClick={() => setRevoking(user)}
                        >
                          Revoke User
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      {revoking !== undefined && (
        <ConfirmDialog
          title={`Revoke ${revoking.username}?`}
          confirmLabel="Revoke User"
          danger
          onConfirm={() => void revoke(revoking)}
          onCancel={() => setRevoking(undefined)}
        >
          <p>The app loses this user’s authorization: its access and refresh tokens for them stop working at once.</p>
        </ConfirmDialog>
      )}
    </Card>
  );
}

const statusTones: Record<string, BadgeTone> = { active: 'success', expired: 'neutral', revoked: 'danger' };

function TokensCard({ base }: { base: string }) {
  const [resource, reload] = useApiResource<unknown>(`${base}/tokens`);
  const [revoked, setRevoked] = useState<Set<string>>(() => new Set());
  const [revoking, setRevoking] = useState<AccessTokenInfo>();
  const action = useAction();
  const tokens = useMemo(() => (resource.status === 'ready' ? itemsOf(resource.data).map(toAccessToken) : []), [resource]);

  async function revoke(token: AccessTokenInfo): Promise<void> {
    setRevoking(undefined);
    const done = await action.run(
      () => api.post<unknown>(`/admin/api/tokens/${encodeURIComponent(token.jti)}/revoke`, {}),
      () => `Revoked token ${shortId(token.jti)}.`,
    );
    if (done !== undefined) {
      setRevoked((current) => new Set(current).add(token.jti));
    }
  }

  return (
    <Card title="Access tokens" description="Tokens issued to this app, newest first. Revoking one ends that token only.">
      <ActionMessage state={action.state} failure="Could not revoke the token." />
      {resource.status === 'loading' && <Loading label="Loading access tokens…" />}
      {resource.status === 'error' && <LoadError what="the access tokens" error={resource.error} onRetry={reload} />}
      {resource.status === 'ready' &&
        (tokens.length === 0 ? (
          <EmptyState title="No access tokens issued to this app." />
        ) : (
          <TokenTable
            label="Access tokens"
            noun="token"
            rows={tokens.map((token) => ({ ...token, id: token.jti, status: revoked.has(token.jti) ? 'revoked' : token.status }))}
            working={action.working}
            onRevoke={setRevoking}
          />
        ))}
      {revoking !== undefined && (
        <ConfirmDialog
          title="Revoke this access token?"
          confirmLabel="Revoke"
          danger
          onConfirm={() => void revoke(revoking)}
          onCancel={() => setRevoking(undefined)}
        >
          <p>
            Token <code>{revoking.jti}</code> ({tokenUserLabel(revoking.user)}) stops working at once. The app may get a new one with its refresh
            token.
          </p>
        </ConfirmDialog>
      )}
    </Card>
  );
}

/** One row of an access- or refresh-token table. */
interface TokenRow {
  id: string;
  user: AccessTokenInfo['user'];
  scope: string;
  issuedAt: string;
  expiresAt: string;
  status: string;
  /** Instead of the status badge. */
  badge?: ReactNode | undefined;
}

interface TokenTableProps<T extends TokenRow> {
  label: string;
  /** What one row is, for the Revoke button's accessible name. */
  noun: string;
  rows: T[];
  working: boolean;
  onRevoke: (row: T) => void;
}

/** Identifier, user, scopes, issued, expires, status, and Revoke for an active token. */
function TokenTable<T extends TokenRow>({ label, noun, rows, working, onRevoke }: TokenTableProps<T>) {
  return (
    <div className="table-wrap">
      <table className="table table-compact" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Identifier</th>
            <th scope="col">User</th>
            <th scope="col">Scopes</th>
            <th scope="col">Issued</th>
            <th scope="col">Expires</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td className="cell-id">
                <code title={row.id}>{row.id}</code>
              </td>
              <td className="cell-nowrap">{tokenUserLabel(row.user)}</td>
              <td className="cell-scopes">
                <code>{row.scope}</code>
              </td>
              <td className="cell-date">{row.issuedAt === '' ? '—' : formatDateTime(row.issuedAt)}</td>
              <td className="cell-date">{row.expiresAt === '' ? '—' : formatDateTime(row.expiresAt)}</td>
              <td>{row.badge ?? <Badge tone={statusTones[row.status] ?? 'neutral'}>{capitalise(row.status)}</Badge>}</td>
              <td className="cell-actions">
                {row.status === 'active' && (
                  <button
                    type="button"
                    className="button button-small button-danger-outline"
                    aria-label={`Revoke ${noun} ${row.id}`}
                    disabled={working}
                    onClick={() => onRevoke(row)}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Older pages of the refresh-token list, loaded on demand after the first one. */
type OlderPages = { items: RefreshTokenInfo[]; next: string | null; state: 'idle' | 'loading' | ApiError };

function RefreshTokensCard({ base, onRevoked }: { base: string; onRevoked: () => void }) {
  const { expired } = useSession();
  const [resource, reload] = useApiResource<unknown>(`${base}/refresh-tokens`);
  const [older, setOlder] = useState<OlderPages>();
  const [changed, setChanged] = useState<Map<string, RefreshTokenInfo>>(() => new Map());
  const [revoking, setRevoking] = useState<RefreshTokenInfo>();
  const action = useAction();
  const first = useMemo(() => (resource.status === 'ready' ? toRefreshTokenPage(resource.data) : undefined), [resource]);
  const tokens = [...(first?.items ?? []), ...(older?.items ?? [])].map((token) => changed.get(token.id) ?? token);
  const next = older === undefined ? first?.next : older.next;

  async function loadMore(before: string): Promise<void> {
    setOlder((current) => ({ items: current?.items ?? [], next: before, state: 'loading' }));
    try {
      const page = toRefreshTokenPage(await api.get<unknown>(`${base}/refresh-tokens?before=${encodeURIComponent(before)}`));
      setOlder((current) => ({ items: [...(current?.items ?? []), ...page.items], next: page.next, state: 'idle' }));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        expired();
        return;
      }
      const failure = error instanceof ApiError ? error : new ApiError(0, error instanceof Error ? error.message : String(error));
      setOlder((current) => ({ items: current?.items ?? [], next: before, state: failure }));
    }
  }

  async function revoke(token: RefreshTokenInfo): Promise<void> {
    setRevoking(undefined);
    const done = await action.run(
      async () => toRefreshToken(await api.post<unknown>(`/admin/api/refresh-tokens/${encodeURIComponent(token.id)}/revoke`, {})),
      () => `Revoked refresh token ${shortId(token.id)} and every access token of the same authorization.`,
    );
    if (done !== undefined) {
      setChanged((current) => new Map(current).set(done.id, done));
      onRevoked();
    }
  }

  return (
    <Card
      title="Refresh tokens"
      description="Long-lived tokens the app uses to get new access tokens without asking the user again, newest first. Revoking one ends it and every access token of the same authorization."
    >
      <ActionMessage state={action.state} failure="Could not revoke the refresh token." />
      {resource.status === 'loading' && <Loading label="Loading refresh tokens…" />}
      {resource.status === 'error' && <LoadError what="the refresh tokens" error={resource.error} onRetry={reload} />}
      {resource.status === 'ready' &&
        (tokens.length === 0 ? (
          <EmptyState title="No refresh tokens issued to this app.">
            <p>Apps get one when they ask for offline access and the user ticks “Stay connected”.</p>
          </EmptyState>
        ) : (
          <>
            <TokenTable
              label="Refresh tokens"
              noun="refresh token"
              rows={tokens.map((token) => ({
                ...token,
                // a rotated token was exchanged for a newer one: spent, not taken away
                badge: token.rotated ? <Badge tone="neutral">Rotated</Badge> : undefined,
              }))}
              working={action.working}
              onRevoke={setRevoking}
            />
            {older?.state instanceof ApiError && (
              <Alert tone="error" title="Could not load more refresh tokens.">
                {older.state.message}
              </Alert>
            )}
            {present(next) && (
              <p className="load-more">
                <button type="button" className="button button-secondary" disabled={older?.state === 'loading'} onClick={() => void loadMore(next)}>
                  {older?.state === 'loading' ? 'Loading…' : 'Load more'}
                </button>
              </p>
            )}
          </>
        ))}
      {revoking !== undefined && (
        <ConfirmDialog
          title="Revoke this refresh token?"
          confirmLabel="Revoke"
          danger
          onConfirm={() => void revoke(revoking)}
          onCancel={() => setRevoking(undefined)}
        >
          <p>
            Refresh token <code>{revoking.id}</code> ({tokenUserLabel(revoking.user)}) stops working at once, and so does every access token
            issued under the same authorization. The app must ask the user to authorize it again.
          </p>
        </ConfirmDialog>
      )}
    </Card>
  );
}

function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}

function capitalise(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}
