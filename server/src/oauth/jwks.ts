import type { RequestHandler } from 'express';
import type { AppContext } from '../context.js';

/** The public signing keys (with kid, alg, use). */
export function jwksHandler(ctx: AppContext): RequestHandler {
  return (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').type('application/jwk-set+json').send(JSON.stringify(ctx.keys.jwks()));
  };
}
