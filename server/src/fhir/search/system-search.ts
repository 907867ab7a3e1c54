import type { Transaction } from 'sequelize';
import type { Restriction } from '../access/policy.js';
import { restrictionSql } from '../access/restriction-sql.js';
import type { FhirRegistry } from '../definitions/registry.js';
import { resourceColumns, toStored, type FhirStore } from '../storage/fhir-store.js';
import { joinSql, rawSql, sql, sqlList, type Sql } from '../storage/sql.js';
import { compileAcrossTypes, dateRangeMatch } from './compile.js';
import { compileContext } from './context.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { RestrictionLookup, SearchResult } from './execute.js';
import type { SystemSearchQuery } from './query.js';

const anyOf = (parts: Sql[]): Sql => (parts.length ? joinSql(parts, ' OR ') : rawSql('1 = 0'));

interface OrderColumn {
  column: string;
  descending: boolean;
}

/**
 * Searches across resource types on the columns every stored resource has (type, id, last
 * updated), each type confined by the caller's restriction for it; keyset-paged like type searches.
 */
export class SystemSearch {
  constructor(
    private readonly store: FhirStore,
    private readonly registry: FhirRegistry,
  ) {}

  /**
   * `restrictions`: the types searched, each with what the caller may see of it; `lookup` what it
   * may see of the types criteria read beyond them (a `_list`'s List).
   */
  async search(query: SystemSearchQuery, restrictions: ReadonlyMap<string, Restriction>, lookup: RestrictionLookup, transaction?: Transaction): Promise<SearchResult> {
    const where = this.where(query, restrictions, lookup);
    if (query.summaryCount) return { matches: [], included: [], total: await this.count(where, transaction) };

    const order: OrderColumn[] = [
      ...(query.sortByLastUpdated ? [{ column: 'last_updated', descending: query.sortByLastUpdated === 'descending' }] : []),
      { column: 'resource_type', descending: false },
      { column: 'id', descending: false },
    ];
    const after = query.cursor ? this.keyset(order, query.cursor) : rawSql('1 = 1');
    const columns = rawSql(resourceColumns.split(', ').map((c) => `r.${c}`).join(', '));
    const orderBy = rawSql(order.map(({ column, descending }) => `r.${column} ${descending ? 'DESC' : 'ASC'}`).join(', '));
    const rows = await this.store.select<Record<string, unknown>>(
      sql`SELECT ${columns} FROM fhir_resources r WHERE ${where} AND (${after}) ORDER BY ${orderBy} LIMIT ${query.count + 1}`,
      transaction,
    );
    const matches = rows.slice(0, query.count).map((row) => toStored(row as never));
    const last = matches.at(-1);
    const nextCursor =
      rows.length > query.count && last
        ? encodeCursor({ keys: [...(query.sortByLastUpdated ? [last.lastUpdated] : []), last.resourceType], id: last.id })
        : undefined;
    const complete = !query.cursor && !nextCursor;
    const wantTotal = query.total === 'accurate' || (query.total !== 'none' && !query.cursor);
    const total = complete && query.total !== 'none' ? matches.length : wantTotal ? await this.count(where, transaction) : undefined;
    return { matches, included: [], ...(total !== undefined ? { total } : {}), ...(nextCursor ? { nextCursor } : {}) };
  }

  private async count(where: Sql, transaction?: Transaction): Promise<number> {
    const rows = await this.store.select<{ n: number | string }>(sql`SELECT COUNT(*) AS n FROM fhir_resources r WHERE ${where}`, transaction);
    return Number(rows[0]?.n ?? 0);
  }

  private where(query: SystemSearchQuery, restrictions: ReadonlyMap<string, Restriction>, lookup: RestrictionLookup): Sql {
    const open: string[] = [];
    const confined: Sql[] = [];
    for (const [type, restriction] of restrictions) {
      if (restriction.patientId === undefined && !restriction.filters?.length) open.push(type);
      else confined.push(sql`r.resource_type = ${type} AND ${restrictionSql(this.registry, restriction, 'r', type)}`);
    }
    const parts = [sql`r.deleted = ${false}`, anyOf([...(open.length ? [sql`r.resource_type IN ${sqlList(open)}`] : []), ...confined])];
    for (const ids of query.ids) parts.push(sql`r.id IN ${sqlList(ids)}`);
    // meta.lastUpdated is the row's last_updated: compared on the column, as an instant (low = high)
    const lastUpdated = rawSql('r.last_updated');
    for (const values of query.lastUpdated) parts.push(anyOf(values.map((value) => dateRangeMatch(lastUpdated, lastUpdated, value))));
    if (query.special.length) parts.push(compileAcrossTypes(query.special, 'r', compileContext(this.registry, this.store.sequelize.getDialect(), lookup)));
    return joinSql(parts, ' AND ');
  }

  /** Rows strictly after the cursor in the given order, compared column by column. */
  private keyset(order: OrderColumn[], text: string): Sql {
    const cursor = decodeCursor(text, order.length - 1);
    const values = [...cursor.keys, cursor.id];
    const alternatives = order.map(({ column, descending }, i) => {
      const equalBefore = order.slice(0, i).map((o, j) => sql`${rawSql(`r.${o.column}`)} = ${values[j]}`);
      return joinSql([...equalBefore, sql`${rawSql(`r.${column}`)} ${rawSql(descending ? '<' : '>')} ${values[i]}`], ' AND ');
    });
    return joinSql(alternatives, ' OR ');
  }
}
