import { evalFhirPathTyped, parseFhirPath, toTypedValue, type FhirPathAtom, type TypedValue } from '@medplum/core';
import { compositeParams } from '../definitions/composite-params.js';
import type { SearchParamDef } from '../definitions/registry.js';
import { compositeComponentParam } from './derived-params.js';
import { emptyIndexRows, indexTables, type IndexRows } from './rows.js';
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
 * to the type), because `Observation | Observation.component` must yield both.
 */
export function addCompositeRows(resource: { resourceType: string }, rows: IndexRows, isResourceType: (name: string) => boolean): void {
  const composites = compositeParams(resource.resourceType);
  if (!composites.size) return;
  const root = toTypedValue(resource);
  const evaluations = new Evaluations({ '%resource': root, '%rootResource': root });
  for (const composite of composites.values()) {
    const elements = evaluations.of(root, composite.expression);
    elements.forEach((element, elementIndex) => {
      // each component's rows first, of the types its parameter takes (`value` must be a string for
      // code-value-string): an element where one has none can never match, so it gets no rows
      const parts = composite.components.map((component, componentIndex) => {
        const param: SearchParamDef = { code: compositeComponentParam(composite.code, componentIndex, elementIndex), type: component.type, expression: component.expression, url: composite.url, targets: [] };
        const part = emptyIndexRows();
        for (const typed of evaluations.of(element, component.expression)) {
          if (!component.valueTypes || component.valueTypes.includes(typed.type.toLowerCase())) addIndexValue(part, param, typed, isResourceType);
        }
        return part;
      });
      if (parts.some((part) => indexTables.every((table) => part[table].length === 0))) return;
      for (const part of parts) for (const table of indexTables) (rows[table] as unknown[]).push(...part[table]);
    });
  }
}
