import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FhirTestServer } from '../../../../test/fhir/harness.js';

let fhir: FhirTestServer;

beforeAll(async () => {
  fhir = await FhirTestServer.start();
});

afterAll(async () => {
  await fhir.close();
});

describe('the CapabilityStatement', () => {
  it('lists every R4 resource type with its interactions and search parameters, without a token', async () => {
    const res = await fhir.request('metadata', { token: null });
    expect(res.status).toBe(200);
    const rest = res.body.rest[0];
    const types = rest.resource.map((r: { type: string }) => r.type);
    expect(types).toEqual(expect.arrayContaining(['AllergyIntolerance', 'DocumentReference', 'Observation', 'Patient', 'Provenance', 'Specimen', 'ValueSet']));
    expect(types).not.toContain('DomainResource');
    const observation = rest.resource.find((r: { type: string }) => r.type === 'Observation');
    expect(observation.interaction.map((i: { code: string }) => i.code)).toEqual(expect.arrayContaining(['read', 'vread', 'create', 'update', 'delete', 'search-type', 'history-instance']));
    expect(observation.searchParam).toContainEqual({ name: 'code', type: 'token', definition: 'http://hl7.org/fhir/SearchParameter/clinical-code' });
    expect(observation.searchInclude).toContain('Observation:patient');
    const patient = rest.resource.find((r: { type: string }) => r.type === 'Patient');
    expect(patient.searchRevInclude).toContain('Provenance:target');
    expect(rest.security.service[0].coding[0].code).toBe('SMART-on-FHIR');
    expect(rest.interaction.map((i: { code: string }) => i.code)).toEqual(['transaction', 'batch', 'search-system', 'history-system']);
  });
});
