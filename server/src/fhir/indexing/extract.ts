import { evalFhirPathTyped, getParsedExpressionForResourceType, toTypedValue, type FhirPathAtom } from '@medplum/core';
import type { FhirRegistry, SearchParamDef } from '../definitions/registry.js';
import { addCompositeRows } from './composite.js';
import { expressionRoots, hasElement } from './expression-roots.js';
import { emptyIndexRows, indexTables, type IndexRows } from './rows.js';
import { addReferenceIdentifier } from './reference-identifier.js';
import { addIndexValue } from './values.js';

export interface ExtractedIndex {
  rows: IndexRows;
  /** Ids of the patients in whose compartment the resource is. */
  patients: string[];
}

export interface IndexableResource {
  resourceType: string;
  id?: string;
}

/** A parameter ready to evaluate on one type: its expression parsed and narrowed to the type (`Observation.code` of `AllergyIntolerance.code | Observation.code | …`), and the top-level elements it reads. */
interface TypedParam {
  def: SearchParamDef;
  atom: FhirPathAtom;
  roots: string[] | undefined;
}

/** By the registry's parameter map of the type: a map rebuilt after an install prepares afresh. */
const typedParams = new WeakMap<Map<string, SearchParamDef>, TypedParam[]>();

function paramsOf(registry: FhirRegistry, resourceType: string): TypedParam[] {
  const defs = registry.searchParams(resourceType);
  let params = typedParams.get(defs);
  if (!params) {
    params = [...defs.values()].filter((def) => !def.column).map((def) => ({ def, atom: getParsedExpressionForResourceType(resourceType, def.expression), roots: expressionRoots(resourceType, def.expression) }));
    typedParams.set(defs, params);
  }
  return params;
}

function dedupe<T>(rows: T[]): T[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const key = JSON.stringify(row);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Evaluates every SearchParameter of the resource's type (its FHIRPath expression) and turns the
 * results into index rows; generic for every resource type. A parameter whose expression fails
 * on this resource is left out rather than failing the write. References also index their
 * logical identifier (`:identifier`), and composite parameters their per-element rows.
 */
export function extractIndex(registry: FhirRegistry, resource: IndexableResource): ExtractedIndex {
  const rows = emptyIndexRows();
  const input = [toTypedValue(resource)];
  const isResourceType = (name: string) => registry.canonicalType(name) === name;
  const keys = Object.keys(resource);
  for (const { def, atom, roots } of paramsOf(registry, resource.resourceType)) {
    if (roots && !roots.some((root) => hasElement(resource as unknown as Record<string, unknown>, keys, root))) continue;
    let values;
    try {
      values = evalFhirPathTyped(atom, input);
    } catch {
      continue;
    }
    for (const typed of values) {
      addIndexValue(rows, def, typed, isResourceType);
      if (def.type === 'reference') addReferenceIdentifier(rows, def, typed);
    }
  }
  addCompositeRows(resource, rows, isResourceType);
  for (const table of indexTables) (rows[table] as unknown[]) = dedupe(rows[table] as unknown[]);

  const compartmentParams = new Set(registry.compartmentParams(resource.resourceType));
  const patients = new Set<string>();
  for (const ref of rows.reference) {
    if (compartmentParams.has(ref.param) && ref.target_type === 'Patient' && ref.target_id) patients.add(ref.target_id);
  }
  if (resource.resourceType === 'Patient' && resource.id) patients.add(resource.id);
  return { rows, patients: [...patients] };
}
