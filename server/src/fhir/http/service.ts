import { FhirError } from '../../http/errors.js';
import type { FhirRegistry } from '../definitions/registry.js';
import type { FhirRepository } from '../repository/fhir-repository.js';

/** What the FHIR controllers are built from. */
export interface FhirService {
  repository: FhirRepository;
  registry: FhirRegistry;
  /** The FHIR base URL (site address + /fhir/r4) for fullUrl, Location and links. */
  base(): string;
}

/** The canonical resource type for a path segment (`patient` → `Patient`); unknown types answer 404. */
export function resourceTypeOf(service: FhirService, segment: string | undefined): string {
  const type = segment === undefined ? undefined : service.registry.canonicalType(segment);
  if (!type) throw new FhirError(404, `"${segment ?? ''}" is not a resource type this server knows`, 'not-found');
  return type;
}

export function queryPairs(query: unknown): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [key, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    for (const item of [value].flat()) if (typeof item === 'string') pairs.push([key, item]);
  }
  return pairs;
}
