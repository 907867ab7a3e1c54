import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FhirTestServer, matchIds } from './harness.js';

let fhir: FhirTestServer;

const mrn = 'urn:cp-mrn';
const patientBody = (value: string, extra: Record<string, unknown> = {}) => ({ resourceType: 'Patient', identifier: [{ system: mrn, value }], ...extra });
const observation = (id: string, patient: string, identifier: string) => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  identifier: [{ system: 'urn:cp-obs', value: identifier }],
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
  subject: { reference: `Patient/${patient}` },
  valueQuantity: { value: 70, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
});

const patch = (path: string, operations: unknown, headers: Record<string, string> = {}, token?: string) =>
  fhir.request(path, { method: 'PATCH', body: operations, headers: { 'content-type': 'application/json-patch+json', ...headers }, ...(token ? { token } : {}) });

async function put(resource: { resourceType: string; id: string }): Promise<void> {
  const res = await fhir.request(`${resource.resourceType}/${resource.id}`, { method: 'PUT', body: resource });
  if (res.status >= 300) throw new Error(`seeding ${resource.resourceType}/${resource.id}: ${res.status} ${res.text}`);
}

function seedPatient(id: string, value: string, extra: Record<string, unknown> = {}): Promise<void> {
  return put({ ...patientBody(value, extra), id });
}

/** Ids of the Patients with an identifier value (admin view). */
async function patientsWith(value: string): Promise<string[]> {
  return matchIds((await fhir.request(`Patient?identifier=${encodeURIComponent(`${mrn}|${value}`)}`)).body);
}

beforeAll(async () => {
  fhir = await FhirTestServer.start();
  await seedPatient('cp-anna', 'ANNA');
  await seedPatient('cp-bert', 'BERT');
  await put(observation('cp-obs-anna', 'cp-anna', 'OBS-ANNA'));
  await put(observation('cp-obs-bert', 'cp-bert', 'OBS-BERT'));
});

afterAll(async () => {
  await fhir.close();
});

describe('conditional update', () => {
  it('creates under a server id when nothing matches, then updates the one match', async () => {
    const created = await fhir.request(`Patient?identifier=${mrn}|CU-1`, { method: 'PUT', body: patientBody('CU-1', { gender: 'female' }) });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.headers.location).toBe(`${fhir.base}/Patient/${id}/_history/1`);

    const updated = await fhir.request(`Patient?identifier=${mrn}|CU-1`, { method: 'PUT', body: patientBody('CU-1', { gender: 'male' }) });
    expect(updated.status).toBe(200);
    expect(updated.body.id).toBe(id);
    expect(updated.headers.etag).toBe('W/"2"');
    expect(await patientsWith('CU-1')).toEqual([id]);
    expect((await fhir.request(`Patient/${id}`)).body.gender).toBe('male');
  });

  it('creates under the client id in the body when nothing matches', async () => {
    const res = await fhir.request(`Patient?identifier=${mrn}|CU-2`, { method: 'PUT', body: patientBody('CU-2', { id: 'cu-client-2' }) });
    expect(res.status).toBe(201);
    expect(res.body.id).toBe('cu-client-2');
    expect(res.headers.location).toBe(`${fhir.base}/Patient/cu-client-2/_history/1`);
  });

  it('refuses several matches with 412 and changes none of them', async () => {
    await seedPatient('cu-dup-1', 'CU-DUP');
    await seedPatient('cu-dup-2', 'CU-DUP');
    const res = await fhir.request(`Patient?identifier=${mrn}|CU-DUP`, { method: 'PUT', body: patientBody('CU-DUP', { gender: 'other' }) });
    expect(res.status).toBe(412);
    expect(res.body.resourceType).toBe('OperationOutcome');
    for (const id of ['cu-dup-1', 'cu-dup-2']) expect((await fhir.request(`Patient/${id}`)).body.meta.versionId).toBe('1');
  });

  it('refuses a body id that differs from the match (400) or names a resource the condition did not match (409)', async () => {
    await seedPatient('cu-3', 'CU-3');
    const differs = await fhir.request(`Patient?identifier=${mrn}|CU-3`, { method: 'PUT', body: patientBody('CU-3', { id: 'cu-other' }) });
    expect(differs.status).toBe(400);
    const elsewhere = await fhir.request(`Patient?identifier=${mrn}|NOBODY`, { method: 'PUT', body: patientBody('NOBODY', { id: 'cu-3' }) });
    expect(elsewhere.status).toBe(409);
    expect((await fhir.request('Patient/cu-3')).body.meta.versionId).toBe('1');
    expect(await patientsWith('NOBODY')).toEqual([]);
  });

  it('answers 400 without criteria or with an unknown parameter, and honours If-Match', async () => {
    expect((await fhir.request('Patient', { method: 'PUT', body: patientBody('CU-4') })).status).toBe(400);
    expect((await fhir.request('Patient?nonsense=1', { method: 'PUT', body: patientBody('CU-4') })).status).toBe(400);
    await seedPatient('cu-4', 'CU-4');
    const stale = await fhir.request(`Patient?identifier=${mrn}|CU-4`, { method: 'PUT', body: patientBody('CU-4'), headers: { 'if-match': 'W/"7"' } });
    expect(stale.status).toBe(412);
    const fresh = await fhir.request(`Patient?identifier=${mrn}|CU-4`, { method: 'PUT', body: patientBody('CU-4'), headers: { 'if-match': 'W/"1"' } });
    expect(fresh.status).toBe(200);
    expect(fresh.body.meta.versionId).toBe('2');
  });
});

describe('conditional delete (single)', () => {
  it('deletes the one match', async () => {
    await seedPatient('cd-1', 'CD-1');
    const res = await fhir.request(`Patient?identifier=${mrn}|CD-1`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect((await fhir.request('Patient/cd-1')).status).toBe(410);
  });

  it('answers 200 with an OperationOutcome when nothing matches', async () => {
    const res = await fhir.request(`Patient?identifier=${mrn}|CD-NONE`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0].diagnostics).toMatch(/nothing was deleted/);
  });

  it('refuses several matches with 412 and deletes none', async () => {
    await seedPatient('cd-dup-1', 'CD-DUP');
    await seedPatient('cd-dup-2', 'CD-DUP');
    expect((await fhir.request(`Patient?identifier=${mrn}|CD-DUP`, { method: 'DELETE' })).status).toBe(412);
    expect(await patientsWith('CD-DUP')).toEqual(['cd-dup-1', 'cd-dup-2']);
  });

  it('answers 400 without criteria', async () => {
    expect((await fhir.request('Patient', { method: 'DELETE' })).status).toBe(400);
  });
});

describe('conditional read', () => {
  it('answers 304 when If-None-Match names the current version or If-Modified-Since is not older', async () => {
    await seedPatient('cr-1', 'CR-1');
    const current = await fhir.request('Patient/cr-1', { headers: { 'if-none-match': 'W/"1"' } });
    expect(current.status).toBe(304);
    expect(current.text).toBe('');
    expect(current.headers.etag).toBe('W/"1"');
    expect((await fhir.request('Patient/cr-1', { headers: { 'if-none-match': 'W/"0"' } })).status).toBe(200);
    const later = new Date(Date.now() + 60_000).toUTCString();
    const earlier = new Date(Date.now() - 3_600_000).toUTCString();
    expect((await fhir.request('Patient/cr-1', { headers: { 'if-modified-since': later } })).status).toBe(304);
    const changed = await fhir.request('Patient/cr-1', { headers: { 'if-modified-since': earlier } });
    expect(changed.status).toBe(200);
    expect(changed.body.id).toBe('cr-1');
  });
});

describe('PATCH with JSON Patch', () => {
  it('applies the patch as an update: new version, history and Provenance', async () => {
    await seedPatient('pa-1', 'PA-1', { gender: 'female' });
    const res = await patch('Patient/pa-1', [
      { op: 'replace', path: '/gender', value: 'male' },
      { op: 'add', path: '/birthDate', value: '1970-01-02' },
    ]);
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('W/"2"');
    expect(res.body).toMatchObject({ id: 'pa-1', gender: 'male', birthDate: '1970-01-02', meta: { versionId: '2' } });
    expect((await fhir.request('Patient/pa-1')).body.gender).toBe('male');
    expect((await fhir.request('Patient/pa-1/_history/1')).body.gender).toBe('female');
    const provenance = await fhir.request('Provenance?target=Patient/pa-1');
    const targets = provenance.body.entry.map((e: { resource: { target: { reference: string }[] } }) => e.resource.target[0]!.reference).sort();
    expect(targets).toEqual(['Patient/pa-1/_history/1', 'Patient/pa-1/_history/2']);
  });

  it('honours If-Match: 412 for a stale version, 200 for the current one', async () => {
    await seedPatient('pa-2', 'PA-2');
    const operations = [{ op: 'add', path: '/active', value: true }];
    expect((await patch('Patient/pa-2', operations, { 'if-match': 'W/"2"' })).status).toBe(412);
    const res = await patch('Patient/pa-2', operations, { 'if-match': 'W/"1"' });
    expect(res.status).toBe(200);
    expect(res.body.active).toBe(true);
  });

  it('answers 422 to a failing test operation and changes nothing', async () => {
    await seedPatient('pa-3', 'PA-3', { gender: 'female' });
    const res = await patch('Patient/pa-3', [
      { op: 'test', path: '/gender', value: 'male' },
      { op: 'replace', path: '/gender', value: 'other' },
    ]);
    expect(res.status).toBe(422);
    expect(res.body.resourceType).toBe('OperationOutcome');
    const current = (await fhir.request('Patient/pa-3')).body;
    expect(current.gender).toBe('female');
    expect(current.meta.versionId).toBe('1');
  });

  it('refuses patches of the id or the resource type with 422', async () => {
    await seedPatient('pa-4', 'PA-4');
    expect((await patch('Patient/pa-4', [{ op: 'replace', path: '/id', value: 'pa-other' }])).status).toBe(422);
    expect((await patch('Patient/pa-4', [{ op: 'remove', path: '/id' }])).status).toBe(422);
    expect((await patch('Patient/pa-4', [{ op: 'replace', path: '/resourceType', value: 'Practitioner' }])).status).toBe(422);
    expect((await fhir.request('Patient/pa-4')).body.meta.versionId).toBe('1');
    expect((await fhir.request('Patient/pa-other')).status).toBe(404);
  });

  it('validates the patched resource like an update', async () => {
    await seedPatient('pa-5', 'PA-5');
    const res = await patch('Patient/pa-5', [{ op: 'add', path: '/birthDate', value: 'not-a-date' }]);
    expect(res.status).toBe(422);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect((await fhir.request('Patient/pa-5')).body.birthDate).toBeUndefined();
  });

  it('answers 400 to a malformed patch, 415 to another content type and 404 to an unknown id', async () => {
    await seedPatient('pa-6', 'PA-6');
    expect((await patch('Patient/pa-6', { op: 'add', path: '/active', value: true })).status).toBe(400);
    expect((await patch('Patient/pa-6', [{ op: 'jump', path: '/active' }])).status).toBe(400);
    const wrongType = await fhir.request('Patient/pa-6', { method: 'PATCH', body: [{ op: 'add', path: '/active', value: true }] });
    expect(wrongType.status).toBe(415);
    expect((await patch('Patient/pa-missing', [{ op: 'add', path: '/active', value: true }])).status).toBe(404);
    expect((await fhir.request('Patient/pa-6')).body.meta.versionId).toBe('1');
  });

  it('patches the one resource a condition names', async () => {
    await seedPatient('pa-7', 'PA-7');
    const res = await patch(`Patient?identifier=${mrn}|PA-7`, [{ op: 'add', path: '/active', value: false }]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'pa-7', active: false, meta: { versionId: '2' } });
    expect((await patch(`Patient?identifier=${mrn}|PA-NONE`, [{ op: 'add', path: '/active', value: false }])).status).toBe(404);
  });
});

describe('conditional entries in Bundles', () => {
  it('runs conditional updates and deletes in a transaction, resolving references to a conditional entry', async () => {
    await seedPatient('bx-1', 'BX-1');
    await seedPatient('bx-gone', 'BX-GONE');
    const res = await fhir.postBundle('transaction', [
      { fullUrl: 'urn:uuid:0b0b0b0b-0000-4000-8000-000000000001', resource: patientBody('BX-1', { gender: 'male' }), request: { method: 'PUT', url: `Patient?identifier=${mrn}|BX-1` } },
      { fullUrl: 'urn:uuid:0b0b0b0b-0000-4000-8000-000000000002', resource: patientBody('BX-NEW'), request: { method: 'PUT', url: `Patient?identifier=${mrn}|BX-NEW` } },
      { request: { method: 'DELETE', url: `Patient?identifier=${mrn}|BX-GONE` } },
      {
        resource: { ...observation('bx-obs', 'x', 'BX-OBS'), subject: { reference: 'urn:uuid:0b0b0b0b-0000-4000-8000-000000000002' } },
        request: { method: 'PUT', url: 'Observation/bx-obs' },
      },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.entry.map((e: { response: { status: string } }) => e.response.status)).toEqual(['200 OK', '201 Created', '204 No Content', '201 Created']);
    expect(res.body.entry[0].response.location).toBe('Patient/bx-1/_history/2');
    const [created] = await patientsWith('BX-NEW');
    expect(res.body.entry[1].response.location).toBe(`Patient/${created}/_history/1`);
    expect((await fhir.request('Observation/bx-obs')).body.subject.reference).toBe(`Patient/${created}`);
    expect((await fhir.request('Patient/bx-gone')).status).toBe(410);
  });

  it('rolls a transaction back when a conditional entry matches several resources', async () => {
    await seedPatient('bx-dup-1', 'BX-DUP');
    await seedPatient('bx-dup-2', 'BX-DUP');
    const res = await fhir.postBundle('transaction', [
      { resource: patientBody('BX-ROLLBACK'), request: { method: 'PUT', url: `Patient?identifier=${mrn}|BX-ROLLBACK` } },
      { request: { method: 'DELETE', url: `Patient?identifier=${mrn}|BX-DUP` } },
    ]);
    expect(res.status).toBe(412);
    expect(await patientsWith('BX-ROLLBACK')).toEqual([]);
    expect(await patientsWith('BX-DUP')).toEqual(['bx-dup-1', 'bx-dup-2']);
  });

  it('applies PATCH entries (a Binary JSON Patch) by id and by condition, and refuses other bodies', async () => {
    await seedPatient('bp-1', 'BP-1');
    await seedPatient('bp-2', 'BP-2');
    const binary = (operations: unknown) => ({ resourceType: 'Binary', contentType: 'application/json-patch+json', data: Buffer.from(JSON.stringify(operations)).toString('base64') });
    const res = await fhir.postBundle('transaction', [
      { resource: binary([{ op: 'add', path: '/gender', value: 'female' }]), request: { method: 'PATCH', url: 'Patient/bp-1' } },
      { resource: binary([{ op: 'add', path: '/active', value: true }]), request: { method: 'PATCH', url: `Patient?identifier=${mrn}|BP-2` } },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.entry.map((e: { response: { status: string; location: string } }) => [e.response.status, e.response.location])).toEqual([
      ['200 OK', 'Patient/bp-1/_history/2'],
      ['200 OK', 'Patient/bp-2/_history/2'],
    ]);
    expect((await fhir.request('Patient/bp-1')).body.gender).toBe('female');
    expect((await fhir.request('Patient/bp-2')).body.active).toBe(true);

    const failing = await fhir.postBundle('transaction', [
      { resource: binary([{ op: 'add', path: '/gender', value: 'male' }]), request: { method: 'PATCH', url: 'Patient/bp-1' } },
      { resource: binary([{ op: 'test', path: '/active', value: false }]), request: { method: 'PATCH', url: 'Patient/bp-2' } },
    ]);
    expect(failing.status).toBe(422);
    expect((await fhir.request('Patient/bp-1')).body.gender).toBe('female');
    const notBinary = await fhir.postBundle('batch', [{ resource: patientBody('BP-1'), request: { method: 'PATCH', url: 'Patient/bp-1' } }]);
    expect(notBinary.body.entry[0].response.status).toBe('400');
  });

  it('answers each conditional entry of a batch on its own', async () => {
    await seedPatient('bb-dup-1', 'BB-DUP');
    await seedPatient('bb-dup-2', 'BB-DUP');
    const res = await fhir.postBundle('batch', [
      { request: { method: 'DELETE', url: `Patient?identifier=${mrn}|BB-DUP` } },
      { request: { method: 'DELETE', url: `Patient?identifier=${mrn}|BB-NONE` } },
      { resource: patientBody('BB-NEW'), request: { method: 'PUT', url: `Patient?identifier=${mrn}|BB-NEW` } },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.entry.map((e: { response: { status: string } }) => e.response.status)).toEqual(['412', '200 OK', '201 Created']);
    expect(res.body.entry[1].response.outcome.resourceType).toBe('OperationOutcome');
    expect(await patientsWith('BB-DUP')).toEqual(['bb-dup-1', 'bb-dup-2']);
    expect(await patientsWith('BB-NEW')).toHaveLength(1);
  });
});

describe("a patient token never reaches another patient's data through conditional interactions or PATCH", () => {
  const annaToken = () => fhir.token({ scope: 'patient/Patient.cruds patient/Observation.cruds', patient: 'cp-anna' });
  const bertObservation = async () => (await fhir.request('Observation/cp-obs-bert')).body;

  it('conditional update: a condition naming Bert’s data matches nothing, and cannot write into his compartment', async () => {
    const token = await annaToken();
    const onBert = await fhir.request('Observation?identifier=urn:cp-obs|OBS-BERT', { method: 'PUT', body: { ...observation('x', 'cp-bert', 'OBS-BERT'), id: undefined }, token });
    expect(onBert.status).toBe(403);
    const claimed = await fhir.request('Observation?identifier=urn:cp-obs|OBS-BERT', { method: 'PUT', body: observation('cp-obs-bert', 'cp-anna', 'OBS-BERT'), token });
    expect(claimed.status).toBe(404);
    const own = await fhir.request('Observation?identifier=urn:cp-obs|OBS-BERT', { method: 'PUT', body: { ...observation('x', 'cp-anna', 'OBS-BERT'), id: undefined }, token });
    expect(own.status).toBe(201);
    expect(own.body.id).not.toBe('cp-obs-bert');
    const bert = await bertObservation();
    expect(bert.meta.versionId).toBe('1');
    expect(bert.subject.reference).toBe('Patient/cp-bert');
  });

  it('PATCH: Bert’s resources answer 404, by id and by condition', async () => {
    const token = await annaToken();
    const operations = [{ op: 'replace', path: '/status', value: 'cancelled' }];
    expect((await patch('Observation/cp-obs-bert', operations, {}, token)).status).toBe(404);
    expect((await patch('Patient/cp-bert', [{ op: 'add', path: '/active', value: false }], {}, token)).status).toBe(404);
    expect((await patch('Observation?_id=cp-obs-bert', operations, {}, token)).status).toBe(404);
    expect((await bertObservation()).status).toBe('final');
    const own = await patch('Observation/cp-obs-anna', [{ op: 'replace', path: '/valueQuantity/value', value: 71 }], {}, token);
    expect(own.status).toBe(200);
    expect(own.body.valueQuantity.value).toBe(71);
    expect((await patch('Observation/cp-obs-anna', [{ op: 'replace', path: '/subject/reference', value: 'Patient/cp-bert' }], {}, token)).status).toBe(403);
    const data = Buffer.from(JSON.stringify(operations)).toString('base64');
    const bundle = await fhir.postBundle(
      'batch',
      [
        { resource: { resourceType: 'Binary', contentType: 'application/json-patch+json', data }, request: { method: 'PATCH', url: 'Observation/cp-obs-bert' } },
        { resource: { resourceType: 'Binary', contentType: 'application/json-patch+json', data }, request: { method: 'PATCH', url: 'Observation?_id=cp-obs-bert' } },
      ],
      token,
    );
    expect(bundle.body.entry.map((e: { response: { status: string } }) => e.response.status)).toEqual(['404', '404']);
    expect((await bertObservation()).meta.versionId).toBe('1');
  });

  it('conditional delete: a condition naming Bert’s data deletes nothing, also in a Bundle', async () => {
    const token = await annaToken();
    const res = await fhir.request('Observation?_id=cp-obs-bert', { method: 'DELETE', token });
    expect(res.status).toBe(200);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect((await fhir.request('Patient?_id=cp-bert', { method: 'DELETE', token })).status).toBe(200);
    const bundle = await fhir.postBundle('transaction', [{ request: { method: 'DELETE', url: 'Observation?subject=Patient/cp-bert' } }], token);
    expect(bundle.status).toBe(200);
    expect(bundle.body.entry[0].response.status).toBe('200 OK');
    expect((await fhir.request('Observation/cp-obs-bert')).status).toBe(200);
    expect((await fhir.request('Patient/cp-bert')).status).toBe(200);
  });

  it('cannot re-create a deleted resource of Bert’s and so open up its history', async () => {
    await put(observation('cp-obs-bert-deleted', 'cp-bert', 'OBS-BERT-DELETED'));
    expect((await fhir.request('Observation/cp-obs-bert-deleted', { method: 'DELETE' })).status).toBe(204);
    const token = await annaToken();
    const mine = observation('cp-obs-bert-deleted', 'cp-anna', 'OBS-BERT-DELETED');
    expect((await fhir.request('Observation/cp-obs-bert-deleted', { method: 'PUT', body: mine, token })).status).toBe(404);
    expect((await fhir.request('Observation?identifier=urn:cp-obs|NOTHING-MATCHES', { method: 'PUT', body: mine, token })).status).toBe(404);
    expect((await fhir.request('Observation/cp-obs-bert-deleted/_history', { token })).body.entry ?? []).toEqual([]);
    expect((await fhir.request('Observation/cp-obs-bert-deleted/_history')).body.entry).toHaveLength(2);
    // her own deleted resource she may bring back
    await put(observation('cp-obs-anna-deleted', 'cp-anna', 'OBS-ANNA-DELETED'));
    expect((await fhir.request('Observation/cp-obs-anna-deleted', { method: 'DELETE' })).status).toBe(204);
    expect((await fhir.request('Observation/cp-obs-anna-deleted', { method: 'PUT', body: observation('cp-obs-anna-deleted', 'cp-anna', 'OBS-ANNA-DELETED'), token })).status).toBe(201);
  });

  it('conditional read: Bert’s resources answer 404, never 304', async () => {
    const token = await annaToken();
    expect((await fhir.request('Observation/cp-obs-bert', { headers: { 'if-none-match': 'W/"1"' }, token })).status).toBe(404);
    expect((await fhir.request('Observation/cp-obs-anna', { headers: { 'if-none-match': '*' }, token })).status).toBe(304);
  });
});
