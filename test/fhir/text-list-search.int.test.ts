import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendToken, downloadAll, registerBackendClient, startExport, waitForManifest } from '../bulk/helpers.js';
import { FhirTestServer, matchIds } from './harness.js';

let fhir: FhirTestServer;

const xhtml = (inner: string) => ({ status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${inner}</div>` });
const observation = (id: string, patient: string, code: string, extra: Record<string, unknown> = {}) => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { text: code },
  subject: { reference: `Patient/${patient}` },
  ...extra,
});
const list = (id: string, patient: string, items: string[]) => ({
  resourceType: 'List',
  id,
  status: 'current',
  mode: 'working',
  subject: { reference: `Patient/${patient}` },
  entry: items.map((reference) => ({ item: { reference } })),
});

const resources = [
  { resourceType: 'Patient', id: 'tl-anna', name: [{ family: 'Müller', given: ['Anna'] }], text: xhtml('<p>Anna <b>Mül</b>ler lives in Köln</p>') },
  { resourceType: 'Patient', id: 'tl-bert', name: [{ family: 'Berliner', given: ['Bert'] }], address: [{ city: 'Zürich' }] },
  observation('tl-o1', 'tl-anna', 'Blood glucose', {
    note: [{ text: 'Fasting; Frau MÜLLER reports dizziness' }],
    text: xhtml('Glucose is <i>high</i>. Diet: fish &amp; chips'),
  }),
  observation('tl-o2', 'tl-anna', 'Hemoglobin A1c', { note: [{ text: 'Patient said "ouch"' }] }),
  observation('tl-o3', 'tl-bert', 'Heart rate', { text: xhtml('<table><tr><td>Heart rate</td><td>90/min</td></tr></table>') }),
  observation('tl-o4', 'tl-bert', 'Body temperature', { note: [{ text: 'glucose not measured' }] }),
  { resourceType: 'Condition', id: 'tl-c1', subject: { reference: 'Patient/tl-anna' }, code: { text: 'Diabetes' } },
  list('tl-list-anna', 'tl-anna', ['Observation/tl-o1', 'Observation/tl-o2', 'Condition/tl-c1', 'Patient/tl-anna']),
  list('tl-list-bert', 'tl-bert', ['Observation/tl-o3', 'Observation/tl-o1']),
  list('tl-list-gone', 'tl-anna', ['Observation/tl-o4']),
];

beforeAll(async () => {
  fhir = await FhirTestServer.start();
  for (const resource of resources) {
    const res = await fhir.request(`${resource.resourceType}/${resource.id}`, { method: 'PUT', body: resource });
    if (res.status >= 300) throw new Error(`seeding ${resource.resourceType}/${resource.id}: ${res.status} ${res.text}`);
  }
});

afterAll(async () => {
  await fhir.close();
});

async function search(query: string, options: { token?: string; headers?: Record<string, string> } = {}) {
  const res = await fhir.request(query, options);
  if (res.status !== 200) throw new Error(`${query}: ${res.status} ${res.text}`);
  return res.body;
}

describe('_content', () => {
  it.each([
    ['Observation?_content=muller', ['tl-o1']],
    ['Patient?_content=M%C3%9CLLER', ['tl-anna']],
    ['Patient?_content=zurich', ['tl-bert']],
    ['Observation?_content=GLUCOSE', ['tl-o1', 'tl-o4']],
    ['Observation?_content=glucose,heart', ['tl-o1', 'tl-o3', 'tl-o4']],
    ['Observation?_content=glucose&_content=dizzi', ['tl-o1']],
    ['Observation?_content=glucose&_content=heart', []],
    ['Observation?_content=fish%20%26%20chips', ['tl-o1']],
    ['Patient?_content=m%C3%BCller%20lives', ['tl-anna']],
    ['Observation?_content=%22OUCH%22', ['tl-o2']],
    ['Observation?_content=xhtml', []],
    ['Observation?_content=nothing-like-this', []],
  ])('%s', async (query, expected) => {
    expect(matchIds(await search(query))).toEqual(expected);
  });
});

describe('_text', () => {
  it.each([
    ['Observation?_text=glucose', ['tl-o1']],
    ['Observation?_text=glucose,heart%20rate', ['tl-o1', 'tl-o3']],
    ['Observation?_text=hemoglobin', []],
    ['Observation?_text=dizzi', []],
    ['Patient?_text=muller', ['tl-anna']],
    ['Patient?_text=KOLN', ['tl-anna']],
    ['Observation?_text=fish%20%26%20chips', ['tl-o1']],
    ['Observation?_text=xhtml', []],
    ['Observation?_text=table', []],
  ])('%s', async (query, expected) => {
    expect(matchIds(await search(query))).toEqual(expected);
  });
});

describe('_list', () => {
  it.each([
    ['Observation?_list=tl-list-anna', ['tl-o1', 'tl-o2']],
    ['Condition?_list=tl-list-anna', ['tl-c1']],
    ['Patient?_list=tl-list-anna', ['tl-anna']],
    ['Observation?_list=tl-list-anna,tl-list-bert', ['tl-o1', 'tl-o2', 'tl-o3']],
    ['Observation?_list=tl-list-anna&_list=tl-list-bert', ['tl-o1']],
    ['Observation?_list=tl-list-anna&_content=glucose', ['tl-o1']],
    ['Observation?_list=no-such-list', []],
  ])('%s', async (query, expected) => {
    expect(matchIds(await search(query))).toEqual(expected);
  });

  it('stops matching the entries of a List once the List is deleted', async () => {
    expect(matchIds(await search('Observation?_list=tl-list-gone'))).toEqual(['tl-o4']);
    expect((await fhir.request('List/tl-list-gone', { method: 'DELETE' })).status).toBeLessThan(300);
    expect(matchIds(await search('Observation?_list=tl-list-gone'))).toEqual([]);
  });

  it('answers a reference or a functional list as a bad value', async () => {
    for (const query of ['Observation?_list=List/tl-list-anna', 'AllergyIntolerance?_list=$current-allergies']) {
      const res = await fhir.request(query);
      expect(res.status, query).toBe(400);
      expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'invalid' }] });
      expect(res.body.issue[0].diagnostics).toMatch(/not the id of a List/);
    }
  });
});

describe('inside chains, _has, POST _search, counts and conditional updates', () => {
  it.each([
    ['Observation?subject:Patient._text=koln', ['tl-o1', 'tl-o2']],
    ['Patient?_has:Observation:patient:_content=dizziness', ['tl-anna']],
    ['Patient?_has:Observation:patient:_list=tl-list-bert', ['tl-anna', 'tl-bert']],
  ])('%s', async (query, expected) => {
    expect(matchIds(await search(query))).toEqual(expected);
  });

  it('searches by POST _search and counts with _summary=count', async () => {
    const posted = await fhir.request('Patient/_search', { method: 'POST', body: '_content=zurich', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(posted.status).toBe(200);
    expect(matchIds(posted.body)).toEqual(['tl-bert']);
    expect((await search('Observation?_content=glucose&_summary=count')).total).toBe(2);
  });

  it('updates the one resource a conditional update names with _list and _content', async () => {
    const body = { ...resources.find((r) => r.id === 'tl-o3'), status: 'amended' };
    const res = await fhir.request('Observation?_list=tl-list-bert&_content=heart', { method: 'PUT', body });
    expect(res.status).toBe(200);
    expect((await fhir.request('Observation/tl-o3')).body).toMatchObject({ status: 'amended', meta: { versionId: '2' } });
  });
});

describe('access', () => {
  it('does not show a patient token the entries of another patient’s List, nor anything without access to Lists', async () => {
    expect(matchIds(await search('Observation?_list=tl-list-bert'))).toEqual(['tl-o1', 'tl-o3']);
    const withLists = await fhir.token({ scope: 'patient/Observation.rs patient/List.rs', patient: 'tl-anna' });
    expect(matchIds(await search('Observation?_list=tl-list-bert', { token: withLists }))).toEqual([]);
    expect(matchIds(await search('Observation?_list=tl-list-anna', { token: withLists }))).toEqual(['tl-o1', 'tl-o2']);
    const withoutLists = await fhir.token({ scope: 'patient/Observation.rs', patient: 'tl-anna' });
    expect(matchIds(await search('Observation?_list=tl-list-anna', { token: withoutLists }))).toEqual([]);
  });

  it('confines text matches to what the token may see', async () => {
    const token = await fhir.token({ scope: 'patient/Observation.rs', patient: 'tl-anna' });
    expect(matchIds(await search('Observation?_content=glucose,heart', { token }))).toEqual(['tl-o1']);
  });
});

describe('search across types (GET /fhir/r4?…)', () => {
  const matchKeys = (bundle: { entry?: { search: { mode: string }; resource: { resourceType: string; id: string } }[] }) =>
    (bundle.entry ?? []).filter((e) => e.search.mode === 'match').map((e) => `${e.resource.resourceType}/${e.resource.id}`).sort();

  it('finds text in resources of any type, or of the types _type names', async () => {
    expect(matchKeys(await search('?_content=muller'))).toEqual(['Observation/tl-o1', 'Patient/tl-anna']);
    expect(matchKeys(await search('?_type=Patient&_content=muller'))).toEqual(['Patient/tl-anna']);
    expect(matchKeys(await search('?_text=glucose,koln'))).toEqual(['Observation/tl-o1', 'Patient/tl-anna']);
    expect((await search('?_content=muller&_summary=count')).total).toBe(2);
  });

  it('gives a List’s entries of every type, and confines them like the type searches do', async () => {
    expect(matchKeys(await search('?_list=tl-list-anna'))).toEqual(['Condition/tl-c1', 'Observation/tl-o1', 'Observation/tl-o2', 'Patient/tl-anna']);
    expect(matchKeys(await search('?_type=Observation,Condition&_list=tl-list-anna&_content=glucose,diabetes'))).toEqual(['Condition/tl-c1', 'Observation/tl-o1']);
    const withLists = await fhir.token({ scope: 'patient/Observation.rs patient/List.rs', patient: 'tl-anna' });
    expect(matchKeys(await search('?_list=tl-list-anna', { token: withLists }))).toEqual(['Observation/tl-o1', 'Observation/tl-o2']);
    expect(matchKeys(await search('?_list=tl-list-bert', { token: withLists }))).toEqual([]);
    const withoutLists = await fhir.token({ scope: 'patient/Observation.rs patient/Patient.rs', patient: 'tl-anna' });
    expect(matchKeys(await search('?_list=tl-list-anna', { token: withoutLists }))).toEqual([]);
    expect(matchKeys(await search('?_content=muller', { token: withoutLists }))).toEqual(['Observation/tl-o1', 'Patient/tl-anna']);
  });

  it('refuses bad values and lists the three in the CapabilityStatement', async () => {
    expect((await fhir.request('?_list=Patient/tl-anna')).status).toBe(400);
    expect((await fhir.request('?_content=%20')).status).toBe(400);
    const strict = await search('?_content=muller&_text=muller&_list=tl-list-anna', { headers: { prefer: 'handling=strict' } });
    expect(matchKeys(strict)).toEqual(['Patient/tl-anna']);
    const metadata = (await fhir.request('metadata', { token: null })).body;
    expect(metadata.rest[0].searchParam.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['_content', '_text', '_list']));
  });
});

describe('handling and the CapabilityStatement', () => {
  it('no longer reports the three as unknown, under strict or lenient handling; modifiers on them still are', async () => {
    const query = 'Observation?_content=glucose&_text=glucose&_list=tl-list-anna';
    const strict = await search(query, { headers: { prefer: 'handling=strict' } });
    expect(matchIds(strict)).toEqual(['tl-o1']);
    const lenient = await search(query, { headers: { prefer: 'handling=lenient' } });
    expect(lenient.entry.filter((e: { search: { mode: string } }) => e.search.mode === 'outcome')).toEqual([]);
    const modified = await fhir.request('Observation?_content:exact=glucose', { headers: { prefer: 'handling=strict' } });
    expect(modified.status).toBe(400);
    expect(modified.body.issue[0].diagnostics).toContain('_content:exact');
  });

  it('lists _content, _text and _list for each type, with their R4 definitions', async () => {
    const metadata = (await fhir.request('metadata', { token: null })).body;
    const params = (type: string) => metadata.rest[0].resource.find((r: { type: string }) => r.type === type).searchParam as { name: string; type: string; definition?: string }[];
    expect(params('Observation')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: '_content', type: 'string', definition: 'http://hl7.org/fhir/SearchParameter/Resource-content' }),
        expect.objectContaining({ name: '_text', type: 'string', definition: 'http://hl7.org/fhir/SearchParameter/DomainResource-text' }),
        expect.objectContaining({ name: '_list', type: 'special' }),
      ]),
    );
    expect(params('Bundle').map((p) => p.name)).toEqual(expect.arrayContaining(['_content', '_list']));
    expect(params('Bundle').map((p) => p.name)).not.toContain('_text');
  });
});

describe('bulk export _typeFilter', () => {
  it('exports what _content and _list select, the List only when the client may read Lists', async () => {
    const bulk = 'system/*.$export system/*.$bulkdata-status system/Document.read system/Binary.read';
    const exported = async (scope: string, typeFilter: string) => {
      const client = await registerBackendClient(fhir.server, 'ES384', scope);
      const token = await backendToken(fhir.server, client, scope);
      const statusPath = await startExport(fhir.server, token, `/fhir/r4/$export?_type=Observation&_typeFilter=${encodeURIComponent(typeFilter)}`);
      const manifest = await waitForManifest(fhir.server, token, statusPath);
      return (await downloadAll(fhir.server, token, manifest.output)).map((r) => r.id).sort();
    };
    expect(await exported(`${bulk} system/Observation.rs`, 'Observation?_content=glucose')).toEqual(['tl-o1', 'tl-o4']);
    expect(await exported(`${bulk} system/Observation.rs system/List.rs`, 'Observation?_list=tl-list-anna')).toEqual(['tl-o1', 'tl-o2']);
    expect(await exported(`${bulk} system/Observation.rs`, 'Observation?_list=tl-list-anna')).toEqual([]);
  });
});
