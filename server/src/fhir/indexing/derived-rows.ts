import type { FhirRegistry } from '../definitions/registry.js';
import { addCompositeRows } from './composite.js';
import { addReferenceIdentifierRows } from './reference-identifier.js';
import type { IndexRows } from './rows.js';

/**
 * The index rows beyond each SearchParameter's own values: `:identifier` rows of references and
 * the per-element rows of composite parameters. Part of extractIndex, so every write and re-index has them.
 */
export function addDerivedIndexRows(registry: FhirRegistry, resource: { resourceType: string }, rows: IndexRows): void {
  const isResourceType = (name: string) => registry.canonicalType(name) === name;
  addReferenceIdentifierRows(registry, resource, rows);
  addCompositeRows(resource, rows, isResourceType);
}
