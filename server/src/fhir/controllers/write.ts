import type { Request, RequestHandler, Response } from 'express';
import { FhirError, operationOutcome } from '../../http/errors.js';
import { requestPolicy } from '../access/guard.js';
import { ifMatchVersion, preferences } from '../http/headers.js';
import { sendFhir, sendWriteResult, versionHeaders } from '../http/respond.js';
import { queryPairs, resourceTypeOf, type FhirService } from '../http/service.js';
import type { ResourcePatch } from '../repository/fhir-repository.js';
import { fhirPathPatch } from '../patch/fhirpath-patch.js';
import { jsonPatch } from '../patch/json-patch.js';
import type { StoredResource } from '../storage/fhir-store.js';
import { conditionFromQuery, conditionalMatch, conditionalUpdateId, matchedId, nothingDeleted } from './conditional.js';

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

/** The search condition of a conditional interaction (`PUT /Patient?identifier=…`); none answers 400. */
function requestCondition(req: Request, resourceType: string): string {
  const condition = conditionFromQuery(queryPairs(req.query));
  if (!condition) throw new FhirError(400, `${req.method} /${resourceType} needs an id or search criteria`, 'invalid');
  return condition;
}

/** `PUT /{type}?criteria`: no match creates (under the body's id, if any), one match is updated, several answer 412. */
export function conditionalUpdate(service: FhirService): RequestHandler {
  return async (req, res) => {
    const resourceType = resourceTypeOf(service, req.params.type as string);
    const condition = requestCondition(req, resourceType);
    const policy = requestPolicy(res);
    const ifMatch = ifMatchVersion(req.get('if-match'));
    // the match and the write share one transaction, so the condition still holds when the write lands
    const { stored, created } = await service.repository.store.transaction(async (transaction) => {
      const id = await conditionalUpdateId(service, policy, resourceType, condition, req.body as unknown, transaction);
      return service.repository.update(policy, resourceType, id, req.body as unknown, { transaction, ...(ifMatch === undefined ? {} : { ifMatch }) });
    });
    if (created) res.location(`${service.base()}/${resourceType}/${stored.id}/_history/${stored.versionId}`);
    sendWriteResult(res, created ? 201 : 200, stored, preferences(req).return, created ? 'created' : 'updated');
  };
}

function sendDeleted(req: Request, res: Response, deleted: StoredResource | undefined): void {
  if (deleted) versionHeaders(res, deleted);
  if (preferences(req).return === 'OperationOutcome') {
    sendFhir(res, 200, operationOutcome([{ severity: 'information', code: 'informational', diagnostics: 'deleted' }]));
  } else {
    res.status(204).end();
  }
}

/** `DELETE /{type}/{id}`: a soft delete; the history keeps every version. */
export function deleteResource(service: FhirService): RequestHandler {
  return async (req, res) => {
    const resourceType = resourceTypeOf(service, req.params.type as string);
    const ifMatch = ifMatchVersion(req.get('if-match'));
    const deleted = await service.repository.delete(requestPolicy(res), resourceType, req.params.id as string, ifMatch === undefined ? {} : { ifMatch });
    sendDeleted(req, res, deleted);
  };
}

/** `DELETE /{type}?criteria` (single mode): one match is deleted, none answers 200 with an OperationOutcome, several 412. */
export function conditionalDelete(service: FhirService): RequestHandler {
  return async (req, res) => {
    const resourceType = resourceTypeOf(service, req.params.type as string);
    const condition = requestCondition(req, resourceType);
    const policy = requestPolicy(res);
    const ifMatch = ifMatchVersion(req.get('if-match'));
    const outcome = await service.repository.store.transaction(async (transaction) => {
      const match = await conditionalMatch(service, policy, resourceType, condition, transaction);
      if (!match) return { matched: false as const };
      const deleted = await service.repository.delete(policy, resourceType, match.id, { transaction, ...(ifMatch === undefined ? {} : { ifMatch }) });
      return { matched: true as const, deleted };
    });
    if (!outcome.matched) {
      sendFhir(res, 200, nothingDeleted(resourceType, condition));
      return;
    }
    sendDeleted(req, res, outcome.deleted);
  };
}

const jsonPatchType = 'application/json-patch+json';
const fhirJsonTypes = ['application/fhir+json', 'application/json', 'application/json+fhir'];

/** The patch a PATCH request carries: a JSON Patch, or a FHIRPath Patch (a Parameters resource in FHIR JSON). */
function requestPatch(req: Request): ResourcePatch {
  if (req.is(jsonPatchType)) return jsonPatch(req.body as unknown);
  const body = req.body as { resourceType?: unknown } | undefined;
  if (req.is(fhirJsonTypes) && body?.resourceType === 'Parameters') return fhirPathPatch(body);
  throw new FhirError(415, `PATCH takes a JSON Patch (${jsonPatchType}) or a FHIRPath Patch (a Parameters resource as application/fhir+json)`, 'not-supported');
}

/** `PATCH /{type}/{id}` and `PATCH /{type}?criteria` with a JSON Patch or a FHIRPath Patch; `If-Match` guards against lost updates. */
export function patchResource(service: FhirService): RequestHandler {
  return async (req, res) => {
    const resourceType = resourceTypeOf(service, req.params.type as string);
    const applyPatch = requestPatch(req);
    const policy = requestPolicy(res);
    const ifMatch = ifMatchVersion(req.get('if-match'));
    const instanceId = req.params.id as string | undefined;
    const { stored } = await service.repository.store.transaction(async (transaction) => {
      const id = instanceId ?? (await matchedId(service, policy, resourceType, requestCondition(req, resourceType), transaction));
      return service.repository.patch(policy, resourceType, id, applyPatch, { transaction, ...(ifMatch === undefined ? {} : { ifMatch }) });
    });
    sendWriteResult(res, 200, stored, preferences(req).return, 'patched');
  };
}

export function notAllowed(): RequestHandler {
  return (req) => {
    throw new FhirError(405, `${req.method} is not supported here`, 'not-supported');
  };
}
