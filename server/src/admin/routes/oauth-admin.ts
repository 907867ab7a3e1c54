import { Router } from 'express';
import type { AppContext } from '../../context.js';
import { clientRoutes } from './clients.js';
import { launchRoutes } from './launch.js';
import { patientRoutes } from './patients.js';
import { tokenToolRoutes } from './token-tools.js';
import { tokenRoutes } from './tokens.js';

/** The authorization server's admin routes (DESIGN §8): clients, tokens, token tools, patients, launch. */
export function oauthAdminRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(clientRoutes(ctx), tokenRoutes(ctx), tokenToolRoutes(ctx), patientRoutes(ctx), launchRoutes(ctx));
  return router;
}
