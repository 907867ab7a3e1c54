import { rm } from 'node:fs/promises';
import type { RequestHandler } from 'express';
import type { AppContext } from '../../context.js';
import { FhirError } from '../../http/errors.js';
import type { FhirService } from '../http/service.js';
import { bulkAccess, ownJob, requireScope } from './access.js';
import type { BulkJobRow } from './models.js';
import { bulkExports, type BulkExports } from './services.js';

type Ctx = Pick<AppContext, 'sequelize' | 'config' | 'settings'>;

/** The completion manifest (Bulk Data 2.0); `count` is the number of lines in each file. */
async function manifest(bulk: BulkExports, service: FhirService, job: BulkJobRow): Promise<object> {
  const files = await bulk.jobs.files(job.id);
  const entry = (file: (typeof files)[number]) => ({ type: file.type, url: `${service.base()}/Document/${file.id}/Binary`, count: file.count });
  return {
    transactionTime: job.transactionTime,
    request: job.requestUrl,
    requiresAccessToken: true,
    output: files.filter((file) => file.type !== 'OperationOutcome').map(entry),
    error: files.filter((file) => file.type === 'OperationOutcome').map(entry),
    extension: { expires: job.expiresAt.toISOString() },
  };
}

/** `GET $bulkdata-status?job=`: 202 with progress while the job runs, the manifest once it is done. */
export function jobStatus(ctx: Ctx, service: FhirService): RequestHandler {
  return async (req, res) => {
    const access = bulkAccess(res);
    requireScope(access.scopes.allowsOperation('$bulkdata-status'), 'system/*.$bulkdata-status');
    const bulk = bulkExports(ctx);
    const job = await ownJob(bulk, access, req.query.job);
    switch (job.state) {
      case 'queued':
      case 'running':
        res.status(202).set({ 'X-Progress': `${job.state} ${job.progress}%`, 'Retry-After': '2' }).end();
        return;
      case 'failed':
        // the job failed, not this request: a 4xx the client will not retry (Bulk Data allows 4xx or 5xx)
        throw new FhirError(422, job.error ?? 'the export failed', 'exception');
      case 'completed':
        res.status(200).type('application/json').set('Expires', job.expiresAt.toUTCString()).send(JSON.stringify(await manifest(bulk, service, job)));
        return;
      case 'cancelled':
        throw new FhirError(404, 'no such export job', 'not-found');
    }
  };
}

/** `DELETE $bulkdata-status?job=`: cancels (a running job stops at its next page) and deletes the files; then 404. */
export function cancelJob(ctx: Ctx): RequestHandler {
  return async (req, res) => {
    const access = bulkAccess(res);
    requireScope(access.scopes.allowsOperation('$bulkdata-status'), 'system/*.$bulkdata-status');
    const bulk = bulkExports(ctx);
    const job = await ownJob(bulk, access, req.query.job);
    await bulk.jobs.cancel(job.id);
    // a running job's worker deletes its own directory when it sees the cancel
    if (job.state !== 'running') await rm(bulk.dirOf(job.id), { recursive: true, force: true });
    res.status(202).end();
  };
}
