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

/** `Patient?identifier=…`: a Bundle resolves it to the one resource that matches. */
export const isConditionalReference = (reference: string): boolean => /^[A-Z][A-Za-z]+\?/.test(reference);

/** `urn:uuid:…` or a full URL: a Bundle resolves it through fullUrls, earlier Bundles' aliases and this server's base. */
export const isAbsoluteReference = (reference: string): boolean => /^(urn:|https?:)/.test(reference);

/** Whether every reference in a resource stays as it is when a Bundle is written (neither of the two kinds above). */
export function referencesAreFinal(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(referencesAreFinal);
  if (typeof value !== 'object' || value === null) return true;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'reference' && typeof child === 'string') {
      if (isConditionalReference(child) || isAbsoluteReference(child)) return false;
    } else if (typeof child === 'object' && child !== null && !referencesAreFinal(child)) {
      return false;
    }
  }
  return true;
}
