import { describe, expect, it } from 'vitest';
import { fhirRegistry } from '../definitions/registry.js';
import { BadSearchValue, parseSearch } from './parse.js';
import type { Criterion } from './query.js';

const registry = fhirRegistry();
const parse = (type: string, query: string) => parseSearch(registry, type, new URLSearchParams(query));
const only = (type: string, query: string): Criterion => {
  const { criteria } = parse(type, query);
  expect(criteria).toHaveLength(1);
  return criteria[0]!;
};

describe('parseSearch', () => {
  it('splits token values into system and code', () => {
    const criterion = only('Observation', 'code=http://loinc.org|8867-4,|abc,http://sys|,plain');
    expect(criterion).toMatchObject({
      kind: 'token',
      values: [{ system: 'http://loinc.org', code: '8867-4' }, { system: null, code: 'abc' }, { system: 'http://sys' }, { code: 'plain' }],
    });
  });

  it('keeps an escaped comma inside one value', () => {
    expect(only('Patient', 'name=a\\,b')).toMatchObject({ kind: 'string', values: ['a,b'] });
  });

  it('reads date prefixes and ranges', () => {
    expect(only('Patient', 'birthdate=ge2020-02')).toMatchObject({
      kind: 'date',
      values: [{ prefix: 'ge', range: { low: '2020-02-01T00:00:00.000Z', high: '2020-02-29T23:59:59.999Z' } }],
    });
  });

  it('refuses a malformed date, number or _count', () => {
    expect(() => parse('Patient', 'birthdate=notadate')).toThrow(BadSearchValue);
    expect(() => parse('RiskAssessment', 'probability=abc')).toThrow(BadSearchValue);
    expect(() => parse('Patient', '_count=ten')).toThrow(BadSearchValue);
    expect(() => parse('Patient', 'gender:missing=maybe')).toThrow(BadSearchValue);
  });

  it('gives a number the interval its precision stands for', () => {
    const criterion = only('Observation', 'value-quantity=5.4|http://unitsofmeasure.org|mmol/L');
    expect(criterion.kind).toBe('quantity');
    if (criterion.kind !== 'quantity') return;
    const [value] = criterion.values;
    expect(value).toMatchObject({ prefix: 'eq', value: 5.4, system: 'http://unitsofmeasure.org', code: 'mmol/L' });
    expect(value!.low).toBeCloseTo(5.35);
    expect(value!.high).toBeCloseTo(5.45);
  });

  it('reads references as type/id, bare id, or absolute URL', () => {
    expect(only('Observation', 'subject=Patient/1')).toMatchObject({ values: [{ type: 'Patient', id: '1' }] });
    expect(only('Observation', 'subject:Patient=1')).toMatchObject({ values: [{ type: 'Patient', id: '1' }] });
    expect(only('Observation', 'subject=https://x.example/fhir/Patient/9')).toMatchObject({ values: [{ type: 'Patient', id: '9' }] });
    expect(only('Observation', 'patient=7')).toMatchObject({ values: [{ id: '7' }] });
  });

  it('builds chains over the targets that have the chained parameter', () => {
    const chain = only('Observation', 'subject.name=smith');
    expect(chain.kind).toBe('chain');
    if (chain.kind !== 'chain') return;
    expect(chain.branches.map((b) => b.resourceType).sort()).toEqual(['Location', 'Patient']);
    const typed = only('Observation', 'subject:Patient.name=smith');
    expect(typed).toMatchObject({ kind: 'chain', branches: [{ resourceType: 'Patient', next: { kind: 'string', values: ['smith'] } }] });
  });

  it('lists unknown parameters and unsupported modifiers instead of guessing', () => {
    const query = parse('Patient', 'foo=1&gender:below=x&_sort=nonsense&_include=Patient:nothing&name=a');
    expect(query.unknown).toEqual(['foo', 'gender:below', '_sort=nonsense', '_include=Patient:nothing']);
    expect(query.criteria).toHaveLength(1);
  });

  it('reads result parameters', () => {
    const query = parse('Observation', '_count=5000&_sort=-date,_id&_include=Observation:patient&_revinclude:iterate=Provenance:target&_total=accurate&_elements=code,subject');
    expect(query.count).toBe(1000);
    expect(query.sort.map((s) => [typeof s.param === 'string' ? s.param : s.param.code, s.descending])).toEqual([
      ['date', true],
      ['_id', false],
    ]);
    expect(query.includes).toEqual([{ sourceType: 'Observation', param: 'patient', iterate: false }]);
    expect(query.revIncludes).toEqual([{ sourceType: 'Provenance', param: 'target', iterate: true }]);
    expect(query.total).toBe('accurate');
    expect(query.elements).toEqual(['code', 'subject']);
    expect(parse('Observation', '_summary=count').summaryCount).toBe(true);
  });
});
