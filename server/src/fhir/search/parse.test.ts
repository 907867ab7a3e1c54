import { describe, expect, it } from 'vitest';
import { fhirRegistry } from '../definitions/registry.js';
import { BadSearchValue, parseSearch, parseSystemSearch } from './parse.js';
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

describe('parseSearch: composites, :identifier, :above and include wildcards', () => {
  it('reads a composite value per component type, with $ between components and \\$ as a literal dollar', () => {
    const criterion = only('Observation', 'component-code-value-quantity=http://loinc.org|8480-6$gt140|http://unitsofmeasure.org|mm[Hg],8462-4$lt90');
    expect(criterion.kind).toBe('composite');
    if (criterion.kind !== 'composite') return;
    expect(criterion.param.code).toBe('component-code-value-quantity');
    expect(criterion.param.components.map((c) => c.type)).toEqual(['token', 'quantity']);
    expect(criterion.values).toMatchObject([
      [
        { type: 'token', value: { system: 'http://loinc.org', code: '8480-6' } },
        { type: 'quantity', value: { prefix: 'gt', value: 140, system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } },
      ],
      [
        { type: 'token', value: { code: '8462-4' } },
        { type: 'quantity', value: { prefix: 'lt', value: 90 } },
      ],
    ]);
    expect(only('Observation', 'code-value-string=abc$a\\$b')).toMatchObject({ values: [[{ type: 'token' }, { type: 'string', value: 'a$b' }]] });
    expect(only('Observation', 'code-value-date=abc$ge2020')).toMatchObject({ values: [[{ type: 'token' }, { type: 'date', value: { prefix: 'ge' } }]] });
  });

  it('refuses a composite value with the wrong number of components or a bad component', () => {
    expect(() => parse('Observation', 'code-value-quantity=8480-6')).toThrow(BadSearchValue);
    expect(() => parse('Observation', 'code-value-quantity=a$1$2')).toThrow(BadSearchValue);
    expect(() => parse('Observation', 'code-value-quantity=8480-6$many')).toThrow(BadSearchValue);
    expect(parse('Observation', 'code-value-quantity:missing=true').unknown).toEqual(['code-value-quantity:missing']);
  });

  it('reads reference :identifier as a token search on the reference identifiers', () => {
    expect(only('Observation', 'subject:identifier=urn:mrn|123')).toMatchObject({
      kind: 'token',
      param: { code: 'subject:identifier', type: 'token' },
      values: [{ system: 'urn:mrn', code: '123' }],
    });
    expect(parse('Patient', 'gender:identifier=x').unknown).toEqual(['gender:identifier']);
  });

  it('reads uri :above and :below', () => {
    expect(only('ValueSet', 'url:above=http://a.example/fhir/ValueSet/1')).toMatchObject({ kind: 'uri', modifier: 'above', values: ['http://a.example/fhir/ValueSet/1'] });
    expect(only('ValueSet', 'url:below=http://a.example/fhir')).toMatchObject({ kind: 'uri', modifier: 'below' });
    expect(parse('ValueSet', 'url:contains=x').unknown).toEqual(['url:contains']);
  });

  it('expands _include=Type:* and * to every reference parameter of the type, optionally of one target type', () => {
    const references = [...registry.searchParams('Observation').values()].filter((p) => p.type === 'reference').map((p) => p.code);
    const star = parse('Observation', '_include=*').includes;
    expect(star.map((spec) => spec.param)).toEqual(references);
    expect(star.every((spec) => spec.sourceType === 'Observation' && !spec.iterate)).toBe(true);
    expect(parse('Observation', '_include:iterate=Observation:*').includes.map((spec) => spec.param)).toEqual(references);
    const practitioners = parse('Observation', '_include=Observation:*:Practitioner').includes;
    expect(practitioners.map((spec) => spec.param)).toContain('performer');
    expect(practitioners.map((spec) => spec.param)).not.toContain('subject');
    expect(practitioners.every((spec) => spec.targetType === 'Practitioner')).toBe(true);
    expect(parse('Observation', '_include=Nothing:*').unknown).toEqual(['_include=Nothing:*']);
    expect(parse('Patient', '_revinclude=*').unknown).toEqual(['_revinclude=*']);
    expect(parse('Patient', '_revinclude=Observation:*').revIncludes.map((spec) => spec.param)).toEqual(references);
  });
});

describe('parseSearch: _content, _text and _list', () => {
  it('reads _content and _text values normalized, commas as alternatives and repeats as separate criteria', () => {
    expect(only('Observation', '_content=M%C3%BCller,SMITH')).toEqual({ kind: 'text', scope: 'content', values: ['muller', 'smith'] });
    expect(only('Patient', '_text=%20%C3%89t%C3%A9%20')).toEqual({ kind: 'text', scope: 'narrative', values: ['ete'] });
    expect(parse('Patient', '_content=anna&_content=berlin').criteria).toEqual([
      { kind: 'text', scope: 'content', values: ['anna'] },
      { kind: 'text', scope: 'content', values: ['berlin'] },
    ]);
  });

  it('reads _list as List ids, commas as alternatives', () => {
    expect(only('Observation', '_list=list-1,list.2')).toEqual({ kind: 'list', listIds: ['list-1', 'list.2'] });
  });

  it('refuses a _list that is a reference or a functional list, and text parameters without text', () => {
    expect(() => parse('Observation', '_list=List/list-1')).toThrow(BadSearchValue);
    expect(() => parse('AllergyIntolerance', '_list=$current-allergies')).toThrow(/functional lists/);
    expect(() => parse('Observation', '_content=')).toThrow(BadSearchValue);
    expect(() => parse('Observation', '_text=%20,')).toThrow(BadSearchValue);
  });

  it('lists modifiers on them, and _text on types without a narrative, as unknown', () => {
    expect(parse('Observation', '_content:exact=a&_text:contains=b&_list:not=c').unknown).toEqual(['_content:exact', '_text:contains', '_list:not']);
    const bundle = parse('Bundle', '_text=a&_content=b');
    expect(bundle.unknown).toEqual(['_text']);
    expect(bundle.criteria).toEqual([{ kind: 'text', scope: 'content', values: ['b'] }]);
  });

  it('reads them at the end of a chain and inside _has', () => {
    expect(only('Observation', 'subject:Patient._text=anna')).toMatchObject({ kind: 'chain', branches: [{ resourceType: 'Patient', next: { kind: 'text', scope: 'narrative', values: ['anna'] } }] });
    expect(only('Patient', '_has:Observation:patient:_list=l1')).toMatchObject({ kind: 'has', sourceType: 'Observation', next: { kind: 'list', listIds: ['l1'] } });
  });
});

describe('parseSystemSearch', () => {
  const system = (query: string) => parseSystemSearch(registry, new URLSearchParams(query));

  it('reads _type, _id, _lastUpdated, _sort and paging', () => {
    const query = system('_type=patient,Observation&_id=a,b&_lastUpdated=ge2024-01&_sort=-_lastUpdated&_count=5&_total=accurate');
    expect(query).toMatchObject({ types: ['Patient', 'Observation'], ids: [['a', 'b']], sortByLastUpdated: 'descending', count: 5, total: 'accurate', unknown: [] });
    expect(query.lastUpdated).toEqual([[{ prefix: 'ge', range: { low: '2024-01-01T00:00:00.000Z', high: '2024-01-31T23:59:59.999Z' } }]]);
    expect(system('_type=Patient,Observation&_type=Observation').types).toEqual(['Observation']);
    expect(system('_summary=count').summaryCount).toBe(true);
  });

  it('reads _content, _text and _list as for a type', () => {
    expect(system('_content=Müller,x&_text=Köln&_list=l1,l2').special).toEqual([
      { kind: 'text', scope: 'content', values: ['muller', 'x'] },
      { kind: 'text', scope: 'narrative', values: ['koln'] },
      { kind: 'list', listIds: ['l1', 'l2'] },
    ]);
  });

  it('lists other parameters as unknown and refuses bad values', () => {
    expect(system('_text:exact=x&name=y&_sort=_id').unknown).toEqual(['_text:exact', 'name', '_sort=_id']);
    expect(() => system('_list=Patient/1')).toThrow(BadSearchValue);
    expect(() => system('_content=')).toThrow(BadSearchValue);
    expect(() => system('_type=Nonsense')).toThrow(BadSearchValue);
    expect(() => system('_lastUpdated=yesterday')).toThrow(BadSearchValue);
    expect(() => system('_count=-1')).toThrow(BadSearchValue);
  });
});
