import type OAuth2Server from '@node-oauth/oauth2-server';
import type { AppContext } from '../../context.js';
import { ScopeSet } from '../../smart/scopes.js';
import { issueAccessToken } from '../access-token.js';
import { signIdToken } from '../id-token.js';
import { randomToken, tokenHash } from '../secrets.js';
import type { OAuthServices } from '../services.js';
import type { ClientRecord } from '../store/client-store.js';
import type { UserKind } from '../store/models.js';
import { subjectOf } from '../subject.js';

export interface IssueRequest {
  client: ClientRecord;
  grantId: string | null;
  userKind: UserKind;
  userId: string;
  username: string;
  /** Scope of the access token (may be narrower than the grant's on refresh). */
  scope: string;
  /** Scope a new refresh token carries (the grant's; a narrower refresh request does not shrink it). */
  refreshScope: string;
  patientId: string | null;
  encounterId: string | null;
  fhirUser: string | null;
  nonce: string | null;
  authTime: Date | null;
  ehrLaunch: boolean;
  lifetimeSeconds: number;
  via: string;
  ip: string | null;
}

const onlineRefreshSeconds = 12 * 3600;

/**
 * Everything a token response carries (DESIGN §5, §10): the recorded JWT access token, a
 * rotated refresh token when offline/online access was granted, an id_token for `openid`, and
 * the SMART launch context. Returned in @node-oauth/oauth2-server's Token shape; the extra
 * attributes become top-level response fields.
 */
export async function issueTokens(ctx: AppContext, services: OAuthServices, request: IssueRequest): Promise<OAuth2Server.Token> {
  const scopes = ScopeSet.parse(request.scope);
  const access = await issueAccessToken(ctx, services, {
    clientId: request.client.clientId,
    grantId: request.grantId,
    userKind: request.userKind,
    userId: request.userId,
    scope: request.scope,
    patientId: request.patientId,
    encounterId: request.encounterId,
    fhirUser: request.fhirUser,
    lifetimeSeconds: request.lifetimeSeconds,
  });
  const token: OAuth2Server.Token = {
    accessToken: access.accessToken,
    accessTokenExpiresAt: access.expiresAt,
    scope: scopes.toArray(),
    client: { id: request.client.clientId, grants: request.client.metadata.grant_types },
    user: { id: request.userId },
    // The library would derive expires_in from the (second-rounded) expiry and say 299.
    expires_in: request.lifetimeSeconds,
  };

  const refreshScopes = ScopeSet.parse(request.refreshScope);
  const wantsRefresh = refreshScopes.has('offline_access') || refreshScopes.has('online_access');
  if (request.grantId && wantsRefresh && request.client.metadata.grant_types.includes('refresh_token')) {
    const refreshToken = randomToken(32);
    const seconds = refreshScopes.has('offline_access') ? ctx.settings.get().refreshTokenLifetimeDays * 86_400 : onlineRefreshSeconds;
    const expiresAt = new Date(Date.now() + seconds * 1000);
    await services.tokens.saveRefreshToken({ tokenHash: tokenHash(refreshToken), grantId: request.grantId, clientId: request.client.clientId, scope: request.refreshScope, expiresAt });
    token.refreshToken = refreshToken;
    token.refreshTokenExpiresAt = expiresAt;
  }
  if (scopes.has('openid') && request.authTime) {
    token.id_token = await signIdToken(ctx, {
      clientId: request.client.clientId,
      subject: subjectOf(request.userKind, request.userId),
      nonce: request.nonce,
      authTime: request.authTime,
      fhirUser: scopes.has('fhirUser') ? request.fhirUser : null,
    });
  }
  if (request.patientId) {
    token.patient = request.patientId;
    token.need_patient_banner = !request.ehrLaunch;
    token.smart_style_url = `${ctx.urls().issuer}/smart-style.json`;
  }
  if (request.encounterId) token.encounter = request.encounterId;

  await ctx.audit.record({
    type: request.via === 'refresh_token' ? 'oauth.token.refresh' : 'oauth.token.issue',
    outcome: 'success',
    actor: request.username,
    clientId: request.client.clientId,
    patientId: request.patientId,
    ip: request.ip,
    detail: { grantType: request.via, jti: access.jti, scope: request.scope, refreshToken: token.refreshToken !== undefined },
  });
  return token;
}
