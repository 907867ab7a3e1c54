// Reads the API client shapes of DESIGN §8/§10 leniently: the list and the detail use camelCase,
// registration uses RFC 7591 snake_case. Unknown fields are kept out of the GUI's types.
import type { AccessTokenInfo, ApiClient, AuthenticatedApiUser, ClientProfile, RefreshTokenInfo, RefreshTokenPage } from './types';

type Loose = Record<string, unknown>;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function strings(value: unknown): string[] | undefined {
  if (Array.isArray(value)) {
    return value.filter((item): item is string => typeof item === 'string');
  }
  if (typeof value === 'string') {
    return value.split(/\s+/).filter((item) => item !== '');
  }
  return undefined;
}

function metadataOf(raw: Loose): Loose {
  return typeof raw.metadata === 'object' && raw.metadata !== null ? (raw.metadata as Loose) : {};
}

export function toApiClient(value: unknown): ApiClient {
  const raw = (value ?? {}) as Loose;
  const meta = metadataOf(raw);
  const method = text(raw.tokenEndpointAuthMethod) ?? text(raw.token_endpoint_auth_method) ?? text(meta.token_endpoint_auth_method);
  const isPublic =
    typeof raw.public === 'boolean'
      ? raw.public
      : typeof raw.confidential === 'boolean'
        ? !raw.confidential
        : text(raw.clientType ?? raw.type) !== undefined
          ? text(raw.clientType ?? raw.type) === 'public'
          : method === 'none';
  return {
    clientId: text(raw.clientId) ?? text(raw.client_id) ?? '',
    name: text(raw.name) ?? text(raw.clientName) ?? text(raw.client_name) ?? text(meta.client_name) ?? '(no name)',
    enabled: raw.enabled === true,
    public: isPublic,
    tokenEndpointAuthMethod: method,
    profile: text(raw.profile) ?? 'patient-standalone',
    scopes: strings(raw.scopes) ?? strings(raw.scope) ?? strings(meta.scope) ?? [],
    redirectUris: strings(raw.redirectUris) ?? strings(raw.redirect_uris) ?? strings(meta.redirect_uris) ?? [],
    registeredAt: text(raw.registeredAt) ?? text(raw.createdAt) ?? epochText(raw.client_id_issued_at) ?? '',
    launchUri:
      text(raw.launchUri) ??
      text(raw.initiateLoginUri) ??
      text(raw.initiate_login_uri) ??
      text(meta.initiate_login_uri) ??
      text(meta.launch_uri),
    jwksUri: text(raw.jwksUri) ?? text(raw.jwks_uri) ?? text(meta.jwks_uri),
    grantTypes: strings(raw.grantTypes) ?? strings(raw.grant_types) ?? strings(meta.grant_types),
  };
}

function epochText(value: unknown): string | undefined {
  return typeof value === 'number' ? new Date(value * 1000).toISOString() : undefined;
}

export function toApiUser(value: unknown): AuthenticatedApiUser {
  const raw = (value ?? {}) as Loose;
  return {
    userId: String(raw.userId ?? raw.id ?? ''),
    username: text(raw.username) ?? String(raw.userId ?? ''),
    kind: raw.kind === 'staff' ? 'staff' : 'patient',
    authorizedAt: text(raw.authorizedAt) ?? text(raw.createdAt) ?? '',
    patientId: text(raw.patientId) ?? null,
    revokedAt: text(raw.revokedAt) ?? null,
  };
}

export function toAccessToken(value: unknown): AccessTokenInfo {
  const raw = (value ?? {}) as Loose;
  return {
    jti: text(raw.jti) ?? '',
    user: (raw.user as AccessTokenInfo['user']) ?? text(raw.username) ?? text(raw.userId) ?? null,
    scope: text(raw.scope) ?? (strings(raw.scopes) ?? []).join(' '),
    issuedAt: text(raw.issuedAt) ?? '',
    expiresAt: text(raw.expiresAt) ?? '',
    status: text(raw.status) ?? (raw.revokedAt ? 'revoked' : 'active'),
  };
}

/** Items of a list answer (`{items}`), or an array as it is. */
export function itemsOf(value: unknown): unknown[] {
  if (Array.isArray(value)) {
    return value;
  }
  const raw = (value ?? {}) as Loose;
  return Array.isArray(raw.items) ? raw.items : [];
}

export const profileLabels: Record<ClientProfile, string> = {
  'patient-standalone': 'Patient standalone',
  provider: 'Provider',
  'ehr-launch': 'EHR launch',
  'backend-service': 'Backend service',
};

export function profileLabel(profile: string): string {
  return profile in profileLabels ? profileLabels[profile as ClientProfile] : profile;
}

export function tokenUserLabel(user: AccessTokenInfo['user']): string {
  if (user === null) {
    return '—';
  }
  if (typeof user === 'string') {
    return user;
  }
  const name = user.username ?? user.userId ?? '—';
  return user.kind === 'system' ? `${name} (system)` : name;
}

/** Users are named `kind:id` in the API ("patient:123", "staff:7"); the id alone is the local one. */
export function localUserId(userId: string): string {
  const colon = userId.indexOf(':');
  return colon === -1 ? userId : userId.slice(colon + 1);
}

export function toRefreshToken(value: unknown): RefreshTokenInfo {
  const raw = (value ?? {}) as Loose;
  return {
    id: text(raw.id) ?? '',
    user: (raw.user as RefreshTokenInfo['user']) ?? null,
    scope: text(raw.scope) ?? '',
    issuedAt: text(raw.issuedAt) ?? '',
    expiresAt: text(raw.expiresAt) ?? '',
    status: text(raw.status) ?? 'active',
    rotated: raw.rotated === true,
  };
}

/** One page of a client's refresh tokens, with the `before` of the next page. */
export function toRefreshTokenPage(value: unknown): RefreshTokenPage {
  const raw = (value ?? {}) as Loose;
  const items = itemsOf(value).map(toRefreshToken);
  return { items, total: typeof raw.total === 'number' ? raw.total : items.length, next: text(raw.next) ?? null };
}
