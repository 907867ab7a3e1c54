import type { Transaction } from 'sequelize';
import type { Restriction } from '../access/policy.js';
import { restrictionSql } from '../access/restriction-sql.js';
import type { FhirRegistry } from '../definitions/registry.js';
import { resourceColumns, toStored, type FhirStore, type StoredResource } from '../storage/fhir-store.js';
import { joinSql, listSql, rawSql, sql, sqlList, type Sql } from '../storage/sql.js';
import { compileCriteria } from './compile.js';
import { compileContext } from './context.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { IncludeSpec, SearchQuery } from './query.js';
import { sortKeySql } from './sort.js';

export interface SearchResult {
  matches: StoredResource[];
  included: StoredResource[];
  total?: number;
  /** Present when there are more matches: the `_cursor` of the next page. */
  nextCursor?: string;
}

/** How included resources of other types are restricted; undefined when the caller may not read the type. */
export type RestrictionLookup = (resourceType: string) => Restriction | undefined;

const maxIncludeRounds = 4;
const keyName = (i: number) => `k${i}`;

/** Runs searches against the index tables, with keyset paging (never OFFSET). */
export class SearchEngine {
  constructor(
    private readonly store: FhirStore,
    private readonly registry: FhirRegistry,
  ) {}

  /**
   * The WHERE conditions for a query under a restriction, on `fhir_resources r`; `lookup` says
   * what the caller may see of the other types a criterion reads (a `_list`'s List).
   */
  private where(query: SearchQuery, restriction: Restriction, lookup: RestrictionLookup): Sql {
    const type = query.resourceType;
    const context = compileContext(this.registry, this.store.sequelize.getDialect(), lookup);
    return sql`r.resource_type = ${type} AND r.deleted = ${false} AND ${compileCriteria(query.criteria, 'r', type, context)} AND ${restrictionSql(this.registry, restriction, 'r', type)}`;
  }

  async count(query: SearchQuery, restriction: Restriction, lookup: RestrictionLookup, transaction?: Transaction): Promise<number> {
    const rows = await this.store.select<{ n: number | string }>(sql`SELECT COUNT(*) AS n FROM fhir_resources r WHERE ${this.where(query, restriction, lookup)}`, transaction);
    return Number(rows[0]?.n ?? 0);
  }

  async search(query: SearchQuery, restriction: Restriction, lookup: RestrictionLookup, transaction?: Transaction): Promise<SearchResult> {
    if (query.summaryCount) return { matches: [], included: [], total: await this.count(query, restriction, lookup, transaction) };

    const keys = query.sort.map((key, i) => sql`${sortKeySql(key, 'r', query.resourceType)} AS ${rawSql(keyName(i))}`);
    const columns = rawSql(resourceColumns.split(', ').map((c) => `r.${c}`).join(', '));
    const inner = sql`SELECT ${columns}${keys.length ? sql`, ${listSql(keys)}` : rawSql('')} FROM fhir_resources r WHERE ${this.where(query, restriction, lookup)}`;
    const order = rawSql([...query.sort.map((key, i) => `${keyName(i)} ${key.descending ? 'DESC' : 'ASC'}`), 'id ASC'].join(', '));
    const after = query.cursor ? this.keyset(query, decodeCursor(query.cursor, query.sort.length)) : rawSql('1 = 1');
    const rows = await this.store.select<Record<string, unknown>>(sql`SELECT * FROM (${inner}) q WHERE ${after} ORDER BY ${order} LIMIT ${query.count + 1}`, transaction);

    const page = rows.slice(0, query.count);
    const matches = page.map((row) => toStored(row as never));
    const last = page.at(-1);
    const nextCursor =
      rows.length > query.count && last ? encodeCursor({ keys: query.sort.map((_, i) => last[keyName(i)] as string | number), id: String(last.id) }) : undefined;
    // a first page that holds every match is its own count; otherwise count when asked (or by default on page one)
    const wantTotal = query.total === 'accurate' || (query.total !== 'none' && !query.cursor);
    const complete = !query.cursor && !nextCursor;
    const total = complete && query.total !== 'none' ? matches.length : wantTotal ? await this.count(query, restriction, lookup, transaction) : undefined;
    const included = await this.includes(query, matches, lookup, transaction);
    return { matches, included, ...(total !== undefined ? { total } : {}), ...(nextCursor ? { nextCursor } : {}) };
  }

  /** Rows strictly after the cursor in the query's order: (k0, k1, …, id) compared lexicographically. */
  private keyset(query: SearchQuery, cursor: { keys: (string | number)[]; id: string }): Sql {
    const alternatives: Sql[] = [];
    for (let i = 0; i <= query.sort.length; i++) {
      const equalBefore = query.sort.slice(0, i).map((_, j) => sql`${rawSql(keyName(j))} = ${cursor.keys[j]}`);
      const key = query.sort[i];
      const beyond = key ? sql`${rawSql(keyName(i))} ${rawSql(key.descending ? '<' : '>')} ${cursor.keys[i]}` : sql`id > ${cursor.id}`;
      alternatives.push(joinSql([...equalBefore, beyond], ' AND '));
    }
    return joinSql(alternatives, ' OR ');
  }

  /** _include and _revinclude, with `:iterate` applied to what earlier rounds added. */
  private async includes(query: SearchQuery, matches: StoredResource[], lookup: RestrictionLookup, transaction?: Transaction): Promise<StoredResource[]> {
    if (!query.includes.length && !query.revIncludes.length) return [];
    const seen = new Set(matches.map((r) => `${r.resourceType}/${r.id}`));
    const included: StoredResource[] = [];
    let frontier = matches;
    for (let round = 0; round < maxIncludeRounds && frontier.length; round++) {
      const forward = query.includes.filter((spec) => round === 0 || spec.iterate);
      const reverse = query.revIncludes.filter((spec) => round === 0 || spec.iterate);
      const found: StoredResource[] = [];
      for (const spec of forward) found.push(...(await this.forwardInclude(spec, frontier, lookup, transaction)));
      for (const spec of reverse) found.push(...(await this.reverseInclude(spec, frontier, lookup, transaction)));
      frontier = found.filter((r) => {
        const key = `${r.resourceType}/${r.id}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      included.push(...frontier);
    }
    return included;
  }

  private async forwardInclude(spec: IncludeSpec, from: StoredResource[], lookup: RestrictionLookup, transaction?: Transaction): Promise<StoredResource[]> {
    const ids = from.filter((r) => r.resourceType === spec.sourceType).map((r) => r.id);
    if (!ids.length) return [];
    const targetFilter = spec.targetType ? sql` AND target_type = ${spec.targetType}` : rawSql('');
    const refs = await this.store.select<{ target_type: string; target_id: string }>(
      sql`SELECT DISTINCT target_type, target_id FROM fhir_idx_reference WHERE resource_type = ${spec.sourceType} AND param = ${spec.param} AND target_id IS NOT NULL AND resource_id IN ${sqlList(ids)}${targetFilter}`,
      transaction,
    );
    const byType = new Map<string, string[]>();
    for (const ref of refs) byType.set(ref.target_type, [...(byType.get(ref.target_type) ?? []), ref.target_id]);
    const out: StoredResource[] = [];
    for (const [type, targetIds] of byType) out.push(...(await this.load(type, sql`r.id IN ${sqlList(targetIds)}`, lookup, transaction)));
    return out;
  }

  private async reverseInclude(spec: IncludeSpec, to: StoredResource[], lookup: RestrictionLookup, transaction?: Transaction): Promise<StoredResource[]> {
    const byType = new Map<string, string[]>();
    for (const r of to) if (!spec.targetType || spec.targetType === r.resourceType) byType.set(r.resourceType, [...(byType.get(r.resourceType) ?? []), r.id]);
    if (!byType.size) return [];
    const targets = joinSql(
      [...byType].map(([type, ids]) => sql`x.target_type = ${type} AND x.target_id IN ${sqlList(ids)}`),
      ' OR ',
    );
    const condition = sql`r.id IN (SELECT x.resource_id FROM fhir_idx_reference x WHERE x.resource_type = ${spec.sourceType} AND x.param = ${spec.param} AND (${targets}))`;
    return this.load(spec.sourceType, condition, lookup, transaction);
  }

  private async load(resourceType: string, condition: Sql, lookup: RestrictionLookup, transaction?: Transaction): Promise<StoredResource[]> {
    const restriction = lookup(resourceType);
    if (!restriction) return [];
    return this.store.selectResources(
      sql`SELECT ${rawSql(resourceColumns.split(', ').map((c) => `r.${c}`).join(', '))} FROM fhir_resources r WHERE r.resource_type = ${resourceType} AND r.deleted = ${false} AND ${condition} AND ${restrictionSql(this.registry, restriction, 'r', resourceType)} ORDER BY r.id`,
      transaction,
    );
  }
}
