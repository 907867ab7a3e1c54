import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { HttpError } from '../../http/errors.js';
import { parseInput } from '../../http/validate.js';
import { generatePatientCredentials } from '../../oauth/patient-credentials.js';
import { oauthServices, type OAuthServices } from '../../oauth/services.js';
import type { PatientSummary } from '../../smart/patient-directory.js';
import { requireRole } from '../middleware.js';

async function apiAccess(services: OAuthServices, patientId: string) {
  const row = await services.patientAccess.get(patientId);
  const grants = await services.tokens.listGrants({ userKind: 'patient', userId: patientId, active: true });
  return { hasCredentials: Boolean(row?.passwordHash), username: row?.username ?? null, optedOut: row?.optedOut ?? false, authorizedApps: new Set(grants.map((g) => g.clientId)).size };
}

const idRule = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, 'not a FHIR id');
const optOutBody = z.object({ optOut: z.boolean() }).strict();

/**
 * Patients and their third-party API access (DESIGN §8), by FHIR Patient id; clinicians and
 * administrators. Credentials and opt-out live in the OAuth tables, keyed by that id.
 */
export function patientRoutes(ctx: AppContext): Router {
  const router = Router();
  const services = oauthServices(ctx);
  router.use('/patients', requireRole('admin', 'clinician'));

  async function patientOr404(id: string): Promise<PatientSummary> {
    const patient = await services.patientDirectory.get(parseInput(idRule, id));
    if (!patient) throw new HttpError(404, `no Patient/${id}`);
    return patient;
  }

  router.get('/patients', async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q : '';
    const patients = await services.patientDirectory.search(q, 100);
    const items = await Promise.all(patients.map(async (p) => ({ ...p, apiAccess: await apiAccess(services, p.id) })));
    res.json({ items, total: items.length });
  });

  router.get('/patients/:id', async (req, res) => {
    const patient = await patientOr404(req.params.id);
    res.json({ ...patient, apiAccess: await apiAccess(services, patient.id) });
  });

  router.post('/patients/:id/api-credentials', async (req, res) => {
    const patient = await patientOr404(req.params.id);
    if ((await services.patientAccess.get(patient.id))?.optedOut) throw new HttpError(409, 'the patient opted out of third-party API access');
    const credentials = await generatePatientCredentials(services.patientAccess, ctx.audit, patient.id, { actor: req.staff!.user.username, ip: req.ip ?? null });
    res.status(201).json(credentials);
  });

  router.put('/patients/:id/api-access', async (req, res) => {
    const patient = await patientOr404(req.params.id);
    const { optOut } = parseInput(optOutBody, req.body);
    await services.revocation.setPatientOptOut(patient.id, optOut, { actor: req.staff!.user.username, ip: req.ip ?? null });
    res.json({ ...patient, apiAccess: await apiAccess(services, patient.id) });
  });

  return router;
}
