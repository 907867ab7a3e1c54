import express, { Router } from 'express';
import type { AppContext } from '../context.js';
import { noStore } from '../http/security-headers.js';
import { oauthServices } from '../oauth/services.js';
import { bulkJobRoutes } from '../fhir/bulk/admin-routes.js';
import { requireSession } from './middleware.js';
import { oauthAdminRoutes } from './routes/oauth-admin.js';
import { sessionRoutes } from './routes/session.js';
import { auditRoutes } from './routes/audit.js';
import { settingsRoutes } from './routes/settings.js';
import { tlsRoutes } from './routes/tls.js';
import { igPackageRoutes } from './routes/ig-packages.js';
import { setupRoutes } from './routes/setup.js';
import { statusRoutes } from './routes/status.js';
import { userRoutes } from './routes/users.js';
import { SessionStore } from './session-store.js';

/** The admin JSON API under `/admin/api` (DESIGN §8). Everything past setup and login needs a staff session. */
export function adminApi(ctx: AppContext): Router {
  const sessions = new SessionStore(ctx.models, ctx.config.sessionIdleMinutes * 60_000);
  // The same throttles as the OAuth login page: failures there and here count together.
  const staffLogin = oauthServices(ctx).staffLogin;
  const router = Router();
  router.use(noStore, express.json({ limit: '1mb' }));
  router.use(setupRoutes(ctx, sessions));
  router.use(sessionRoutes(sessions, staffLogin));
  router.use(requireSession(sessions));
  router.use(statusRoutes(ctx));
  router.use(settingsRoutes(ctx));
  router.use(tlsRoutes(ctx), igPackageRoutes(ctx));
  router.use(userRoutes(ctx));
  router.use(auditRoutes(ctx));
  router.use(oauthAdminRoutes(ctx));
  router.use(bulkJobRoutes(ctx));
  return router;
}
