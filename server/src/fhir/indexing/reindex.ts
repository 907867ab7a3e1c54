import type { FhirRegistry } from '../definitions/registry.js';
import { resourceColumns, type FhirStore } from '../storage/fhir-store.js';
import { rawSql, sql } from '../storage/sql.js';
import { extractIndex } from './extract.js';

/** Resources per transaction: short write locks, so the API keeps answering while a type is re-indexed. */
const batchSize = 500;

/**
 * Rebuilds the search index of every stored resource of the given types, in id order with keyset
 * paging; for SearchParameters installed after the data (`ig install`, FHIR Setup). Resources
 * written meanwhile are indexed by their own write, so re-indexing them again is harmless.
 */
export async function reindexTypes(store: FhirStore, registry: FhirRegistry, types: Iterable<string>, progress: (type: string, done: number) => void = () => undefined): Promise<number> {
  let total = 0;
  for (const resourceType of types) {
    let after = '';
    let done = 0;
    for (;;) {
      const rows = await store.selectResources(
        sql`SELECT ${rawSql(resourceColumns)} FROM fhir_resources WHERE resource_type = ${resourceType} AND deleted = ${false} AND id > ${after} ORDER BY id LIMIT ${batchSize}`,
      );
      if (!rows.length) break;
      await store.transaction(async (transaction) => {
        await store.reindex(resourceType, new Map(rows.map((stored) => [stored.id, extractIndex(registry, stored.resource)])), transaction);
      });
      after = rows.at(-1)!.id;
      done += rows.length;
      progress(resourceType, done);
    }
    total += done;
  }
  return total;
}

/** The types whose search parameters differ between two snapshots of the registry (`searchParamSignature`). */
export function typesWithNewParams(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  return [...after].filter(([type, codes]) => before.get(type) !== codes).map(([type]) => type);
}

/** Each type's indexed parameters with their expressions, as one comparable string per type. */
export function searchParamSignature(registry: FhirRegistry): Map<string, string> {
  return new Map(registry.resourceTypes.map((type) => [type, [...registry.searchParams(type).values()].map((p) => `${p.code}=${p.expression}`).join('\n')]));
}
