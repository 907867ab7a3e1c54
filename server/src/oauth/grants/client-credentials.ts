import type OAuth2Server from '@node-oauth/oauth2-server';
import { ScopeSet } from '../../smart/scopes.js';
import { issueTokens } from './issue.js';
import type { GrantDeps, GrantUser } from './types.js';

/** SMART backend services: 5-minute tokens, never a refresh token. */
const backendTokenSeconds = 300;

/** The model functions of the client_credentials grant (the library's own grant class is used as is). */
export function clientCredentialsModel({ client }: GrantDeps) {
  return {
    getUserFromClient: async () => ({ via: 'client_credentials' }) satisfies GrantUser,

    /** Only client_credentials asks: no scope = every registered scope; else each must equal or narrow one. */
    async validateScope(user: OAuth2Server.User, _client: OAuth2Server.Client, scope?: string[]): Promise<string[] | false> {
      if ((user as GrantUser).via !== 'client_credentials') return scope ?? [];
      const registered = ScopeSet.parse(client.scope);
      if (!scope || scope.length === 0) return registered.toArray();
      const { set, invalid } = ScopeSet.tryParse(scope.join(' '));
      if (invalid.length > 0 || registered.notCovering(set).length > 0) return false;
      return set.toArray();
    },
  };
}

export function issueForClient({ ctx, services, client, ip }: GrantDeps, scope: string): Promise<OAuth2Server.Token> {
  return issueTokens(ctx, services, {
    client,
    grantId: null,
    userKind: 'system',
    userId: client.clientId,
    username: client.clientName,
    scope,
    refreshScope: '',
    patientId: null,
    encounterId: null,
    fhirUser: null,
    nonce: null,
    authTime: null,
    ehrLaunch: false,
    lifetimeSeconds: backendTokenSeconds,
    via: 'client_credentials',
    ip,
  });
}
