import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FhirTestServer, matchIds } from '../../../../test/fhir/harness.js';

let fhir: FhirTestServer;

beforeAll(async () => {
  fhir = await FhirTestServer.start();
});

afterAll(async () => {
  await fhir.close();
});

const post = (body: unknown, headers: Record<string, string> = {}) => fhir.request('', { method: 'POST', body, headers });

describe('transaction Bundles', () => {
  it('resolves urn:uuid references, answers in request order with locations', async () => {
    const res = await post({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:11111111-0000-0000-0000-000000000002',
          resource: { resourceType: 'Observation', status: 'final', code: { text: 'tx-obs' }, subject: { reference: 'urn:uuid:11111111-0000-0000-0000-000000000001' } },
          request: { method: 'POST', url: 'Observation' },
        },
        {
          fullUrl: 'urn:uuid:11111111-0000-0000-0000-000000000001',
          resource: { resourceType: 'Patient', name: [{ family: 'Transact' }] },
          request: { method: 'POST', url: 'Patient' },
        },
        { resource: { resourceType: 'Patient', id: 'tx-put', name: [{ family: 'Putnam' }] }, request: { method: 'PUT', url: 'Patient/tx-put' } },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('transaction-response');
    const [obs, patient, put] = res.body.entry;
    expect(obs.response.status).toBe('201 Created');
    expect(obs.response.location).toMatch(/^Observation\/[^/]+\/_history\/1$/);
    expect(patient.response.location).toMatch(/^Patient\/[^/]+\/_history\/1$/);
    expect(put.response.location).toBe('Patient/tx-put/_history/1');
    const patientId = patient.response.location.split('/')[1];
    const stored = await fhir.request(obs.response.location.split('/_history')[0]);
    expect(stored.body.subject.reference).toBe(`Patient/${patientId}`);
    expect(matchIds((await fhir.request(`Observation?patient=${patientId}`)).body)).toEqual([stored.body.id]);
  });

  it('is all or nothing: one invalid entry leaves the database unchanged', async () => {
    const res = await post({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: { resourceType: 'Patient', id: 'tx-atomic', name: [{ family: 'Atomic' }] }, request: { method: 'PUT', url: 'Patient/tx-atomic' } },
        { resource: { resourceType: 'Patient', birthDate: 'not-a-date' }, request: { method: 'POST', url: 'Patient' } },
      ],
    });
    expect(res.status).toBe(422);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0].diagnostics).toMatch(/^entry 1:/);
    expect((await fhir.request('Patient/tx-atomic')).status).toBe(404);
    expect(matchIds((await fhir.request('Patient?family=atomic')).body)).toEqual([]);
  });

  it('resolves a conditional reference to exactly one match, else 412', async () => {
    await fhir.request('Organization/tx-org', { method: 'PUT', body: { resourceType: 'Organization', id: 'tx-org', identifier: [{ system: 'urn:org', value: 'one' }], name: 'One' } });
    const ok = await post({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [{ resource: { resourceType: 'Patient', managingOrganization: { reference: 'Organization?identifier=urn:org|one' } }, request: { method: 'POST', url: 'Patient' } }],
    });
    expect(ok.status).toBe(200);
    const created = await fhir.request(ok.body.entry[0].response.location.split('/_history')[0]);
    expect(created.body.managingOrganization.reference).toBe('Organization/tx-org');
    const none = await post({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [{ resource: { resourceType: 'Patient', managingOrganization: { reference: 'Organization?identifier=urn:org|none' } }, request: { method: 'POST', url: 'Patient' } }],
    });
    expect(none.status).toBe(412);
  });

  it('keeps fullUrl aliases so a later Bundle can refer to resources created by an earlier one', async () => {
    const first = await post({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:22222222-0000-0000-0000-00000000000a',
          resource: { resourceType: 'Practitioner', name: [{ family: 'Aliased' }] },
          request: { method: 'POST', url: 'Practitioner', ifNoneExist: 'name=aliased' },
        },
      ],
    });
    const practitioner = first.body.entry[0].response.location.split('/')[1];
    const second = await post({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          resource: { resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, participant: [{ individual: { reference: 'urn:uuid:22222222-0000-0000-0000-00000000000a' } }] },
          request: { method: 'POST', url: 'Encounter' },
        },
      ],
    });
    expect(second.status).toBe(200);
    const encounter = await fhir.request(second.body.entry[0].response.location.split('/_history')[0]);
    expect(encounter.body.participant[0].individual.reference).toBe(`Practitioner/${practitioner}`);
  });

  it('records one Provenance per patient record the transaction wrote to, naming every resource of that record', async () => {
    const res = await post({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: { resourceType: 'Patient', id: 'prov-a' }, request: { method: 'PUT', url: 'Patient/prov-a' } },
        { resource: { resourceType: 'Patient', id: 'prov-b' }, request: { method: 'PUT', url: 'Patient/prov-b' } },
        { resource: { resourceType: 'Observation', id: 'prov-a-obs', status: 'final', code: { text: 'x' }, subject: { reference: 'Patient/prov-a' } }, request: { method: 'PUT', url: 'Observation/prov-a-obs' } },
        { resource: { resourceType: 'Organization', id: 'prov-org', name: 'Shared' }, request: { method: 'PUT', url: 'Organization/prov-org' } },
      ],
    });
    expect(res.status).toBe(200);
    const targetsOf = async (query: string) => {
      const bundle = (await fhir.request(`${query}&_revinclude=Provenance:target`)).body;
      const provenances = bundle.entry.filter((e: { search: { mode: string } }) => e.search.mode === 'include');
      return provenances.map((p: { resource: { target: { reference: string }[] } }) => p.resource.target.map((t) => t.reference).sort());
    };
    // a patient allowed to read Provenance never learns what was written to another patient's record
    expect(await targetsOf('Patient?_id=prov-a')).toEqual([['Observation/prov-a-obs/_history/1', 'Patient/prov-a/_history/1']]);
    expect(await targetsOf('Patient?_id=prov-b')).toEqual([['Patient/prov-b/_history/1']]);
    expect(await targetsOf('Organization?_id=prov-org')).toEqual([['Organization/prov-org/_history/1']]);
  });
});

describe('index rows written inside a transaction', () => {
  it('are visible to a later conditional entry and reflect only the last write of a resource', async () => {
    const res = await post({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: { resourceType: 'Patient', id: 'twice', name: [{ family: 'Firstname' }] }, request: { method: 'PUT', url: 'Patient/twice' } },
        { resource: { resourceType: 'Patient', id: 'twice', name: [{ family: 'Secondname' }] }, request: { method: 'PUT', url: 'Patient/twice' } },
        {
          resource: { resourceType: 'Observation', id: 'after', status: 'final', code: { text: 'after' }, subject: { reference: 'Patient?family=secondname' } },
          request: { method: 'PUT', url: 'Observation/after' },
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(matchIds((await fhir.request('Patient?family=firstname')).body)).toEqual([]);
    expect(matchIds((await fhir.request('Patient?family=secondname')).body)).toEqual(['twice']);
    const obs = await fhir.request(res.body.entry[2].response.location.split('/_history')[0]);
    expect(obs.body.subject.reference).toBe('Patient/twice');
  });
});

describe('batch Bundles', () => {
  it('applies each entry on its own and reports failures per entry', async () => {
    const res = await post({
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { resource: { resourceType: 'Patient', id: 'batch-ok' }, request: { method: 'PUT', url: 'Patient/batch-ok' } },
        { resource: { resourceType: 'Patient', gender: 42 }, request: { method: 'POST', url: 'Patient' } },
        { request: { method: 'GET', url: 'Patient/batch-ok' } },
        { request: { method: 'GET', url: 'Patient?_id=batch-ok' } },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('batch-response');
    const statuses = res.body.entry.map((e: { response: { status: string } }) => e.response.status);
    expect(statuses).toEqual(['201 Created', '422', '200 OK', '200 OK']);
    expect(res.body.entry[2].resource.id).toBe('batch-ok');
    expect(res.body.entry[3].resource.total).toBe(1);
  });

  it('refuses a Bundle that is neither batch nor transaction with 422', async () => {
    expect((await post({ resourceType: 'Bundle', type: 'collection' })).status).toBe(422);
  });
});
