import { Router } from 'express';
import { z } from 'zod';
import type { StaffLogin } from '../../auth/staff-login.js';
import { HttpError } from '../../http/errors.js';
import { parseInput } from '../../http/validate.js';
import { cookieSessionId, publicUser, requireSession } from '../middleware.js';
import { clearSessionCookie, setSessionCookie } from '../session-cookie.js';
import type { SessionStore } from '../session-store.js';

const credentials = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(1000) });

/** `/admin/api/session`: log in (POST), who am I (GET), log out (DELETE). */
export function sessionRoutes(sessions: SessionStore, staffLogin: StaffLogin): Router {
  const router = Router();

  router.post('/session', async (req, res) => {
    const { username, password } = parseInput(credentials, req.body);
    const user = await staffLogin.login(username, password, req.ip ?? 'unknown', 'admin');
    const previous = cookieSessionId(req);
    if (previous) await sessions.destroy(previous);
    const { sessionId, csrfToken } = await sessions.create(user.id);
    setSessionCookie(res, sessionId);
    res.json({ user: publicUser(user), csrfToken });
  });

  router.get('/session', async (req, res) => {
    const staff = await sessions.resolve(cookieSessionId(req));
    if (!staff) throw new HttpError(401, 'not logged in or the session expired');
    res.json({ user: publicUser(staff.user), csrfToken: staff.session.csrfToken });
  });

  router.delete('/session', requireSession(sessions), async (req, res) => {
    await sessions.destroy(cookieSessionId(req)!);
    clearSessionCookie(res);
    res.json({});
  });

  return router;
}
