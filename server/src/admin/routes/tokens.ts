import { Router } from 'express';
import type { AppContext } from '../../context.js';
import { HttpError } from '../../http/errors.js';
import { oauthServices, type OAuthServices } from '../../oauth/services.js';
import type { GrantRow, RefreshTokenRow } from '../../oauth/store/models.js';
import { accessTokenStatus, grantUser, refreshTokenStatus, tokenUser } from '../../oauth/token-inspection.js';
import { requireRole } from '../middleware.js';

/** Refresh tokens as the admin API shows them: by identifier, never the token or its hash. */
export async function refreshTokenViews(services: OAuthServices, rows: readonly RefreshTokenRow[]) {
  // A page is mostly one rotation chain: look each grant and client up once.
  const grants = new Map<string, GrantRow | null>();
  const enabled = new Map<string, boolean>();
  for (const row of rows) {
    if (!grants.has(row.grantId)) grants.set(row.grantId, await services.tokens.getGrant(row.grantId));
    if (!enabled.has(row.clientId)) enabled.set(row.clientId, (await services.clients.get(row.clientId))?.enabled === true);
  }
  return rows.map((row) => {
    const grant = grants.get(row.grantId) ?? null;
    return {
      id: row.id,
      clientId: row.clientId,
      user: grant ? grantUser(grant) : null,
      scope: row.scope,
      issuedAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      status: refreshTokenStatus(row, grant, enabled.get(row.clientId) === true),
      rotated: Boolean(row.usedAt),
      rotatedAt: row.usedAt?.toISOString() ?? null,
      revokedAt: row.revokedAt?.toISOString() ?? null,
    };
  });
}

/**
 * `POST /admin/api/tokens/{jti}/revoke`: one access token by identifier;
 * `POST /admin/api/refresh-tokens/{id}/revoke`: one refresh token with its grant (administrators only).
 */
export function tokenRoutes(ctx: AppContext): Router {
  const router = Router();
  const services = oauthServices(ctx);
  router.post('/tokens/:jti/revoke', requireRole('admin'), async (req, res) => {
    const jti = req.params.jti as string;
    if (!(await services.tokens.getAccessToken(jti))) throw new HttpError(404, `no access token ${jti}`);
    await services.revocation.revokeAccessToken(jti, { actor: req.staff!.user.username, ip: req.ip ?? null }, 'admin');
    const row = (await services.tokens.getAccessToken(jti))!;
    res.json({
      jti,
      clientId: row.clientId,
      user: await tokenUser(services, row),
      scope: row.scope,
      issuedAt: row.issuedAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      status: await accessTokenStatus(services, row),
    });
  });

  router.post('/refresh-tokens/:id/revoke', requireRole('admin'), async (req, res) => {
    const id = req.params.id as string;
    const token = await services.tokens.getRefreshTokenById(id);
    if (!token) throw new HttpError(404, `no refresh token ${id}`);
    // Revoking a spent token would end the newer one of its grant behind the administrator's back.
    if (token.usedAt && !token.revokedAt) throw new HttpError(409, 'this refresh token was already exchanged for a newer one: revoke that one instead');
    await services.revocation.revokeRefreshToken(token, { actor: req.staff!.user.username, ip: req.ip ?? null }, 'admin');
    const [view] = await refreshTokenViews(services, [(await services.tokens.getRefreshTokenById(id))!]);
    res.json(view);
  });
  return router;
}
