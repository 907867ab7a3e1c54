import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FhirTestServer } from '../../../../test/fhir/harness.js';

let fhir: FhirTestServer;

beforeAll(async () => {
  fhir = await FhirTestServer.start();
});

afterAll(async () => {
  await fhir.close();
});

const patient = { resourceType: 'Patient', name: [{ family: 'Chalmers', given: ['Peter'] }], gender: 'male', birthDate: '1974-12-25' };

describe('FHIR REST interactions over HTTPS', () => {
  it('creates a resource: 201, Location with version, ETag, server-assigned id and meta', async () => {
    const res = await fhir.request('Patient', { method: 'POST', body: patient });
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    expect(id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
    expect(res.headers.location).toBe(`${fhir.base}/Patient/${id}/_history/1`);
    expect(res.headers.etag).toBe('W/"1"');
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(res.body.meta.versionId).toBe('1');
    expect(res.body.name).toEqual(patient.name);
  });

  it('reads and vreads, also through /r4 and lower-case type names', async () => {
    const created = await fhir.request('Patient', { method: 'POST', body: patient });
    const id = created.body.id as string;
    const read = await fhir.request(`/r4/patient/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.resourceType).toBe('Patient');
    expect(read.body.id).toBe(id);
    expect(read.headers.etag).toBe('W/"1"');
    const vread = await fhir.request(`Patient/${id}/_history/1`);
    expect(vread.status).toBe(200);
    expect(vread.body.meta.versionId).toBe('1');
  });

  it('updates with PUT, bumps the version and keeps the old one for vread', async () => {
    const { body: created } = await fhir.request('Patient', { method: 'POST', body: patient });
    const res = await fhir.request(`Patient/${created.id}`, { method: 'PUT', body: { ...patient, id: created.id, gender: 'other' } });
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('W/"2"');
    expect(res.body.gender).toBe('other');
    expect((await fhir.request(`Patient/${created.id}/_history/1`)).body.gender).toBe('male');
    expect((await fhir.request(`Patient/${created.id}`)).body.gender).toBe('other');
  });

  it('creates with PUT to a new client-assigned id: 201', async () => {
    const res = await fhir.request('Patient/client-chosen-1', { method: 'PUT', body: { ...patient, id: 'client-chosen-1' } });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`${fhir.base}/Patient/client-chosen-1/_history/1`);
    expect((await fhir.request('Patient/client-chosen-1')).status).toBe(200);
  });

  it('answers 412 to a stale If-Match and applies a current one', async () => {
    const { body: created } = await fhir.request('Patient', { method: 'POST', body: patient });
    const stale = await fhir.request(`Patient/${created.id}`, { method: 'PUT', body: { ...created, gender: 'female' }, headers: { 'if-match': 'W/"7"' } });
    expect(stale.status).toBe(412);
    expect(stale.body.resourceType).toBe('OperationOutcome');
    const current = await fhir.request(`Patient/${created.id}`, { method: 'PUT', body: { ...created, gender: 'female' }, headers: { 'if-match': 'W/"1"' } });
    expect(current.status).toBe(200);
  });

  it('lets exactly one of two concurrent updates with the same If-Match win', async () => {
    const { body: created } = await fhir.request('Patient', { method: 'POST', body: patient });
    const update = (gender: string) =>
      fhir.request(`Patient/${created.id}`, { method: 'PUT', body: { ...created, gender }, headers: { 'if-match': 'W/"1"' } });
    const statuses = (await Promise.all([update('female'), update('other')])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 412]);
    expect((await fhir.request(`Patient/${created.id}`)).body.meta.versionId).toBe('2');
  });

  it('deletes softly: 204, then read 410, history keeps both versions', async () => {
    const { body: created } = await fhir.request('Patient', { method: 'POST', body: patient });
    expect((await fhir.request(`Patient/${created.id}`, { method: 'DELETE' })).status).toBe(204);
    const read = await fhir.request(`Patient/${created.id}`);
    expect(read.status).toBe(410);
    expect(read.body.resourceType).toBe('OperationOutcome');
    const history = await fhir.request(`Patient/${created.id}/_history`);
    expect(history.body.type).toBe('history');
    expect(history.body.entry.map((e: { request: { method: string } }) => e.request.method)).toEqual(['DELETE', 'POST']);
  });

  it('answers Prefer: return=minimal with no body and return=OperationOutcome with an outcome', async () => {
    const minimal = await fhir.request('Patient', { method: 'POST', body: patient, headers: { prefer: 'return=minimal' } });
    expect(minimal.status).toBe(201);
    expect(minimal.text).toBe('');
    expect(minimal.headers.location).toMatch(/\/Patient\/[^/]+\/_history\/1$/);
    const outcome = await fhir.request('Patient', { method: 'POST', body: patient, headers: { prefer: 'return=OperationOutcome' } });
    expect(outcome.status).toBe(201);
    expect(outcome.body.resourceType).toBe('OperationOutcome');
  });

  it('makes a conditional create (If-None-Exist) idempotent and refuses an ambiguous one with 412', async () => {
    const body = { ...patient, identifier: [{ system: 'urn:test:mrn', value: 'cond-1' }] };
    const first = await fhir.request('Patient', { method: 'POST', body, headers: { 'if-none-exist': 'identifier=urn:test:mrn|cond-1' } });
    expect(first.status).toBe(201);
    const second = await fhir.request('Patient', { method: 'POST', body, headers: { 'if-none-exist': 'identifier=urn:test:mrn|cond-1' } });
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    await fhir.request('Patient', { method: 'POST', body: { ...patient, identifier: [{ system: 'urn:test:mrn', value: 'dup' }] } });
    await fhir.request('Patient', { method: 'POST', body: { ...patient, identifier: [{ system: 'urn:test:mrn', value: 'dup' }] } });
    const ambiguous = await fhir.request('Patient', { method: 'POST', body, headers: { 'if-none-exist': 'identifier=urn:test:mrn|dup' } });
    expect(ambiguous.status).toBe(412);
  });

  it('records a Provenance for every write, found with _revinclude=Provenance:target', async () => {
    const { body: created } = await fhir.request('Patient', { method: 'POST', body: patient });
    await fhir.request(`Patient/${created.id}`, { method: 'PUT', body: { ...created, gender: 'female' } });
    const res = await fhir.request(`Patient?_id=${created.id}&_revinclude=Provenance:target`);
    const provenances = res.body.entry.filter((e: { search: { mode: string } }) => e.search.mode === 'include').map((e: { resource: unknown }) => e.resource);
    expect(provenances).toHaveLength(2);
    expect(provenances.map((p: { target: { reference: string }[] }) => p.target[0]!.reference).sort()).toEqual([
      `Patient/${created.id}/_history/1`,
      `Patient/${created.id}/_history/2`,
    ]);
    expect(provenances[0].agent[0].who.reference).toBe('Practitioner/dr-test');
  });
});

describe('bad input answers an OperationOutcome, never 5xx', () => {
  it('401 without a token, with a Bearer challenge', async () => {
    const res = await fhir.request('Patient', { token: null });
    expect(res.status).toBe(401);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('401 for an expired or foreign-signed token', async () => {
    const expired = await fhir.token({ scope: 'user/Patient.rs', expiresIn: -60 });
    expect((await fhir.request('Patient', { token: expired })).status).toBe(401);
    const [h, p] = fhir.adminToken.split('.');
    expect((await fhir.request('Patient', { token: `${h}.${p}.AAAA` })).status).toBe(401);
  });

  it('403 when the scopes do not cover the type', async () => {
    const token = await fhir.token({ scope: 'user/Observation.rs' });
    const res = await fhir.request('Patient', { token });
    expect(res.status).toBe(403);
    expect(res.body.issue[0].code).toBe('forbidden');
  });

  it('400 for malformed JSON', async () => {
    const res = await fhir.request('Patient', { method: 'POST', body: '{"resourceType": "Patient",' });
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });

  it('413 for a body over the limit', async () => {
    const huge = { ...patient, text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${'x'.repeat(17 * 1024 * 1024)}</div>` } };
    const res = await fhir.request('Patient', { method: 'POST', body: huge });
    expect(res.status).toBe(413);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });

  it('422 for a wrong resourceType or an invalid resource, with the path', async () => {
    const wrongType = await fhir.request('Patient', { method: 'POST', body: { resourceType: 'Observation', status: 'final', code: { text: 'x' } } });
    expect(wrongType.status).toBe(422);
    const invalid = await fhir.request('Patient', { method: 'POST', body: { resourceType: 'Patient', birthDate: 'yesterday', foo: 1 } });
    expect(invalid.status).toBe(422);
    const expressions = invalid.body.issue.flatMap((issue: { expression?: string[] }) => issue.expression ?? []);
    expect(expressions).toEqual(expect.arrayContaining(['Patient.birthDate', 'Patient.foo']));
  });

  it('422 for a code outside a required value set, and nothing stored', async () => {
    const res = await fhir.request('Patient/bad-gender', { method: 'PUT', body: { resourceType: 'Patient', id: 'bad-gender', gender: 'mail' } });
    expect(res.status).toBe(422);
    expect(res.body.issue).toEqual(expect.arrayContaining([expect.objectContaining({ severity: 'error', code: 'code-invalid', expression: ['Patient.gender'] })]));
    expect((await fhir.request('Patient/bad-gender')).status).toBe(404);
    const obs = await fhir.request('Observation', { method: 'POST', body: { resourceType: 'Observation', status: 'done', code: { text: 'x' } } });
    expect(obs.status).toBe(422);
    expect(obs.body.issue.flatMap((issue: { expression?: string[] }) => issue.expression ?? [])).toContain('Observation.status');
  });

  it('404 for an unknown type or id', async () => {
    expect((await fhir.request('Patient/does-not-exist')).status).toBe(404);
    const unknownType = await fhir.request('Spaceship/1');
    expect(unknownType.status).toBe(404);
    expect(unknownType.body.resourceType).toBe('OperationOutcome');
  });

  it('406 for _format=xml and 200 for _format=json', async () => {
    expect((await fhir.request('Patient?_format=xml')).status).toBe(406);
    expect((await fhir.request('Patient?_format=json')).status).toBe(200);
  });
});

describe('history paging and odd input', () => {
  it('pages instance history newest first with next links', async () => {
    const { body: created } = await fhir.request('Patient', { method: 'POST', body: patient });
    for (const gender of ['female', 'other', 'unknown']) await fhir.request(`Patient/${created.id}`, { method: 'PUT', body: { ...created, gender } });
    const versions: string[] = [];
    let url: string | undefined = `Patient/${created.id}/_history?_count=3`;
    while (url) {
      const res = await fhir.request(url);
      expect(res.status).toBe(200);
      versions.push(...res.body.entry.map((e: { resource: { meta: { versionId: string } } }) => e.resource.meta.versionId));
      const next = res.body.link.find((l: { relation: string }) => l.relation === 'next')?.url as string | undefined;
      url = next ? `/fhir/r4${next.slice(fhir.base.length)}` : undefined;
    }
    expect(versions).toEqual(['4', '3', '2', '1']);
  });

  it('answers 400, not 500, to a forged _cursor', async () => {
    const res = await fhir.request('Patient?_cursor=bm9wZQ');
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });

  it('answers 400 to an invalid id in PUT and 404 to an unknown version', async () => {
    expect((await fhir.request(`Patient/${'x'.repeat(65)}`, { method: 'PUT', body: { resourceType: 'Patient' } })).status).toBe(400);
    const { body: created } = await fhir.request('Patient', { method: 'POST', body: patient });
    expect((await fhir.request(`Patient/${created.id}/_history/9`)).status).toBe(404);
    expect((await fhir.request(`Patient/${created.id}/_history/abc`)).status).toBe(404);
  });
});
