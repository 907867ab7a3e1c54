import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { AppContext } from '../context.js';
import type { OAuthServices } from './services.js';
import type { UserKind } from './store/models.js';
import { subjectOf } from './subject.js';

export interface AccessTokenRequest {
  clientId: string;
  grantId: string | null;
  userKind: UserKind;
  userId: string;
  scope: string;
  patientId?: string | null;
  encounterId?: string | null;
  fhirUser?: string | null;
  lifetimeSeconds: number;
}

export interface IssuedAccessToken {
  accessToken: string;
  jti: string;
  expiresAt: Date;
  expiresIn: number;
}

/**
 * Signs an RS256 JWT access token (RFC 9068 shape, `aud` = FHIR base, SMART launch context as
 * top-level claims) and records it by `jti` so it can be listed and revoked.
 */
export async function issueAccessToken(ctx: AppContext, services: OAuthServices, request: AccessTokenRequest): Promise<IssuedAccessToken> {
  const key = ctx.keys.signingKey('RS256');
  const { issuer, fhirBase } = ctx.urls();
  const jti = randomUUID();
  const issuedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
  const expiresAt = new Date(issuedAt.getTime() + request.lifetimeSeconds * 1000);
  const claims: Record<string, unknown> = { client_id: request.clientId, scope: request.scope };
  if (request.patientId) claims.patient = request.patientId;
  if (request.encounterId) claims.encounter = request.encounterId;
  if (request.fhirUser) claims.fhirUser = request.fhirUser;
  const accessToken = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'at+jwt' })
    .setIssuer(issuer)
    .setAudience(fhirBase)
    .setSubject(subjectOf(request.userKind, request.userId))
    .setJti(jti)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(key.privateKey);
  await services.tokens.recordAccessToken({
    jti,
    clientId: request.clientId,
    grantId: request.grantId,
    userKind: request.userKind,
    userId: request.userId,
    scope: request.scope,
    patientId: request.patientId ?? null,
    issuedAt,
    expiresAt,
  });
  return { accessToken, jti, expiresAt, expiresIn: request.lifetimeSeconds };
}
