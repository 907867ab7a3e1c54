import { Router } from 'express';
import type { AppContext } from '../../context.js';

export function statusRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/status', (_req, res) => {
    res.json({
      status: 'ok',
      version: ctx.version,
      startedAt: ctx.startedAt.toISOString(),
      uptimeSeconds: Math.round((Date.now() - ctx.startedAt.getTime()) / 1000),
    });
  });
  return router;
}
