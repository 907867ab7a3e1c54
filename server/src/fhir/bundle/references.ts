/** Calls `replace` on every `reference` string in a resource; undefined keeps the reference as it is. */
export async function rewriteReferences(value: unknown, replace: (reference: string) => Promise<string | undefined>): Promise<void> {
  if (Array.isArray(value)) {
    for (const item of value) await rewriteReferences(item, replace);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  for (const [key, child] of Object.entries(record)) {
    if (key === 'reference' && typeof child === 'string') {
      const replaced = await replace(child);
      if (replaced !== undefined) record[key] = replaced;
    } else if (typeof child === 'object' && child !== null) {
      await rewriteReferences(child, replace);
    }
  }
}

/**
 * Whether every reference in a resource stays as it is when a Bundle is written: a Bundle
 * rewrites urn:, absolute (http/https) and conditional (`Type?criteria`) references.
 */
export function referencesAreFinal(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(referencesAreFinal);
  if (typeof value !== 'object' || value === null) return true;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'reference' && typeof child === 'string') {
      if (/^(urn:|https?:|[A-Z][A-Za-z]+\?)/.test(child)) return false;
    } else if (typeof child === 'object' && child !== null && !referencesAreFinal(child)) {
      return false;
    }
  }
  return true;
}
