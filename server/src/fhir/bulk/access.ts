import type { RequestHandler, Response } from 'express';
import { FhirError } from '../../http/errors.js';
import { verifiedAccess, type FhirAccessContext, type VerifyBearer } from '../access/guard.js';
import type { BulkJobRow } from './models.js';
import type { BulkExports } from './services.js';

/** Bulk routes need the client and its scopes themselves, not only a resource policy: kept in res.locals. */
export function authenticateBulk(verify: VerifyBearer): RequestHandler {
  return async (req, res, next) => {
    res.locals.bulkAccess = await verifiedAccess(verify, req);
    res.set('Cache-Control', 'no-store');
    next();
  };
}

export function bulkAccess(res: Response): FhirAccessContext {
  const access = res.locals.bulkAccess as FhirAccessContext | undefined;
  if (!access) throw new FhirError(401, 'authentication required', 'login', { 'WWW-Authenticate': 'Bearer' });
  return access;
}

export function requireScope(granted: boolean, scope: string): void {
  if (!granted) throw new FhirError(403, `this needs the scope ${scope}`, 'forbidden');
}

/**
 * The caller's own job, still available. Another client's job, a cancelled one and an expired
 * one all answer the same 404, so a job id reveals nothing to anyone else.
 */
export async function ownJob(bulk: BulkExports, access: FhirAccessContext, id: unknown): Promise<BulkJobRow> {
  if (typeof id !== 'string' || id === '') throw new FhirError(400, 'the job parameter is required', 'required');
  const job = await bulk.jobs.get(id);
  if (!job || job.clientId !== access.clientId || job.state === 'cancelled' || job.expiresAt.getTime() <= Date.now()) {
    throw new FhirError(404, 'no such export job', 'not-found');
  }
  return job;
}
