import { createReadStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { RequestHandler } from 'express';
import type { AppContext } from '../../context.js';
import { FhirError } from '../../http/errors.js';
import { bulkAccess, requireScope } from './access.js';
import { bulkExports } from './services.js';

/**
 * An export file: `Document/{id}/Binary` or `Binary/{id}`, only for the client that started the
 * job. Streamed; gzip when accepted, byte ranges through sendFile (a range of gzip output would
 * not be stable). A `Binary/{id}` that is no export file is an ordinary FHIR read (next router).
 */
export function downloadFile(ctx: Pick<AppContext, 'sequelize' | 'config' | 'settings'>, via: 'Document' | 'Binary'): RequestHandler {
  return async (req, res, next) => {
    const access = bulkAccess(res);
    const bulk = bulkExports(ctx);
    const file = await bulk.jobs.file(String(req.params.id));
    if (!file && via === 'Binary') {
      next();
      return;
    }
    requireScope(access.scopes.allows('system', via, 'r'), `system/${via}.read`);
    const job = file && (await bulk.jobs.get(file.jobId));
    if (!file || !job || job.clientId !== access.clientId || job.state !== 'completed' || job.expiresAt.getTime() <= Date.now()) {
      throw new FhirError(404, 'no such export file', 'not-found');
    }
    const filePath = path.join(bulk.dirOf(job.id), file.path);
    res.type('application/fhir+ndjson').set('Vary', 'Accept-Encoding');
    if (!req.get('range') && /\bgzip\b/i.test(req.get('accept-encoding') ?? '')) {
      res.set('Content-Encoding', 'gzip');
      await pipeline(createReadStream(filePath), createGzip(), res);
      return;
    }
    res.sendFile(filePath, { cacheControl: false, lastModified: false });
  };
}
