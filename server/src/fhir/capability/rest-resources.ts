import { compositeParams } from '../definitions/composite-params.js';
import type { FhirRegistry } from '../definitions/registry.js';
import { specialParams } from '../search/special-params.js';

const interactions = ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'history-type', 'create', 'search-type'].map((code) => ({ code }));

/** What the server supports per resource type, derived from the registry the server runs on. */
export function restResources(registry: FhirRegistry): Record<string, unknown>[] {
  const revIncludes = new Map<string, string[]>();
  for (const type of registry.resourceTypes) {
    for (const param of registry.searchParams(type).values()) {
      if (param.type !== 'reference') continue;
      for (const target of param.targets) revIncludes.set(target, [...(revIncludes.get(target) ?? []), `${type}:${param.code}`]);
    }
  }
  return registry.resourceTypes.map((type) => {
    const params = [...registry.searchParams(type).values()];
    const references = params.filter((p) => p.type === 'reference').map((p) => `${type}:${p.code}`);
    return {
      type,
      profile: `http://hl7.org/fhir/StructureDefinition/${type}`,
      interaction: interactions,
      versioning: 'versioned',
      readHistory: true,
      updateCreate: true,
      conditionalCreate: true,
      conditionalRead: 'full-support',
      conditionalUpdate: true,
      conditionalDelete: 'single',
      searchInclude: references.length ? ['*', `${type}:*`, ...references] : [],
      searchRevInclude: revIncludes.get(type) ?? [],
      searchParam: [
        { name: '_id', type: 'token', definition: 'http://hl7.org/fhir/SearchParameter/Resource-id' },
        ...params.filter((p) => p.code !== '_id').map((p) => ({ name: p.code, type: p.type, definition: p.url })),
        ...[...compositeParams(type).values()].map((p) => ({ name: p.code, type: 'composite', definition: p.url })),
        ...specialParams(type),
      ],
    };
  });
}

/** Parameters of the search across types (`GET /fhir/r4?_type=…`). */
export const systemSearchParams = [
  { name: '_type', type: 'token', documentation: 'The resource types to search, comma-separated' },
  { name: '_id', type: 'token', definition: 'http://hl7.org/fhir/SearchParameter/Resource-id' },
  { name: '_lastUpdated', type: 'date', definition: 'http://hl7.org/fhir/SearchParameter/Resource-lastUpdated' },
  ...specialParams('Resource'),
];
