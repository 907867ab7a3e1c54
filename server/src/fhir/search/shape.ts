import type { FhirJson } from '../storage/fhir-store.js';

/** `_elements` and `_summary=true|text|data`: which top-level elements a search answers with. */
export interface Shaping {
  elements?: readonly string[];
  summary?: 'true' | 'text' | 'data';
}

const subsettedTag = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED' };
const alwaysKept = ['resourceType', 'id', 'meta'];

/** `value[x]` covers `valueQuantity`, `valueString`, …. */
function matchesElement(key: string, name: string): boolean {
  if (!name.endsWith('[x]')) return key === name;
  const stem = name.slice(0, -3);
  return key.startsWith(stem) && /^[A-Z]/.test(key.slice(stem.length));
}

/** The resource cut down as asked and tagged SUBSETTED; unchanged when nothing is asked. */
export function shapeResource(resource: FhirJson, shaping: Shaping, summaryElements: readonly string[]): FhirJson {
  let keep: ((key: string) => boolean) | undefined;
  if (shaping.elements) {
    const names = [...alwaysKept, ...shaping.elements];
    keep = (key) => names.some((name) => matchesElement(key, name));
  } else if (shaping.summary === 'true') {
    const names = [...alwaysKept, ...summaryElements];
    keep = (key) => names.some((name) => matchesElement(key, name));
  } else if (shaping.summary === 'text') {
    keep = (key) => [...alwaysKept, 'text'].includes(key);
  } else if (shaping.summary === 'data') {
    keep = (key) => key !== 'text';
  }
  if (!keep) return resource;
  const subset = Object.fromEntries(Object.entries(resource).filter(([key]) => keep(key))) as FhirJson;
  const meta = (subset.meta ?? {}) as { tag?: unknown[] };
  subset.meta = { ...meta, tag: [...(meta.tag ?? []), subsettedTag] };
  return subset;
}
