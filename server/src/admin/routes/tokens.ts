import { Router } from 'express';
import type { AppContext } from '../../context.js';
import { HttpError } from '../../http/errors.js';
import { oauthServices } from '../../oauth/services.js';
import { accessTokenStatus, tokenUser } from '../../oauth/token-inspection.js';
import { requireRole } from '../middleware.js';

/** `POST /admin/api/tokens/{jti}/revoke`: one access token by identifier (administrators only). */
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
  return router;
}
