import type { RequestHandler } from 'express';
import type { AppContext } from '../context.js';
import { verifyAccessTokenJwt } from './bearer.js';
import { authenticateClient } from './client-auth/authenticate-client.js';
import { InvalidRequest } from './errors.js';
import { stringParam } from './http-helpers.js';
import { tokenHash } from './secrets.js';
import { oauthServices } from './services.js';

/**
 * RFC 7009. An access token ends alone; a refresh token ends with every token of its grant
 * (DESIGN §10). Unknown tokens and other clients' tokens answer 200 too, so the endpoint tells
 * nothing about them.
 */
export function revokeHandler(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    const services = oauthServices(ctx);
    const { issuer } = ctx.urls();
    const client = await authenticateClient(req, { clients: services.clients, jwks: services.clientJwks, jtis: services.assertionJtis, audiences: [`${issuer}/revoke`, `${issuer}/token`, issuer] });
    const token = stringParam(req.body, 'token');
    if (!token) throw new InvalidRequest('token is required');
    const by = { actor: client.clientName, ip: req.ip ?? null };

    const refresh = await services.tokens.getRefreshToken(tokenHash(token));
    if (refresh) {
      if (refresh.clientId === client.clientId) await services.revocation.revokeGrant(refresh.grantId, by, 'refresh token revoked by the client');
    } else {
      const payload = await verifyAccessTokenJwt(ctx, token).catch(() => null);
      const row = payload ? await services.tokens.getAccessToken(payload.jti) : null;
      if (row && row.clientId === client.clientId) await services.revocation.revokeAccessToken(row.jti, by, 'oauth2/revoke');
    }
    res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).status(200).end();
  };
}
