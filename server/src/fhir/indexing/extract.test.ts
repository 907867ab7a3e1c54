import { describe, expect, it } from 'vitest';
import { fhirRegistry } from '../definitions/registry.js';
import { dateRange } from './date-range.js';
import { extractIndex } from './extract.js';
import { normalizeString } from './normalize.js';

const registry = fhirRegistry();

describe('dateRange', () => {
  it.each([
    ['2020', '2020-01-01T00:00:00.000Z', '2020-12-31T23:59:59.999Z'],
    ['2020-02', '2020-02-01T00:00:00.000Z', '2020-02-29T23:59:59.999Z'],
    ['2021-03-04', '2021-03-04T00:00:00.000Z', '2021-03-04T23:59:59.999Z'],
    ['2021-03-04T10:00:00+02:00', '2021-03-04T08:00:00.000Z', '2021-03-04T08:00:00.999Z'],
    ['2021-03-04T10:00', '2021-03-04T10:00:00.000Z', '2021-03-04T10:00:59.999Z'],
  ])('gives %s the range it covers', (value, low, high) => {
    expect(dateRange(value)).toEqual({ low, high });
  });

  it.each(['notadate', '2020-13', '2021-02-30', '2020-01-01T25:00:00Z', ''])('refuses %j', (value) => {
    expect(dateRange(value)).toBeUndefined();
  });
});

describe('normalizeString', () => {
  it('ignores case and accents', () => {
    expect(normalizeString('Müller-ÉLISE')).toBe('muller-elise');
  });
});

describe('extractIndex', () => {
  const observation = {
    resourceType: 'Observation',
    id: 'o1',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }], text: 'Pulse' },
    subject: { reference: 'Patient/p1' },
    performer: [{ reference: 'https://elsewhere.example/fhir/Practitioner/x9' }],
    effectivePeriod: { start: '2020-01-01', end: '2020-01-02T10:00:00Z' },
    valueQuantity: { value: 72, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
    meta: { lastUpdated: '2024-05-06T07:08:09.123Z' },
  };

  it('indexes tokens by system and code, with display and text for :text', () => {
    const { rows } = extractIndex(registry, observation);
    const code = rows.token.filter((row) => row.param === 'code');
    expect(code).toEqual([
      { param: 'code', system: 'http://loinc.org', code: '8867-4', text: 'heart rate' },
      { param: 'code', system: null, code: null, text: 'pulse' },
    ]);
    expect(rows.token).toContainEqual({ param: 'status', system: null, code: 'final', text: null });
  });

  it('indexes references by target type and id, also from absolute URLs', () => {
    const { rows } = extractIndex(registry, observation);
    expect(rows.reference).toContainEqual({ param: 'subject', target_type: 'Patient', target_id: 'p1', url: null });
    expect(rows.reference).toContainEqual({ param: 'patient', target_type: 'Patient', target_id: 'p1', url: null });
    expect(rows.reference).toContainEqual({ param: 'performer', target_type: 'Practitioner', target_id: 'x9', url: null });
  });

  it('indexes a Period as one range, and leaves _id and _lastUpdated to the resource columns', () => {
    const { rows } = extractIndex(registry, observation);
    expect(rows.date.filter((row) => row.param === 'date')).toEqual([
      { param: 'date', low: '2020-01-01T00:00:00.000Z', high: '2020-01-02T10:00:00.999Z' },
    ]);
    expect(rows.date.filter((row) => row.param === '_lastUpdated')).toEqual([]);
    expect(rows.token.filter((row) => row.param === '_id')).toEqual([]);
  });

  it('indexes quantities with their unit code', () => {
    const { rows } = extractIndex(registry, observation);
    expect(rows.quantity).toContainEqual({ param: 'value-quantity', value: 72, system: 'http://unitsofmeasure.org', code: '/min' });
  });

  it('places the resource in the compartment of the patient its compartment parameters point at', () => {
    expect(extractIndex(registry, observation).patients).toEqual(['p1']);
    expect(extractIndex(registry, { resourceType: 'Patient', id: 'p7' }).patients).toEqual(['p7']);
    expect(extractIndex(registry, { resourceType: 'Organization', id: 'org' }).patients).toEqual([]);
  });

  it('indexes every part of a HumanName, normalized, and keeps the exact text', () => {
    const patient = { resourceType: 'Patient', id: 'p1', name: [{ family: 'Müller', given: ['Anna', 'Lena'] }], birthDate: '1980-05' };
    const { rows } = extractIndex(registry, patient);
    expect(rows.string.filter((row) => row.param === 'name')).toEqual([
      { param: 'name', value: 'muller', exact: 'Müller' },
      { param: 'name', value: 'anna', exact: 'Anna' },
      { param: 'name', value: 'lena', exact: 'Lena' },
    ]);
    expect(rows.date).toContainEqual({ param: 'birthdate', low: '1980-05-01T00:00:00.000Z', high: '1980-05-31T23:59:59.999Z' });
  });

  it('indexes codes of a choice-typed where() expression only for the matching target type', () => {
    const onGroup = { ...observation, subject: { reference: 'Group/g1' } };
    const { rows, patients } = extractIndex(registry, onGroup);
    expect(rows.reference.filter((row) => row.param === 'patient')).toEqual([]);
    expect(rows.reference).toContainEqual({ param: 'subject', target_type: 'Group', target_id: 'g1', url: null });
    expect(patients).toEqual([]);
  });
});
