import { systemPolicy } from '../../server/src/fhir/access/policy.js';
import { createFhirService } from '../../server/src/fhir/api.js';
import type { RunningServer } from '../../server/src/server.js';

const coding = (system: string, code: string) => ({ coding: [{ system, code }] });
const category = (code: string) => [coding('http://terminology.hl7.org/CodeSystem/observation-category', code)];

/** Three patients with their data, one organization and two practitioners (one referenced by nobody), one Group of p1 and p2. */
export const seedResources: Record<string, unknown>[] = [
  { resourceType: 'Organization', id: 'org1', name: 'Main Street Practice' },
  { resourceType: 'Practitioner', id: 'prac1', name: [{ family: 'Jones' }] },
  { resourceType: 'Practitioner', id: 'prac2', name: [{ family: 'Nobody' }] },
  { resourceType: 'Patient', id: 'p1', name: [{ family: 'One' }], managingOrganization: { reference: 'Organization/org1' }, generalPractitioner: [{ reference: 'Practitioner/prac1' }] },
  { resourceType: 'Patient', id: 'p2', name: [{ family: 'Two' }] },
  { resourceType: 'Patient', id: 'p3', name: [{ family: 'Three' }] },
  { resourceType: 'Observation', id: 'o1', status: 'final', category: category('laboratory'), code: coding('http://loinc.org', '2339-0'), subject: { reference: 'Patient/p1' }, performer: [{ reference: 'Practitioner/prac1' }] },
  { resourceType: 'Observation', id: 'o2', status: 'final', category: category('vital-signs'), code: coding('http://loinc.org', '8867-4'), subject: { reference: 'Patient/p1' } },
  { resourceType: 'Observation', id: 'o3', status: 'final', category: category('vital-signs'), code: coding('http://loinc.org', '8867-4'), subject: { reference: 'Patient/p2' } },
  { resourceType: 'Observation', id: 'o4', status: 'final', category: category('vital-signs'), code: coding('http://loinc.org', '8867-4'), subject: { reference: 'Patient/p3' } },
  { resourceType: 'Condition', id: 'c1', subject: { reference: 'Patient/p2' }, code: coding('http://snomed.info/sct', '38341003') },
  { resourceType: 'Group', id: 'g1', type: 'person', actual: true, member: [{ entity: { reference: 'Patient/p1' } }, { entity: { reference: 'Patient/p2' } }] },
];

/** Writes resources as the server itself would (the same repository as the API). */
export async function seed(server: RunningServer, resources: Record<string, unknown>[] = seedResources): Promise<void> {
  const repository = createFhirService(server.context).repository;
  for (const resource of resources) await repository.update(systemPolicy(), String(resource.resourceType), String(resource.id), resource);
}
