import type { RequestHandler } from 'express';
import { FhirError } from '../../http/errors.js';
import { requestPolicy } from '../access/guard.js';
import { notModified } from '../http/headers.js';
import { sendStored, versionHeaders } from '../http/respond.js';
import { resourceTypeOf, type FhirService } from '../http/service.js';

/** `GET /{type}/{id}`; with `If-None-Match` or `If-Modified-Since`, 304 when the client's copy is current. */
export function readResource(service: FhirService): RequestHandler {
  return async (req, res) => {
    const resourceType = resourceTypeOf(service, req.params.type as string);
    const stored = await service.repository.read(requestPolicy(res), resourceType, req.params.id as string);
    versionHeaders(res, stored);
    if (notModified(req, stored)) {
      res.status(304).end();
      return;
    }
    sendStored(res, stored);
  };
}

/** `GET /{type}/{id}/_history/{vid}`. */
export function vreadResource(service: FhirService): RequestHandler {
  return async (req, res) => {
    const resourceType = resourceTypeOf(service, req.params.type as string);
    const versionId = Number(req.params.vid);
    if (!Number.isInteger(versionId) || versionId < 1) throw new FhirError(404, `version "${String(req.params.vid)}" is not known`, 'not-found');
    const stored = await service.repository.vread(requestPolicy(res), resourceType, req.params.id as string, versionId);
    versionHeaders(res, stored);
    sendStored(res, stored);
  };
}
