/**
 * Names of index rows that hold something other than a SearchParameter's own values. They contain
 * `:` or `#`, which no SearchParameter code does, so they never collide with a real parameter.
 */

/** `subject:identifier`: the token rows of Reference.identifier under a reference parameter. */
export function referenceIdentifierParam(code: string): string {
  return `${code}:identifier`;
}

/** `code-value-quantity#1#0`: component 1 of the composite's element 0. */
export function compositeComponentParam(code: string, component: number, element: number): string {
  return `${compositeComponentPrefix(code, component)}${element}`;
}

/** What every element's rows of one component start with (`code-value-quantity#1#`). */
export function compositeComponentPrefix(code: string, component: number): string {
  return `${code}#${component}#`;
}
