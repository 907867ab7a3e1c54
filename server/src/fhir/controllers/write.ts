import type { RequestHandler } from 'express';
import { FhirError } from '../../http/errors.js';
import { requestPolicy } from '../access/guard.js';
import { ifMatchVersion, preferences } from '../http/headers.js';
import { sendFhir, sendWriteResult, versionHeaders } from '../http/respond.js';
import { resourceTypeOf, type FhirService } from '../http/service.js';
import { conditionalMatch } from './conditional.js';

/** `POST /{type}`, conditional with `If-None-Exist`. */
export function createResource(service: FhirService): RequestHandler {
  return async (req, res) => {
    const resourceType = resourceTypeOf(service, req.params.type as string);
    const policy = requestPolicy(res);
    const preference = preferences(req).return;
    const condition = req.get('if-none-exist');
    // the check and the create share one transaction, so two identical conditional creates make one resource
    const { stored, created } = await service.repository.store.transaction(async (transaction) => {
      const existing = condition ? await conditionalMatch(service, policy, resourceType, condition, transaction) : undefined;
      if (existing) return { stored: existing, created: false };
      return service.repository.create(policy, req.body as unknown, resourceType, { transaction });
    });
    if (created) res.location(`${service.base()}/${stored.resourceType}/${stored.id}/_history/${stored.versionId}`);
    sendWriteResult(res, created ? 201 : 200, stored, preference, created ? 'created' : 'a matching resource already exists');
  };
}

/** `PUT /{type}/{id}`: update, or create under the client's id; `If-Match` guards against lost updates. */
export function updateResource(service: FhirService): RequestHandler {
  return async (req, res) => {
    const resourceType = resourceTypeOf(service, req.params.type as string);
    const id = req.params.id as string;
    const ifMatch = ifMatchVersion(req.get('if-match'));
    const { stored, created } = await service.repository.update(requestPolicy(res), resourceType, id, req.body as unknown, ifMatch === undefined ? {} : { ifMatch });
    if (created) res.location(`${service.base()}/${resourceType}/${id}/_history/${stored.versionId}`);
    sendWriteResult(res, created ? 201 : 200, stored, preferences(req).return, created ? 'created' : 'updated');
  };
}

/** `DELETE /{type}/{id}`: a soft delete; the history keeps every version. */
export function deleteResource(service: FhirService): RequestHandler {
  return async (req, res) => {
    const resourceType = resourceTypeOf(service, req.params.type as string);
    const ifMatch = ifMatchVersion(req.get('if-match'));
    const deleted = await service.repository.delete(requestPolicy(res), resourceType, req.params.id as string, ifMatch === undefined ? {} : { ifMatch });
    if (deleted) versionHeaders(res, deleted);
    if (preferences(req).return === 'OperationOutcome') {
      sendFhir(res, 200, { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational', diagnostics: 'deleted' }] });
    } else {
      res.status(204).end();
    }
  };
}

export function notAllowed(): RequestHandler {
  return (req) => {
    throw new FhirError(405, `${req.method} is not supported here`, 'not-supported');
  };
}
