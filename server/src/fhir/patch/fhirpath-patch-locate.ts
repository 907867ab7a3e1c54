import { getElementDefinition, getTypedPropertyValue, toTypedValue, type Atom, type InternalSchemaElement, type TypedValue } from '@medplum/core';
import { FhirError } from '../../http/errors.js';
import type { ElementPath } from './fhirpath-patch-path.js';

export type JsonObject = Record<string, unknown>;

/** Where an element sits in the resource: the object holding it, its JSON key and, in a list, its position. */
export interface Slot {
  holder: JsonObject;
  key: string;
  index?: number;
}

export interface LocatedElement {
  slot: Slot;
  definition: InternalSchemaElement;
}

/** A list element of one object: `given` of the one official `name`. */
export interface LocatedList {
  holder: JsonObject;
  key: string;
  definition: InternalSchemaElement;
}

export function unprocessable(diagnostics: string): FhirError {
  return new FhirError(422, diagnostics, 'processing');
}

/** The element's name in FHIR JSON, without the `[x]` of a choice (`Observation.value[x]` → `value`). */
export function elementName(definition: InternalSchemaElement): string {
  return definition.path.slice(definition.path.lastIndexOf('.') + 1).replace(/\[x\]$/, '');
}

export function isChoice(definition: InternalSchemaElement): boolean {
  return definition.path.endsWith('[x]');
}

export function isList(definition: InternalSchemaElement): boolean {
  return definition.isArray === true || definition.max > 1;
}

export function definitionOf(type: string, name: string): InternalSchemaElement {
  const definition = getElementDefinition(type, name);
  if (!definition) throw unprocessable(`${type} has no element "${name}"`);
  return definition;
}

/**
 * Every object of the resource: a FHIRPath result is only changed in place when it is one of them,
 * not a primitive or a value the expression computed.
 */
function objectsOf(value: unknown, into = new Set<object>()): Set<object> {
  if (typeof value === 'object' && value !== null) {
    into.add(value);
    for (const child of Object.values(value)) objectsOf(child, into);
  }
  return into;
}

function evaluate(resource: JsonObject, text: string, atom: Atom, input: TypedValue[]): TypedValue[] {
  const root = toTypedValue(resource);
  try {
    return atom.eval({ variables: { '%resource': root, '%rootResource': root, '%context': root } }, input);
  } catch (error) {
    throw unprocessable(`path "${text}" could not be evaluated: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The one object of the resource an expression selects; none, several, or a primitive answer 422. */
export function singleObject(resource: JsonObject, text: string, atom: Atom): TypedValue {
  const found = evaluate(resource, text, atom, [toTypedValue(resource)]);
  if (found.length !== 1) throw unprocessable(`path "${text}" selects ${found.length} elements; it must select exactly one`);
  if (!objectsOf(resource).has(found[0]!.value as object)) throw unprocessable(`path "${text}" does not select an element of the resource that can hold other elements`);
  return found[0]!;
}

/** The list a path names (`Patient.name.where(use='official').given`): its parent must be exactly one object. */
export function locateList(resource: JsonObject, path: ElementPath): LocatedList {
  const parent = singleObject(resource, path.text, path.parent);
  const definition = definitionOf(parent.type, path.element);
  if (!isList(definition)) throw unprocessable(`path "${path.text}" names ${parent.type}.${path.element}, which is not a list`);
  return { holder: parent.value as JsonObject, key: elementName(definition), definition };
}

/** The elements a parent holds under a name, with their slots, as FHIRPath sees them (choice types resolved). */
function elementsOf(parent: TypedValue, name: string): { typed: TypedValue; located: LocatedElement }[] {
  const definition = getElementDefinition(parent.type, name);
  if (!definition) return [];
  const holder = parent.value as JsonObject;
  const found = getTypedPropertyValue(parent, name);
  const list = found === undefined ? [] : Array.isArray(found) ? found : [found];
  return list.flatMap((typed, index) => {
    if (typed.value === undefined || typed.value === null) return [];
    const key = isChoice(definition) ? `${elementName(definition)}${typed.type.charAt(0).toUpperCase()}${typed.type.slice(1)}` : elementName(definition);
    // `Observation.valueQuantity` selects only a Quantity value
    if (name !== elementName(definition) && name !== key) return [];
    const slot: Slot = Array.isArray(holder[key]) ? { holder, key, index } : { holder, key };
    return [{ typed, located: { slot, definition } }];
  });
}

/** Whether the parent already holds the element (of any type, for a choice). */
export function hasElement(parent: TypedValue, name: string): boolean {
  return elementsOf(parent, name).length > 0;
}

/**
 * The elements a path selects, each with its place in the resource: the parent expression is
 * evaluated, its objects' elements collected, then the filters applied to them, so a primitive
 * (`Patient.name.where(use='official').given.first()`) is found as surely as an object.
 */
export function locateElements(resource: JsonObject, path: ElementPath): LocatedElement[] {
  const parents = evaluate(resource, path.text, path.parent, [toTypedValue(resource)]);
  const objects = objectsOf(resource);
  if (parents.some((parent) => !objects.has(parent.value as object))) {
    throw unprocessable(`path "${path.text}" goes through a value that is not an element of the resource holding other elements`);
  }
  const candidates = parents.flatMap((parent) => elementsOf(parent, path.element));
  let selected = candidates.map((candidate) => candidate.typed);
  for (const filter of path.filters) selected = evaluate(resource, path.text, filter, selected);
  // the filters only pick from their input, so each result is one of the candidates
  return [...new Set(selected)].map((typed) => {
    const candidate = candidates.find((c) => c.typed === typed);
    if (!candidate) throw unprocessable(`path "${path.text}" does not select elements of the resource`);
    return candidate.located;
  });
}
