import type { IncomingMessage, ServerResponse } from 'node:http';
import { securityHeaderValues } from '../../http/security-headers.js';
import { policyForAccess, type VerifyBearer } from '../access/guard.js';
import type { StoredResource } from '../storage/fhir-store.js';
import type { FhirService } from './service.js';

const readPath = /^\/(?:fhir\/r4|r4)\/([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/;

/**
 * `GET /fhir/r4/{Type}/{id}`, the API's commonest request, answered without the Express chain
 * (which costs several times the read itself): the same bearer check, access policy, repository
 * read and headers as the router's read. Anything else — a query string, conditional headers,
 * any outcome but 200 — answers false and is left to Express, which handles it from the start.
 */
export function fastRead(service: () => FhirService, verify: VerifyBearer, apiEnabled: () => boolean): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    const match = req.method === 'GET' ? readPath.exec(req.url ?? '') : null;
    if (!match || req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined || !apiEnabled()) return false;
    const [, resourceType = '', id = ''] = match;
    const fhir = service();
    if (fhir.registry.canonicalType(resourceType) !== resourceType) return false;
    let stored: StoredResource;
    try {
      stored = await fhir.repository.read(policyForAccess(await verify(req.headers.authorization)), resourceType, id);
    } catch {
      return false;
    }
    const body = stored.json ?? JSON.stringify(stored.resource);
    res.writeHead(200, {
      ...securityHeaderValues,
      'Cache-Control': 'no-store',
      ETag: `W/"${stored.versionId}"`,
      'Last-Modified': new Date(stored.lastUpdated).toUTCString(),
      'Content-Type': 'application/fhir+json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
    return true;
  };
}
