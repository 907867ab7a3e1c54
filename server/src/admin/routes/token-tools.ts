import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { parseInput } from '../../http/validate.js';
import { inspectToken, revokePastedToken } from '../../oauth/token-inspection.js';
import { requireRole } from '../middleware.js';

const pasted = z.object({ token: z.string().trim().min(1).max(20_000) });

/** Token Tools (DESIGN §8/§10): parse and revoke a pasted token (administrators only). */
export function tokenToolRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use('/token-tools', requireRole('admin'));
  router.post('/token-tools/parse', async (req, res) => {
    res.json(await inspectToken(ctx, parseInput(pasted, req.body).token));
  });
  router.post('/token-tools/revoke', async (req, res) => {
    const { token } = parseInput(pasted, req.body);
    res.json(await revokePastedToken(ctx, token, { actor: req.staff!.user.username, ip: req.ip ?? null }, 'token-tools'));
  });
  return router;
}
