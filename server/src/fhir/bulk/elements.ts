import { FhirError } from '../../http/errors.js';
import type { FhirRegistry } from '../definitions/registry.js';
import { shapeResource } from '../search/shape.js';
import type { FhirJson } from '../storage/fhir-store.js';

// a root element of a resource: `status`, `value[x]`
const elementPattern = /^[a-z][A-Za-z0-9]*(\[x\])?$/;

/**
 * `_elements` entries, validated: `Type.element` (the type in its canonical spelling) or a
 * bare `element`. Bulk Data 2.0 allows root elements only; an unknown type answers 400.
 */
export function parseElements(registry: FhirRegistry, value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      const [typeName, element] = item.includes('.') ? item.split('.', 2) : [undefined, item];
      const type = typeName === undefined ? undefined : registry.canonicalType(typeName);
      if ((typeName !== undefined && !type) || !element || !elementPattern.test(element) || item.split('.').length > 2) {
        throw new FhirError(400, `_elements: "${item}" is not Type.element or element (root elements only)`, 'invalid');
      }
      return type ? `${type}.${element}` : element;
    });
}

/** The elements asked for one type: its own `Type.element` entries and every bare one; undefined = the whole resource. */
export function elementsFor(entries: readonly string[] | undefined, resourceType: string): string[] | undefined {
  const names = (entries ?? []).flatMap((entry) => {
    const dot = entry.indexOf('.');
    if (dot < 0) return [entry];
    return entry.slice(0, dot) === resourceType ? [entry.slice(dot + 1)] : [];
  });
  return names.length ? names : undefined;
}

/**
 * What a line of a type's file is made from its stored JSON: the JSON as it is, or (with
 * `_elements`) the listed elements plus id, meta and resourceType, tagged SUBSETTED, as a
 * search's `_elements` does.
 */
export function lineShaper(entries: readonly string[] | undefined, resourceType: string): ((json: string) => string) | undefined {
  const elements = elementsFor(entries, resourceType);
  if (!elements) return undefined;
  return (json) => JSON.stringify(shapeResource(JSON.parse(json) as FhirJson, { elements }, []));
}
