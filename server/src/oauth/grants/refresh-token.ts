import OAuth2Server from '@node-oauth/oauth2-server';
import { ScopeSet } from '../../smart/scopes.js';
import { resolveFhirUser } from '../fhir-user.js';
import { tokenHash } from '../secrets.js';
import { issueTokens } from './issue.js';
import { LibraryRefreshTokenGrant } from './library.js';
import type { GrantDeps, GrantUser } from './types.js';

interface RefreshSteps {
  getRefreshToken(request: OAuth2Server.Request, client: OAuth2Server.Client): Promise<OAuth2Server.RefreshToken>;
  revokeToken(token: OAuth2Server.RefreshToken): Promise<OAuth2Server.RefreshToken>;
  saveToken(user: OAuth2Server.User, client: OAuth2Server.Client, scope: string[] | undefined): Promise<OAuth2Server.Token>;
}

/**
 * The library's refresh_token grant with rotation, changed in two ways:
 * - the requested scope may *narrow* the granted one in SMART terms (a granular
 *   `.rs?category=…` narrows `.rs`), not only be a subset of the strings;
 * - the scope is checked before the old token is rotated, so a bad request does not burn a
 *   valid refresh token (and make the retry look like reuse).
 */
export class RefreshTokenGrant extends LibraryRefreshTokenGrant {
  override async handle(request: OAuth2Server.Request, client: OAuth2Server.Client): Promise<OAuth2Server.Token> {
    const steps = this as unknown as RefreshSteps;
    const token = await steps.getRefreshToken(request, client);
    const scope = this.narrowedScope(request, token);
    await steps.revokeToken(token);
    return steps.saveToken(token.user, client, scope);
  }

  private narrowedScope(request: OAuth2Server.Request, token: OAuth2Server.RefreshToken): string[] {
    const granted = ScopeSet.parse((token.scope ?? []).join(' '));
    const asked = (request.body as Record<string, unknown>).scope;
    if (asked === undefined || asked === '') return granted.toArray();
    if (typeof asked !== 'string') throw new OAuth2Server.InvalidScopeError('Invalid parameter: `scope`');
    const { set, invalid } = ScopeSet.tryParse(asked);
    if (invalid.length > 0 || granted.notCovering(set).length > 0) {
      throw new OAuth2Server.InvalidScopeError('Invalid scope: the requested scope is not within the granted scope');
    }
    return set.toArray();
  }
}

/** The model functions of the refresh_token grant: rotation, and reuse revoking the whole grant. */
export function refreshTokenModel({ ctx, services, ip }: GrantDeps) {
  return {
    async getRefreshToken(refreshToken: string): Promise<OAuth2Server.RefreshToken | false> {
      const row = await services.tokens.getRefreshToken(tokenHash(refreshToken));
      if (!row || row.revokedAt) return false;
      if (row.usedAt) {
        // Reuse of a rotated refresh token: assume it was stolen and end the whole grant.
        await services.revocation.revokeGrant(row.grantId, { ip }, 'refresh token reused');
        return false;
      }
      const grant = await services.tokens.getGrant(row.grantId);
      if (!grant || grant.revokedAt) return false;
      if (grant.patientId && (await services.patientAccess.get(grant.patientId))?.optedOut) return false;
      if (grant.userKind === 'staff' && (await ctx.models.User.findByPk(Number(grant.userId)))?.disabled !== false) return false;
      return {
        refreshToken,
        refreshTokenExpiresAt: row.expiresAt,
        scope: row.scope.split(' '),
        client: { id: row.clientId, grants: [] },
        user: { via: 'refresh_token', grant, refreshScope: row.scope } satisfies GrantUser,
      };
    },

    revokeToken: (token: OAuth2Server.RefreshToken) => services.tokens.markRefreshTokenUsed(tokenHash(token.refreshToken)),
  };
}

/** New tokens under the same grant; the new refresh token keeps the grant's full scope. */
export async function issueForRefresh(deps: GrantDeps, user: Extract<GrantUser, { via: 'refresh_token' }>, scope: string): Promise<OAuth2Server.Token> {
  const { ctx, services, client, ip } = deps;
  const grant = user.grant;
  return issueTokens(ctx, services, {
    client,
    grantId: grant.id,
    userKind: grant.userKind,
    userId: grant.userId,
    username: grant.username,
    scope,
    refreshScope: user.refreshScope,
    patientId: grant.patientId ?? null,
    encounterId: grant.encounterId ?? null,
    fhirUser: await resolveFhirUser(ctx, grant.userKind, grant.userId),
    nonce: null,
    authTime: null,
    ehrLaunch: grant.ehrLaunch,
    lifetimeSeconds: ctx.settings.get().accessTokenLifetimeSeconds,
    via: 'refresh_token',
    ip,
  });
}
