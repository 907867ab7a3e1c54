import type { RequestHandler } from 'express';
import type { AppContext } from '../context.js';
import { checkAccessRecord, verifyAccessTokenJwt } from './bearer.js';
import { authenticateClient } from './client-auth/authenticate-client.js';
import { InvalidClient, InvalidRequest } from './errors.js';
import { stringParam } from './http-helpers.js';
import { tokenHash } from './secrets.js';
import { oauthServices, type OAuthServices } from './services.js';
import type { ClientRecord } from './store/client-store.js';
import { subjectOf } from './subject.js';

type Introspection = { active: false } | ({ active: true } & Record<string, unknown>);
const inactive: Introspection = { active: false };

async function introspectAccessToken(ctx: AppContext, services: OAuthServices, caller: ClientRecord, token: string): Promise<Introspection | null> {
  let payload;
  try {
    payload = await verifyAccessTokenJwt(ctx, token);
  } catch {
    return null;
  }
  const row = await services.tokens.getAccessToken(payload.jti);
  if (!row || row.clientId !== caller.clientId) return inactive;
  if (!(await checkAccessRecord(services, payload.jti)).ok) return inactive;
  return {
    active: true,
    token_type: 'Bearer',
    client_id: row.clientId,
    scope: row.scope,
    exp: Math.floor(row.expiresAt.getTime() / 1000),
    iat: Math.floor(row.issuedAt.getTime() / 1000),
    sub: subjectOf(row.userKind, row.userId),
    iss: ctx.urls().issuer,
    aud: ctx.urls().fhirBase,
    jti: row.jti,
    ...(row.patientId ? { patient: row.patientId } : {}),
    ...(typeof payload.fhirUser === 'string' ? { fhirUser: payload.fhirUser } : {}),
  };
}

async function introspectRefreshToken(ctx: AppContext, services: OAuthServices, caller: ClientRecord, token: string): Promise<Introspection> {
  const row = await services.tokens.getRefreshToken(tokenHash(token));
  if (!row || row.clientId !== caller.clientId || row.usedAt || row.revokedAt || row.expiresAt.getTime() <= Date.now()) return inactive;
  const grant = await services.tokens.getGrant(row.grantId);
  if (!grant || grant.revokedAt || !caller.enabled) return inactive;
  if (grant.patientId && (await services.patientAccess.get(grant.patientId))?.optedOut) return inactive;
  return {
    active: true,
    token_type: 'refresh_token',
    client_id: row.clientId,
    scope: row.scope,
    exp: Math.floor(row.expiresAt.getTime() / 1000),
    sub: subjectOf(grant.userKind, grant.userId),
    iss: ctx.urls().issuer,
    ...(grant.patientId ? { patient: grant.patientId } : {}),
  };
}

/**
 * RFC 7662 for authenticated confidential clients, about tokens issued to them; anything else
 * that is not active answers exactly `{"active":false}`.
 */
export function introspectHandler(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    const services = oauthServices(ctx);
    const { issuer } = ctx.urls();
    const caller = await authenticateClient(req, { clients: services.clients, jwks: services.clientJwks, jtis: services.assertionJtis, audiences: [`${issuer}/introspect`, `${issuer}/token`, issuer] });
    if (caller.tokenEndpointAuthMethod === 'none') throw new InvalidClient('introspection needs a confidential client');
    const token = stringParam(req.body, 'token');
    if (!token) throw new InvalidRequest('token is required');
    const result = (await introspectAccessToken(ctx, services, caller, token)) ?? (await introspectRefreshToken(ctx, services, caller, token));
    res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json(result);
  };
}
