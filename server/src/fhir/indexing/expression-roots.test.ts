import { evalFhirPathTyped, getParsedExpressionForResourceType, toTypedValue } from '@medplum/core';
import { describe, expect, it } from 'vitest';
import { createGenerator } from '../../../../bench/generator/index.js';
import { fhirRegistry } from '../definitions/registry.js';
import { expressionRoots, hasElement } from './expression-roots.js';

const registry = fhirRegistry();

describe('expressionRoots', () => {
  it.each([
    ['Observation', 'Observation.code', ['code']],
    ['Observation', '(Observation.value as Quantity) | (Observation.value as SampledData)', ['value']],
    ['Observation', 'Observation.subject.where(resolve() is Patient)', ['subject']],
    ['Condition', 'Condition.onset.as(Age) | Condition.onset.as(Range)', ['onset']],
    ['Patient', "Patient.telecom.where(system='email') | Practitioner.telecom.where(system='email')", ['telecom']],
    ['Observation', 'AllergyIntolerance.code | Observation.code', ['code']],
    ['Patient', 'Resource.meta.lastUpdated', ['meta']],
  ])('reads the top-level elements of %s %s', (type, expression, roots) => {
    expect(expressionRoots(type, expression)).toEqual(roots);
  });

  it.each([
    ['Patient', 'Patient.deceased.exists() and Patient.deceased != false'],
    ['Observation', "iif(Observation.value.empty(), 'none', 'some')"],
    ['Patient', 'Patient.name.count()'],
  ])('cannot tell for %s %s, which can yield a value from nothing', (type, expression) => {
    expect(expressionRoots(type, expression)).toBeUndefined();
  });
});

describe('hasElement', () => {
  const resource = { resourceType: 'Observation', valueQuantity: { value: 1 }, _effectiveDateTime: { extension: [] }, coded: 1 };
  const keys = Object.keys(resource);
  it('finds an element as itself, as a choice and as a primitive extension only', () => {
    expect(hasElement(resource, keys, 'value')).toBe(true);
    expect(hasElement(resource, keys, 'effective')).toBe(true);
    expect(hasElement(resource, keys, 'resourceType')).toBe(true);
  });
  it('does not take a longer name for the element', () => {
    expect(hasElement(resource, keys, 'code')).toBe(false);
    expect(hasElement(resource, keys, 'status')).toBe(false);
  });
});

describe('skipping parameters whose elements are absent', () => {
  it('never skips a parameter that has values, over every parameter of generated patients and their practice', () => {
    const generator = createGenerator('roots');
    const resources = [...generator.shared(), ...[1, 2, 3].flatMap((i) => generator.patient(i))] as unknown as Record<string, unknown>[];
    let skipped = 0;
    for (const resource of resources) {
      const type = resource.resourceType as string;
      const keys = Object.keys(resource);
      for (const param of registry.searchParams(type).values()) {
        const roots = expressionRoots(type, param.expression);
        if (!roots || roots.some((root) => hasElement(resource, keys, root))) continue;
        skipped++;
        const values = evalFhirPathTyped(getParsedExpressionForResourceType(type, param.expression), [toTypedValue(resource)]);
        expect(values, `${type}.${param.code} on ${String(resource.id)}`).toEqual([]);
      }
    }
    expect(skipped).toBeGreaterThan(resources.length);
  });
});
