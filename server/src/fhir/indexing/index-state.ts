import { createHash } from 'node:crypto';
import type { Transaction } from 'sequelize';
import type { FhirRegistry } from '../definitions/registry.js';
import type { FhirStore } from '../storage/fhir-store.js';
import { sql } from '../storage/sql.js';

/**
 * Raised whenever extraction changes the rows a resource gets for the same search parameters
 * (2: `_id` and `_lastUpdated` left to the resource columns, Device in the patient compartment,
 * composite rows per element), so stored resources are re-indexed by the version that reads them.
 */
const extractionVersion = 2;

/**
 * What a type's index rows depend on: the extraction code, its search parameters with their
 * expressions (installed ones included) and its patient-compartment parameters.
 */
export function indexSignature(registry: FhirRegistry, resourceType: string): string {
  const params = [...registry.searchParams(resourceType).values()].map((p) => `${p.code}=${p.expression}`);
  const text = [`extraction ${extractionVersion}`, ...params, `compartment ${registry.compartmentParams(resourceType).join(',')}`].join('\n');
  return createHash('sha256').update(text).digest('base64url');
}

/** Records that the stored resources of these types are indexed as this server would index them. */
export async function recordIndexSignatures(store: FhirStore, registry: FhirRegistry, types: readonly string[], transaction: Transaction): Promise<void> {
  await store.replaceIndexSignatures(new Map(types.map((type) => [type, indexSignature(registry, type)])), transaction);
}

/**
 * The types whose stored resources were indexed differently from how this server indexes them
 * (after an upgrade or an installed package). Types without resources are recorded as current
 * here, so a new database re-indexes nothing.
 */
export async function staleIndexTypes(store: FhirStore, registry: FhirRegistry): Promise<string[]> {
  const recorded = new Map((await store.select<{ resource_type: string; signature: string }>(sql`SELECT resource_type, signature FROM fhir_index_state`)).map((row) => [row.resource_type, row.signature]));
  const stored = new Set((await store.select<{ resource_type: string }>(sql`SELECT DISTINCT resource_type FROM fhir_resources`)).map((row) => row.resource_type));
  const stale = registry.resourceTypes.filter((type) => recorded.get(type) !== indexSignature(registry, type));
  const empty = stale.filter((type) => !stored.has(type));
  if (empty.length) await store.transaction((transaction) => recordIndexSignatures(store, registry, empty, transaction));
  return stale.filter((type) => stored.has(type));
}
