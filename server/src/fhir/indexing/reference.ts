/** `Patient/123`, `Patient/123/_history/2` or an absolute URL ending in one of them. */
const localReference = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

export interface ResourceKey {
  type: string;
  id: string;
}

/** The type and id a literal reference points at, when it names a known resource type. */
export function referenceTarget(reference: string, isResourceType: (name: string) => boolean): ResourceKey | undefined {
  const match = localReference.exec(reference);
  if (!match?.[1] || !match[2] || !isResourceType(match[1])) return undefined;
  return { type: match[1], id: match[2] };
}
