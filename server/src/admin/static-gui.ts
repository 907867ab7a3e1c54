import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { HttpError } from '../http/errors.js';

/** Serves the built admin GUI at /admin/; unknown GUI paths get index.html (client-side routes). */
export function adminGui(rendererDir: string): Router {
  const router = Router();
  const index = path.join(rendererDir, 'index.html');
  router.use(express.static(rendererDir, { index: false, maxAge: '1h', fallthrough: true }));
  router.get(/^\/(?!api(\/|$)).*/, (_req, res) => {
    if (!existsSync(index)) throw new HttpError(503, 'the admin GUI is not built; run `npm run build`');
    res.set('Cache-Control', 'no-cache').sendFile(index);
  });
  return router;
}
