import OAuth2Server from '@node-oauth/oauth2-server';
import { tokenHash } from '../secrets.js';
import { issueTokens } from './issue.js';
import { LibraryAuthorizationCodeGrant } from './library.js';
import type { GrantDeps, GrantUser } from './types.js';

/**
 * The library's authorization_code grant (single use, expiry, client binding, PKCE S256 with
 * the code consumed before the verifier is checked), with one correction: a redirect_uri that
 * differs from the authorization request's is `invalid_grant` (RFC 6749 §5.2), not
 * `invalid_request`.
 */
export class AuthorizationCodeGrant extends LibraryAuthorizationCodeGrant {
  validateRedirectUri(request: OAuth2Server.Request, code: OAuth2Server.AuthorizationCode): void {
    const given = (request.body as Record<string, unknown>).redirect_uri;
    if (typeof given !== 'string' || given.length === 0) throw new OAuth2Server.InvalidRequestError('Missing parameter: `redirect_uri`');
    if (given !== code.redirectUri) throw new OAuth2Server.InvalidGrantError('Invalid grant: `redirect_uri` does not match the authorization request');
  }
}

/** The model functions of the authorization_code grant. */
export function authorizationCodeModel({ ctx, services, ip }: GrantDeps) {
  return {
    async getAuthorizationCode(code: string): Promise<OAuth2Server.AuthorizationCode | false> {
      const row = await services.codes.get(tokenHash(code));
      if (!row) return false;
      if (row.usedAt) {
        // A replayed code: whatever it issued is revoked (RFC 6749 §4.1.2, DESIGN §10).
        if (row.grantId) await services.revocation.revokeGrant(row.grantId, { ip }, 'authorization code replayed');
        await ctx.audit.record({ type: 'oauth.code.replay', outcome: 'failure', clientId: row.clientId, patientId: row.patientId, ip });
        return false;
      }
      return {
        authorizationCode: code,
        expiresAt: row.expiresAt,
        redirectUri: row.redirectUri,
        scope: row.scope.split(' '),
        client: { id: row.clientId, grants: [] },
        user: { via: 'authorization_code', code: row } satisfies GrantUser,
        codeChallenge: row.codeChallenge,
        codeChallengeMethod: 'S256',
      };
    },

    revokeAuthorizationCode: (code: OAuth2Server.AuthorizationCode) => services.codes.consume(tokenHash(code.authorizationCode)),
  };
}

/** A code becomes a grant (the user's authorization of the client) and the first tokens under it. */
export async function issueForCode(deps: GrantDeps, user: Extract<GrantUser, { via: 'authorization_code' }>, scope: string): Promise<OAuth2Server.Token> {
  const { ctx, services, client, ip } = deps;
  const code = user.code;
  const grant = await services.tokens.createGrant({
    clientId: client.clientId,
    userKind: code.userKind,
    userId: code.userId,
    username: code.username,
    scope: code.scope,
    patientId: code.patientId ?? null,
    encounterId: code.encounterId ?? null,
    ehrLaunch: code.ehrLaunch,
  });
  await services.codes.linkGrant(code.codeHash, grant.id);
  return issueTokens(ctx, services, {
    client,
    grantId: grant.id,
    userKind: code.userKind,
    userId: code.userId,
    username: code.username,
    scope,
    refreshScope: code.scope,
    patientId: code.patientId ?? null,
    encounterId: code.encounterId ?? null,
    fhirUser: code.fhirUser ?? null,
    nonce: code.nonce ?? null,
    authTime: code.authTime,
    ehrLaunch: code.ehrLaunch,
    lifetimeSeconds: ctx.settings.get().accessTokenLifetimeSeconds,
    via: 'authorization_code',
    ip,
  });
}
