import { jwtVerify, type JWTPayload } from 'jose';
import type { AppContext } from '../context.js';
import { ScopeSet } from '../smart/scopes.js';
import { AccessCache } from './access-cache.js';
import { InvalidToken } from './errors.js';
import { oauthServices, type CachedAccess, type OAuthServices } from './services.js';
import type { UserKind } from './store/models.js';

/** Who is calling the FHIR API, and what they may do; built from a verified access token. */
export interface AccessContext {
  jti: string;
  clientId: string;
  subject: string;
  userKind: UserKind;
  patientId?: string;
  encounterId?: string;
  fhirUser?: string;
  scopes: ScopeSet;
}

/** Only the header counts: a token in the query string or body is ignored (RFC 9700 §4.3). */
function bearerTokenFrom(header: string | undefined): string {
  const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header?.trim() ?? '');
  if (!match) throw new InvalidToken('missing bearer token in the Authorization header');
  return match[1]!;
}

type AccessTokenClaims = JWTPayload & { jti: string; exp: number };

interface VerifiedToken {
  claims: AccessTokenClaims;
  /** The issuer and audience it was verified against: a new site address must verify again. */
  issuer: string;
  audience: string;
}

/** Tokens whose signature verified, by token text, per key set (new keys start empty). */
const verifiedByKeys = new WeakMap<object, AccessCache<VerifiedToken>>();
const clockToleranceSeconds = 5;

/**
 * Signature with the server's own keys, RS256 only (no `none`, no HMAC with a public key), iss, aud, exp.
 * An app sends the same token for an hour, so a verified signature is remembered (by the exact
 * token text, for the cache's short TTL); expiry, issuer and audience are still checked every time.
 */
export async function verifyAccessTokenJwt(ctx: AppContext, token: string): Promise<AccessTokenClaims> {
  const { issuer, fhirBase } = ctx.urls();
  const keySet = ctx.keys.verificationKeys();
  let verified = verifiedByKeys.get(keySet);
  if (!verified) {
    verified = new AccessCache<VerifiedToken>();
    verifiedByKeys.set(keySet, verified);
  }
  const known = verified.get(token);
  if (known && known.issuer === issuer && known.audience === fhirBase && known.claims.exp + clockToleranceSeconds > Date.now() / 1000) return known.claims;
  try {
    const { payload } = await jwtVerify(token, keySet, {
      algorithms: ['RS256'],
      issuer,
      audience: fhirBase,
      requiredClaims: ['exp', 'jti', 'sub'],
      clockTolerance: clockToleranceSeconds,
    });
    const claims = payload as AccessTokenClaims;
    verified.set(token, { claims, issuer, audience: fhirBase });
    return claims;
  } catch {
    throw new InvalidToken();
  }
}

/** The record checks that make revocation immediate: token, client, grant, patient opt-out. */
export async function checkAccessRecord(services: OAuthServices, jti: string): Promise<CachedAccess> {
  const token = await services.tokens.getAccessToken(jti);
  if (!token) return { ok: false, reason: 'unknown token' };
  if (token.revokedAt) return { ok: false, reason: 'token revoked' };
  if (token.expiresAt.getTime() <= Date.now()) return { ok: false, reason: 'token expired' };
  const client = await services.clients.get(token.clientId);
  if (!client?.enabled) return { ok: false, reason: 'client disabled' };
  let encounterId: string | null = null;
  if (token.grantId) {
    const grant = await services.tokens.getGrant(token.grantId);
    if (!grant || grant.revokedAt) return { ok: false, reason: 'authorization revoked' };
    encounterId = grant.encounterId ?? null;
  }
  if (token.patientId) {
    const access = await services.patientAccess.get(token.patientId);
    if (access?.optedOut) return { ok: false, reason: 'patient opted out' };
  }
  // a scope this server cannot read grants nothing (it never issues one; a record edited by hand could hold one)
  const scopes = ScopeSet.tryParse(token.scope).set;
  return { ok: true, clientId: token.clientId, userKind: token.userKind, patientId: token.patientId ?? null, encounterId, scopes };
}

/**
 * The FHIR API's gate: verifies the JWT, then the token's record through a small cache that
 * every revocation clears. Throws 401 invalid_token with a Bearer challenge.
 */
export async function authenticateBearer(ctx: AppContext, authorizationHeader: string | undefined): Promise<AccessContext> {
  const payload = await verifyAccessTokenJwt(ctx, bearerTokenFrom(authorizationHeader));
  const services = oauthServices(ctx);
  let verdict = services.accessCache.get(payload.jti);
  if (!verdict) {
    verdict = await checkAccessRecord(services, payload.jti);
    services.accessCache.set(payload.jti, verdict);
  }
  if (!verdict.ok) throw new InvalidToken();
  // Client, user, patient and scope come from the record (the same values the JWT was signed with).
  return {
    jti: payload.jti,
    clientId: verdict.clientId,
    subject: payload.sub!,
    userKind: verdict.userKind,
    ...(verdict.patientId ? { patientId: verdict.patientId } : {}),
    ...(verdict.encounterId ? { encounterId: verdict.encounterId } : {}),
    ...(typeof payload.fhirUser === 'string' ? { fhirUser: payload.fhirUser } : {}),
    scopes: verdict.scopes,
  };
}
