import type { RequestHandler } from 'express';

/**
 * Browser apps on other origins call discovery, the token endpoint, userinfo and revocation
 * with fetch. None of these rely on cookies, so any origin may call them without credentials.
 */
export const openCors: RequestHandler = (req, res, next) => {
  res.set({
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept',
    'Access-Control-Max-Age': '600',
  });
  if (req.method === 'OPTIONS') {
    res.status(204).end();
    return;
  }
  next();
};
