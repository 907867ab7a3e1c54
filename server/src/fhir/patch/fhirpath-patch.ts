import { FhirError } from '../../http/errors.js';
import type { FhirJson } from '../storage/fhir-store.js';
import type { ResourcePatch } from '../repository/fhir-repository.js';
import { parseFhirPathPatch, type FhirPathPatchOperation } from './fhirpath-patch-document.js';
import { definitionOf, hasElement, isList, locateElements, locateList, singleObject, unprocessable, type JsonObject, type Slot } from './fhirpath-patch-locate.js';
import { elementValue } from './fhirpath-patch-value.js';

// A primitive's id and extensions sit beside it under `_name` (FHIR JSON), for a list in a
// parallel array: whatever changes a list changes that array the same way.

function listOf(holder: JsonObject, key: string): unknown[] {
  const list = holder[key];
  return Array.isArray(list) ? list : [];
}

/** An emptied list is left out, and so is a parallel array with no extension left in it. */
function tidy(holder: JsonObject, key: string): void {
  if (listOf(holder, key).length === 0) Reflect.deleteProperty(holder, key);
  const shadow = holder[`_${key}`];
  if (Array.isArray(shadow) && (holder[key] === undefined || shadow.every((item) => item === null || item === undefined))) Reflect.deleteProperty(holder, `_${key}`);
}

function insertAt(holder: JsonObject, key: string, index: number, json: unknown): void {
  const list = listOf(holder, key);
  list.splice(index, 0, json);
  holder[key] = list;
  const shadow = holder[`_${key}`];
  if (Array.isArray(shadow)) shadow.splice(index, 0, null);
}

function remove({ holder, key, index }: Slot): void {
  if (index === undefined) {
    Reflect.deleteProperty(holder, key);
    Reflect.deleteProperty(holder, `_${key}`);
    return;
  }
  for (const list of [holder[key], holder[`_${key}`]]) if (Array.isArray(list)) list.splice(index, 1);
  tidy(holder, key);
}

/** The new value replaces the element with its extensions; a choice element may change its type (`valueString` → `valueQuantity`). */
function replace({ holder, key, index }: Slot, newKey: string, json: unknown): void {
  if (index !== undefined) {
    listOf(holder, key)[index] = json;
    const shadow = holder[`_${key}`];
    if (Array.isArray(shadow)) shadow[index] = null;
    tidy(holder, key);
    return;
  }
  Reflect.deleteProperty(holder, `_${key}`);
  if (newKey !== key) Reflect.deleteProperty(holder, key);
  holder[newKey] = json;
}

/** An index into a list of `length` items; `end` allows the position after the last (insert appends there). */
function checkIndex(name: string, index: number, length: number, end = false): void {
  const last = end ? length : length - 1;
  if (index < 0 || index > last) throw unprocessable(`${name} ${index} is out of range: the list has ${length} item(s)`);
}

function apply(resource: JsonObject, operation: FhirPathPatchOperation): void {
  switch (operation.type) {
    case 'add': {
      const parent = singleObject(resource, operation.path.text, operation.path.atom);
      const definition = definitionOf(parent.type, operation.name);
      const { key, json } = elementValue(operation.value, definition);
      const holder = parent.value as JsonObject;
      if (isList(definition)) {
        insertAt(holder, key, listOf(holder, key).length, json);
      } else {
        if (hasElement(parent, operation.name)) throw unprocessable(`${parent.type}.${operation.name} already has a value; use replace to change it`);
        holder[key] = json;
      }
      return;
    }
    case 'insert': {
      const list = locateList(resource, operation.path);
      const { json } = elementValue(operation.value, list.definition);
      checkIndex('index', operation.index, listOf(list.holder, list.key).length, true);
      insertAt(list.holder, list.key, operation.index, json);
      return;
    }
    case 'move': {
      const { holder, key } = locateList(resource, operation.path);
      const length = listOf(holder, key).length;
      checkIndex('source', operation.source, length);
      checkIndex('destination', operation.destination, length);
      for (const list of [holder[key], holder[`_${key}`]]) if (Array.isArray(list)) list.splice(operation.destination, 0, ...list.splice(operation.source, 1));
      return;
    }
    case 'delete': {
      const found = locateElements(resource, operation.path);
      // deleting what is not there is not an error (fhirpatch.html)
      if (found.length > 1) throw unprocessable(`path "${operation.path.text}" selects ${found.length} elements; delete removes exactly one`);
      if (found[0]) remove(found[0].slot);
      return;
    }
    case 'replace': {
      const found = locateElements(resource, operation.path);
      if (found.length !== 1) throw unprocessable(`path "${operation.path.text}" selects ${found.length} elements; it must select exactly one`);
      const { slot, definition } = found[0]!;
      const { key, json } = elementValue(operation.value, definition);
      replace(slot, key, json);
      return;
    }
  }
}

/** Errors name the operation that failed; anything unexpected while applying one is still the patch's fault (422), never a 500. */
function applyOperation(resource: JsonObject, operation: FhirPathPatchOperation, index: number): void {
  try {
    apply(resource, operation);
  } catch (error) {
    const issues =
      error instanceof FhirError
        ? error.issues
        : [{ severity: 'error' as const, code: 'processing', diagnostics: `the operation could not be applied: ${error instanceof Error ? error.message : String(error)}` }];
    throw new FhirError(
      error instanceof FhirError ? error.status : 422,
      issues.map((issue) => ({ ...issue, diagnostics: `operation ${index} (${operation.type}): ${issue.diagnostics ?? issue.code}`, expression: [operation.where] })),
    );
  }
}

/**
 * A FHIRPath Patch (FHIR R4 fhirpatch.html): the Parameters document is read at once, so a
 * malformed one answers 400 before anything is read from the database; the operations then apply
 * in order to a copy of the current version. Paths are evaluated with @medplum/core's FHIRPath
 * engine and types looked up in the R4 definitions it has loaded.
 */
export function fhirPathPatch(document: unknown): ResourcePatch {
  const operations = parseFhirPathPatch(document);
  return (current: FhirJson) => {
    const resource = structuredClone(current) as JsonObject;
    operations.forEach((operation, index) => applyOperation(resource, operation, index));
    return resource;
  };
}
