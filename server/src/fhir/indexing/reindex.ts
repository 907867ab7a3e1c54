import type { FhirRegistry } from '../definitions/registry.js';
import { resourceColumns, type FhirStore } from '../storage/fhir-store.js';
import { rawSql, sql } from '../storage/sql.js';
import { extractIndex } from './extract.js';
import { indexSignature, recordIndexSignatures, staleIndexTypes } from './index-state.js';

/** Resources per transaction: short write locks, so the API keeps answering while a type is re-indexed. */
const batchSize = 500;

/**
 * Rebuilds the search index of every stored resource of the given types, in id order with keyset
 * paging; for SearchParameters installed after the data (`ig install`, FHIR Setup) and for an
 * upgrade that indexes differently (index-state.ts). Each batch is read inside its write
 * transaction, so a resource written meanwhile is never re-indexed from an older version. A type
 * done is recorded as current; `stopped` ends the work between batches (the server is closing).
 */
export async function reindexTypes(
  store: FhirStore,
  registry: FhirRegistry,
  types: Iterable<string>,
  progress: (type: string, done: number) => void = () => undefined,
  stopped: () => boolean = () => false,
): Promise<number> {
  let total = 0;
  for (const resourceType of types) {
    let after = '';
    let done = 0;
    for (;;) {
      if (stopped()) return total;
      const rows = await store.transaction(async (transaction) => {
        const batch = await store.selectResources(
          sql`SELECT ${rawSql(resourceColumns)} FROM fhir_resources WHERE resource_type = ${resourceType} AND deleted = ${false} AND id > ${after} ORDER BY id LIMIT ${batchSize}`,
          transaction,
        );
        await store.reindex(resourceType, new Map(batch.map((stored) => [stored.id, extractIndex(registry, stored.resource)])), transaction);
        if (batch.length < batchSize) await recordIndexSignatures(store, registry, [resourceType], transaction);
        return batch;
      });
      done += rows.length;
      total += rows.length;
      if (rows.length) progress(resourceType, done);
      if (rows.length < batchSize) break;
      after = rows.at(-1)!.id;
    }
  }
  return total;
}

/**
 * Re-indexes the stored types this server indexes differently from the version that wrote them
 * (index-state.ts): run in the background at start; `stopped` ends it between batches.
 */
export async function reindexStale(store: FhirStore, registry: FhirRegistry, stopped: () => boolean): Promise<{ types: string[]; resources: number }> {
  const types = await staleIndexTypes(store, registry);
  return { types, resources: types.length ? await reindexTypes(store, registry, types, undefined, stopped) : 0 };
}

/** The types whose search parameters differ between two snapshots of the registry (`searchParamSignature`). */
export function typesWithNewParams(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  return [...after].filter(([type, codes]) => before.get(type) !== codes).map(([type]) => type);
}

/** What each type's index rows depend on (`indexSignature`), to compare before and after an install. */
export function searchParamSignature(registry: FhirRegistry): Map<string, string> {
  return new Map(registry.resourceTypes.map((type) => [type, indexSignature(registry, type)]));
}
