import { evalFhirPathTyped, parseFhirPath, toTypedValue, type FhirPathAtom, type TypedValue } from '@medplum/core';
import { compositeParams } from '../definitions/composite-params.js';
import type { SearchParamDef } from '../definitions/registry.js';
import { compositeComponentParam } from './derived-params.js';
import type { IndexRows } from './rows.js';
import { addIndexValue } from './values.js';

const parsed = new Map<string, FhirPathAtom>();

function atom(expression: string): FhirPathAtom {
  let value = parsed.get(expression);
  if (!value) {
    value = parseFhirPath(expression);
    parsed.set(expression, value);
  }
  return value;
}

/**
 * FHIRPath results for one resource, by input and expression: composites share their element
 * expressions (`Observation`, `Observation.component`) and components (`code`, `value.as(Quantity)`),
 * so each is evaluated once per resource.
 */
class Evaluations {
  private readonly results = new Map<unknown, Map<string, TypedValue[]>>();

  constructor(private readonly variables: Record<string, TypedValue>) {}

  of(input: TypedValue, expression: string): TypedValue[] {
    let byExpression = this.results.get(input.value);
    if (!byExpression) {
      byExpression = new Map();
      this.results.set(input.value, byExpression);
    }
    let values = byExpression.get(expression);
    if (!values) {
      try {
        values = evalFhirPathTyped(atom(expression), [input], this.variables);
      } catch {
        values = [];
      }
      byExpression.set(expression, values);
    }
    return values;
  }
}

/**
 * Index rows of the composite parameters: each element the composite's expression selects gets
 * its components' rows under `<code>#<component>#<element>`, so a search can require every
 * component to match within the same element. The whole expression is evaluated (not narrowed
 * to the type), because `Observation | Observation.component` must yield both. An element where
 * a component has no value can never match and gets no rows.
 */
export function addCompositeRows(resource: { resourceType: string }, rows: IndexRows, isResourceType: (name: string) => boolean): void {
  const composites = compositeParams(resource.resourceType);
  if (!composites.size) return;
  const root = toTypedValue(resource);
  const evaluations = new Evaluations({ '%resource': root, '%rootResource': root });
  for (const composite of composites.values()) {
    const elements = evaluations.of(root, composite.expression);
    elements.forEach((element, elementIndex) => {
      const values = composite.components.map((component) => evaluations.of(element, component.expression));
      if (values.some((list) => !list.length)) return;
      composite.components.forEach((component, componentIndex) => {
        const param: SearchParamDef = {
          code: compositeComponentParam(composite.code, componentIndex, elementIndex),
          type: component.type,
          expression: component.expression,
          url: composite.url,
          targets: [],
        };
        for (const typed of values[componentIndex] ?? []) addIndexValue(rows, param, typed, isResourceType);
      });
    });
  }
}
