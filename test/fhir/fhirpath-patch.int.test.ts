import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FhirTestServer } from './harness.js';

let fhir: FhirTestServer;

type Part = Record<string, unknown>;

const mrn = 'urn:fpp-mrn';
const operation = (type: string, path: string, ...more: Part[]): Part => ({ name: 'operation', part: [{ name: 'type', valueCode: type }, { name: 'path', valueString: path }, ...more] });
const parameters = (...operations: Part[]) => ({ resourceType: 'Parameters', parameter: operations });
const value = (part: Part): Part => ({ name: 'value', ...part });
const name = (element: string): Part => ({ name: 'name', valueString: element });

/** A FHIRPath Patch request: the harness sends JSON bodies as application/fhir+json. */
const patch = (path: string, document: unknown, headers: Record<string, string> = {}) => fhir.request(path, { method: 'PATCH', body: document, headers });

function patientBody(id: string) {
  return {
    resourceType: 'Patient',
    id,
    identifier: [{ system: mrn, value: id.toUpperCase() }],
    gender: 'female',
    birthDate: '1970-01-02',
    name: [
      { use: 'official', family: 'Ng', given: ['Anna', 'Beth'] },
      { use: 'usual', given: ['Annie'] },
    ],
  };
}

async function seedPatient(id: string): Promise<void> {
  const res = await fhir.request(`Patient/${id}`, { method: 'PUT', body: patientBody(id) });
  if (res.status !== 201) throw new Error(`seeding Patient/${id}: ${res.status} ${res.text}`);
}

/** The stored resource without meta, which every write sets. */
async function readBack(reference: string): Promise<Record<string, unknown>> {
  const { meta: _meta, ...resource } = (await fhir.request(reference)).body as Record<string, unknown>;
  return resource;
}

async function versionOf(reference: string): Promise<string> {
  return (await fhir.request(reference)).body.meta.versionId as string;
}

beforeAll(async () => {
  fhir = await FhirTestServer.start();
});

afterAll(async () => {
  await fhir.close();
});

describe('PATCH with a FHIRPath Patch', () => {
  it('applies every operation type as one update: a new version, history and Provenance', async () => {
    await seedPatient('fpp-1');
    const official = "Patient.name.where(use='official')";
    const res = await patch(
      'Patient/fpp-1',
      parameters(
        operation('add', 'Patient', name('telecom'), value({ valueContactPoint: { system: 'phone', value: '555-0100' } })),
        operation('insert', `${official}.given`, { name: 'index', valueInteger: 1 }, value({ valueString: 'Cleo' })),
        operation('move', `${official}.given`, { name: 'source', valueInteger: 0 }, { name: 'destination', valueInteger: 2 }),
        operation('replace', 'Patient.birthDate', value({ valueDate: '1971-03-04' })),
        operation('delete', "Patient.name.where(use='usual')"),
      ),
    );
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('W/"2"');
    expect(res.body.meta.versionId).toBe('2');
    const expected = {
      resourceType: 'Patient',
      id: 'fpp-1',
      identifier: [{ system: mrn, value: 'FPP-1' }],
      gender: 'female',
      birthDate: '1971-03-04',
      name: [{ use: 'official', family: 'Ng', given: ['Cleo', 'Beth', 'Anna'] }],
      telecom: [{ system: 'phone', value: '555-0100' }],
    };
    expect(await readBack('Patient/fpp-1')).toEqual(expected);
    expect(await readBack('Patient/fpp-1/_history/1')).toEqual(patientBody('fpp-1'));
    const provenance = await fhir.request('Provenance?target=Patient/fpp-1');
    const targets = provenance.body.entry.map((e: { resource: { target: { reference: string }[] } }) => e.resource.target[0]!.reference).sort();
    expect(targets).toEqual(['Patient/fpp-1/_history/1', 'Patient/fpp-1/_history/2']);
  });

  it('takes complex values as parts and resources, and application/json as well as application/fhir+json', async () => {
    await seedPatient('fpp-2');
    const contact = value({
      part: [
        { name: 'name', valueHumanName: { family: 'Ng', given: ['Carl'] } },
        { name: 'relationship', valueCodeableConcept: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0131', code: 'N' }] } },
      ],
    });
    const organization = { resourceType: 'Organization', id: 'clinic', name: 'Clinic' };
    const res = await patch(
      'Patient/fpp-2',
      parameters(
        operation('add', 'Patient', name('contact'), contact),
        operation('add', 'Patient', name('contained'), value({ resource: organization })),
        operation('add', 'Patient', name('managingOrganization'), value({ valueReference: { reference: '#clinic' } })),
      ),
      { 'content-type': 'application/json' },
    );
    expect(res.status).toBe(200);
    expect(await readBack('Patient/fpp-2')).toEqual({
      ...patientBody('fpp-2'),
      contained: [organization],
      contact: [{ name: { family: 'Ng', given: ['Carl'] }, relationship: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0131', code: 'N' }] }] }],
      managingOrganization: { reference: '#clinic' },
    });
  });

  it('replaces a choice element with a value of another type', async () => {
    const observation = { resourceType: 'Observation', id: 'fpp-obs', status: 'final', code: { text: 'pulse' }, subject: { reference: 'Patient/fpp-1' }, valueString: 'fast' };
    expect((await fhir.request('Observation/fpp-obs', { method: 'PUT', body: observation })).status).toBe(201);
    const quantity = { value: 120, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' };
    const res = await patch('Observation/fpp-obs', parameters(operation('replace', 'Observation.value', value({ valueQuantity: quantity }))));
    expect(res.status).toBe(200);
    const { valueString: _old, ...unchanged } = observation;
    expect(await readBack('Observation/fpp-obs')).toEqual({ ...unchanged, valueQuantity: quantity });
  });

  it('stores a _value[x] extension in the _given sibling, aligned with given', async () => {
    await seedPatient('fpp-ext');
    const pronounced = { extension: [{ url: 'http://example.org/fhir/StructureDefinition/pronunciation', valueString: 'KLEE-oh' }] };
    const res = await patch('Patient/fpp-ext', parameters(operation('insert', "Patient.name.where(use='official').given", { name: 'index', valueInteger: 1 }, value({ valueString: 'Cleo', _valueString: pronounced }))));
    expect(res.status).toBe(200);
    const seeded = patientBody('fpp-ext');
    expect(await readBack('Patient/fpp-ext')).toStrictEqual({ ...seeded, name: [{ use: 'official', family: 'Ng', given: ['Anna', 'Cleo', 'Beth'], _given: [null, pronounced, null] }, seeded.name[1]] });
  });

  it('patches the one resource a condition names', async () => {
    await seedPatient('fpp-3');
    const res = await patch(`Patient?identifier=${mrn}|FPP-3`, parameters(operation('replace', 'Patient.gender', value({ valueCode: 'other' }))));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'fpp-3', gender: 'other', meta: { versionId: '2' } });
  });

  it('honours If-Match: 412 for a stale version, 200 for the current one', async () => {
    await seedPatient('fpp-4');
    const document = parameters(operation('add', 'Patient', name('active'), value({ valueBoolean: true })));
    const stale = await patch('Patient/fpp-4', document, { 'if-match': 'W/"2"' });
    expect(stale.status).toBe(412);
    expect(stale.body.resourceType).toBe('OperationOutcome');
    expect(await versionOf('Patient/fpp-4')).toBe('1');
    const current = await patch('Patient/fpp-4', document, { 'if-match': 'W/"1"' });
    expect(current.status).toBe(200);
    expect(current.body.active).toBe(true);
  });
});

describe('CapabilityStatement', () => {
  it('lists both patch formats', async () => {
    expect((await fhir.request('metadata')).body.patchFormat).toEqual(['application/json-patch+json', 'application/fhir+json']);
  });
});

describe('FHIRPath Patch errors', () => {
  it('answers 422 to a result that is not a valid resource and writes nothing', async () => {
    await seedPatient('fpp-5');
    const badDate = await patch('Patient/fpp-5', parameters(operation('replace', 'Patient.birthDate', value({ valueDate: 'not-a-date' }))));
    expect(badDate.status).toBe(422);
    expect(badDate.body.resourceType).toBe('OperationOutcome');
    const badCode = await patch('Patient/fpp-5', parameters(operation('add', 'Patient', name('telecom'), value({ valueContactPoint: { system: 'pigeon', value: 'x' } }))));
    expect(badCode.status).toBe(422);
    expect(await readBack('Patient/fpp-5')).toEqual(patientBody('fpp-5'));
    expect((await fhir.request('Patient/fpp-5/_history')).body.entry).toHaveLength(1);
  });

  it('answers 422 when a path selects no element, several elements or an index out of range, and writes nothing', async () => {
    await seedPatient('fpp-6');
    const none = await patch('Patient/fpp-6', parameters(operation('replace', 'Patient.deceased', value({ valueBoolean: true }))));
    expect(none.status).toBe(422);
    expect(none.body.issue[0]).toMatchObject({ severity: 'error', code: 'processing', expression: ['Parameters.parameter[0]'] });
    expect(none.body.issue[0].diagnostics).toMatch(/selects 0 elements/);
    const several = await patch('Patient/fpp-6', parameters(operation('delete', 'Patient.name.given')));
    expect(several.status).toBe(422);
    expect(several.body.issue[0].diagnostics).toMatch(/selects 3 elements/);
    const outOfRange = await patch('Patient/fpp-6', parameters(operation('insert', "Patient.name.where(use='usual').given", { name: 'index', valueInteger: 5 }, value({ valueString: 'X' }))));
    expect(outOfRange.status).toBe(422);
    expect(outOfRange.body.issue[0].diagnostics).toMatch(/index 5 is out of range/);
    // a later failing operation undoes the earlier ones
    const partly = await patch('Patient/fpp-6', parameters(operation('replace', 'Patient.gender', value({ valueCode: 'male' })), operation('delete', 'Patient.name.given')));
    expect(partly.status).toBe(422);
    expect(await readBack('Patient/fpp-6')).toEqual(patientBody('fpp-6'));
    expect(await versionOf('Patient/fpp-6')).toBe('1');
  });

  it('answers 400 to a malformed Parameters document', async () => {
    await seedPatient('fpp-7');
    const noType = await patch('Patient/fpp-7', parameters({ name: 'operation', part: [{ name: 'path', valueString: 'Patient.gender' }] }));
    expect(noType.status).toBe(400);
    expect(noType.body.issue[0]).toMatchObject({ code: 'invalid', expression: ['Parameters.parameter[0]'], diagnostics: 'the operation has no type part' });
    const unknownType = await patch('Patient/fpp-7', parameters(operation('remove', 'Patient.gender')));
    expect(unknownType.status).toBe(400);
    expect(unknownType.body.issue[0].diagnostics).toMatch(/unknown operation type "remove"/);
    const wrongPart = await patch('Patient/fpp-7', parameters({ name: 'operation', part: [{ name: 'type', valueCode: 'delete' }, { name: 'path', valueBoolean: true }] }));
    expect(wrongPart.status).toBe(400);
    const badPath = await patch('Patient/fpp-7', parameters(operation('delete', 'Patient.name.((')));
    expect(badPath.status).toBe(400);
    expect(badPath.body.issue[0].diagnostics).toMatch(/not a FHIRPath expression/);
    expect(await versionOf('Patient/fpp-7')).toBe('1');
  });

  it('refuses a change of the id with 422, other content types with 415 and an unknown id with 404', async () => {
    await seedPatient('fpp-8');
    expect((await patch('Patient/fpp-8', parameters(operation('replace', 'Patient.id', value({ valueId: 'fpp-other' }))))).status).toBe(422);
    expect((await patch('Patient/fpp-8', parameters(operation('delete', 'Patient.id')))).status).toBe(422);
    const notParameters = await patch('Patient/fpp-8', { resourceType: 'Patient', id: 'fpp-8' });
    expect(notParameters.status).toBe(415);
    expect(notParameters.body.issue[0].code).toBe('not-supported');
    const text = await fhir.request('Patient/fpp-8', { method: 'PATCH', body: 'gender=male', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    // a Parameters resource sent as a JSON Patch is not a JSON Patch document
    const asJsonPatch = await patch('Patient/fpp-8', parameters(operation('delete', 'Patient.gender')), { 'content-type': 'application/json-patch+json' });
    expect(asJsonPatch.status).toBe(400);
    expect((await patch('Patient/fpp-missing', parameters(operation('delete', 'Patient.gender')))).status).toBe(404);
    expect(await readBack('Patient/fpp-8')).toEqual(patientBody('fpp-8'));
    expect((await fhir.request('Patient/fpp-other')).status).toBe(404);
  });
});

describe('FHIRPath Patch in Bundles', () => {
  it('applies a Parameters PATCH entry of a transaction next to a JSON Patch entry', async () => {
    await seedPatient('fpp-b1');
    await seedPatient('fpp-b2');
    const jsonPatch = Buffer.from(JSON.stringify([{ op: 'replace', path: '/gender', value: 'male' }])).toString('base64');
    const res = await fhir.postBundle('transaction', [
      { resource: parameters(operation('replace', "Patient.name.where(use='official').family", value({ valueString: 'Ngata' }))), request: { method: 'PATCH', url: 'Patient/fpp-b1' } },
      { resource: { resourceType: 'Binary', contentType: 'application/json-patch+json', data: jsonPatch }, request: { method: 'PATCH', url: `Patient?identifier=${mrn}|FPP-B2` } },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.entry.map((e: { response: { status: string; location: string } }) => [e.response.status, e.response.location])).toEqual([
      ['200 OK', 'Patient/fpp-b1/_history/2'],
      ['200 OK', 'Patient/fpp-b2/_history/2'],
    ]);
    const official = patientBody('fpp-b1');
    expect(await readBack('Patient/fpp-b1')).toEqual({ ...official, name: [{ ...official.name[0], family: 'Ngata' }, official.name[1]] });
    expect(await readBack('Patient/fpp-b2')).toEqual({ ...patientBody('fpp-b2'), gender: 'male' });
  });

  it('rolls the whole transaction back when a FHIRPath Patch entry fails', async () => {
    await seedPatient('fpp-b3');
    const res = await fhir.postBundle('transaction', [
      { resource: { ...patientBody('fpp-b4'), gender: 'male' }, request: { method: 'PUT', url: 'Patient/fpp-b4' } },
      { resource: parameters(operation('replace', 'Patient.deceased', value({ valueBoolean: true }))), request: { method: 'PATCH', url: 'Patient/fpp-b3' } },
    ]);
    expect(res.status).toBe(422);
    expect(res.body.issue[0].diagnostics).toMatch(/^entry 1: operation 0 \(replace\): path "Patient.deceased" selects 0 elements/);
    expect(await versionOf('Patient/fpp-b3')).toBe('1');
    expect((await fhir.request('Patient/fpp-b4')).status).toBe(404);
  });

  it('answers a malformed Parameters entry of a batch with 400 in its response only', async () => {
    await seedPatient('fpp-b5');
    const res = await fhir.postBundle('batch', [
      { resource: parameters(operation('jump', 'Patient.gender')), request: { method: 'PATCH', url: 'Patient/fpp-b5' } },
      { resource: parameters(operation('add', 'Patient', name('active'), value({ valueBoolean: false }))), request: { method: 'PATCH', url: 'Patient/fpp-b5' } },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.entry.map((e: { response: { status: string } }) => e.response.status)).toEqual(['400', '200 OK']);
    expect(await readBack('Patient/fpp-b5')).toEqual({ ...patientBody('fpp-b5'), active: false });
  });
});
