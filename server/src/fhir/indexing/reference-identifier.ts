import { evalFhirPathTyped, getParsedExpressionForResourceType, toTypedValue, type FhirPathAtom, type TypedValue } from '@medplum/core';
import type { FhirRegistry, SearchParamDef } from '../definitions/registry.js';
import { referenceIdentifierParam } from './derived-params.js';
import type { IndexRows } from './rows.js';
import { addIndexValue } from './values.js';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * For one value of a reference parameter: a Reference that carries a logical `identifier`
 * becomes a token row under `<param>:identifier`, so `subject:identifier=system|value` finds it.
 */
export function addReferenceIdentifier(rows: IndexRows, param: SearchParamDef, typed: TypedValue): void {
  const value = typed.value as unknown;
  if (!isObject(value) || !isObject(value.identifier)) return;
  const identifierParam: SearchParamDef = { ...param, code: referenceIdentifierParam(param.code), type: 'token' };
  addIndexValue(rows, identifierParam, { type: 'Identifier', value: value.identifier }, () => false);
}

/** Whether anything in the resource looks like a Reference with an identifier (an `identifier` that is one object, not a list). */
function mayHoldReferenceIdentifier(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(mayHoldReferenceIdentifier);
  if (!isObject(value)) return false;
  if (isObject(value.identifier)) return true;
  return Object.values(value).some((child) => typeof child === 'object' && child !== null && mayHoldReferenceIdentifier(child));
}

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

/**
 * The `:identifier` rows of a whole resource: evaluates its reference parameters, but only when
 * a quick look finds a Reference with an identifier at all (most resources have none).
 */
export function addReferenceIdentifierRows(registry: FhirRegistry, resource: { resourceType: string }, rows: IndexRows): void {
  if (!mayHoldReferenceIdentifier(resource)) return;
  const input = [toTypedValue(resource)];
  for (const param of registry.searchParams(resource.resourceType).values()) {
    if (param.type !== 'reference') continue;
    let values: TypedValue[];
    try {
      values = evalFhirPathTyped(expressionFor(resource.resourceType, param.expression), input);
    } catch {
      continue;
    }
    for (const typed of values) addReferenceIdentifier(rows, param, typed);
  }
}
