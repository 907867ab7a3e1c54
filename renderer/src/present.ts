/** True when a value is there: neither null nor undefined (the API uses both for "none"). */
export function present<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}
