import express, { Router } from 'express';
import type { AppContext } from '../../context.js';
import type { VerifyBearer } from '../access/guard.js';
import type { FhirService } from '../http/service.js';
import { authenticateBulk } from './access.js';
import { downloadFile } from './download.js';
import { kickOff } from './kickoff.js';
import { cancelJob, jobStatus } from './status.js';

/**
 * Bulk Data export (DESIGN §4, §10), mounted in front of the FHIR router so `$export` is never
 * taken for a resource type. Every route authenticates the bearer token first (401 without one).
 */
export function bulkRouter(ctx: Pick<AppContext, 'sequelize' | 'config' | 'settings'>, service: FhirService, verify: VerifyBearer): Router {
  const router = Router({ caseSensitive: false });
  const authenticate = authenticateBulk(verify);
  const parameters = express.json({ type: ['application/json', 'application/fhir+json'], limit: ctx.config.bodyLimit });
  const levels = [
    ['/$export', 'system'],
    ['/Patient/$export', 'patient'],
    ['/Group/:id/$export', 'group'],
  ] as const;
  for (const [route, kind] of levels) {
    router.get(route, authenticate, kickOff(ctx, service, kind));
    router.post(route, authenticate, parameters, kickOff(ctx, service, kind));
  }
  router.get('/$bulkdata-status', authenticate, jobStatus(ctx, service));
  router.delete('/$bulkdata-status', authenticate, cancelJob(ctx));
  router.get('/Document/:id/Binary', authenticate, downloadFile(ctx, 'Document'));
  router.get('/Binary/:id', authenticate, downloadFile(ctx, 'Binary'));
  return router;
}
