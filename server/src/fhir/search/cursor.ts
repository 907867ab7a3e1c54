import { BadSearchValue } from './parse-values.js';

/** Keyset position: the sort-key values and id of the last resource on the previous page. */
export interface Cursor {
  keys: (string | number)[];
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(text: string, keyCount: number): Cursor {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    const valid =
      typeof cursor.id === 'string' &&
      Array.isArray(cursor.keys) &&
      cursor.keys.length === keyCount &&
      cursor.keys.every((k) => typeof k === 'string' || typeof k === 'number');
    if (valid) return cursor;
  } catch {
    // fall through
  }
  throw new BadSearchValue('_cursor is not valid for this search');
}
