import type { TypedValue } from '@medplum/core';
import type { SearchParamDef } from '../definitions/registry.js';
import { dateRange, earliestDate, latestDate } from './date-range.js';
import { normalizeString, truncate } from './normalize.js';
import { referenceTarget } from './reference.js';
import type { IndexRows } from './rows.js';

type Json = Record<string, unknown>;

const asString = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** FHIRPath results sometimes come back with a vague type name; the value's shape decides then. */
function shapeOf(typed: TypedValue): string {
  const value = typed.value as unknown;
  if (!isObject(value)) return typed.type;
  if (['CodeableConcept', 'Coding', 'Identifier', 'Reference', 'Period', 'HumanName', 'Address', 'ContactPoint'].includes(typed.type)) return typed.type;
  if (['Quantity', 'Age', 'Duration', 'Distance', 'Count', 'SimpleQuantity', 'Money'].includes(typed.type)) return 'Quantity';
  if ('coding' in value || ('text' in value && Object.keys(value).length === 1)) return 'CodeableConcept';
  if ('reference' in value) return 'Reference';
  if ('start' in value || 'end' in value) return 'Period';
  if ('family' in value || 'given' in value) return 'HumanName';
  if ('line' in value || 'city' in value || 'postalCode' in value) return 'Address';
  if ('value' in value && typeof value.value === 'number') return 'Quantity';
  if ('system' in value && 'value' in value) return 'Identifier';
  if ('code' in value) return 'Coding';
  return typed.type;
}

function addTokens(rows: IndexRows, param: string, typed: TypedValue): void {
  const value = typed.value as unknown;
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') {
    rows.token.push({ param, system: null, code: truncate(String(value)), text: null });
    return;
  }
  if (!isObject(value)) return;
  const coding = (c: Json, text?: string) => {
    const display = text ?? asString(c.display);
    rows.token.push({
      param,
      system: asString(c.system) ?? null,
      code: asString(c.code) ? truncate(c.code as string) : null,
      text: display ? normalizeString(display) : null,
    });
  };
  switch (shapeOf(typed)) {
    case 'CodeableConcept': {
      const codings = Array.isArray(value.coding) ? value.coding.filter(isObject) : [];
      for (const c of codings) coding(c);
      const text = asString(value.text);
      if (text) rows.token.push({ param, system: null, code: null, text: normalizeString(text) });
      return;
    }
    case 'Coding':
      coding(value);
      return;
    case 'Identifier': {
      const typeText = isObject(value.type) ? asString(value.type.text) : undefined;
      if (asString(value.value)) rows.token.push({ param, system: asString(value.system) ?? null, code: truncate(value.value as string), text: typeText ? normalizeString(typeText) : null });
      return;
    }
    case 'ContactPoint':
      if (asString(value.value)) rows.token.push({ param, system: asString(value.system) ?? null, code: truncate(value.value as string), text: null });
      return;
    default:
      if (asString(value.code)) coding(value);
  }
}

function addStrings(rows: IndexRows, param: string, typed: TypedValue): void {
  const add = (text: unknown) => {
    const s = asString(text);
    if (s) rows.string.push({ param, value: normalizeString(s), exact: s });
  };
  const value = typed.value as unknown;
  if (!isObject(value)) {
    add(value);
    return;
  }
  switch (shapeOf(typed)) {
    case 'HumanName':
      for (const key of ['text', 'family', 'given', 'prefix', 'suffix']) [value[key]].flat().forEach(add);
      return;
    case 'Address':
      for (const key of ['text', 'line', 'city', 'district', 'state', 'postalCode', 'country']) [value[key]].flat().forEach(add);
      return;
    default:
      for (const item of Object.values(value)) if (typeof item === 'string') add(item);
  }
}

function addReference(rows: IndexRows, param: string, typed: TypedValue, isResourceType: (name: string) => boolean): void {
  const value = typed.value as unknown;
  // canonical and uri values of reference parameters are matched by URL
  const reference = typeof value === 'string' ? value : isObject(value) ? asString(value.reference) : undefined;
  if (!reference || reference.startsWith('#')) return;
  const target = referenceTarget(reference, isResourceType);
  rows.reference.push({ param, target_type: target?.type ?? null, target_id: target?.id ?? null, url: target ? null : truncate(reference) });
}

function addDate(rows: IndexRows, param: string, typed: TypedValue): void {
  const value = typed.value as unknown;
  if (typeof value === 'string') {
    const range = dateRange(value);
    if (range) rows.date.push({ param, ...range });
    return;
  }
  if (!isObject(value)) return;
  if (shapeOf(typed) === 'Period') {
    const start = asString(value.start) ? dateRange(value.start as string) : undefined;
    const end = asString(value.end) ? dateRange(value.end as string) : undefined;
    if (start || end) rows.date.push({ param, low: start?.low ?? earliestDate, high: end?.high ?? latestDate });
    return;
  }
  // Timing: its events
  if (Array.isArray(value.event)) for (const event of value.event) addDate(rows, param, { type: 'dateTime', value: event });
}

function addQuantity(rows: IndexRows, param: string, typed: TypedValue): void {
  const value = typed.value as unknown;
  if (!isObject(value) || typeof value.value !== 'number') return;
  const code = asString(value.code) ?? asString(value.unit) ?? asString(value.currency) ?? null;
  rows.quantity.push({ param, value: value.value, system: asString(value.system) ?? null, code });
}

function addNumber(rows: IndexRows, param: string, typed: TypedValue): void {
  const value = typed.value as unknown;
  if (typeof value === 'number') rows.number.push({ param, value });
  else if (isObject(value) && typeof value.value === 'number') rows.number.push({ param, value: value.value });
}

function addUri(rows: IndexRows, param: string, typed: TypedValue): void {
  const value = asString(typed.value);
  if (value) rows.uri.push({ param, value: truncate(value) });
}

/** Adds the index rows for one FHIRPath result of a search parameter. */
export function addIndexValue(rows: IndexRows, param: SearchParamDef, typed: TypedValue, isResourceType: (name: string) => boolean): void {
  switch (param.type) {
    case 'token':
      return addTokens(rows, param.code, typed);
    case 'string':
      return addStrings(rows, param.code, typed);
    case 'reference':
      return addReference(rows, param.code, typed, isResourceType);
    case 'date':
      return addDate(rows, param.code, typed);
    case 'quantity':
      return addQuantity(rows, param.code, typed);
    case 'number':
      return addNumber(rows, param.code, typed);
    case 'uri':
      return addUri(rows, param.code, typed);
  }
}
