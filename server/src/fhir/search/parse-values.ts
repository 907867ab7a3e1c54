import { dateRange } from '../indexing/date-range.js';
import { referenceTarget } from '../indexing/reference.js';
import type { CompositeParamDef } from '../definitions/composite-params.js';
import { prefixes, type ComponentValue, type DateValue, type NumberValue, type Prefix, type QuantityValue, type ReferenceValue, type TokenValue } from './query.js';

/** A search value the server cannot understand: 400 (`birthdate=notadate`). */
export class BadSearchValue extends Error {}

function splitPrefix(value: string): { prefix: Prefix; rest: string } {
  const head = value.slice(0, 2) as Prefix;
  if (prefixes.includes(head) && /^[a-z]{2}[-+\d.]/.test(value)) return { prefix: head, rest: value.slice(2) };
  return { prefix: 'eq', rest: value };
}

export function parseDateValue(name: string, value: string): DateValue {
  const { prefix, rest } = splitPrefix(value);
  const range = dateRange(rest);
  if (!range) throw new BadSearchValue(`${name}: "${value}" is not a valid date`);
  return { prefix, range };
}

const decimal = /^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/;

export function parseNumberValue(name: string, value: string): NumberValue {
  const { prefix, rest } = splitPrefix(value);
  if (!decimal.test(rest)) throw new BadSearchValue(`${name}: "${value}" is not a number`);
  const number = Number(rest);
  const decimals = /\.(\d+)/.exec(rest)?.[1]?.length ?? 0;
  const half = 0.5 * 10 ** -decimals;
  return { prefix, value: number, low: number - half, high: number + half };
}

export function parseQuantityValue(name: string, value: string): QuantityValue {
  const [number = '', system, code] = value.split('|');
  const parsed = parseNumberValue(name, number);
  return { ...parsed, ...(system ? { system } : {}), ...(code ? { code } : {}) };
}

export function parseTokenValue(value: string): TokenValue {
  const bar = value.indexOf('|');
  if (bar < 0) return { code: value };
  const system = value.slice(0, bar);
  const code = value.slice(bar + 1);
  return { system: system === '' ? null : system, ...(code ? { code } : {}) };
}

export function parseReferenceValue(value: string, typeModifier: string | undefined, isResourceType: (name: string) => boolean): ReferenceValue {
  const target = referenceTarget(value, isResourceType);
  if (target) return target;
  if (/^[A-Za-z0-9\-.]{1,64}$/.test(value)) return { id: value, ...(typeModifier ? { type: typeModifier } : {}) };
  return { url: value };
}

/** Splits on a separator that is not escaped with a backslash; escapes stay as they are. */
function splitUnescaped(value: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '\\') {
      i++;
    } else if (value[i] === separator) {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return parts;
}

const unescapeComponent = (value: string): string => value.replace(/\\([\\,$])/g, '$1');

/**
 * `http://loinc.org|8480-6$gt100|http://unitsofmeasure.org|mm[Hg],…`: alternatives split on `,`,
 * each with one value per component split on `$` (`\,` and `\$` are literal), each read as its
 * component's type.
 */
export function parseCompositeValues(name: string, param: CompositeParamDef, raw: string, isResourceType: (name: string) => boolean): ComponentValue[][] {
  return splitUnescaped(raw, ',').map((alternative) => parseCompositeValue(name, param, alternative, isResourceType));
}

function parseCompositeValue(name: string, param: CompositeParamDef, value: string, isResourceType: (name: string) => boolean): ComponentValue[] {
  const parts = splitUnescaped(value, '$').map(unescapeComponent);
  if (parts.length !== param.components.length) {
    throw new BadSearchValue(`${name}: "${value}" needs ${param.components.length} components separated by $`);
  }
  return param.components.map(({ type }, i): ComponentValue => {
    const part = parts[i]!;
    switch (type) {
      case 'token':
        return { type, value: parseTokenValue(part) };
      case 'string':
      case 'uri':
        return { type, value: part };
      case 'reference':
        return { type, value: parseReferenceValue(part, undefined, isResourceType) };
      case 'date':
        return { type, value: parseDateValue(name, part) };
      case 'number':
        return { type, value: parseNumberValue(name, part) };
      case 'quantity':
        return { type, value: parseQuantityValue(name, part) };
    }
  });
}
