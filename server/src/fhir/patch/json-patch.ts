import jsonpatch, { type JsonPatchError, type Operation } from 'fast-json-patch';
import { FhirError } from '../../http/errors.js';
import type { FhirJson } from '../storage/fhir-store.js';
import type { ResourcePatch } from '../repository/fhir-repository.js';

/** Errors that say the patch document itself is malformed (400); the others say it does not apply to this resource (422). */
const malformed = new Set([
  'SEQUENCE_NOT_AN_ARRAY',
  'OPERATION_NOT_AN_OBJECT',
  'OPERATION_OP_INVALID',
  'OPERATION_PATH_INVALID',
  'OPERATION_FROM_REQUIRED',
  'OPERATION_VALUE_REQUIRED',
  'OPERATION_VALUE_CANNOT_CONTAIN_UNDEFINED',
]);

/**
 * Applies a JSON Patch (RFC 6902) to a copy of a resource. A failing `test` operation or a path
 * that does not resolve answers 422; a malformed patch document 400. Changes to `__proto__` are refused.
 */
function applyJsonPatch(resource: FhirJson, operations: Operation[]): unknown {
  try {
    return jsonpatch.applyPatch(resource, operations, true, false, true).newDocument;
  } catch (error) {
    if (!(error instanceof jsonpatch.JsonPatchError)) throw error;
    const patchError = error as JsonPatchError;
    const where = patchError.index === undefined ? '' : `operation ${patchError.index}: `;
    const text = patchError.name === 'TEST_OPERATION_FAILED' ? 'the test operation failed' : patchError.message.split('\n')[0];
    throw new FhirError(malformed.has(patchError.name) ? 400 : 422, `${where}${text}`, malformed.has(patchError.name) ? 'structure' : 'processing');
  }
}

/** A JSON Patch document as a ResourcePatch; a document that is not an array answers 400 at once. */
export function jsonPatch(operations: unknown): ResourcePatch {
  if (!Array.isArray(operations)) throw new FhirError(400, 'a JSON Patch document is an array of operations', 'structure');
  return (resource) => applyJsonPatch(resource, operations as Operation[]);
}
