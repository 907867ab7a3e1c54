import { describe, expect, it } from 'vitest';
import { FhirError } from '../../http/errors.js';
import { fhirRegistry } from '../definitions/registry.js';
import type { FhirService } from '../http/service.js';
import { parseExportParams } from './params.js';

const service: FhirService = { registry: fhirRegistry(), repository: undefined as never, base: () => 'https://localhost/fhir/r4' };
const parse = (pairs: [string, string][]) => parseExportParams(service, pairs, 'system/*.$export');

describe('parseExportParams', () => {
  it('accepts repeated and comma-separated _type in any case, canonical and without duplicates', () => {
    expect(parse([['_type', 'patient,Observation'], ['_type', 'Patient']]).types).toEqual(['Patient', 'Observation']);
  });

  it('normalises _since to a UTC instant', () => {
    expect(parse([['_since', '2024-05-01T10:00:00+02:00']]).since).toBe('2024-05-01T08:00:00.000Z');
  });

  it('splits _typeFilter entries but keeps commas inside one query', () => {
    expect(parse([['_typeFilter', 'Observation?code=1,2,Condition?clinical-status=active']]).typeFilters).toEqual(['Observation?code=1,2', 'Condition?clinical-status=active']);
  });

  it('reads Patient references and reports ignored parameters as warnings', () => {
    const params = parse([['patient', 'Patient/p1'], ['includeAssociatedData', 'LatestProvenanceResources'], ['_outputFormat', 'ndjson']]);
    expect(params.patients).toEqual(['p1']);
    expect(params.warnings).toEqual([expect.stringContaining('includeAssociatedData')]);
  });

  it('reads _elements as Type.element (canonical type) or a bare element, from repeated parameters', () => {
    expect(parse([['_elements', 'observation.status, gender'], ['_elements', 'Observation.value[x]']]).elements).toEqual(['Observation.status', 'gender', 'Observation.value[x]']);
    expect(parse([]).elements).toBeUndefined();
    expect(parse([['_elements', 'id']]).warnings).toEqual([]);
  });

  it.each([
    [['_type', 'Nonsense']],
    [['_since', '2024-05-01']],
    [['_since', 'not a date']],
    [['_outputFormat', 'application/fhir+json']],
    [['_typeFilter', 'Observation']],
    [['_typeFilter', 'Nonsense?x=1']],
    [['_typeFilter', 'Observation?no-such-param=1']],
    [['patient', 'Group/g1']],
    [['_elements', 'Nonsense.status']],
    [['_elements', 'Observation.code.coding']],
    [['_elements', 'Observation.']],
  ] as [string, string][][])('answers 400 to %j', (pair) => {
    expect(() => parse([pair])).toThrow(expect.objectContaining({ status: 400, constructor: FhirError }));
  });
});
