import { describe, expect, it } from 'vitest';
import { elementsFor, lineShaper } from './elements.js';

describe('elementsFor', () => {
  it('gives a type its own Type.element entries and every bare one; nothing when none applies', () => {
    const entries = ['Observation.status', 'gender', 'Patient.birthDate'];
    expect(elementsFor(entries, 'Observation')).toEqual(['status', 'gender']);
    expect(elementsFor(['Observation.status'], 'Patient')).toBeUndefined();
    expect(elementsFor(undefined, 'Patient')).toBeUndefined();
  });
});

describe('lineShaper', () => {
  it('keeps the listed elements and id, meta, resourceType, adding the SUBSETTED tag to the existing ones', () => {
    const shape = lineShaper(['Observation.value[x]'], 'Observation')!;
    const stored = JSON.stringify({ resourceType: 'Observation', id: 'o1', meta: { versionId: '2', tag: [{ code: 'x' }] }, status: 'final', valueQuantity: { value: 1 } });
    expect(JSON.parse(shape(stored))).toEqual({
      resourceType: 'Observation',
      id: 'o1',
      meta: { versionId: '2', tag: [{ code: 'x' }, { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED' }] },
      valueQuantity: { value: 1 },
    });
  });

  it('leaves the stored JSON as it is when no element applies to the type', () => {
    expect(lineShaper(['Observation.status'], 'Patient')).toBeUndefined();
  });
});
