import { evalFhirPathTyped, getParsedExpressionForResourceType, toTypedValue, type FhirPathAtom } from '@medplum/core';
import type { FhirRegistry } from '../definitions/registry.js';
import { emptyIndexRows, indexTables, type IndexRows } from './rows.js';
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

/** Parsed expressions narrowed to one type (`Observation.code` of `AllergyIntolerance.code | Observation.code | …`), parsed once. */
const parsed = new Map<string, FhirPathAtom>();

function expressionFor(resourceType: string, expression: string): FhirPathAtom {
  const key = `${resourceType}\u0000${expression}`;
  let atom = parsed.get(key);
  if (!atom) {
    atom = getParsedExpressionForResourceType(resourceType, expression);
    parsed.set(key, atom);
  }
  return atom;
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
 * on this resource is left out rather than failing the write.
 */
export function extractIndex(registry: FhirRegistry, resource: IndexableResource): ExtractedIndex {
  const rows = emptyIndexRows();
  const input = [toTypedValue(resource)];
  const isResourceType = (name: string) => registry.canonicalType(name) === name;
  for (const param of registry.searchParams(resource.resourceType).values()) {
    let values;
    try {
      values = evalFhirPathTyped(expressionFor(resource.resourceType, param.expression), input);
    } catch {
      continue;
    }
    for (const typed of values) addIndexValue(rows, param, typed, isResourceType);
  }
  for (const table of indexTables) (rows[table] as unknown[]) = dedupe(rows[table] as unknown[]);

  const compartmentParams = new Set(registry.compartmentParams(resource.resourceType));
  const patients = new Set<string>();
  for (const ref of rows.reference) {
    if (compartmentParams.has(ref.param) && ref.target_type === 'Patient' && ref.target_id) patients.add(ref.target_id);
  }
  if (resource.resourceType === 'Patient' && resource.id) patients.add(resource.id);
  return { rows, patients: [...patients] };
}
