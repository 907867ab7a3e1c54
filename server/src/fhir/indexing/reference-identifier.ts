import type { TypedValue } from '@medplum/core';
import type { SearchParamDef } from '../definitions/registry.js';
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
