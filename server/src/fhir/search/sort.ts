import { rawSql, sql, type Sql } from '../storage/sql.js';
import type { SortKey } from './query.js';

const valueColumn = { token: 'code', string: 'value', date: 'low', number: 'value', quantity: 'value', uri: 'value' } as const;

/**
 * The value a resource sorts by for one key: the smallest of its values ascending, the largest
 * descending; a resource without a value sorts as the lowest value (first ascending, last descending).
 */
export function sortKeySql(key: SortKey, alias: string, resourceType: string): Sql {
  if (key.param === '_id') return rawSql(`${alias}.id`);
  if (key.param.column) return rawSql(`${alias}.${key.param.column}`);
  const { type, code } = key.param;
  if (type === 'reference') throw new Error('reference parameters do not sort');
  const column = type === 'date' && key.descending ? 'high' : valueColumn[type];
  const aggregate = rawSql(`${key.descending ? 'MAX' : 'MIN'}(k.${column})`);
  const fallback = type === 'number' || type === 'quantity' ? -1e300 : '';
  return sql`COALESCE((SELECT ${aggregate} FROM ${rawSql(`fhir_idx_${type}`)} k WHERE k.resource_type = ${resourceType} AND k.resource_id = ${rawSql(alias)}.id AND k.param = ${code}), ${fallback})`;
}
