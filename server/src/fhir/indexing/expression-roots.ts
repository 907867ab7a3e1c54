/**
 * Which top-level elements a SearchParameter expression reads, so extraction can skip a
 * parameter whose elements a resource does not have (most of a type's parameters, for most
 * resources). Only plain paths qualify: `Observation.code`, `(Observation.value as Quantity)`,
 * `Observation.subject.where(resolve() is Patient)`, unions of those. Anything that can yield a
 * value from nothing (`exists()`, `empty()`, comparisons, `iif`…) answers undefined: always evaluate.
 */

/** Pieces that only narrow what a path found, never produce a value of their own. */
const narrowing = [/\.where\((?:[^()|]|\([^()|]*\))*\)/g, /\.(?:ofType|as)\([A-Za-z]+\)/g, /\.resolve\(\)/g, /\s+as\s+[A-Za-z]+/g, /\[\d+\]/g];
const plainPath = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$/;

export function expressionRoots(resourceType: string, expression: string): string[] | undefined {
  let text = expression;
  for (const pattern of narrowing) text = text.replace(pattern, '');
  const roots = new Set<string>();
  for (const rawPart of text.split('|')) {
    const part = rawPart.trim().replace(/^\((.*)\)$/, '$1').trim();
    if (!plainPath.test(part)) return undefined;
    const [owner, root] = part.split('.') as [string, string];
    // unions name other types' paths too (`AllergyIntolerance.code | Observation.code`): not this type's
    if (owner === resourceType || owner === 'Resource' || owner === 'DomainResource') roots.add(root);
  }
  return [...roots];
}

/** Whether the resource has the element, as itself, as a choice (`valueQuantity` for `value`) or only as a primitive's extension (`_birthDate`). */
export function hasElement(resource: Record<string, unknown>, keys: readonly string[], root: string): boolean {
  for (const key of keys) {
    const name = key.startsWith('_') ? key.slice(1) : key;
    if (name === root) return true;
    if (name.length > root.length && name.startsWith(root)) {
      const next = name.charCodeAt(root.length);
      if (next >= 65 && next <= 90) return true;
    }
  }
  return false;
}
