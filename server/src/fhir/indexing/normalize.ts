/** Index and search values are this long at most; longer values match on their prefix. */
export const maxIndexedLength = 500;

/** Case- and accent-insensitive form used for string search (`Müller` matches `muller`). */
export function normalizeString(value: string): string {
  return value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim().slice(0, maxIndexedLength);
}

export function truncate(value: string): string {
  return value.slice(0, maxIndexedLength);
}
