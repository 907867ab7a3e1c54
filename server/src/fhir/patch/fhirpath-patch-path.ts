import { DotAtom, FunctionAtom, IndexerAtom, parseFhirPath, SymbolAtom, type Atom } from '@medplum/core';

/**
 * A patch path split at its last element step, using @medplum/core's FHIRPath syntax tree:
 * `Patient.name.where(use='official').given.first()` is the parent expression
 * `Patient.name.where(use='official')`, the element `given` and the filters `first()`. Evaluating
 * the parent yields objects of the resource itself, so the selected element can be changed in place.
 */
export interface ElementPath {
  text: string;
  parent: Atom;
  element: string;
  /** Applied to the elements in order; each keeps a subset of its input. */
  filters: Atom[];
}

/** FHIRPath functions that only pick items of their input, so what they return is still an element of the resource. */
const subsetting = new Set(['where', 'first', 'last', 'single', 'tail', 'skip', 'take', 'ofType']);

const self = new SymbolAtom('$this');

/** Parses a FHIRPath expression; undefined when it does not parse. */
export function parsePath(text: string): Atom | undefined {
  try {
    return parseFhirPath(text).child;
  } catch {
    return undefined;
  }
}

/**
 * Splits a parsed path at its last element step; undefined when it does not end in an element
 * name followed only by subsetting functions and indexers (such a path selects computed values).
 */
export function splitPath(text: string, atom: Atom): ElementPath | undefined {
  const filters: Atom[] = [];
  let current = atom;
  for (;;) {
    if (current instanceof IndexerAtom) {
      // re-rooted on $this so it applies to the collection it is given
      filters.unshift(new IndexerAtom(self, current.expr));
      current = current.left;
    } else if (current instanceof DotAtom && current.right instanceof FunctionAtom && subsetting.has(current.right.name)) {
      filters.unshift(current.right);
      current = current.left;
    } else {
      break;
    }
  }
  if (current instanceof SymbolAtom && !current.name.startsWith('$') && !current.name.startsWith('%')) {
    return { text, parent: self, element: current.name, filters };
  }
  if (current instanceof DotAtom && current.right instanceof SymbolAtom && !current.right.name.startsWith('$')) {
    return { text, parent: current.left, element: current.right.name, filters };
  }
  return undefined;
}
