import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import type { AppContext } from '../../context.js';
import { HttpError } from '../../http/errors.js';
import { consentPage } from '../../views/consent-page.js';
import { errorPage } from '../../views/error-page.js';
import { loginPage } from '../../views/login-page.js';
import { pickerPage } from '../../views/picker-page.js';
import { browserCookieOptions, interactionCookie, ssoCookie, type Interaction, type SsoSession } from '../browser-state.js';
import { formBody, stringParam } from '../http-helpers.js';
import { randomToken } from '../secrets.js';
import { oauthServices, type OAuthServices } from '../services.js';
import { issueCode } from './issue-code.js';
import { redirectToClient } from './respond.js';

type Step = 'login' | 'patient' | 'consent';

/** Which page the interaction needs next. */
export function nextStep(interaction: Interaction, session: SsoSession | undefined): Step {
  const launch = interaction.request.launch;
  if (!session || session.userKind !== interaction.loginKind) return 'login';
  if (launch && session.userId !== String(launch.staffUserId)) return 'login';
  if (session.userKind === 'staff' && !launch && !interaction.patientId && interaction.request.scopes.has('launch/patient')) return 'patient';
  return 'consent';
}

function sessionOf(services: OAuthServices, req: Request): SsoSession | undefined {
  return services.sessions.get((req.cookies as Record<string, string | undefined>)[ssoCookie]);
}

/** The browser that started the interaction (its cookie) and, for a form, the page's CSRF token. */
function interactionOf(services: OAuthServices, req: Request, form: boolean): Interaction {
  const id = req.params.id as string;
  const interaction = services.interactions.get(id);
  const cookie = (req.cookies as Record<string, string | undefined>)[interactionCookie];
  if (!interaction || cookie !== id) throw new HttpError(400, 'This sign-in has expired. Go back to the app and start again.');
  if (form && stringParam(req.body, 'csrf') !== interaction.csrf) throw new HttpError(403, 'The form has expired. Go back to the app and start again.');
  return interaction;
}

/** Login, patient picker and consent pages of an authorization request (DESIGN §9). */
export function interactionRouter(ctx: AppContext): Router {
  const router = Router();
  const services = oauthServices(ctx);
  const practiceName = () => ctx.settings.get().practiceName;
  const base = (interaction: Interaction) => `/oauth2/interaction/${encodeURIComponent(interaction.id)}`;

  async function show(req: Request, res: Response, interaction: Interaction, error?: string, status = 200): Promise<void> {
    res.set('Cache-Control', 'no-store').status(status).type('html');
    const session = sessionOf(services, req);
    const appName = interaction.request.client.clientName;
    switch (nextStep(interaction, session)) {
      case 'login':
        res.send(loginPage({ practiceName: practiceName(), appName, action: `${base(interaction)}/login`, csrf: interaction.csrf, kind: interaction.loginKind, ...(error ? { error } : {}) }));
        return;
      case 'patient': {
        const query = typeof req.query.q === 'string' ? req.query.q : '';
        const patients = await services.patientDirectory.search(query);
        res.send(pickerPage({ practiceName: practiceName(), appName, action: `${base(interaction)}/patient`, searchAction: base(interaction), csrf: interaction.csrf, query, patients }));
        return;
      }
      case 'consent': {
        const patientId = session!.userKind === 'patient' ? session!.patientId : (interaction.request.launch?.patientId ?? interaction.patientId);
        const patient = patientId && session!.userKind === 'staff' ? await services.patientDirectory.get(patientId).catch(() => null) : null;
        res.send(consentPage({
          practiceName: practiceName(),
          appName,
          action: `${base(interaction)}/consent`,
          csrf: interaction.csrf,
          userName: session!.displayName,
          ...(patient ? { patientName: patient.name } : patientId && session!.userKind === 'staff' ? { patientName: patientId } : {}),
          scopes: interaction.request.scopes.labels(),
        }));
        return;
      }
    }
  }

  router.get('/interaction/:id', async (req, res) => {
    await show(req, res, interactionOf(services, req, false));
  });

  router.post('/interaction/:id/login', formBody, async (req, res) => {
    const interaction = interactionOf(services, req, true);
    const username = stringParam(req.body, 'username') ?? '';
    const password = stringParam(req.body, 'password') ?? '';
    const ip = req.ip ?? 'unknown';
    const clientId = interaction.request.client.clientId;
    let session: SsoSession;
    if (interaction.loginKind === 'patient') {
      const result = await services.patientLogin.login(username, password, ip, clientId);
      if (!result.ok) {
        const message =
          result.reason === 'opted-out'
            ? 'You have opted out of access by third-party apps, so no app can be connected to your record. Ask your practice if you want to opt back in.'
            : result.reason === 'throttled'
              ? 'Too many failed attempts. Try again later.'
              : 'Wrong username or password.';
        await show(req, res, interaction, message, result.reason === 'opted-out' ? 403 : 401);
        return;
      }
      session = { userKind: 'patient', userId: result.patientId, username: result.username, displayName: result.username, patientId: result.patientId, authTime: new Date(), csrf: randomToken(24) };
    } else {
      try {
        const user = await services.staffLogin.login(username, password, ip, 'oauth');
        session = { userKind: 'staff', userId: String(user.id), username: user.username, displayName: user.displayName, practitionerId: user.practitionerId ?? null, authTime: new Date(), csrf: randomToken(24) };
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        await show(req, res, interaction, error.status === 429 ? 'Too many failed attempts. Try again later.' : 'Wrong username or password.', error.status);
        return;
      }
      const launch = interaction.request.launch;
      if (launch && session.userId !== String(launch.staffUserId)) {
        await show(req, res, interaction, 'This launch was started by another user. Log in as the user who launched the app.', 403);
        return;
      }
    }
    services.sessions.delete((req.cookies as Record<string, string | undefined>)[ssoCookie]);
    res.cookie(ssoCookie, services.sessions.put(session), browserCookieOptions);
    res.redirect(303, base(interaction));
  });

  router.post('/interaction/:id/patient', formBody, async (req, res) => {
    const interaction = interactionOf(services, req, true);
    if (nextStep(interaction, sessionOf(services, req)) !== 'patient') throw new HttpError(400, 'No patient choice is needed now.');
    const patientId = stringParam(req.body, 'patient');
    const patient = patientId ? await services.patientDirectory.get(patientId) : null;
    if (!patient) throw new HttpError(400, 'Choose a patient from the list.');
    interaction.patientId = patient.id;
    res.redirect(303, base(interaction));
  });

  router.post('/interaction/:id/consent', formBody, async (req, res) => {
    const interaction = interactionOf(services, req, true);
    const session = sessionOf(services, req);
    if (nextStep(interaction, session) !== 'consent') {
      res.redirect(303, base(interaction));
      return;
    }
    const { request } = interaction;
    services.interactions.delete(interaction.id);
    res.clearCookie(interactionCookie, browserCookieOptions);
    const audit = { actor: session!.username, clientId: request.client.clientId, ip: req.ip ?? null };
    if (stringParam(req.body, 'decision') !== 'allow') {
      await ctx.audit.record({ type: 'oauth.consent', outcome: 'failure', ...audit, detail: { decision: 'deny' } });
      redirectToClient(ctx, res, request.redirectUri, { error: 'access_denied', error_description: 'the user denied access' }, request.state);
      return;
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    const ticked = new Set(([] as unknown[]).concat(body.scope ?? []).filter((value): value is string => typeof value === 'string'));
    // Exactly what was ticked, from what was asked (v2 granular forms kept as asked); openid cannot be unticked.
    const granted = request.scopes.filter((scope) => scope.raw === 'openid' || ticked.has(scope.raw));
    const code = await issueCode(ctx, services, interaction, session!, granted);
    await ctx.audit.record({ type: 'oauth.consent', outcome: 'success', ...audit, detail: { decision: 'allow', scope: granted.toString() } });
    redirectToClient(ctx, res, request.redirectUri, { code }, request.state);
  });

  // People see these pages: errors become a page, not OAuth JSON.
  router.use(((error, _req, res, next) => {
    if (!(error instanceof HttpError) || res.headersSent) {
      next(error);
      return;
    }
    res.status(error.status).set('Cache-Control', 'no-store').type('html').send(errorPage(practiceName(), error.message));
  }) as ErrorRequestHandler);

  return router;
}
