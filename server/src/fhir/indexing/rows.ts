/** The search-index rows of one resource, one array per index table (columns as in storage/migration.ts). */
export interface IndexRows {
  token: { param: string; system: string | null; code: string | null; text: string | null }[];
  string: { param: string; value: string; exact: string }[];
  reference: { param: string; target_type: string | null; target_id: string | null; url: string | null }[];
  date: { param: string; low: string; high: string }[];
  number: { param: string; value: number }[];
  quantity: { param: string; value: number; system: string | null; code: string | null }[];
  uri: { param: string; value: string }[];
}

export type IndexTable = keyof IndexRows;
export const indexTables: readonly IndexTable[] = ['token', 'string', 'reference', 'date', 'number', 'quantity', 'uri'];

export function emptyIndexRows(): IndexRows {
  return { token: [], string: [], reference: [], date: [], number: [], quantity: [], uri: [] };
}
