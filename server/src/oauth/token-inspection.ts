import { decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import type { AppContext } from '../context.js';
import { checkAccessRecord } from './bearer.js';
import type { Actor } from './revocation.js';
import { tokenHash } from './secrets.js';
import { oauthServices, type OAuthHost, type OAuthServices } from './services.js';
import type { AccessTokenRow, GrantRow, RefreshTokenRow, UserKind } from './store/models.js';
import { subjectOf } from './subject.js';

/** Token Tools run in the server and in the CLI: only keys, URLs and the stores are needed. */
export type InspectionHost = OAuthHost & Pick<AppContext, 'keys' | 'urls'>;

export type TokenStatus = 'active' | 'expired' | 'revoked' | 'invalid';

export interface TokenUser {
  userId: string;
  username: string;
  kind: UserKind;
  patientId?: string;
}

/** DESIGN §10 Token Tools parse shape. */
export interface TokenInspection {
  status: TokenStatus;
  tokenType: 'access_token' | 'refresh_token' | 'unknown';
  jti: string | null;
  clientId: string | null;
  clientName: string | null;
  user: TokenUser | null;
  scope: string | null;
  patient?: string;
  issuedAt: string | null;
  expiresAt: string | null;
  claims: Record<string, unknown> | null;
}

function userOf(kind: UserKind, userId: string, username: string, patientId: string | null | undefined): TokenUser {
  return { userId: subjectOf(kind, userId), username, kind, ...(patientId ? { patientId } : {}) };
}

/** Who authorized a grant. */
export function grantUser(grant: GrantRow): TokenUser {
  return userOf(grant.userKind, grant.userId, grant.username, grant.patientId);
}

/** A rotated refresh token is spent, so it counts as revoked (Token Tools and the admin list agree). */
export function refreshTokenStatus(row: RefreshTokenRow, grant: GrantRow | null, clientEnabled: boolean): TokenStatus {
  if (row.revokedAt || row.usedAt || !grant || grant.revokedAt || !clientEnabled) return 'revoked';
  return row.expiresAt.getTime() <= Date.now() ? 'expired' : 'active';
}

export async function tokenUser(services: OAuthServices, row: AccessTokenRow, grant?: GrantRow | null): Promise<TokenUser> {
  const g = grant === undefined && row.grantId ? await services.tokens.getGrant(row.grantId) : grant;
  const username = g?.username ?? (await services.clients.get(row.clientId))?.clientName ?? row.userId;
  return userOf(row.userKind, row.userId, username, row.patientId);
}

export async function accessTokenStatus(services: OAuthServices, row: AccessTokenRow): Promise<TokenStatus> {
  if (row.revokedAt) return 'revoked';
  if (row.expiresAt.getTime() <= Date.now()) return 'expired';
  return (await checkAccessRecord(services, row.jti)).ok ? 'active' : 'revoked';
}

/** Verifies the signature, issuer and audience but not expiry, so an expired token is still recognised as ours. */
async function verifyIgnoringExpiry(ctx: InspectionHost, token: string): Promise<JWTPayload | null> {
  try {
    const unverified = decodeJwt(token);
    const { payload } = await jwtVerify(token, ctx.keys.verificationKeys(), {
      algorithms: ['RS256'],
      issuer: ctx.urls().issuer,
      audience: ctx.urls().fhirBase,
      currentDate: new Date(((unverified.iat ?? 0) + 1) * 1000),
    });
    return payload;
  } catch {
    return null;
  }
}

const invalid: TokenInspection = { status: 'invalid', tokenType: 'unknown', jti: null, clientId: null, clientName: null, user: null, scope: null, issuedAt: null, expiresAt: null, claims: null };

/** What Token Tools and `inpracsys token parse` show about a pasted token. Never echoes the token. */
export async function inspectToken(ctx: InspectionHost, token: string): Promise<TokenInspection> {
  const services = oauthServices(ctx);
  const trimmed = token.trim().replace(/^Bearer\s+/i, '');
  const payload = await verifyIgnoringExpiry(ctx, trimmed);
  if (payload?.jti) {
    const row = await services.tokens.getAccessToken(payload.jti);
    if (!row) return { ...invalid, claims: payload as Record<string, unknown> };
    const client = await services.clients.get(row.clientId);
    return {
      status: await accessTokenStatus(services, row),
      tokenType: 'access_token',
      jti: row.jti,
      clientId: row.clientId,
      clientName: client?.clientName ?? null,
      user: await tokenUser(services, row),
      scope: row.scope,
      ...(row.patientId ? { patient: row.patientId } : {}),
      issuedAt: row.issuedAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      claims: payload as Record<string, unknown>,
    };
  }
  const refresh = await services.tokens.getRefreshToken(tokenHash(trimmed));
  if (!refresh) return invalid;
  const grant = await services.tokens.getGrant(refresh.grantId);
  const client = await services.clients.get(refresh.clientId);
  return {
    status: refreshTokenStatus(refresh, grant, client?.enabled === true),
    tokenType: 'refresh_token',
    jti: null,
    clientId: refresh.clientId,
    clientName: client?.clientName ?? null,
    user: grant ? grantUser(grant) : null,
    scope: refresh.scope,
    ...(grant?.patientId ? { patient: grant.patientId } : {}),
    issuedAt: refresh.createdAt.toISOString(),
    expiresAt: refresh.expiresAt.toISOString(),
    claims: null,
  };
}

/** Token Tools "Revoke Token": an access token alone, a refresh token with its grant (DESIGN §10). */
export async function revokePastedToken(ctx: InspectionHost, token: string, by: Actor, via: string): Promise<TokenInspection> {
  const services = oauthServices(ctx);
  const trimmed = token.trim().replace(/^Bearer\s+/i, '');
  const payload = await verifyIgnoringExpiry(ctx, trimmed);
  if (payload?.jti) {
    await services.revocation.revokeAccessToken(payload.jti, by, via);
  } else {
    const refresh = await services.tokens.getRefreshToken(tokenHash(trimmed));
    if (refresh) await services.revocation.revokeGrant(refresh.grantId, by, `refresh token revoked via ${via}`);
  }
  return inspectToken(ctx, trimmed);
}
