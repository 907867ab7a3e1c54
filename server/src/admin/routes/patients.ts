import type { Patient } from '@medplum/fhirtypes';
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { HttpError } from '../../http/errors.js';
import { parseInput } from '../../http/validate.js';
import { patientAuthorizedApps } from '../../oauth/patient-apps.js';
import { generatePatientCredentials } from '../../oauth/patient-credentials.js';
import { oauthServices, type OAuthServices } from '../../oauth/services.js';
import { patientDemographics } from '../../smart/patient-demographics.js';
import { requireRole } from '../middleware.js';

interface FoundPatient {
  id: string;
  patient: Patient;
}

/** Credentials and opt-out: what both the list and the patient page show. */
async function credentialState(services: OAuthServices, patientId: string) {
  const row = await services.patientAccess.get(patientId);
  return { hasCredentials: Boolean(row?.passwordHash), username: row?.username ?? null, optedOut: row?.optedOut ?? false };
}

/** The list stays cheap: a count of the apps, not the apps. */
async function listAccess(services: OAuthServices, patientId: string) {
  const grants = await services.tokens.listGrants({ userKind: 'patient', userId: patientId, active: true });
  return { ...(await credentialState(services, patientId)), authorizedApps: new Set(grants.map((g) => g.clientId)).size };
}

/** The patient page: demographics from the stored Patient, and the apps the patient authorized. */
async function patientDetail(services: OAuthServices, { id, patient }: FoundPatient) {
  return { ...patientDemographics(patient), id, apiAccess: { ...(await credentialState(services, id)), authorizedApps: await patientAuthorizedApps(services, id) } };
}

const idRule = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, 'not a FHIR id');
const clientIdRule = z.string().min(1).max(100);
const optOutBody = z.object({ optOut: z.boolean() }).strict();

const actorOf = (req: Request): { actor: string; ip: string | null } => ({ actor: req.staff!.user.username, ip: req.ip ?? null });

/**
 * Patients and their third-party API access (DESIGN §8), by FHIR Patient id; clinicians and
 * administrators. Credentials and opt-out live in the OAuth tables, keyed by that id.
 */
export function patientRoutes(ctx: AppContext): Router {
  const router = Router();
  const services = oauthServices(ctx);
  router.use('/patients', requireRole('admin', 'clinician'));

  async function patientOr404(rawId: string): Promise<FoundPatient> {
    const id = parseInput(idRule, rawId);
    const patient = await services.patientDirectory.resource(id);
    if (!patient) throw new HttpError(404, `no Patient/${id}`);
    return { id, patient };
  }

  router.get('/patients', async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q : '';
    const patients = await services.patientDirectory.search(q, 100);
    const items = await Promise.all(patients.map(async (p) => ({ ...p, apiAccess: await listAccess(services, p.id) })));
    res.json({ items, total: items.length });
  });

  router.get('/patients/:id', async (req, res) => {
    res.json(await patientDetail(services, await patientOr404(req.params.id)));
  });

  router.post('/patients/:id/api-credentials', async (req, res) => {
    const { id } = await patientOr404(req.params.id);
    if ((await services.patientAccess.get(id))?.optedOut) throw new HttpError(409, 'the patient opted out of third-party API access');
    const credentials = await generatePatientCredentials(services.patientAccess, ctx.audit, id, actorOf(req));
    res.status(201).json(credentials);
  });

  router.put('/patients/:id/api-access', async (req, res) => {
    const found = await patientOr404(req.params.id);
    const { optOut } = parseInput(optOutBody, req.body);
    await services.revocation.setPatientOptOut(found.id, optOut, actorOf(req));
    res.json(await patientDetail(services, found));
  });

  // The patient's side of "Revoke User": their grants for that app and every token under them.
  router.delete('/patients/:id/authorized-apps/:clientId', async (req, res) => {
    const found = await patientOr404(req.params.id);
    const clientId = parseInput(clientIdRule, req.params.clientId);
    const grants = await services.tokens.listGrants({ clientId, userKind: 'patient', userId: found.id });
    if (grants.length === 0) throw new HttpError(404, `Patient/${found.id} never authorized ${clientId}`);
    await services.revocation.revokeUser(clientId, 'patient', found.id, actorOf(req));
    res.json(await patientDetail(services, found));
  });

  return router;
}
