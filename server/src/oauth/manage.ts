import { Router, type Request } from 'express';
import type { AppContext } from '../context.js';
import { ScopeSet } from '../smart/scopes.js';
import { loginPage } from '../views/login-page.js';
import { managePage, type ManagedApp } from '../views/manage-page.js';
import { errorPage } from '../views/error-page.js';
import { browserCookieOptions, ExpiringMap, ssoCookie, type SsoSession } from './browser-state.js';
import { formBody, stringParam } from './http-helpers.js';
import { randomToken } from './secrets.js';
import { oauthServices } from './services.js';

/** `/oauth2/manage` (SMART management_endpoint): a patient sees and revokes the apps they authorized. */
export function manageRouter(ctx: AppContext): Router {
  const router = Router();
  const services = oauthServices(ctx);
  const practiceName = () => ctx.settings.get().practiceName;
  const sessionOf = (req: Request): SsoSession | undefined => {
    const session = services.sessions.get((req.cookies as Record<string, string | undefined>)[ssoCookie]);
    return session?.userKind === 'patient' ? session : undefined;
  };
  // One-time tokens for the login form (no session exists yet to hold one).
  const loginCsrf = new ExpiringMap<true>(15 * 60_000);

  async function appsOf(patientId: string): Promise<ManagedApp[]> {
    const grants = await services.tokens.listGrants({ userKind: 'patient', userId: patientId, active: true });
    const byClient = new Map<string, ManagedApp>();
    for (const grant of grants) {
      if (byClient.has(grant.clientId)) continue;
      const client = await services.clients.get(grant.clientId);
      byClient.set(grant.clientId, { clientId: grant.clientId, clientName: client?.clientName ?? grant.clientId, authorizedAt: grant.createdAt, scopes: ScopeSet.parse(grant.scope).labels() });
    }
    return [...byClient.values()];
  }

  router.get('/manage', async (req, res) => {
    res.set('Cache-Control', 'no-store').type('html');
    const session = sessionOf(req);
    if (!session) {
      const csrf = loginCsrf.put(true);
      res.send(loginPage({ practiceName: practiceName(), appName: 'your app access page', action: '/oauth2/manage/login', csrf, kind: 'patient' }));
      return;
    }
    const message = typeof req.query.revoked === 'string' ? 'Access revoked.' : undefined;
    res.send(managePage({ practiceName: practiceName(), userName: session.displayName, csrf: session.csrf, apps: await appsOf(session.patientId!), ...(message ? { message } : {}) }));
  });

  router.post('/manage/login', formBody, async (req, res) => {
    res.set('Cache-Control', 'no-store').type('html');
    const csrf = stringParam(req.body, 'csrf') ?? '';
    if (!loginCsrf.get(csrf)) {
      res.status(403).send(errorPage(practiceName(), 'The form has expired. Open the page again.'));
      return;
    }
    const result = await services.patientLogin.login(stringParam(req.body, 'username') ?? '', stringParam(req.body, 'password') ?? '', req.ip ?? 'unknown', null);
    if (!result.ok) {
      const error = result.reason === 'opted-out' ? 'You have opted out of access by third-party apps; no app can access your record.' : 'Wrong username or password.';
      res.status(result.reason === 'opted-out' ? 403 : 401).send(loginPage({ practiceName: practiceName(), appName: 'your app access page', action: '/oauth2/manage/login', csrf, kind: 'patient', error }));
      return;
    }
    loginCsrf.delete(csrf);
    const session: SsoSession = { userKind: 'patient', userId: result.patientId, username: result.username, displayName: result.username, patientId: result.patientId, authTime: new Date(), csrf: randomToken(24) };
    res.cookie(ssoCookie, services.sessions.put(session), browserCookieOptions);
    res.redirect(303, '/oauth2/manage');
  });

  router.post('/manage/revoke', formBody, async (req, res) => {
    const session = sessionOf(req);
    if (!session || stringParam(req.body, 'csrf') !== session.csrf) {
      res.status(403).set('Cache-Control', 'no-store').type('html').send(errorPage(practiceName(), 'Your session has expired. Open the page again.'));
      return;
    }
    const clientId = stringParam(req.body, 'client_id') ?? '';
    await services.revocation.revokeUser(clientId, 'patient', session.patientId!, { actor: session.username, ip: req.ip ?? null });
    res.redirect(303, '/oauth2/manage?revoked=1');
  });

  return router;
}
