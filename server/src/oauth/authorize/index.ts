import type { Request, RequestHandler } from 'express';
import type { AppContext } from '../../context.js';
import { errorPage } from '../../views/error-page.js';
import { browserCookieOptions, interactionCookie, ssoCookie } from '../browser-state.js';
import { oauthServices } from '../services.js';
import { checkAud } from './check-aud.js';
import { checkClient } from './check-client.js';
import { checkLaunch } from './check-launch.js';
import { checkPkce } from './check-pkce.js';
import { checkRedirectUri } from './check-redirect-uri.js';
import { checkResponseType } from './check-response-type.js';
import { checkScope } from './check-scope.js';
import { redirectToClient } from './respond.js';
import { AuthorizePageError, AuthorizeRedirectError, type AuthorizeState, type Check } from './types.js';

/** Every rule of the authorization endpoint, in order (DESIGN §5). */
export const authorizeChecks: Check[] = [checkClient, checkRedirectUri, checkResponseType, checkAud, checkPkce, checkScope, checkLaunch];

function paramsOf(req: Request): Record<string, string | undefined> | string {
  const source = (req.method === 'POST' ? req.body : req.query) as Record<string, unknown>;
  const params: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(source ?? {})) {
    if (typeof value !== 'string') return name; // repeated (RFC 6749 §3.1) or nested
    params[name] = value;
  }
  return params;
}

/**
 * `GET|POST /oauth2/authorize` (authorize-post): runs the checks; a request that passes them
 * becomes an interaction (login → patient choice → consent) at `/oauth2/interaction/{id}`.
 */
export function authorizeHandler(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const practiceName = ctx.settings.get().practiceName;
    const params = paramsOf(req);
    if (typeof params === 'string') {
      res.status(400).type('html').send(errorPage(practiceName, `The parameter ${params} was given more than once.`));
      return;
    }
    const state: AuthorizeState = { ctx, services: oauthServices(ctx), params };
    try {
      for (const check of authorizeChecks) await check(state);
    } catch (error) {
      if (error instanceof AuthorizePageError) {
        res.status(400).type('html').send(errorPage(practiceName, error.message));
        return;
      }
      if (error instanceof AuthorizeRedirectError && state.redirectUri) {
        redirectToClient(ctx, res, state.redirectUri, { error: error.error, error_description: error.description }, params.state);
        return;
      }
      throw error;
    }
    // Consent is always asked in a page, so prompt=none can never be answered silently (OIDC Core §3.1.2.6).
    if (params.prompt?.split(' ').includes('none')) {
      const signedIn = state.services.sessions.get((req.cookies as Record<string, string | undefined>)[ssoCookie]);
      redirectToClient(ctx, res, state.redirectUri!, { error: signedIn ? 'consent_required' : 'login_required', error_description: 'user interaction is required' }, params.state);
      return;
    }
    const scopes = state.scopes!;
    const interaction = state.services.interactions.create(
      {
        client: state.client!,
        redirectUri: state.redirectUri!,
        scopes,
        codeChallenge: state.codeChallenge!,
        state: params.state,
        nonce: params.nonce,
        launch: state.launch,
      },
      scopes.hasContext('user') || scopes.has('launch') ? 'staff' : 'patient',
    );
    res.cookie(interactionCookie, interaction.id, browserCookieOptions);
    res.redirect(303, `/oauth2/interaction/${encodeURIComponent(interaction.id)}`);
  };
}
