import { FhirError } from '../../http/errors.js';
import { compositeComponentPrefix } from '../indexing/derived-params.js';
import { normalizeString } from '../indexing/normalize.js';
import type { IndexTable } from '../indexing/rows.js';
import { joinSql, likeEscape, rawSql, sql, sqlList, type Sql } from '../storage/sql.js';
import type { CompileContext, SqlDialect } from './context.js';
import { textMatch } from './text-match.js';
import type { ComponentValue, Criterion, DateValue, NumberValue, QuantityValue, ReferenceValue, SpecialCriterion, TokenValue } from './query.js';

const escape = rawSql(`ESCAPE '\\'`);

/** Unique table aliases for nested subqueries. */
class Aliases {
  private next = 0;
  take(prefix: string): string {
    return `${prefix}${this.next++}`;
  }
}

/**
 * `alias.id IN (SELECT resource_id FROM fhir_idx_<table> WHERE … AND (matches))`, or when
 * `correlated`, the same condition as `EXISTS (… WHERE resource_id = alias.id …)`: checked per
 * candidate through the (resource_type, resource_id) index instead of listing every match.
 */
function inIndex(alias: string, resourceType: string, table: IndexTable, param: string, matches: Sql | undefined, x: string, negate = false, correlated = false): Sql {
  const where = matches ? sql` AND (${matches})` : rawSql('');
  const tableName = rawSql(`fhir_idx_${table} ${x}`);
  if (correlated && !negate) {
    // `param || ''` keeps the (resource_type, param, …) index out, so the lookup goes by (resource_type, resource_id)
    return sql`EXISTS (SELECT 1 FROM ${tableName} WHERE ${rawSql(x)}.resource_type = ${resourceType} AND ${rawSql(`${x}.resource_id = ${alias}.id`)} AND (${rawSql(x)}.param || '') = ${param}${where})`;
  }
  const op = rawSql(negate ? 'NOT IN' : 'IN');
  return sql`${rawSql(alias)}.id ${op} (SELECT ${rawSql(x)}.resource_id FROM ${tableName} WHERE ${rawSql(x)}.resource_type = ${resourceType} AND ${rawSql(x)}.param = ${param}${where})`;
}

const anyOf = (parts: Sql[]): Sql => (parts.length ? joinSql(parts, ' OR ') : rawSql('1 = 0'));

function tokenMatch(x: string, value: TokenValue): Sql {
  const col = (name: string) => rawSql(`${x}.${name}`);
  const parts: Sql[] = [];
  if (value.system === null) parts.push(sql`${col('system')} IS NULL`);
  else if (value.system !== undefined) parts.push(sql`${col('system')} = ${value.system}`);
  if (value.code !== undefined) parts.push(sql`${col('code')} = ${value.code}`);
  return parts.length ? joinSql(parts, ' AND ') : sql`${col('code')} IS NOT NULL`;
}

function dateMatch(x: string, value: DateValue): Sql {
  return dateRangeMatch(rawSql(`${x}.low`), rawSql(`${x}.high`), value);
}

/** Date prefixes compare the stored range [low, high] with the searched range (FHIR R4 §3.1.1.4.4). */
export function dateRangeMatch(low: Sql, high: Sql, { prefix, range }: DateValue): Sql {
  switch (prefix) {
    case 'eq':
      return sql`${low} >= ${range.low} AND ${high} <= ${range.high}`;
    case 'ne':
      return sql`NOT (${low} >= ${range.low} AND ${high} <= ${range.high})`;
    case 'gt':
      return sql`${high} > ${range.high}`;
    case 'lt':
      return sql`${low} < ${range.low}`;
    case 'ge':
      return sql`${high} >= ${range.low}`;
    case 'le':
      return sql`${low} <= ${range.high}`;
    case 'sa':
      return sql`${low} > ${range.high}`;
    case 'eb':
      return sql`${high} < ${range.low}`;
    case 'ap': {
      // approximately: within 10% of the distance between the value and now, at least a day
      const from = Date.parse(range.low);
      const margin = Math.max(Math.abs(Date.now() - from) * 0.1, 86_400_000);
      const wideLow = new Date(Math.max(from - margin, -62135596800000)).toISOString();
      const wideHigh = new Date(Math.min(Date.parse(range.high) + margin, 253402300799999)).toISOString();
      return sql`${low} <= ${wideHigh} AND ${high} >= ${wideLow}`;
    }
  }
}

function numberMatch(column: Sql, value: NumberValue): Sql {
  switch (value.prefix) {
    case 'eq':
      return sql`${column} >= ${value.low} AND ${column} < ${value.high}`;
    case 'ne':
      return sql`NOT (${column} >= ${value.low} AND ${column} < ${value.high})`;
    case 'gt':
    case 'sa':
      return sql`${column} > ${value.value}`;
    case 'lt':
    case 'eb':
      return sql`${column} < ${value.value}`;
    case 'ge':
      return sql`${column} >= ${value.value}`;
    case 'le':
      return sql`${column} <= ${value.value}`;
    case 'ap': {
      const margin = Math.abs(value.value) * 0.1;
      return sql`${column} >= ${value.value - margin} AND ${column} <= ${value.value + margin}`;
    }
  }
}

function quantityMatch(x: string, value: QuantityValue): Sql {
  const parts = [numberMatch(rawSql(`${x}.value`), value)];
  if (value.system) parts.push(sql`${rawSql(`${x}.system`)} = ${value.system}`);
  if (value.code) parts.push(sql`${rawSql(`${x}.code`)} = ${value.code}`);
  return joinSql(parts, ' AND ');
}

function referenceMatch(x: string, value: ReferenceValue): Sql {
  const col = (name: string) => rawSql(`${x}.${name}`);
  if (value.url !== undefined) return sql`${col('url')} = ${value.url}`;
  if (value.type) return sql`${col('target_type')} = ${value.type} AND ${col('target_id')} = ${value.id ?? ''}`;
  return sql`${col('target_id')} = ${value.id ?? ''}`;
}

function stringMatch(x: string, value: string, modifier?: 'exact' | 'contains'): Sql {
  if (modifier === 'exact') return sql`${rawSql(`${x}.exact`)} = ${value}`;
  const pattern = likeEscape(normalizeString(value));
  return sql`${rawSql(`${x}.value`)} LIKE ${modifier === 'contains' ? `%${pattern}%` : `${pattern}%`} ${escape}`;
}

/** `:below` matches the URI and everything under it; `:above` the URI and every URI it is under (path prefixes). */
function uriMatch(x: string, value: string, modifier?: 'below' | 'above'): Sql {
  const col = rawSql(`${x}.value`);
  if (modifier === 'below') {
    const stem = value.endsWith('/') ? value : `${value}/`;
    return sql`${col} = ${value} OR ${col} LIKE ${`${likeEscape(stem)}%`} ${escape}`;
  }
  if (modifier === 'above') {
    let length = value.length;
    while (length > 0 && value[length - 1] === '/') length--;
    const trimmed = value.slice(0, length);
    const parents = [...new Set([value, trimmed])];
    for (let end = trimmed.lastIndexOf('/'); end > 0; end = trimmed.lastIndexOf('/', end - 1)) {
      const candidate = trimmed.slice(0, end);
      if (candidate.endsWith(':') || candidate.endsWith('/')) break;
      parents.push(candidate);
    }
    return sql`${col} IN ${sqlList(parents)}`;
  }
  return sql`${col} = ${value}`;
}

/** One component's condition on its index row (same comparisons as the component's own parameter type). */
function componentMatch(x: string, component: ComponentValue): Sql {
  switch (component.type) {
    case 'token':
      return tokenMatch(x, component.value);
    case 'string':
      return stringMatch(x, component.value);
    case 'reference':
      return referenceMatch(x, component.value);
    case 'date':
      return dateMatch(x, component.value);
    case 'number':
      return numberMatch(rawSql(`${x}.value`), component.value);
    case 'quantity':
      return quantityMatch(x, component.value);
    case 'uri':
      return uriMatch(x, component.value);
  }
}

/**
 * `param` starts with `prefix`. On SQLite as a GLOB, which (case-sensitive, like the column) reads
 * the (resource_type, param, …) index as a range; a LIKE would scan every row of the type.
 */
function paramStartsWith(x: Sql, prefix: string, dialect: SqlDialect | undefined): Sql {
  if (dialect === 'sqlite' && !/[*?[]/.test(prefix)) return sql`${x}.param GLOB ${`${prefix}*`}`;
  return sql`${x}.param LIKE ${`${likeEscape(prefix)}%`} ${escape}`;
}

/**
 * A composite value: rows of the first component (`code#0#<element>`) that match, with, for each
 * further component, a matching row of the same element (`code#1#<element>`: the same suffix).
 */
function compositeMatch(
  alias: string,
  resourceType: string,
  code: string,
  types: readonly string[],
  components: ComponentValue[],
  aliases: Aliases,
  correlated: boolean,
  dialect: SqlDialect | undefined,
): Sql {
  const first = aliases.take('k');
  const f = rawSql(first);
  const firstPrefix = compositeComponentPrefix(code, 0);
  const others = components.slice(1).map((component, i) => {
    const x = aliases.take('k');
    const xr = rawSql(x);
    const prefix = compositeComponentPrefix(code, i + 1);
    return sql`EXISTS (SELECT 1 FROM ${rawSql(`fhir_idx_${types[i + 1]} ${x}`)} WHERE ${xr}.resource_type = ${f}.resource_type AND ${xr}.resource_id = ${f}.resource_id AND ${xr}.param = ${prefix} || SUBSTR(${f}.param, ${firstPrefix.length + 1}) AND (${componentMatch(x, components[i + 1]!)}))`;
  });
  const firstTable = rawSql(`fhir_idx_${types[0]} ${first}`);
  // checked per candidate (correlated), the lookup goes by (resource_type, resource_id): no range on param to tempt the planner
  const conditions = joinSql([paramStartsWith(f, firstPrefix, correlated ? undefined : dialect), componentMatch(first, components[0]!), ...others], ' AND ');
  if (correlated) return sql`EXISTS (SELECT 1 FROM ${firstTable} WHERE ${f}.resource_type = ${resourceType} AND ${rawSql(`${first}.resource_id = ${alias}.id`)} AND ${conditions})`;
  return sql`${rawSql(alias)}.id IN (SELECT ${f}.resource_id FROM ${firstTable} WHERE ${f}.resource_type = ${resourceType} AND ${conditions})`;
}

/**
 * What a chain or `_has` may read of the type it passes through: the caller's restriction there
 * (its patient compartment, granular filters), so the criterion never tells what the caller could
 * not search for itself; 403 when it may not read the type at all. Scope filters compile without
 * a context: they only narrow what a scope grants.
 */
function passingThrough(context: CompileContext | undefined, resourceType: string, alias: string): Sql {
  if (!context) return rawSql('1 = 1');
  const visible = context.visible(resourceType, alias);
  if (!visible) throw new FhirError(403, `the search reads ${resourceType} resources (chained or _has), which this access does not cover`, 'forbidden');
  return visible;
}

/**
 * `_list`: the entries of the type (`List.entry.item`, the List's `item` index rows) of those
 * Lists that exist and that the caller may read; none when it may not read Lists at all.
 * `entryType` is the type's name, or the resource's own type column in a search across types.
 */
function listMatch(alias: string, entryType: Sql, listIds: string[], aliases: Aliases, context: CompileContext | undefined): Sql {
  const x = aliases.take('l');
  const list = aliases.take('lr');
  const visible = context?.visible('List', list);
  if (!visible) return rawSql('1 = 0');
  const l = rawSql(list);
  const lists = sql`SELECT ${l}.id FROM ${rawSql(`fhir_resources ${list}`)} WHERE ${l}.resource_type = 'List' AND ${l}.deleted = ${false} AND ${l}.id IN ${sqlList(listIds)} AND ${visible}`;
  const e = rawSql(x);
  return sql`${rawSql(alias)}.id IN (SELECT ${e}.target_id FROM ${rawSql(`fhir_idx_reference ${x}`)} WHERE ${e}.resource_type = 'List' AND ${e}.param = 'item' AND ${e}.target_type = ${entryType} AND ${e}.resource_id IN (${lists}))`;
}

/** `_content`/`_text` or `_list` (`entryType` as for `listMatch`); nothing matches without a context. */
function specialMatch(criterion: SpecialCriterion, alias: string, entryType: Sql, aliases: Aliases, context: CompileContext | undefined): Sql {
  if (criterion.kind === 'list') return listMatch(alias, entryType, criterion.listIds, aliases, context);
  if (!context) return rawSql('1 = 0');
  return anyOf(criterion.values.map((text) => textMatch(alias, criterion.scope, text, context.dialect)));
}

/**
 * Compiles one criterion into a condition on the resources of `resourceType` aliased as `alias`;
 * `_text`, `_content` and `_list` need a context and match nothing without one.
 */
export function compileCriterion(criterion: Criterion, alias: string, resourceType: string, aliases = new Aliases(), correlated = false, context?: CompileContext): Sql {
  const a = rawSql(alias);
  switch (criterion.kind) {
    case 'id':
      return sql`${a}.id IN ${sqlList(criterion.values)}`;
    case 'missing': {
      // every stored resource has an id and a last_updated
      if (criterion.param.column) return rawSql(criterion.missing ? '1 = 0' : '1 = 1');
      const table = criterion.param.type;
      return inIndex(alias, resourceType, table, criterion.param.code, undefined, aliases.take('m'), criterion.missing);
    }
    case 'token': {
      const x = aliases.take('t');
      if (criterion.modifier === 'text') {
        const texts = criterion.values.map((v) => sql`${rawSql(`${x}.text`)} LIKE ${`${likeEscape(normalizeString(v.text ?? ''))}%`} ${escape}`);
        return inIndex(alias, resourceType, 'token', criterion.param.code, anyOf(texts), x, false, correlated);
      }
      const matches = anyOf(criterion.values.map((v) => tokenMatch(x, v)));
      return inIndex(alias, resourceType, 'token', criterion.param.code, matches, x, criterion.modifier === 'not', correlated);
    }
    case 'string': {
      const x = aliases.take('s');
      const matches = criterion.values.map((v) => stringMatch(x, v, criterion.modifier));
      return inIndex(alias, resourceType, 'string', criterion.param.code, anyOf(matches), x, false, correlated);
    }
    case 'reference': {
      const x = aliases.take('r');
      return inIndex(alias, resourceType, 'reference', criterion.param.code, anyOf(criterion.values.map((v) => referenceMatch(x, v))), x, false, correlated);
    }
    case 'date': {
      if (criterion.param.column) {
        // an instant: its range is the one point
        const column = rawSql(`${alias}.${criterion.param.column}`);
        return anyOf(criterion.values.map((v) => dateRangeMatch(column, column, v)));
      }
      const x = aliases.take('d');
      return inIndex(alias, resourceType, 'date', criterion.param.code, anyOf(criterion.values.map((v) => dateMatch(x, v))), x, false, correlated);
    }
    case 'number': {
      const x = aliases.take('n');
      return inIndex(alias, resourceType, 'number', criterion.param.code, anyOf(criterion.values.map((v) => numberMatch(rawSql(`${x}.value`), v))), x, false, correlated);
    }
    case 'quantity': {
      const x = aliases.take('q');
      return inIndex(alias, resourceType, 'quantity', criterion.param.code, anyOf(criterion.values.map((v) => quantityMatch(x, v))), x, false, correlated);
    }
    case 'uri': {
      const x = aliases.take('u');
      const matches = criterion.values.map((v) => uriMatch(x, v, criterion.modifier));
      return inIndex(alias, resourceType, 'uri', criterion.param.code, anyOf(matches), x, false, correlated);
    }
    case 'composite': {
      const types = criterion.param.components.map((component) => component.type);
      return anyOf(criterion.values.map((components) => compositeMatch(alias, resourceType, criterion.param.code, types, components, aliases, correlated, context?.dialect)));
    }
    case 'chain': {
      const x = aliases.take('c');
      const branches = criterion.branches.map(({ resourceType: targetType, next }) => {
        const target = aliases.take('cr');
        const condition = compileCriterion(next, target, targetType, aliases, false, context);
        const from = rawSql(`fhir_resources ${target}`);
        const t = rawSql(target);
        const visible = passingThrough(context, targetType, target);
        return sql`${rawSql(x)}.target_type = ${targetType} AND ${rawSql(x)}.target_id IN (SELECT ${t}.id FROM ${from} WHERE ${t}.resource_type = ${targetType} AND ${t}.deleted = ${false} AND ${condition} AND ${visible})`;
      });
      return inIndex(alias, resourceType, 'reference', criterion.param.code, anyOf(branches), x, false, correlated);
    }
    case 'has': {
      const x = aliases.take('h');
      const source = aliases.take('hs');
      const h = rawSql(x);
      const s = rawSql(source);
      const condition = compileCriterion(criterion.next, source, criterion.sourceType, aliases, false, context);
      const visible = passingThrough(context, criterion.sourceType, source);
      const matchingSources = sql`SELECT ${s}.id FROM ${rawSql(`fhir_resources ${source}`)} WHERE ${s}.resource_type = ${criterion.sourceType} AND ${s}.deleted = ${false} AND ${condition} AND ${visible}`;
      return sql`${a}.id IN (SELECT ${h}.target_id FROM ${rawSql(`fhir_idx_reference ${x}`)} WHERE ${h}.resource_type = ${criterion.sourceType} AND ${h}.param = ${criterion.param.code} AND ${h}.target_type = ${resourceType} AND ${h}.resource_id IN (${matchingSources}))`;
    }
    case 'text':
    case 'list':
      return specialMatch(criterion, alias, sql`${resourceType}`, aliases, context);
  }
}

/** `_content`, `_text` and `_list` in a search across types, on the resources aliased `alias` whatever their type. */
export function compileAcrossTypes(criteria: readonly SpecialCriterion[], alias: string, context: CompileContext): Sql {
  const aliases = new Aliases();
  const parts = criteria.map((criterion) => specialMatch(criterion, alias, rawSql(`${alias}.resource_type`), aliases, context));
  return parts.length ? joinSql(parts, ' AND ') : rawSql('1 = 1');
}

/** The conjunction of criteria (true when there are none). */
export function compileCriteria(criteria: readonly Criterion[], alias: string, resourceType: string, context?: CompileContext): Sql {
  const aliases = new Aliases();
  // One criterion lists the candidate ids (a reference such as patient= where there is one: the
  // most selective as a rule); the others are checked per candidate (correlated EXISTS), rather
  // than SQLite listing every resource of the type that matches them (every laboratory result).
  const positive = (c: Criterion) => ['token', 'string', 'reference', 'date', 'number', 'quantity', 'uri', 'chain', 'composite'].includes(c.kind) && !(c.kind === 'token' && c.modifier === 'not');
  let driverIndex = -1;
  if (criteria.length > 1) {
    for (const prefer of [(c: Criterion) => c.kind === 'id', (c: Criterion) => c.kind === 'reference' || c.kind === 'list', positive]) {
      driverIndex = criteria.findIndex(prefer);
      if (driverIndex !== -1) break;
    }
  }
  const parts = criteria.map((criterion, i) => compileCriterion(criterion, alias, resourceType, aliases, driverIndex !== -1 && i !== driverIndex, context));
  return parts.length ? joinSql(parts, ' AND ') : rawSql('1 = 1');
}
