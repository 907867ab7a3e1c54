import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { HttpError } from '../../http/errors.js';
import { parseInput } from '../../http/validate.js';
import { randomToken, tokenHash } from '../../oauth/secrets.js';
import { oauthServices } from '../../oauth/services.js';
import type { ClientRecord } from '../../oauth/store/client-store.js';
import { requireRole } from '../middleware.js';

const launchBody = z
  .object({
    clientId: z.string().min(1).max(100),
    patientId: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/),
    encounterId: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/).optional(),
  })
  .strict();

const launchLifetimeMs = 5 * 60_000;

/** Registered for EHR launch: holds the `launch` scope and says where to send the launch. */
function launchUriOf(client: ClientRecord): string | undefined {
  return client.scope.split(' ').includes('launch') ? client.metadata.initiate_login_uri : undefined;
}

/**
 * EHR launch (DESIGN §10): a single-use, 5-minute launch context bound to the staff user who
 * creates it; answers the app's initiate_login_uri with `iss` and `launch`. Clinicians and
 * administrators.
 */
export function launchRoutes(ctx: AppContext): Router {
  const router = Router();
  const services = oauthServices(ctx);
  router.use('/launch', requireRole('admin', 'clinician'));

  // The apps a clinician may launch: names only, since clinicians may not see the client routes.
  router.get('/launch/clients', async (_req, res) => {
    const items = (await services.clients.list({ enabled: true })).filter((client) => launchUriOf(client) !== undefined).map((client) => ({ clientId: client.clientId, name: client.clientName }));
    res.json({ items, total: items.length });
  });

  router.post('/launch', async (req, res) => {
    const { clientId, patientId, encounterId } = parseInput(launchBody, req.body);
    const client = await services.clients.get(clientId);
    if (!client) throw new HttpError(404, `no client ${clientId}`);
    if (!client.enabled) throw new HttpError(409, 'the client is disabled');
    const loginUri = launchUriOf(client);
    if (!loginUri) throw new HttpError(409, 'the client is not registered for EHR launch');
    if (!(await services.patientDirectory.get(patientId))) throw new HttpError(404, `no Patient/${patientId}`);
    if ((await services.patientAccess.get(patientId))?.optedOut) throw new HttpError(409, 'the patient opted out of third-party API access');

    const launch = randomToken(24);
    await services.launches.create({
      launchHash: tokenHash(launch),
      clientId,
      staffUserId: req.staff!.user.id,
      patientId,
      encounterId: encounterId ?? null,
      expiresAt: new Date(Date.now() + launchLifetimeMs),
    });
    await ctx.audit.record({ type: 'oauth.launch', outcome: 'success', actor: req.staff!.user.username, clientId, patientId, ip: req.ip ?? null });
    const url = new URL(loginUri);
    url.searchParams.set('iss', ctx.urls().fhirBase);
    url.searchParams.set('launch', launch);
    res.status(201).json({ url: url.toString() });
  });
  return router;
}
