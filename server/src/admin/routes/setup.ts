import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { HttpError } from '../../http/errors.js';
import { parseInput } from '../../http/validate.js';
import { createStaffUser, passwordRule, usernameRule } from '../../users/staff-users.js';
import { publicUser } from '../middleware.js';
import { setSessionCookie } from '../session-cookie.js';
import type { SessionStore } from '../session-store.js';

const setupInput = z.object({ token: z.string().min(1), username: usernameRule, password: passwordRule });

function tokenMatches(token: string, expectedHash: string): boolean {
  const actual = createHash('sha256').update(token).digest();
  return timingSafeEqual(actual, Buffer.from(expectedHash, 'hex'));
}

/** `/admin/api/setup`: the one-time creation of the first administrator. */
export function setupRoutes(ctx: AppContext, sessions: SessionStore): Router {
  const router = Router();

  router.get('/setup', async (_req, res) => {
    res.json({ needed: (await ctx.models.User.count()) === 0 });
  });

  router.post('/setup', async (req, res) => {
    const input = parseInput(setupInput, req.body);
    if ((await ctx.models.User.count()) > 0 || !ctx.setupTokenHash) throw new HttpError(409, 'setup is already done');
    if (!tokenMatches(input.token, ctx.setupTokenHash)) {
      await ctx.audit.record({ type: 'admin.setup', outcome: 'failure', ip: req.ip ?? null });
      throw new HttpError(403, 'the setup link is not valid; use the one the server printed');
    }
    const user = await createStaffUser(ctx.models, { username: input.username, displayName: 'Administrator', password: input.password, role: 'admin' });
    ctx.setupTokenHash = null;
    await ctx.audit.record({ type: 'admin.setup', outcome: 'success', actor: user.username, ip: req.ip ?? null });
    const { sessionId, csrfToken } = await sessions.create(user.id);
    setSessionCookie(res, sessionId);
    res.status(201).json({ user: publicUser(user), csrfToken });
  });

  return router;
}
