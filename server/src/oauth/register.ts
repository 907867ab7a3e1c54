import type { RequestHandler } from 'express';
import type { AppContext } from '../context.js';
import { TooManyRequests } from './errors.js';
import { HourlyRateLimit } from './registration/rate-limit.js';
import { registerClient } from './registration/register-client.js';
import { oauthServices } from './services.js';

/** RFC 7591 dynamic registration, open to anyone but rate-limited per IP (DESIGN §10). */
export function registerHandler(ctx: AppContext): RequestHandler {
  const limit = new HourlyRateLimit(() => ctx.settings.get().registrationRateLimitPerHour);
  return async (req, res) => {
    const ip = req.ip ?? 'unknown';
    const wait = limit.hit(ip);
    if (wait > 0) throw new TooManyRequests(wait);
    const { response } = await registerClient(oauthServices(ctx).clients, ctx.audit, req.body, { ip, via: 'oauth2/register' });
    res.status(201).set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json(response);
  };
}
