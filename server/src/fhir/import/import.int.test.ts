import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FhirTestServer, matchIds } from '../../../../test/fhir/harness.js';
import { createFhirService } from '../api.js';
import { importPath } from './import-files.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const dataDir = path.resolve(repoRoot, process.env.INPRACSYS_TEST_DATA ?? '../shared/data');

let fhir: FhirTestServer;

beforeAll(async () => {
  // fail loudly: these tests exist to prove the shared data imports
  if (!existsSync(path.join(dataDir, 'inferno-reference'))) throw new Error(`shared test data missing at ${dataDir} (set INPRACSYS_TEST_DATA)`);
  fhir = await FhirTestServer.start();
});

afterAll(async () => {
  await fhir?.close();
});

describe('import of the shared test data', () => {
  it('imports every Inferno reference Bundle and the Group', async () => {
    const report = await importPath(createFhirService(fhir.context), path.join(dataDir, 'inferno-reference'));
    expect(report.failures).toEqual([]);
    expect(report.files).toBe(7);
    // the reference data has a Period with a misspelt element and a malformed base64 UDI; both are stored and reported
    expect(report.invalid.map((i) => i.message)).toEqual([
      'Invalid additional property "stop" (Observation.effective[x].stop)',
      'Invalid base64Binary format (Device.udiCarrier[0].carrierAIDC)',
    ]);
    expect((await fhir.request('Patient/85')).status).toBe(200);
    expect((await fhir.request('Group/1a')).body.member).toHaveLength(3);
    const conditions = await fhir.request('Condition?patient=85&_summary=count');
    expect(conditions.body.total).toBeGreaterThan(0);
    const docs = (await fhir.request('DocumentReference?patient=85&_count=1000')).body;
    expect(docs.entry.length).toBeGreaterThan(0);
    expect(docs.entry.every((e: { resource: { subject: { reference: string } } }) => e.resource.subject.reference === 'Patient/85')).toBe(true);
  });

  it('resolves the urn:uuid references of the Inferno bundles to stored resources', async () => {
    const encounters = (await fhir.request('Encounter?patient=355&_count=1000')).body;
    expect(encounters.total).toBeGreaterThan(0);
    const refs = JSON.stringify(encounters).match(/"reference":"urn:uuid:/g);
    expect(refs).toBeNull();
  });

  it('imports all 214 US Core 7.0.0 examples with their ids', async () => {
    const report = await importPath(createFhirService(fhir.context), path.join(dataDir, 'us-core-examples'));
    expect(report.failures).toEqual([]);
    expect(report.files).toBe(214);
    expect(report.invalid.map((i) => i.message)).toEqual(['Missing required property (DiagnosticReport.text.div)']);
    expect((await fhir.request('Patient/example')).body.name[0].family).toBeDefined();
    expect(matchIds((await fhir.request('Patient?_id=example')).body)).toEqual(['example']);
  });

  it('resolves a Synthea patient bundle against hospital and practitioner bundles imported earlier (fullUrl aliases)', async () => {
    const synthea = path.join(dataDir, 'synthea-100');
    const picked = ['hospitalInformation1588766256867.json', 'practitionerInformation1588766256867.json', 'Abram_Lemke_6c5d9ca9-54d7-42f5-bfae-a7c19cd217f2.json'];
    const dir = await mkdtemp(path.join(os.tmpdir(), 'inpracsys-synthea-'));
    try {
      // the patient file sorts first by name; the importer must still load it last
      for (const name of picked) await symlink(path.join(synthea, name), path.join(dir, name));
      const report = await importPath(createFhirService(fhir.context), dir);
      expect(report.failures).toEqual([]);
      expect(report.files).toBe(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const found = (await fhir.request('Patient?identifier=https://github.com/synthetichealth/synthea|6c5d9ca9-54d7-42f5-bfae-a7c19cd217f2')).body;
    expect(found.total).toBe(1);
    const patient = found.entry[0].resource;
    const encounters = (await fhir.request(`Encounter?patient=${patient.id}&_count=1000&_include=Encounter:service-provider&_include=Encounter:practitioner`)).body;
    const matches = encounters.entry.filter((e: { search: { mode: string } }) => e.search.mode === 'match');
    const included = new Set(encounters.entry.filter((e: { search: { mode: string } }) => e.search.mode === 'include').map((e: { resource: { resourceType: string; id: string } }) => `${e.resource.resourceType}/${e.resource.id}`));
    expect(matches.length).toBeGreaterThan(0);
    for (const { resource } of matches) {
      expect(included.has(resource.serviceProvider.reference)).toBe(true);
      for (const participant of resource.participant ?? []) expect(included.has(participant.individual.reference)).toBe(true);
    }
  });
});

describe('import of a broken file', () => {
  it('names the line that is not JSON and says how much of the NDJSON file went in before it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'inpracsys-broken-'));
    try {
      const lines = Array.from({ length: 1500 }, (_, i) => JSON.stringify({ resourceType: 'Basic', id: `broken-${i + 1}`, code: { text: 'x' } }));
      lines[1199] = '{"resourceType": "Basic", "id": ';
      await writeFile(path.join(dir, 'Basic.ndjson'), lines.join('\n'));
      await writeFile(path.join(dir, 'Other.json'), '{ not json');
      const report = await importPath(createFhirService(fhir.context), dir);
      expect(report.files).toBe(0);
      expect(report.failures).toEqual([
        { file: path.join(dir, 'Basic.ndjson'), message: expect.stringMatching(/^not readable as FHIR JSON: line 1200: .* \(its first 1000 resources were imported\)$/) },
        { file: path.join(dir, 'Other.json'), message: expect.stringMatching(/^not readable as FHIR JSON: /) },
      ]);
      expect((await fhir.request('Basic/broken-1000')).status).toBe(200);
      expect((await fhir.request('Basic/broken-1001')).status).toBe(404);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
