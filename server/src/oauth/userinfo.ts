import type { RequestHandler } from 'express';
import type { AppContext } from '../context.js';
import { OAuthError } from '../http/errors.js';
import { authenticateBearer } from './bearer.js';

/** OpenID Connect UserInfo: the signed-in user's `sub`, `fhirUser` and name, for tokens with `openid`. */
export function userinfoHandler(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    const access = await authenticateBearer(ctx, req.get('authorization'));
    if (!access.scopes.has('openid')) {
      throw new OAuthError(403, 'insufficient_scope', 'the token was not granted openid', { 'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="openid"' });
    }
    const body: Record<string, unknown> = { sub: access.subject };
    if (access.fhirUser && access.scopes.has('fhirUser')) body.fhirUser = access.fhirUser;
    if (access.userKind === 'staff' && access.scopes.has('profile')) {
      const user = await ctx.models.User.findByPk(Number(access.subject.split(':')[1]));
      if (user) Object.assign(body, { name: user.displayName, preferred_username: user.username });
    }
    res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json(body);
  };
}
