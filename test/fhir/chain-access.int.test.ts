import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FhirTestServer, matchIds } from './harness.js';

// A chained or _has criterion reads another type: it must see of that type only what the caller
// may search itself, or it would tell which patients have data the caller's scopes leave out.
let fhir: FhirTestServer;

const category = (code: string) => [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code }] }];
const observation = (id: string, patient: string, cat: string, code: string) => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  category: category(cat),
  code: { coding: [{ system: 'http://loinc.org', code }] },
  subject: { reference: `Patient/${patient}` },
});

beforeAll(async () => {
  fhir = await FhirTestServer.start();
  const resources = [
    { resourceType: 'Patient', id: 'ca-anna', name: [{ family: 'Annaberg' }] },
    { resourceType: 'Patient', id: 'ca-bert', name: [{ family: 'Bertold' }] },
    observation('ca-anna-lab', 'ca-anna', 'laboratory', '2339-0'),
    // a result outside a laboratory-only scope
    observation('ca-anna-sens', 'ca-anna', 'social-history', '11331-6'),
    observation('ca-bert-sens', 'ca-bert', 'social-history', '11331-6'),
  ];
  for (const resource of resources) {
    const res = await fhir.request(`${resource.resourceType}/${resource.id}`, { method: 'PUT', body: resource });
    if (res.status >= 300) throw new Error(`seeding ${resource.id}: ${res.status} ${res.text}`);
  }
});

afterAll(async () => {
  await fhir.close();
});

const searchAs = async (scope: string, query: string, patient?: string) => {
  const token = await fhir.token({ scope, ...(patient ? { patient } : {}) });
  return fhir.request(query, { token });
};

describe('chained and _has criteria under the caller’s access', () => {
  it('find through the other type what full access to it finds', async () => {
    const res = await searchAs('user/Patient.rs user/Observation.rs', 'Patient?_has:Observation:patient:code=11331-6');
    expect(matchIds(res.body)).toEqual(['ca-anna', 'ca-bert']);
    const chained = await searchAs('user/Patient.rs user/Observation.rs', 'Observation?subject:Patient.name=bertold');
    expect(matchIds(chained.body)).toEqual(['ca-bert-sens']);
  });

  it('see only what a granular scope grants of the type they pass through', async () => {
    const scope = 'user/Patient.rs user/Observation.rs?category=laboratory';
    expect(matchIds((await searchAs(scope, 'Patient?_has:Observation:patient:code=11331-6')).body)).toEqual([]);
    expect(matchIds((await searchAs(scope, 'Patient?_has:Observation:patient:code=2339-0')).body)).toEqual(['ca-anna']);
  });

  it('answer 403 when the caller may not read the type they pass through', async () => {
    for (const [scope, query] of [
      ['user/Patient.rs', 'Patient?_has:Observation:patient:code=11331-6'],
      ['user/Observation.rs', 'Observation?subject:Patient.name=bertold'],
      ['user/Observation.rs', 'Observation?patient.name=bertold'],
    ] as const) {
      const res = await searchAs(scope, query);
      expect(res.status, query).toBe(403);
      expect(res.body.resourceType).toBe('OperationOutcome');
      expect(res.body.issue[0].code).toBe('forbidden');
    }
  });

  it('keep a patient token inside its compartment on the way', async () => {
    const scope = 'patient/Patient.rs patient/Observation.rs';
    expect(matchIds((await searchAs(scope, 'Observation?subject:Patient.name=bertold', 'ca-anna')).body)).toEqual([]);
    expect(matchIds((await searchAs(scope, 'Observation?subject:Patient.name=annaberg', 'ca-anna')).body)).toEqual(['ca-anna-lab', 'ca-anna-sens']);
  });
});
