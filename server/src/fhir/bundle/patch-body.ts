import { FhirError } from '../../http/errors.js';
import type { FhirJson } from '../storage/fhir-store.js';

const jsonPatchType = 'application/json-patch+json';

/**
 * The JSON Patch of a Bundle PATCH entry: FHIR R4 carries it as a Binary resource whose
 * `contentType` is `application/json-patch+json` and whose `data` is the base64 patch document.
 */
export function jsonPatchOfEntry(resource: FhirJson | undefined, index: number): unknown {
  const where = [`Bundle.entry[${index}].resource`];
  if (resource?.resourceType !== 'Binary' || resource.contentType !== jsonPatchType || typeof resource.data !== 'string') {
    throw new FhirError(400, [{ severity: 'error', code: 'not-supported', diagnostics: `PATCH entries carry a Binary of ${jsonPatchType}`, expression: where }]);
  }
  try {
    return JSON.parse(Buffer.from(resource.data, 'base64').toString('utf8')) as unknown;
  } catch {
    throw new FhirError(400, [{ severity: 'error', code: 'structure', diagnostics: 'the Binary data is not a JSON Patch document', expression: where }]);
  }
}
