import { isPrimitiveType, type InternalSchemaElement } from '@medplum/core';
import type { NamedValue, PatchValue } from './fhirpath-patch-document.js';
import { definitionOf, elementName, isChoice, isList, unprocessable, type JsonObject } from './fhirpath-patch-locate.js';

export interface ElementValue {
  /** The JSON key the value takes: a choice element's name carries the value's type (`valueQuantity`). */
  key: string;
  /** Undefined for a primitive that has only extensions. */
  json: unknown;
  /** A primitive's id and extensions, kept under `_key` beside it. */
  shadow?: JsonObject;
}

// A primitive's id and extensions sit beside it under `_name` (FHIR JSON), for a list in a
// parallel array: whatever changes a list changes that array the same way.

/**
 * A list's values, null-padded to the length of its `_name` array: a primitive with extensions only
 * is null in the list, and a writer may have left such trailing nulls off, or the whole list.
 */
export function listOf(holder: JsonObject, key: string): unknown[] {
  const list = Array.isArray(holder[key]) ? (holder[key] as unknown[]) : [];
  const shadow = holder[`_${key}`];
  if (Array.isArray(shadow) && list.length < shadow.length) {
    while (list.length < shadow.length) list.push(null);
    holder[key] = list;
  }
  return list;
}

/**
 * The `_name` array beside a list, padded with null to the list's length so that positions line
 * up even when a writer left off trailing nulls; made when `make` is set, else undefined when absent.
 */
export function shadowListOf(holder: JsonObject, key: string, make = false): unknown[] | undefined {
  const found = holder[`_${key}`];
  if (!Array.isArray(found) && !make) return undefined;
  const shadow = Array.isArray(found) ? found : [];
  const { length } = listOf(holder, key);
  while (shadow.length < length) shadow.push(null);
  holder[`_${key}`] = shadow;
  return shadow;
}

/** An emptied list is left out, and so is a parallel array with no extension left in it. */
export function tidy(holder: JsonObject, key: string): void {
  if (listOf(holder, key).length === 0) Reflect.deleteProperty(holder, key);
  const shadow = holder[`_${key}`];
  if (Array.isArray(shadow) && (holder[key] === undefined || shadow.every((item) => item === null || item === undefined))) Reflect.deleteProperty(holder, `_${key}`);
}

/** Puts a value into a list at `index`, over `replaced` items (0 inserts), its `_name` entry in step; a primitive with extensions only is null in the list. */
export function spliceList(holder: JsonObject, key: string, index: number, replaced: 0 | 1, { json, shadow }: ElementValue): void {
  const list = listOf(holder, key);
  const shadows = shadowListOf(holder, key, shadow !== undefined);
  list.splice(index, replaced, json ?? null);
  holder[key] = list;
  shadows?.splice(index, replaced, shadow ?? null);
  tidy(holder, key);
}

function setOrLeaveOut(holder: JsonObject, key: string, json: unknown): void {
  if (json === undefined) Reflect.deleteProperty(holder, key);
  else holder[key] = json;
}

/** Sets a single element: its value and its `_name` sibling, each left out when absent. */
export function setSingle(holder: JsonObject, { key, json, shadow }: ElementValue): void {
  setOrLeaveOut(holder, key, json);
  setOrLeaveOut(holder, `_${key}`, shadow);
}

/** Adds an element to an object: appended to a list, or set when single (the caller checks it is not there yet). */
export function addElement(holder: JsonObject, definition: InternalSchemaElement, value: ElementValue): void {
  if (isList(definition)) spliceList(holder, value.key, listOf(holder, value.key).length, 0, value);
  else setSingle(holder, value);
}

/** The children a list of named parts sets on an element of `type` (a BackboneElement, say). */
function objectOfParts(parts: NamedValue[], type: string): JsonObject {
  const object: JsonObject = {};
  for (const part of parts) {
    const definition = definitionOf(type, part.name);
    const value = elementValue(part.value, definition);
    if (!isList(definition) && (value.key in object || `_${value.key}` in object)) throw unprocessable(`${type}.${part.name} does not repeat, yet the value names it twice`);
    addElement(object, definition, value);
  }
  return object;
}

/** What a patch value becomes as the element `definition` describes (a copy: the document is not shared with the resource). */
export function elementValue(value: PatchValue, definition: InternalSchemaElement): ElementValue {
  const name = elementName(definition);
  if ('type' in value) {
    // only a primitive has a `_value[x]`: a choice element's value type was checked when the document was read
    if (value.shadow && !isChoice(definition) && !isPrimitiveType(definition.type[0]!.code)) throw unprocessable(`${name} is not a primitive, so its value has no _value[x]`);
    return { key: isChoice(definition) ? `${name}${value.type}` : name, json: structuredClone(value.json), shadow: structuredClone(value.shadow) };
  }
  if (isChoice(definition)) throw unprocessable(`${name} is a choice of types, so its value is given as value[x]`);
  if ('resource' in value) return { key: name, json: structuredClone(value.resource) };
  const [type] = definition.type;
  return { key: name, json: objectOfParts(value.parts, type!.code) };
}
