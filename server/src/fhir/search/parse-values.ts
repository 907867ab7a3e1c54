import { dateRange } from '../indexing/date-range.js';
import { referenceTarget } from '../indexing/reference.js';
import { prefixes, type DateValue, type NumberValue, type Prefix, type QuantityValue, type ReferenceValue, type TokenValue } from './query.js';

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
