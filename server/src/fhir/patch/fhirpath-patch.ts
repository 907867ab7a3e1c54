import { FhirError } from '../../http/errors.js';
import type { FhirJson } from '../storage/fhir-store.js';
import type { ResourcePatch } from '../repository/fhir-repository.js';
import { parseFhirPathPatch, type FhirPathPatchOperation } from './fhirpath-patch-document.js';
import { definitionOf, hasElement, isList, locateElements, locateList, singleObject, unprocessable, type JsonObject, type Slot } from './fhirpath-patch-locate.js';
import { addElement, elementValue, listOf, setSingle, shadowListOf, spliceList, tidy, type ElementValue } from './fhirpath-patch-value.js';

function remove({ holder, key, index }: Slot): void {
  if (index === undefined) {
    Reflect.deleteProperty(holder, key);
    Reflect.deleteProperty(holder, `_${key}`);
    return;
  }
  for (const list of [listOf(holder, key), shadowListOf(holder, key)]) list?.splice(index, 1);
  tidy(holder, key);
}

/**
 * The new value replaces the element; a choice element may change its type (`valueString` →
 * `valueQuantity`). A primitive's id and extensions are part of the element (json.html#primitive)
 * and replace swaps the element for the value given (fhirpatch.html), so the old ones go with the
 * old value: the patch keeps them only by giving them again in `_value[x]`.
 */
function replace(slot: Slot, value: ElementValue): void {
  const { holder, key, index } = slot;
  if (index !== undefined) {
    spliceList(holder, key, index, 1, value);
    return;
  }
  if (value.key !== key) remove(slot);
  setSingle(holder, value);
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
      const value = elementValue(operation.value, definition);
      if (!isList(definition) && hasElement(parent, operation.name)) throw unprocessable(`${parent.type}.${operation.name} already has a value; use replace to change it`);
      addElement(parent.value as JsonObject, definition, value);
      return;
    }
    case 'insert': {
      const list = locateList(resource, operation.path);
      const value = elementValue(operation.value, list.definition);
      checkIndex('index', operation.index, listOf(list.holder, list.key).length, true);
      spliceList(list.holder, list.key, operation.index, 0, value);
      return;
    }
    case 'move': {
      const { holder, key } = locateList(resource, operation.path);
      const length = listOf(holder, key).length;
      checkIndex('source', operation.source, length);
      checkIndex('destination', operation.destination, length);
      for (const list of [listOf(holder, key), shadowListOf(holder, key)]) list?.splice(operation.destination, 0, ...list.splice(operation.source, 1));
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
      replace(slot, elementValue(operation.value, definition));
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
