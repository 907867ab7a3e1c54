import type OAuth2Server from '@node-oauth/oauth2-server';
import { authorizationCodeModel, issueForCode } from './authorization-code.js';
import { clientCredentialsModel, issueForClient } from './client-credentials.js';
import { issueForRefresh, refreshTokenModel } from './refresh-token.js';
import type { GrantDeps, GrantUser } from './types.js';

/**
 * The @node-oauth/oauth2-server model for one token request, assembled from the grant modules.
 * The client was already authenticated by our own middleware (the library knows neither
 * private_key_jwt nor the form-decoding of Basic credentials), so getClient just hands it over.
 */
export function tokenModel(deps: GrantDeps) {
  const libClient: OAuth2Server.Client = { id: deps.client.clientId, grants: deps.client.metadata.grant_types };
  return {
    getClient: async () => libClient,
    // Unused: the resource server is ours (bearer.ts), but the library's types ask for it.
    getAccessToken: async () => false as const,
    // The JWT is signed in saveToken, once its grant and jti are known.
    generateAccessToken: async () => 'issued-in-saveToken',
    ...authorizationCodeModel(deps),
    ...refreshTokenModel(deps),
    ...clientCredentialsModel(deps),

    saveToken(token: OAuth2Server.Token, _client: OAuth2Server.Client, user: OAuth2Server.User): Promise<OAuth2Server.Token> {
      const grantUser = user as GrantUser;
      const scope = (token.scope ?? []).join(' ');
      switch (grantUser.via) {
        case 'authorization_code':
          return issueForCode(deps, grantUser, scope);
        case 'refresh_token':
          return issueForRefresh(deps, grantUser, scope);
        case 'client_credentials':
          return issueForClient(deps, scope);
      }
    },
  };
}
