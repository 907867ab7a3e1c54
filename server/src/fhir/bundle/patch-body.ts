import { FhirError } from '../../http/errors.js';
import type { ResourcePatch } from '../repository/fhir-repository.js';
import { fhirPathPatch } from '../patch/fhirpath-patch.js';
import { jsonPatch } from '../patch/json-patch.js';
import type { FhirJson } from '../storage/fhir-store.js';

const jsonPatchType = 'application/json-patch+json';

/**
 * The patch of a Bundle PATCH entry. FHIR R4 carries a FHIRPath Patch as the entry's Parameters
 * resource, and a JSON Patch as a Binary whose `contentType` is `application/json-patch+json` and
 * whose `data` is the base64 patch document.
 */
export function patchOfEntry(resource: FhirJson | undefined, index: number): ResourcePatch {
  const where = [`Bundle.entry[${index}].resource`];
  if (resource?.resourceType === 'Parameters') return fhirPathPatch(resource);
  if (resource?.resourceType !== 'Binary' || resource.contentType !== jsonPatchType || typeof resource.data !== 'string') {
    throw new FhirError(400, [{ severity: 'error', code: 'not-supported', diagnostics: `PATCH entries carry a Parameters resource (FHIRPath Patch) or a Binary of ${jsonPatchType}`, expression: where }]);
  }
  let operations: unknown;
  try {
    operations = JSON.parse(Buffer.from(resource.data, 'base64').toString('utf8')) as unknown;
  } catch {
    throw new FhirError(400, [{ severity: 'error', code: 'structure', diagnostics: 'the Binary data is not a JSON Patch document', expression: where }]);
  }
  return jsonPatch(operations);
}
