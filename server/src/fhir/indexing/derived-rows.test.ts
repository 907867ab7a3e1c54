import { describe, expect, it } from 'vitest';
import { fhirRegistry } from '../definitions/registry.js';
import { extractIndex } from './extract.js';
import { indexTables, type IndexRows } from './rows.js';

const registry = fhirRegistry();
const loinc = 'http://loinc.org';

/** The rows extractIndex adds beyond each parameter's own values: composite elements (`#`) and reference identifiers. */
function derivedRows(resource: { resourceType: string }): IndexRows {
  const { rows } = extractIndex(registry, resource);
  for (const table of indexTables) (rows[table] as { param: string }[]) = rows[table].filter((row) => row.param.includes('#') || row.param.endsWith(':identifier'));
  return rows;
}

describe('derived index rows', () => {
  const bloodPressure = {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: loinc, code: '85354-9' }] },
    component: [
      { code: { coding: [{ system: loinc, code: '8480-6' }] }, valueQuantity: { value: 150, system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } },
      { code: { coding: [{ system: loinc, code: '8462-4' }] }, valueQuantity: { value: 95, system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } },
    ],
  };

  it('indexes each composite element under its own number, so components pair up within one element', () => {
    const rows = derivedRows(bloodPressure);
    const of = (prefix: string) => [...rows.token, ...rows.quantity].filter((row) => row.param.startsWith(prefix));
    expect(of('component-code-value-quantity#')).toEqual([
      { param: 'component-code-value-quantity#0#0', system: loinc, code: '8480-6', text: null },
      { param: 'component-code-value-quantity#1#0', value: 150, system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
      { param: 'component-code-value-quantity#0#1', system: loinc, code: '8462-4', text: null },
      { param: 'component-code-value-quantity#1#1', value: 95, system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
    ].sort((a, b) => Number('value' in a) - Number('value' in b)));
    // the Observation itself has no value, so it is no element of code-value-quantity; its components are elements of combo
    expect(of('code-value-quantity#')).toEqual([]);
    expect(of('combo-code-value-quantity#').map((row) => row.param).sort()).toEqual([
      'combo-code-value-quantity#0#1',
      'combo-code-value-quantity#0#2',
      'combo-code-value-quantity#1#1',
      'combo-code-value-quantity#1#2',
    ]);
  });

  it('gives an element rows only for the composites whose value type it has', () => {
    const glucose = { resourceType: 'Observation', status: 'final', code: { coding: [{ system: loinc, code: '2339-0' }] }, valueQuantity: { value: 95, unit: 'mg/dL' }, effectiveDateTime: '2024-01-01' };
    const params = new Set([...derivedRows(glucose).token, ...derivedRows(glucose).quantity, ...derivedRows(glucose).string, ...derivedRows(glucose).date].map((row) => row.param.split('#')[0]));
    expect([...params].sort()).toEqual(['code-value-quantity', 'combo-code-value-quantity']);
    const smoker = { resourceType: 'Observation', status: 'final', code: { coding: [{ system: loinc, code: '72166-2' }] }, valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '8517006' }] } };
    expect([...new Set(derivedRows(smoker).token.map((row) => row.param.split('#')[0]))].sort()).toEqual(['code-value-concept', 'combo-code-value-concept']);
  });

  it('indexes the identifier of a Reference under <param>:identifier', () => {
    const rows = derivedRows({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { identifier: { system: 'urn:mrn', value: '42' } } } as never);
    expect(rows.token).toContainEqual({ param: 'subject:identifier', system: 'urn:mrn', code: '42', text: null });
    expect(derivedRows({ resourceType: 'Patient', identifier: [{ system: 'urn:mrn', value: '42' }] } as never).token).toEqual([]);
  });
});
