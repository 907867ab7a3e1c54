import { splitSearchOnComma } from '@medplum/core';
import { compositeParams } from '../definitions/composite-params.js';
import type { FhirRegistry, SearchParamDef } from '../definitions/registry.js';
import { referenceIdentifierParam } from '../indexing/derived-params.js';
import { BadSearchValue, parseCompositeValues, parseDateValue, parseNumberValue, parseQuantityValue, parseReferenceValue, parseTokenValue } from './parse-values.js';
import { isSpecialParam, parseSpecialParam, parseSpecialValue } from './special-params.js';
import { defaultCount, maxCount, type Criterion, type DateValue, type IncludeSpec, type SearchQuery, type SortKey, type SystemSearchQuery } from './query.js';

export { BadSearchValue } from './parse-values.js';

/** Parameters that shape the result rather than select resources. */
const resultParams = new Set(['_count', '_sort', '_include', '_revinclude', '_summary', '_elements', '_total', '_cursor', '_format', '_pretty']);

type Pairs = Iterable<readonly [string, string]>;

function parseInteger(name: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new BadSearchValue(`${name}: "${value}" is not a non-negative integer`);
  return Number(value);
}

/** Parses one selecting parameter (`code:not=…`, `subject:Patient.name=…`); undefined when it is not supported. */
export function parseCriterion(registry: FhirRegistry, resourceType: string, key: string, value: string): Criterion | undefined {
  if (key.startsWith('_has:')) return parseHas(registry, resourceType, key, value);
  const dot = key.indexOf('.');
  const head = dot < 0 ? key : key.slice(0, dot);
  const [name = '', modifier] = head.split(':', 2);
  if (dot < 0 && isSpecialParam(name)) return parseSpecialParam(resourceType, name, modifier, value);
  if (name === '_id' && dot < 0) {
    if (modifier) return undefined;
    return { kind: 'id', values: splitSearchOnComma(value) };
  }
  const isResourceType = (type: string) => registry.canonicalType(type) === type;
  const param = registry.searchParam(resourceType, name);
  if (!param) {
    const composite = dot < 0 && !modifier ? compositeParams(resourceType).get(name) : undefined;
    return composite && { kind: 'composite', param: composite, values: parseCompositeValues(key, composite, value, isResourceType) };
  }
  if (dot >= 0) return parseChain(registry, param, modifier, key.slice(dot + 1), value);
  if (modifier === 'missing') {
    if (value !== 'true' && value !== 'false') throw new BadSearchValue(`${key}: must be true or false`);
    return { kind: 'missing', param, missing: value === 'true' };
  }
  const values = splitSearchOnComma(value);
  switch (param.type) {
    case 'token':
      if (modifier === 'text') return { kind: 'token', param, modifier, values: values.map((text) => ({ text })) };
      if (modifier && modifier !== 'not') return undefined;
      return { kind: 'token', param, ...(modifier === 'not' ? { modifier } : {}), values: values.map(parseTokenValue) };
    case 'string':
      if (modifier && modifier !== 'exact' && modifier !== 'contains') return undefined;
      return { kind: 'string', param, ...(modifier === 'exact' || modifier === 'contains' ? { modifier } : {}), values };
    case 'reference': {
      if (modifier === 'identifier') {
        // Reference.identifier is indexed as tokens under a name of its own (indexing/reference-identifier.ts)
        return { kind: 'token', param: { ...param, code: referenceIdentifierParam(param.code), type: 'token' }, values: values.map(parseTokenValue) };
      }
      if (modifier && !isResourceType(modifier)) return undefined;
      return { kind: 'reference', param, values: values.map((v) => parseReferenceValue(v, modifier, isResourceType)) };
    }
    case 'date':
      if (modifier) return undefined;
      return { kind: 'date', param, values: values.map((v) => parseDateValue(key, v)) };
    case 'number':
      if (modifier) return undefined;
      return { kind: 'number', param, values: values.map((v) => parseNumberValue(key, v)) };
    case 'quantity':
      if (modifier) return undefined;
      return { kind: 'quantity', param, values: values.map((v) => parseQuantityValue(key, v)) };
    case 'uri':
      if (modifier && modifier !== 'below' && modifier !== 'above') return undefined;
      return { kind: 'uri', param, ...(modifier === 'below' || modifier === 'above' ? { modifier } : {}), values };
  }
}

/** `subject:Patient.name=x`, or `subject.name=x` over every target type that has `name`. */
function parseChain(registry: FhirRegistry, param: SearchParamDef, typeModifier: string | undefined, rest: string, value: string): Criterion | undefined {
  if (param.type !== 'reference') return undefined;
  const targets = typeModifier ? [registry.canonicalType(typeModifier)].filter((t): t is string => t !== undefined && param.targets.includes(t)) : param.targets;
  const branches: { resourceType: string; next: Criterion }[] = [];
  for (const resourceType of targets) {
    const next = parseCriterion(registry, resourceType, rest, value);
    if (next) branches.push({ resourceType, next });
  }
  return branches.length ? { kind: 'chain', param, branches } : undefined;
}

/** `_has:Type:param:rest` (rest may itself be a `_has`). */
function parseHas(registry: FhirRegistry, resourceType: string, key: string, value: string): Criterion | undefined {
  const [, source = '', code = '', ...rest] = key.split(':');
  const sourceType = registry.canonicalType(source);
  const param = sourceType ? registry.searchParam(sourceType, code) : undefined;
  if (!sourceType || param?.type !== 'reference' || (param.targets.length && !param.targets.includes(resourceType))) return undefined;
  const next = parseCriterion(registry, sourceType, rest.join(':'), value);
  return next && { kind: 'has', sourceType, param, next };
}

function parseSort(registry: FhirRegistry, resourceType: string, value: string, unknown: string[]): SortKey[] {
  const keys: SortKey[] = [];
  for (const item of value.split(',').filter(Boolean)) {
    const descending = item.startsWith('-');
    const code = descending ? item.slice(1) : item;
    if (code === '_id') {
      keys.push({ param: '_id', descending });
      continue;
    }
    const param = registry.searchParam(resourceType, code);
    if (param && param.type !== 'reference') keys.push({ param, descending });
    else unknown.push(`_sort=${item}`);
  }
  return keys;
}

/**
 * `Type:param[:Target]`; `Type:*` stands for every reference parameter of the type, and `*` (for
 * `_include`, whose source is the searched type) for every one of the searched type.
 */
function parseInclude(registry: FhirRegistry, searchedType: string | undefined, value: string, iterate: boolean): IncludeSpec[] | undefined {
  if (value === '*' && !searchedType) return undefined;
  const [source = '', param = '', target] = value === '*' ? [searchedType ?? '', '*'] : value.split(':');
  const sourceType = registry.canonicalType(source);
  if (!sourceType) return undefined;
  const targetType = target === undefined ? undefined : registry.canonicalType(target);
  if (target !== undefined && !targetType) return undefined;
  const spec = (code: string): IncludeSpec => ({ sourceType, param: code, iterate, ...(targetType ? { targetType } : {}) });
  if (param === '*') {
    const references = [...registry.searchParams(sourceType).values()].filter((p) => p.type === 'reference' && (!targetType || !p.targets.length || p.targets.includes(targetType)));
    return references.map((p) => spec(p.code));
  }
  if (registry.searchParam(sourceType, param)?.type !== 'reference') return undefined;
  return [spec(param)];
}

/** Turns query parameters (GET query or POST _search form) into a SearchQuery; bad values throw BadSearchValue. */
export function parseSearch(registry: FhirRegistry, resourceType: string, pairs: Pairs): SearchQuery {
  const query: SearchQuery = { resourceType, criteria: [], sort: [], count: defaultCount, summaryCount: false, includes: [], revIncludes: [], unknown: [] };
  for (const [key, value] of pairs) {
    const [name = '', modifier] = key.split(':', 2);
    if (!resultParams.has(name)) {
      const criterion = parseCriterion(registry, resourceType, key, value);
      if (criterion) query.criteria.push(criterion);
      else query.unknown.push(key);
      continue;
    }
    switch (name) {
      case '_count':
        query.count = Math.min(parseInteger(key, value), maxCount);
        break;
      case '_sort':
        query.sort.push(...parseSort(registry, resourceType, value, query.unknown));
        break;
      case '_include':
      case '_revinclude': {
        const iterate = modifier === 'iterate' || modifier === 'recurse';
        const list = name === '_include' ? query.includes : query.revIncludes;
        for (const item of value.split(',')) {
          const specs = parseInclude(registry, name === '_include' ? resourceType : undefined, item, iterate);
          if (specs) list.push(...specs);
          else query.unknown.push(`${key}=${item}`);
        }
        break;
      }
      case '_summary':
        if (value === 'count') query.summaryCount = true;
        else if (value === 'true' || value === 'text' || value === 'data') query.summary = value;
        else if (value !== 'false') throw new BadSearchValue(`_summary must be true, false, text, data or count`);
        break;
      case '_elements':
        query.elements = value.split(',').map((e) => e.trim()).filter(Boolean);
        break;
      case '_total':
        if (value !== 'none' && value !== 'estimate' && value !== 'accurate') throw new BadSearchValue('_total must be none, estimate or accurate');
        query.total = value;
        break;
      case '_cursor':
        query.cursor = value;
        break;
      default:
        break; // _format and _pretty are handled by the HTTP layer
    }
  }
  if (query.count === 0) query.summaryCount = true;
  return query;
}

/**
 * Parameters of a search across types (`GET /fhir/r4?_type=…`): `_type`, `_id`, `_lastUpdated`,
 * `_content`, `_text`, `_list`, `_count`, `_sort=[-]_lastUpdated`, `_total`, `_summary=count` and
 * paging. Anything else is unknown (ignored, or 400 under strict handling); an unknown type in
 * `_type` is a bad value.
 */
export function parseSystemSearch(registry: FhirRegistry, pairs: Pairs): SystemSearchQuery {
  const query: SystemSearchQuery = { ids: [], lastUpdated: [], special: [], count: defaultCount, summaryCount: false, unknown: [] };
  for (const [key, value] of pairs) {
    switch (key) {
      case '_type': {
        const types = value.split(',').map((name) => {
          const type = registry.canonicalType(name.trim());
          if (!type) throw new BadSearchValue(`_type: "${name}" is not a resource type`);
          return type;
        });
        query.types = query.types ? query.types.filter((type) => types.includes(type)) : types;
        break;
      }
      case '_id':
        query.ids.push(splitSearchOnComma(value));
        break;
      case '_lastUpdated':
        query.lastUpdated.push(splitSearchOnComma(value).map((v): DateValue => parseDateValue(key, v)));
        break;
      case '_content':
      case '_text':
      case '_list':
        query.special.push(parseSpecialValue(key, value));
        break;
      case '_count':
        query.count = Math.min(parseInteger(key, value), maxCount);
        break;
      case '_sort':
        if (value === '_lastUpdated' || value === '-_lastUpdated') query.sortByLastUpdated = value.startsWith('-') ? 'descending' : 'ascending';
        else query.unknown.push(`_sort=${value}`);
        break;
      case '_total':
        if (value !== 'none' && value !== 'estimate' && value !== 'accurate') throw new BadSearchValue('_total must be none, estimate or accurate');
        query.total = value;
        break;
      case '_summary':
        if (value === 'count') query.summaryCount = true;
        else if (value !== 'false') query.unknown.push(`_summary=${value}`);
        break;
      case '_cursor':
        query.cursor = value;
        break;
      case '_format':
      case '_pretty':
        break;
      default:
        query.unknown.push(key);
    }
  }
  if (query.count === 0) query.summaryCount = true;
  return query;
}
