import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FhirTestServer, matchIds } from './harness.js';

let fhir: FhirTestServer;

const loinc = 'http://loinc.org';
const ucum = 'http://unitsofmeasure.org';
const mmHg = (value: number) => ({ value, unit: 'mmHg', system: ucum, code: 'mm[Hg]' });
const coded = (code: string) => ({ coding: [{ system: loinc, code }] });
const bloodPressure = (id: string, patient: string, systolic: number, diastolic: number) => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: coded('85354-9'),
  subject: { reference: `Patient/${patient}` },
  component: [
    { code: coded('8480-6'), valueQuantity: mmHg(systolic) },
    { code: coded('8462-4'), valueQuantity: mmHg(diastolic) },
  ],
});
const heartRate = (id: string, patient: string, value: number, extra: Record<string, unknown> = {}) => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: coded('8867-4'),
  subject: { reference: `Patient/${patient}` },
  valueQuantity: { value, unit: '/min', system: ucum, code: '/min' },
  ...extra,
});

/** Set once every seed resource is written: `_lastUpdated=ge…` then finds exactly the later writes. */
let seeded: string;

async function put(resource: { resourceType: string; id: string }): Promise<void> {
  const res = await fhir.request(`${resource.resourceType}/${resource.id}`, { method: 'PUT', body: resource });
  if (res.status >= 300) throw new Error(`seeding ${resource.resourceType}/${resource.id}: ${res.status} ${res.text}`);
}

beforeAll(async () => {
  fhir = await FhirTestServer.start();
  await put({ resourceType: 'Practitioner', id: 'sm-doc', name: [{ family: 'Doc' }] } as never);
  await put({ resourceType: 'Patient', id: 'sm-anna', name: [{ family: 'Anna' }], identifier: [{ system: 'urn:sm-mrn', value: 'MRN-ANNA' }] } as never);
  await put({ resourceType: 'Patient', id: 'sm-bert', name: [{ family: 'Bert' }], identifier: [{ system: 'urn:sm-mrn', value: 'MRN-BERT' }] } as never);
  // systolic 150 / diastolic 95
  await put(bloodPressure('sm-bp-anna', 'sm-anna', 150, 95));
  // systolic 120 / diastolic 145: only a search that ignores the element would take 145 for a systolic value
  await put(bloodPressure('sm-bp-bert', 'sm-bert', 120, 145));
  await put(heartRate('sm-hr-anna', 'sm-anna', 72, { performer: [{ reference: 'Practitioner/sm-doc' }, { reference: 'Patient/sm-bert' }] }));
  await put(heartRate('sm-hr-bert', 'sm-bert', 95));
  // references by logical identifier only, and by both reference and identifier
  await put(heartRate('sm-hr-ident', 'sm-anna', 60, { subject: { identifier: { system: 'urn:sm-mrn', value: 'MRN-ANNA' } } }));
  await put(heartRate('sm-hr-both', 'sm-bert', 61, { subject: { reference: 'Patient/sm-bert', identifier: { system: 'urn:sm-mrn', value: 'MRN-BERT' } } }));
  for (const [id, url] of [
    ['sm-vs-root', 'http://acme.org/fhir'],
    ['sm-vs-a', 'http://acme.org/fhir/ValueSet/a'],
    ['sm-vs-bc', 'http://acme.org/fhir/ValueSet/b/c'],
    ['sm-vs-x', 'http://acme.org/fhir/ValueSetX'],
  ] as const) {
    await put({ resourceType: 'ValueSet', id, url, status: 'active' } as never);
  }
  seeded = new Date().toISOString();
});

afterAll(async () => {
  await fhir.close();
});

const search = async (query: string, token?: string) => {
  const res = await fhir.request(query, token ? { token } : {});
  if (res.status !== 200) throw new Error(`${query}: ${res.status} ${res.text}`);
  return res.body;
};

const includedIds = (bundle: { entry?: { search?: { mode: string }; resource: { resourceType: string; id: string } }[] }) =>
  (bundle.entry ?? [])
    .filter((e) => e.search?.mode === 'include')
    .map((e) => `${e.resource.resourceType}/${e.resource.id}`)
    .sort();

describe('composite search parameters', () => {
  it.each([
    [`Observation?code-value-quantity=${loinc}|8867-4$gt80`, ['sm-hr-bert']],
    ['Observation?code-value-quantity=8867-4$lt73', ['sm-hr-anna', 'sm-hr-both', 'sm-hr-ident']],
    ['Observation?code-value-quantity=85354-9$gt0', []],
    ['Observation?component-code-value-quantity=8480-6$gt140', ['sm-bp-anna']],
    ['Observation?component-code-value-quantity=8462-4$gt140', ['sm-bp-bert']],
    [`Observation?component-code-value-quantity=${loinc}|8480-6$gt140|${ucum}|mm[Hg]`, ['sm-bp-anna']],
    [`Observation?component-code-value-quantity=8480-6$gt140|${ucum}|mm[Hg]`, ['sm-bp-anna']],
    ['Observation?component-code-value-quantity=8480-6$gt140|urn:other|mm[Hg]', []],
    ['Observation?component-code-value-quantity=8480-6$gt140,8462-4$lt90', ['sm-bp-anna']],
    ['Observation?component-code-value-quantity=8480-6$gt140,8462-4$gt100', ['sm-bp-anna', 'sm-bp-bert']],
    ['Observation?component-code-value-quantity=8480-6$gt100&component-code-value-quantity=8462-4$lt100', ['sm-bp-anna']],
    ['Observation?combo-code-value-quantity=8480-6$gt140', ['sm-bp-anna']],
    ['Observation?combo-code-value-quantity=8867-4$ge95', ['sm-hr-bert']],
    ['Observation?patient=sm-bert&component-code-value-quantity=8480-6$gt100', ['sm-bp-bert']],
    ['Observation?patient=sm-bert&component-code-value-quantity=8480-6$gt140', []],
  ])('%s', async (query, expected) => {
    expect(matchIds(await search(query))).toEqual(expected);
  });

  it('answers 400 to a composite value without its components', async () => {
    const res = await fhir.request('Observation?component-code-value-quantity=8480-6');
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });
});

describe('reference :identifier', () => {
  it.each([
    ['Observation?subject:identifier=urn:sm-mrn|MRN-ANNA', ['sm-hr-ident']],
    ['Observation?subject:identifier=MRN-BERT', ['sm-hr-both']],
    ['Observation?subject:identifier=urn:sm-mrn|MRN-ANNA,urn:sm-mrn|MRN-BERT', ['sm-hr-both', 'sm-hr-ident']],
    ['Observation?subject:identifier=urn:other|MRN-ANNA', []],
    ['Observation?subject=Patient/sm-bert&subject:identifier=MRN-BERT', ['sm-hr-both']],
  ])('%s', async (query, expected) => {
    expect(matchIds(await search(query))).toEqual(expected);
  });
});

describe('uri :above and :below', () => {
  it.each([
    ['ValueSet?url=http://acme.org/fhir/ValueSet/a', ['sm-vs-a']],
    ['ValueSet?url:below=http://acme.org/fhir/ValueSet', ['sm-vs-a', 'sm-vs-bc']],
    ['ValueSet?url:below=http://acme.org/fhir', ['sm-vs-a', 'sm-vs-bc', 'sm-vs-root', 'sm-vs-x']],
    ['ValueSet?url:above=http://acme.org/fhir/ValueSet/b/c/_history/2', ['sm-vs-bc', 'sm-vs-root']],
    ['ValueSet?url:above=http://acme.org/fhir/ValueSet/a', ['sm-vs-a', 'sm-vs-root']],
    ['ValueSet?url:above=http://acme.org/fhir/ValueSetX/', ['sm-vs-root', 'sm-vs-x']],
  ])('%s', async (query, expected) => {
    expect(matchIds(await search(query))).toEqual(expected);
  });
});

describe('_include=* and Type:*', () => {
  it('includes what every reference parameter of the type points at', async () => {
    const expected = ['Patient/sm-anna', 'Patient/sm-bert', 'Practitioner/sm-doc'];
    const typed = await search('Observation?_id=sm-hr-anna&_include=Observation:*');
    expect(matchIds(typed)).toEqual(['sm-hr-anna']);
    expect(includedIds(typed)).toEqual(expected);
    expect(includedIds(await search('Observation?_id=sm-hr-anna&_include=*'))).toEqual(expected);
    expect(includedIds(await search('Observation?_id=sm-hr-anna&_include=Observation:*:Practitioner'))).toEqual(['Practitioner/sm-doc']);
  });
});

describe('search across types', () => {
  it('finds the resources of the listed types updated since a time', async () => {
    await put({ resourceType: 'Patient', id: 'sm-late-p', name: [{ family: 'Late' }] } as never);
    await put(heartRate('sm-late-o', 'sm-late-p', 80));
    await put({ resourceType: 'Practitioner', id: 'sm-late-doc' } as never);
    const bundle = await search(`?_type=Patient,Observation&_lastUpdated=ge${seeded}`);
    expect(bundle.type).toBe('searchset');
    expect(bundle.total).toBe(2);
    expect(bundle.entry.map((e: { fullUrl: string }) => e.fullUrl).sort()).toEqual([`${fhir.base}/Observation/sm-late-o`, `${fhir.base}/Patient/sm-late-p`]);
    const all = await search(`?_lastUpdated=ge${seeded}`);
    const everything = all.entry.map((e: { resource: { resourceType: string; id: string } }) => `${e.resource.resourceType}/${e.resource.id}`);
    expect(everything).toEqual(expect.arrayContaining(['Observation/sm-late-o', 'Patient/sm-late-p', 'Practitioner/sm-late-doc']));
    expect(everything.filter((key: string) => !key.startsWith('Provenance/'))).toHaveLength(3);
    expect(matchIds(await search('?_type=Patient&_id=sm-anna,sm-late-p,sm-hr-anna'))).toEqual(['sm-anna', 'sm-late-p']);
    expect(matchIds(await search(`?_type=Patient,Observation&_lastUpdated=lt${seeded}&_id=sm-anna,sm-late-p,sm-hr-anna`))).toEqual(['sm-anna', 'sm-hr-anna']);
  });

  it('pages with next links, every match exactly once, also sorted by _lastUpdated', async () => {
    for (const sort of ['', '&_sort=-_lastUpdated']) {
      const seen: string[] = [];
      let url: string | undefined = `?_type=Patient,Observation,Practitioner&_count=2${sort}`;
      let total: number | undefined;
      while (url) {
        const page = await search(url.replace(fhir.base, ''));
        total ??= page.total as number;
        seen.push(...page.entry.map((e: { resource: { resourceType: string; id: string } }) => `${e.resource.resourceType}/${e.resource.id}`));
        url = page.link.find((l: { relation: string }) => l.relation === 'next')?.url;
      }
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toHaveLength(total!);
      expect(seen).toEqual(expect.arrayContaining(['Patient/sm-anna', 'Observation/sm-bp-bert', 'Practitioner/sm-doc']));
    }
    expect((await search('?_type=Patient&_summary=count')).total).toBeGreaterThanOrEqual(2);
  });

  it('ignores unknown parameters with an OperationOutcome, refuses them under strict handling, and refuses unknown types', async () => {
    const lenient = await search('?_type=Patient&_id=sm-anna&name=anna');
    expect(matchIds(lenient)).toEqual(['sm-anna']);
    const outcome = lenient.entry.find((e: { search: { mode: string } }) => e.search.mode === 'outcome');
    expect(outcome.resource.issue[0].diagnostics).toContain('name');
    expect((await fhir.request('?_type=Patient&name=anna', { headers: { prefer: 'handling=strict' } })).status).toBe(400);
    expect((await fhir.request('?_type=Nonsense')).status).toBe(400);
  });
});

describe('modifiers on _text and _content stay unsupported (the parameters themselves: test/fhir/text-list-search.int.test.ts)', () => {
  it('lists them as ignored and refuses them when strict', async () => {
    const lenient = await search('Patient?_id=sm-anna&_text:exact=anna&_content:contains=anna');
    expect(matchIds(lenient)).toEqual(['sm-anna']);
    const outcome = lenient.entry.find((e: { search: { mode: string } }) => e.search.mode === 'outcome');
    expect(outcome.resource.issue[0].diagnostics).toBe('ignored search parameters: _text:exact, _content:contains');
    expect((await fhir.request('Patient?_text:exact=anna', { headers: { prefer: 'handling=strict' } })).status).toBe(400);
  });
});

describe('the CapabilityStatement', () => {
  it('claims patch, conditional update, single conditional delete, conditional read, composites and the search across types', async () => {
    const rest = (await fhir.request('metadata', { token: null })).body.rest[0];
    const observation = rest.resource.find((r: { type: string }) => r.type === 'Observation');
    expect(observation.interaction.map((i: { code: string }) => i.code)).toContain('patch');
    expect(observation).toMatchObject({ conditionalUpdate: true, conditionalDelete: 'single', conditionalRead: 'full-support' });
    expect(observation.searchParam).toContainEqual({ name: 'component-code-value-quantity', type: 'composite', definition: 'http://hl7.org/fhir/SearchParameter/Observation-component-code-value-quantity' });
    expect(observation.searchParam).toContainEqual({ name: 'code-value-quantity', type: 'composite', definition: 'http://hl7.org/fhir/SearchParameter/Observation-code-value-quantity' });
    expect(observation.searchInclude).toEqual(expect.arrayContaining(['*', 'Observation:*', 'Observation:subject']));
    expect(rest.interaction.map((i: { code: string }) => i.code)).toContain('search-system');
    expect(rest.searchParam.map((p: { name: string }) => p.name)).toEqual(['_type', '_id', '_lastUpdated', '_content', '_text', '_list']);
  });
});

describe("a patient token never finds another patient's data through the new search features", () => {
  const annaToken = () => fhir.token({ scope: 'patient/Patient.rs patient/Observation.rs', patient: 'sm-anna' });

  it('composite parameters', async () => {
    const token = await annaToken();
    expect(matchIds(await search('Observation?component-code-value-quantity=8462-4$gt140', token))).toEqual([]);
    expect(matchIds(await search('Observation?component-code-value-quantity=8480-6$gt100', token))).toEqual(['sm-bp-anna']);
    expect(matchIds(await search('Observation?code-value-quantity=8867-4$gt0', token))).toEqual(['sm-hr-anna']);
  });

  it('reference :identifier', async () => {
    const token = await annaToken();
    expect(matchIds(await search('Observation?subject:identifier=urn:sm-mrn|MRN-BERT', token))).toEqual([]);
  });

  it('_include=*: a resource of another patient is not included', async () => {
    const token = await annaToken();
    const bundle = await search('Observation?_id=sm-hr-anna,sm-hr-bert&_include=*', token);
    expect(matchIds(bundle)).toEqual(['sm-hr-anna']);
    expect(includedIds(bundle)).toEqual(['Patient/sm-anna']);
  });

  it('the search across types', async () => {
    const token = await annaToken();
    const typed = await search('?_type=Patient,Observation', token);
    expect(matchIds(typed)).toEqual(['sm-anna', 'sm-bp-anna', 'sm-hr-anna']);
    expect(matchIds(await search('?_id=sm-bert,sm-hr-bert,sm-anna', token))).toEqual(['sm-anna']);
    expect((await fhir.request('?_type=Practitioner', { token })).status).toBe(403);
  });
});
