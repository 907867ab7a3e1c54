import type { InternalSchemaElement } from '@medplum/core';
import type { NamedValue, PatchValue } from './fhirpath-patch-document.js';
import { definitionOf, elementName, isChoice, isList, unprocessable, type JsonObject } from './fhirpath-patch-locate.js';

export interface ElementValue {
  /** The JSON key the value takes: a choice element's name carries the value's type (`valueQuantity`). */
  key: string;
  json: unknown;
}

/** The children a list of named parts sets on an element of `type` (a BackboneElement, say). */
function objectOfParts(parts: NamedValue[], type: string): JsonObject {
  const object: JsonObject = {};
  for (const part of parts) {
    const definition = definitionOf(type, part.name);
    const { key, json } = elementValue(part.value, definition);
    if (isList(definition)) {
      object[key] = [...((object[key] as unknown[] | undefined) ?? []), json];
    } else if (key in object) {
      throw unprocessable(`${type}.${part.name} does not repeat, yet the value names it twice`);
    } else {
      object[key] = json;
    }
  }
  return object;
}

/** What a patch value becomes as the element `definition` describes (a copy: the document is not shared with the resource). */
export function elementValue(value: PatchValue, definition: InternalSchemaElement): ElementValue {
  const name = elementName(definition);
  if ('type' in value) return { key: isChoice(definition) ? `${name}${value.type}` : name, json: structuredClone(value.json) };
  if (isChoice(definition)) throw unprocessable(`${name} is a choice of types, so its value is given as value[x]`);
  if ('resource' in value) return { key: name, json: structuredClone(value.resource) };
  const [type] = definition.type;
  return { key: name, json: objectOfParts(value.parts, type!.code) };
}
