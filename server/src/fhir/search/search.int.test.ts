import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FhirTestServer, matchIds } from '../../../../test/fhir/harness.js';

let fhir: FhirTestServer;

const loinc = 'http://loinc.org';
const category = (code: string) => [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code }] }];

const patients = [
  { id: 'sp-anna', name: [{ family: 'Müller', given: ['Anna'] }], gender: 'female', birthDate: '1980-05-17', identifier: [{ system: 'urn:mrn', value: 'A1' }], managingOrganization: { reference: 'Organization/sp-org' } },
  { id: 'sp-bert', name: [{ family: 'Mullins', given: ['Bert'] }], gender: 'male', birthDate: '1990-01-02', identifier: [{ system: 'urn:other', value: 'A1' }] },
  { id: 'sp-carl', name: [{ family: 'Smith', given: ['Carl'] }], gender: 'male', birthDate: '2001', active: true },
  { id: 'sp-dora', name: [{ family: 'Doe', given: ['Dora'] }], birthDate: '1980-12-31', active: false },
];

const observations = [
  { id: 'sp-o1', subject: 'sp-anna', code: '8867-4', text: 'Heart rate', cat: 'vital-signs', date: '2021-03-01T10:00:00Z', value: 72, unit: '/min' },
  { id: 'sp-o2', subject: 'sp-anna', code: '2339-0', text: 'Glucose', cat: 'laboratory', date: '2021-03-05', value: 5.4, unit: 'mmol/L' },
  { id: 'sp-o3', subject: 'sp-bert', code: '8867-4', text: 'Heart rate', cat: 'vital-signs', date: '2022-06-01', value: 90, unit: '/min' },
  { id: 'sp-o4', subject: 'sp-carl', code: '2339-0', text: 'Glucose', cat: 'laboratory', date: '2020-01-01', value: 7.1, unit: 'mmol/L' },
];

beforeAll(async () => {
  fhir = await FhirTestServer.start();
  const put = async (resource: { resourceType: string; id: string }) => {
    const res = await fhir.request(`${resource.resourceType}/${resource.id}`, { method: 'PUT', body: resource });
    if (res.status >= 300) throw new Error(`seeding ${resource.resourceType}/${resource.id}: ${res.status} ${res.text}`);
  };
  await put({ resourceType: 'Organization', id: 'sp-org', name: 'Good Health Clinic' } as never);
  for (const p of patients) await put({ resourceType: 'Patient', ...p });
  for (const o of observations) {
    await put({
      resourceType: 'Observation',
      id: o.id,
      status: 'final',
      category: category(o.cat),
      code: { coding: [{ system: loinc, code: o.code, display: o.text }], text: o.text },
      subject: { reference: `Patient/${o.subject}` },
      effectiveDateTime: o.date,
      valueQuantity: { value: o.value, unit: o.unit, system: 'http://unitsofmeasure.org', code: o.unit },
    } as never);
  }
});

afterAll(async () => {
  await fhir.close();
});

const search = async (query: string, headers: Record<string, string> = {}) => {
  const res = await fhir.request(query, { headers });
  if (res.status !== 200) throw new Error(`${query}: ${res.status} ${res.text}`);
  return res.body;
};

describe('search parameters', () => {
  it.each([
    ['Patient?_id=sp-anna,sp-carl', ['sp-anna', 'sp-carl']],
    ['Patient?name=mul', ['sp-anna', 'sp-bert']],
    ['Patient?name=MUELLER', []],
    ['Patient?family=muller', ['sp-anna']],
    ['Patient?name:exact=M%C3%BCller', ['sp-anna']],
    ['Patient?name:exact=m%C3%BCller', []],
    ['Patient?name:contains=ulli', ['sp-bert']],
    ['Patient?gender=male', ['sp-bert', 'sp-carl']],
    ['Patient?gender:not=male', ['sp-anna', 'sp-dora']],
    ['Patient?gender:missing=true', ['sp-dora']],
    ['Patient?gender:missing=false', ['sp-anna', 'sp-bert', 'sp-carl']],
    ['Patient?gender=male&name=smith', ['sp-carl']],
    ['Patient?identifier=urn:mrn|A1', ['sp-anna']],
    ['Patient?identifier=A1', ['sp-anna', 'sp-bert']],
    ['Patient?identifier=urn:other|', ['sp-bert']],
    ['Patient?identifier=|A1', []],
    ['Patient?active=true', ['sp-carl']],
    ['Patient?birthdate=1980', ['sp-anna', 'sp-dora']],
    ['Patient?birthdate=1980-05-17', ['sp-anna']],
    ['Patient?birthdate=gt1985', ['sp-bert', 'sp-carl']],
    ['Patient?birthdate=ge1990-01-02', ['sp-bert', 'sp-carl']],
    ['Patient?birthdate=lt1990-01-02', ['sp-anna', 'sp-dora']],
    ['Patient?birthdate=le1980-05-17', ['sp-anna']],
    ['Patient?birthdate=ne1980', ['sp-bert', 'sp-carl']],
    ['Patient?birthdate=sa1990', ['sp-carl']],
    ['Patient?birthdate=eb1981', ['sp-anna', 'sp-dora']],
    ['Patient?birthdate=ge1980&birthdate=lt1981', ['sp-anna', 'sp-dora']],
    ['Patient?organization=Organization/sp-org', ['sp-anna']],
    ['Observation?code=http://loinc.org|8867-4', ['sp-o1', 'sp-o3']],
    ['Observation?code=8867-4,2339-0', ['sp-o1', 'sp-o2', 'sp-o3', 'sp-o4']],
    ['Observation?code:text=gluc', ['sp-o2', 'sp-o4']],
    ['Observation?category=laboratory&patient=sp-anna', ['sp-o2']],
    ['Observation?subject=Patient/sp-bert', ['sp-o3']],
    ['Observation?subject:Patient=sp-bert', ['sp-o3']],
    ['Observation?date=2021-03', ['sp-o1', 'sp-o2']],
    ['Observation?date=ge2021-03-02', ['sp-o2', 'sp-o3']],
    ['Observation?value-quantity=5.4', ['sp-o2']],
    ['Observation?value-quantity=gt7', ['sp-o1', 'sp-o3', 'sp-o4']],
    ['Observation?value-quantity=lt80||/min', ['sp-o1']],
    ['Observation?value-quantity=ap72', ['sp-o1']],
    ['Observation?subject:Patient.name=smith', ['sp-o4']],
    ['Observation?subject.gender=male', ['sp-o3', 'sp-o4']],
    ['Observation?patient.organization.name=good', ['sp-o1', 'sp-o2']],
    ['Patient?_has:Observation:patient:code=2339-0', ['sp-anna', 'sp-carl']],
    ['Patient?_has:Observation:subject:value-quantity=gt80', ['sp-bert']],
    ['Organization?_has:Patient:organization:_has:Observation:patient:code=8867-4', ['sp-org']],
  ])('%s', async (query, expected) => {
    expect(matchIds(await search(query))).toEqual(expected);
  });

  it('matches a full-URL reference to this server', async () => {
    expect(matchIds(await search(`Observation?subject=${encodeURIComponent(`${fhir.base}/Patient/sp-anna`)}`))).toEqual(['sp-o1', 'sp-o2']);
  });

  it('searches _lastUpdated', async () => {
    expect(matchIds(await search('Patient?_lastUpdated=gt2000-01-01&name=doe'))).toEqual(['sp-dora']);
    expect(matchIds(await search('Patient?_lastUpdated=lt2000-01-01'))).toEqual([]);
  });

  it('searches and sorts by _lastUpdated, the stored column, as the resources say it', async () => {
    const stored = (await search('Patient?_count=10')).entry.map((e: { resource: { id: string; meta: { lastUpdated: string } } }) => e.resource);
    const at = (id: string) => stored.find((p: { id: string }) => p.id === id).meta.lastUpdated as string;
    const since = at('sp-carl');
    const expected = stored.filter((p: { meta: { lastUpdated: string } }) => p.meta.lastUpdated >= since).map((p: { id: string }) => p.id).sort();
    expect(expected).toContain('sp-carl');
    expect(expected).not.toContain('sp-anna');
    expect(matchIds(await search(`Patient?_lastUpdated=ge${since}`))).toEqual(expected);
    expect(matchIds(await search(`Patient?_lastUpdated=lt${since}`))).toEqual(stored.map((p: { id: string }) => p.id).filter((id: string) => !expected.includes(id)).sort());
    expect(matchIds(await search(`Observation?subject._lastUpdated=ge${since}`))).toEqual(observations.filter((o) => expected.includes(o.subject)).map((o) => o.id));
    expect(matchIds(await search('Patient?_lastUpdated:missing=false'))).toEqual(stored.map((p: { id: string }) => p.id).sort());
    expect(matchIds(await search('Patient?_lastUpdated:missing=true'))).toEqual([]);
    const newestFirst = [...stored].sort((a, b) => (a.meta.lastUpdated === b.meta.lastUpdated ? a.id.localeCompare(b.id) : a.meta.lastUpdated < b.meta.lastUpdated ? 1 : -1)).map((p: { id: string }) => p.id);
    expect((await search('Patient?_sort=-_lastUpdated')).entry.map((e: { resource: { id: string } }) => e.resource.id)).toEqual(newestFirst);
  });

  it('answers POST _search with a form body like GET', async () => {
    const res = await fhir.request('Patient/_search', { method: 'POST', body: 'gender=male&name=smith', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(200);
    expect(matchIds(res.body)).toEqual(['sp-carl']);
  });

  it('gives entries fullUrl and search.mode', async () => {
    const bundle = await search('Patient?_id=sp-anna');
    expect(bundle.type).toBe('searchset');
    expect(bundle.total).toBe(1);
    expect(bundle.entry[0]).toMatchObject({ fullUrl: `${fhir.base}/Patient/sp-anna`, search: { mode: 'match' } });
  });
});

describe('bad and unknown parameters', () => {
  it('refuses birthdate=notadate with 400', async () => {
    const res = await fhir.request('Patient?birthdate=notadate');
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });

  it('ignores an unknown parameter leniently and lists it in an outcome entry', async () => {
    const bundle = await search('Patient?gender=female&foo=bar');
    expect(matchIds(bundle)).toEqual(['sp-anna']);
    const outcome = bundle.entry.find((e: { search: { mode: string } }) => e.search.mode === 'outcome');
    expect(outcome.resource.issue[0].diagnostics).toContain('foo');
  });

  it('refuses an unknown parameter with 400 under Prefer: handling=strict', async () => {
    const res = await fhir.request('Patient?foo=bar', { headers: { prefer: 'handling=strict' } });
    expect(res.status).toBe(400);
  });

  it('refuses a bad _count', async () => {
    expect((await fhir.request('Patient?_count=-1')).status).toBe(400);
  });
});

describe('result shaping', () => {
  it('sorts ascending and descending, with ties broken by id', async () => {
    expect((await search('Patient?_sort=birthdate')).entry.map((e: { resource: { id: string } }) => e.resource.id)).toEqual(['sp-anna', 'sp-dora', 'sp-bert', 'sp-carl']);
    expect((await search('Observation?_sort=-date')).entry.map((e: { resource: { id: string } }) => e.resource.id)).toEqual(['sp-o3', 'sp-o2', 'sp-o1', 'sp-o4']);
    expect((await search('Patient?_sort=family')).entry.map((e: { resource: { id: string } }) => e.resource.id)).toEqual(['sp-dora', 'sp-anna', 'sp-bert', 'sp-carl']);
  });

  it('pages with keyset next links, returning every match exactly once', async () => {
    for (const sort of ['', '&_sort=-birthdate', '&_sort=gender,-family']) {
      const seen: string[] = [];
      let url: string | undefined = `Patient?_count=1${sort}`;
      let pages = 0;
      while (url) {
        const bundle = await search(url.startsWith('http') ? `/fhir/r4${url.slice(fhir.base.length)}` : url);
        seen.push(...bundle.entry.map((e: { resource: { id: string } }) => e.resource.id));
        url = bundle.link.find((l: { relation: string }) => l.relation === 'next')?.url;
        pages++;
      }
      expect(pages).toBe(4);
      expect(seen.sort()).toEqual(['sp-anna', 'sp-bert', 'sp-carl', 'sp-dora']);
    }
  });

  it('answers _summary=count with the total only', async () => {
    const bundle = await search('Observation?_summary=count&code=8867-4');
    expect(bundle.total).toBe(2);
    expect(bundle.entry ?? []).toEqual([]);
  });

  it('answers _total=accurate on later pages', async () => {
    const first = await search('Observation?_count=2');
    const next = first.link.find((l: { relation: string }) => l.relation === 'next').url as string;
    const second = await search(`/fhir/r4${next.slice(fhir.base.length)}&_total=accurate`);
    expect(second.total).toBe(4);
  });

  it('answers _summary=true with the summary elements and _summary=data without text', async () => {
    const summary = (await search('Observation?_id=sp-o1&_summary=true')).entry[0].resource;
    expect(Object.keys(summary).sort()).toEqual(['code', 'effectiveDateTime', 'id', 'meta', 'resourceType', 'status', 'subject', 'valueQuantity']);
    expect(summary.meta.tag).toContainEqual(expect.objectContaining({ code: 'SUBSETTED' }));
    const data = (await search('Patient?_id=sp-anna&_summary=data')).entry[0].resource;
    expect(data.name).toBeDefined();
    expect(data.text).toBeUndefined();
    expect((await fhir.request('Patient?_summary=maybe')).status).toBe(400);
  });

  it('limits _elements and marks the result SUBSETTED', async () => {
    const bundle = await search('Patient?_id=sp-anna&_elements=gender');
    const resource = bundle.entry[0].resource;
    expect(Object.keys(resource).sort()).toEqual(['gender', 'id', 'meta', 'resourceType']);
    expect(resource.meta.tag).toContainEqual(expect.objectContaining({ code: 'SUBSETTED' }));
  });

  it('includes referenced resources with _include and referencing ones with _revinclude', async () => {
    const inc = await search('Observation?_id=sp-o1,sp-o3&_include=Observation:patient');
    const included = inc.entry.filter((e: { search: { mode: string } }) => e.search.mode === 'include').map((e: { resource: { id: string } }) => e.resource.id).sort();
    expect(included).toEqual(['sp-anna', 'sp-bert']);
    const rev = await search('Patient?_id=sp-anna&_revinclude=Observation:subject');
    const revIds = rev.entry.filter((e: { search: { mode: string } }) => e.search.mode === 'include').map((e: { resource: { id: string } }) => e.resource.id).sort();
    expect(revIds).toEqual(['sp-o1', 'sp-o2']);
  });

  it('follows _include:iterate through what it included', async () => {
    const bundle = await search('Observation?_id=sp-o1&_include=Observation:patient&_include:iterate=Patient:organization');
    const included = bundle.entry.filter((e: { search: { mode: string } }) => e.search.mode === 'include').map((e: { resource: { id: string } }) => e.resource.id).sort();
    expect(included).toEqual(['sp-anna', 'sp-org']);
  });
});

describe('access confinement', () => {
  it('confines patient/ scopes to the patient compartment in search, read and includes', async () => {
    const token = await fhir.token({ scope: 'patient/Observation.rs patient/Patient.rs', patient: 'sp-anna' });
    const obs = await fhir.request('Observation', { token });
    expect(matchIds(obs.body)).toEqual(['sp-o1', 'sp-o2']);
    const patientsSeen = await fhir.request('Patient', { token });
    expect(matchIds(patientsSeen.body)).toEqual(['sp-anna']);
    expect((await fhir.request('Observation/sp-o3', { token })).status).toBe(404);
    expect((await fhir.request('Observation/sp-o1', { token })).status).toBe(200);
    const inc = await fhir.request('Observation?_include=Observation:patient&_id=sp-o1,sp-o3', { token });
    expect(inc.body.entry.map((e: { resource: { id: string } }) => e.resource.id).sort()).toEqual(['sp-anna', 'sp-o1']);
  });

  it('narrows a search to a granular scope filter', async () => {
    const token = await fhir.token({ scope: 'patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory', patient: 'sp-anna' });
    expect(matchIds((await fhir.request('Observation', { token })).body)).toEqual(['sp-o2']);
    expect((await fhir.request('Observation/sp-o1', { token })).status).toBe(404);
  });

  it('refuses a patient-scoped write outside the compartment with 403 and changes nothing', async () => {
    const token = await fhir.token({ scope: 'patient/Observation.cruds', patient: 'sp-anna' });
    const res = await fhir.request('Observation', {
      method: 'POST',
      token,
      body: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: 'Patient/sp-bert' } },
    });
    expect(res.status).toBe(403);
    expect(matchIds(await search('Observation?code:text=x'))).toEqual([]);
  });
});
