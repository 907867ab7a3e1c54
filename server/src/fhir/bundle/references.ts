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
