import { Router } from 'express';
import type { AppContext } from '../../context.js';
import { bulkModels } from '../../fhir/bulk/models.js';
import { FhirStore } from '../../fhir/storage/fhir-store.js';
import { sql } from '../../fhir/storage/sql.js';
import { oauthServices, type OAuthHost } from '../../oauth/services.js';

/** What the dashboard counts: one COUNT query each, so the status stays cheap to ask for. */
export async function dashboardCounts(ctx: OAuthHost, isAdmin: boolean) {
  const [row] = await new FhirStore(ctx.sequelize).select<{ n: number | string }>(sql`SELECT COUNT(*) AS n FROM fhir_resources WHERE resource_type = ${'Patient'} AND deleted = ${false}`);
  const patients = Number(row?.n ?? 0);
  // Clients, tokens and exports are administrators' business (DESIGN §8); clinicians see the patient count only.
  if (!isAdmin) return { patients };
  const services = oauthServices(ctx);
  const exports = await bulkModels(ctx.sequelize).BulkJob.count({ where: { state: ['queued', 'running'] }, group: ['state'] });
  const exportsIn = (state: string) => Number(exports.find((entry) => entry.state === state)?.count ?? 0);
  return {
    patients,
    enabledClients: await services.clients.countEnabled(),
    activeAccessTokens: await services.tokens.countActiveAccessTokens(new Date()),
    bulkExportsRunning: exportsIn('running'),
    bulkExportsQueued: exportsIn('queued'),
  };
}

export function statusRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/status', async (req, res) => {
    res.json({
      status: 'ok',
      version: ctx.version,
      startedAt: ctx.startedAt.toISOString(),
      uptimeSeconds: Math.round((Date.now() - ctx.startedAt.getTime()) / 1000),
      counts: await dashboardCounts(ctx, req.staff?.user.role === 'admin'),
    });
  });
  return router;
}
