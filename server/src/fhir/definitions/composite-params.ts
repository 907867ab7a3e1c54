import { getSearchParameters } from '@medplum/core';
import type { IndexedParamType } from './registry.js';

/** One part of a composite parameter: the type of the parameter it borrows and where its value is, relative to the element. */
export interface CompositeComponentDef {
  type: IndexedParamType;
  expression: string;
  /** The FHIR types the component's expression narrows to (`value.as(Quantity)`): the evaluator does not filter `as` on a choice element, so extraction does. */
  valueTypes?: string[];
}

/** `X as T`, `X.as(T)`, `X.ofType(T)`: the types an expression narrows its values to. */
function narrowedTypes(expression: string | undefined): string[] | undefined {
  const types = [...(expression ?? '').matchAll(/(?:\bas\s+|\.as\(|\.ofType\()([A-Za-z]+)/g)].map((match) => match[1]!);
  // FHIRPath spells system types in capitals (`DateTime`); typed values carry FHIR's (`dateTime`)
  return types.length ? [...new Set(types.map((type) => type.toLowerCase()))] : undefined;
}

/**
 * A composite SearchParameter (`code-value-quantity`): its expression selects elements (the
 * Observation, or each Observation.component), and a match needs every component to match
 * within one of those elements.
 */
export interface CompositeParamDef {
  code: string;
  url: string;
  expression: string;
  components: CompositeComponentDef[];
}

const componentTypes = new Set<string>(['token', 'string', 'reference', 'date', 'number', 'quantity', 'uri']);
const byType = new Map<string, ReadonlyMap<string, CompositeParamDef>>();

/**
 * The composite parameters of a type, from the same SearchParameter definitions the registry
 * indexes; a composite whose components cannot all be indexed is left out.
 */
export function compositeParams(resourceType: string): ReadonlyMap<string, CompositeParamDef> {
  let map = byType.get(resourceType);
  if (map) return map;
  const all = Object.entries(getSearchParameters(resourceType) ?? {});
  const byUrl = new Map(all.map(([, sp]) => [sp.url, sp]));
  const composites = new Map<string, CompositeParamDef>();
  for (const [code, sp] of all) {
    if (sp.type !== 'composite' || !sp.expression || !sp.component?.length) continue;
    const components: CompositeComponentDef[] = [];
    for (const component of sp.component) {
      const type = byUrl.get(component.definition ?? '')?.type;
      if (!type || !componentTypes.has(type) || !component.expression) break;
      const valueTypes = narrowedTypes(component.expression);
      components.push({ type: type as IndexedParamType, expression: component.expression, ...(valueTypes ? { valueTypes } : {}) });
    }
    if (components.length === sp.component.length) composites.set(code, { code, url: sp.url, expression: sp.expression, components });
  }
  map = composites;
  byType.set(resourceType, map);
  return map;
}
