import type { Response } from 'express';
import { operationOutcome } from '../../http/errors.js';
import type { StoredResource } from '../storage/fhir-store.js';
import type { ReturnPreference } from './headers.js';

export function sendFhir(res: Response, status: number, body: unknown): void {
  res.status(status).type('application/fhir+json').send(JSON.stringify(body));
}

/** A stored resource as it is in the database (no parse and re-serialize). */
export function sendStored(res: Response, stored: StoredResource): void {
  res.status(200).type('application/fhir+json').send(stored.json ?? JSON.stringify(stored.resource));
}

export function versionHeaders(res: Response, stored: StoredResource): void {
  res.set({ ETag: `W/"${stored.versionId}"`, 'Last-Modified': new Date(stored.lastUpdated).toUTCString() });
}

/** A write's answer: the resource, nothing, or an OperationOutcome, as the client's Prefer header asks. */
export function sendWriteResult(res: Response, status: number, stored: StoredResource, preference: ReturnPreference, message: string): void {
  versionHeaders(res, stored);
  if (preference === 'minimal') {
    res.status(status).end();
  } else if (preference === 'OperationOutcome') {
    sendFhir(res, status, operationOutcome([{ severity: 'information', code: 'informational', diagnostics: message }]));
  } else {
    sendFhir(res, status, stored.resource);
  }
}
