import type { FhirRegistry } from '../definitions/registry.js';

const interactions = ['read', 'vread', 'update', 'delete', 'history-instance', 'history-type', 'create', 'search-type'].map((code) => ({ code }));

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
    return {
      type,
      profile: `http://hl7.org/fhir/StructureDefinition/${type}`,
      interaction: interactions,
      versioning: 'versioned',
      readHistory: true,
      updateCreate: true,
      conditionalCreate: true,
      conditionalUpdate: false,
      conditionalDelete: 'not-supported',
      searchInclude: [...params.filter((p) => p.type === 'reference').map((p) => `${type}:${p.code}`)],
      searchRevInclude: revIncludes.get(type) ?? [],
      searchParam: [
        { name: '_id', type: 'token', definition: 'http://hl7.org/fhir/SearchParameter/Resource-id' },
        ...params.filter((p) => p.code !== '_id').map((p) => ({ name: p.code, type: p.type, definition: p.url })),
      ],
    };
  });
}
