import OAuth2Server from '@node-oauth/oauth2-server';
import type { Request as ExpressRequest, RequestHandler } from 'express';
import type { AppContext } from '../context.js';
import { OAuthError } from '../http/errors.js';
import { authenticateClient } from './client-auth/authenticate-client.js';
import { InvalidRequest, UnsupportedGrantType } from './errors.js';
import { AuthorizationCodeGrant } from './grants/authorization-code.js';
import { tokenModel } from './grants/model.js';
import { RefreshTokenGrant } from './grants/refresh-token.js';
import { oauthServices } from './services.js';

/** The password grant and the implicit flow are never offered (RFC 9700). */
const supportedGrants = new Set(['authorization_code', 'refresh_token', 'client_credentials']);
const credentialParams = ['client_secret', 'client_assertion', 'client_assertion_type'];

/** Our error for a library error; a model failure arrives wrapped as ServerError with `inner`. */
function fromLibraryError(error: unknown): unknown {
  if (!(error instanceof OAuth2Server.OAuthError)) return error;
  const inner = (error as { inner?: unknown }).inner;
  if (inner) return inner;
  if (error.name === 'server_error') return error;
  return new OAuthError(error.code, error.name, error.message);
}

function libraryRequest(req: ExpressRequest, clientId: string): OAuth2Server.Request {
  const body = Object.fromEntries(Object.entries(req.body as Record<string, string>).filter(([name]) => !credentialParams.includes(name)));
  body.client_id = clientId;
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'content-length', 'transfer-encoding']) {
    const value = req.get(name);
    if (value) headers[name] = value;
  }
  return new OAuth2Server.Request({ method: 'POST', query: {}, headers, body });
}

/**
 * `POST /oauth2/token`: our client authentication (secrets, private_key_jwt, public), then
 * @node-oauth/oauth2-server's grant machinery with this server's model.
 */
export function tokenHandler(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    if (!req.is('application/x-www-form-urlencoded')) throw new InvalidRequest('the body must be application/x-www-form-urlencoded');
    const grantType = (req.body as Record<string, unknown>).grant_type;
    if (typeof grantType !== 'string') throw new InvalidRequest('grant_type is required');
    if (!supportedGrants.has(grantType)) throw new UnsupportedGrantType(`grant_type ${grantType} is not supported`);

    const services = oauthServices(ctx);
    const { issuer } = ctx.urls();
    const client = await authenticateClient(req, {
      clients: services.clients,
      jwks: services.clientJwks,
      jtis: services.assertionJtis,
      audiences: [`${issuer}/token`, issuer],
    });
    const server = new OAuth2Server({
      model: tokenModel({ ctx, services, client, ip: req.ip ?? null }) as unknown as OAuth2Server.ServerOptions['model'],
      accessTokenLifetime: ctx.settings.get().accessTokenLifetimeSeconds,
      refreshTokenLifetime: ctx.settings.get().refreshTokenLifetimeDays * 86_400,
      allowExtendedTokenAttributes: true,
      alwaysIssueNewRefreshToken: true,
      // Client authentication already happened above.
      requireClientAuthentication: { authorization_code: false, refresh_token: false, client_credentials: false },
      extendedGrantTypes: {
        authorization_code: AuthorizationCodeGrant as unknown as typeof OAuth2Server.AbstractGrantType,
        refresh_token: RefreshTokenGrant as unknown as typeof OAuth2Server.AbstractGrantType,
      },
    });
    const response = new OAuth2Server.Response();
    try {
      await server.token(libraryRequest(req, client.clientId), response);
    } catch (error) {
      throw fromLibraryError(error);
    }
    res.status(200).set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json(response.body);
  };
}
