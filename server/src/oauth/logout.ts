import type { RequestHandler } from 'express';
import { decodeJwt } from 'jose';
import type { AppContext } from '../context.js';
import { loggedOutPage } from '../views/manage-page.js';
import { browserCookieOptions, ssoCookie } from './browser-state.js';
import { stringParam } from './http-helpers.js';
import { oauthServices } from './services.js';

/**
 * OpenID Connect RP-initiated logout: ends the browser's sign-in; returns to
 * `post_logout_redirect_uri` only when it is a redirect URI the named client registered.
 */
export function logoutHandler(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    const services = oauthServices(ctx);
    const params = (req.method === 'POST' ? req.body : req.query) as Record<string, unknown>;
    services.sessions.delete((req.cookies as Record<string, string | undefined>)[ssoCookie]);
    res.clearCookie(ssoCookie, browserCookieOptions);
    res.set('Cache-Control', 'no-store');

    const target = stringParam(params, 'post_logout_redirect_uri');
    let clientId = stringParam(params, 'client_id');
    const hint = stringParam(params, 'id_token_hint');
    if (!clientId && hint) {
      try {
        const aud = decodeJwt(hint).aud;
        clientId = Array.isArray(aud) ? aud[0] : aud;
      } catch {
        clientId = undefined;
      }
    }
    const client = clientId ? await services.clients.get(clientId) : null;
    if (target && client?.metadata.redirect_uris.includes(target)) {
      const url = new URL(target);
      const state = stringParam(params, 'state');
      if (state) url.searchParams.set('state', state);
      res.redirect(303, url.toString());
      return;
    }
    res.type('html').send(loggedOutPage(ctx.settings.get().practiceName));
  };
}
