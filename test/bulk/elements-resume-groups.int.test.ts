// Bulk export: _elements, settings-driven split size and retention, practitioner panel Groups,
// and a job that resumes from its checkpoint after the server stopped in the middle of it.
import { appendFile, readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemPolicy } from '../../server/src/fhir/access/policy.js';
import { createFhirService } from '../../server/src/fhir/api.js';
import type { ExportCheckpoint } from '../../server/src/fhir/bulk/checkpoint.js';
import { bulkExports } from '../../server/src/fhir/bulk/services.js';
import { BulkWorker } from '../../server/src/fhir/bulk/worker.js';
import type { RunningServer } from '../../server/src/server.js';
import { AdminSession, removeDir, request, startTestServer, tempDataDir } from '../helpers/server.js';
import { storeFlags } from '../oauth/helpers.js';
import { backendToken, countsByType, downloadAll, kickOff, pathOf, registerBackendClient, startExport, waitForManifest, type BackendClient, type Resource } from './helpers.js';
import { seed } from './seed.js';

const scope =
  'system/*.$export system/*.$bulkdata-status system/Document.read system/Binary.read system/Patient.rs system/Observation.rs system/Group.rs system/Practitioner.rs system/Organization.rs';
const subsetted = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED' };

const patient = (id: string, gp?: string) => ({
  resourceType: 'Patient',
  id,
  gender: 'female',
  birthDate: '1970-01-01',
  name: [{ family: id }],
  ...(gp ? { generalPractitioner: [{ reference: `Practitioner/${gp}` }] } : {}),
});
const observation = (id: string, patientId: string) => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
  subject: { reference: `Patient/${patientId}` },
  valueQuantity: { value: 70, unit: '/min' },
});

/** Two practitioners with their panels' patients, one patient with no practitioner, one Observation each. */
const resources = [
  { resourceType: 'Practitioner', id: 'prac-a', name: [{ given: ['Ada'], family: 'Lovelace' }] },
  { resourceType: 'Practitioner', id: 'prac-b', name: [{ family: 'Babbage' }] },
  patient('pa1', 'prac-a'),
  patient('pa2', 'prac-a'),
  patient('pb1', 'prac-b'),
  patient('pn1'),
  ...['pa1', 'pa2', 'pb1', 'pn1'].map((id) => observation(`obs-${id}`, id)),
];

function exportedIds(list: Resource[], type: string): string[] {
  return list.filter((resource) => resource.resourceType === type).map((resource) => resource.id).sort();
}

describe('bulk export options and panels', () => {
  let dir: string;
  let server: RunningServer;
  let client: BackendClient;
  let token: string;

  const exportAll = async (pathname: string) => {
    const manifest = await waitForManifest(server, token, await startExport(server, token, pathname));
    return { manifest, resources: await downloadAll(server, token, manifest.output) };
  };

  beforeAll(async () => {
    dir = await tempDataDir();
    server = await startTestServer(dir, undefined, storeFlags());
    client = await registerBackendClient(server, 'ES384', scope);
    await seed(server, resources);
    token = await backendToken(server, client, scope);
  });

  afterAll(async () => {
    await server.close();
    await removeDir(dir);
  });

  describe('_elements', () => {
    it('keeps only the listed elements plus id, meta and resourceType, and tags each resource SUBSETTED', async () => {
      const { manifest, resources: exported } = await exportAll('/fhir/r4/$export?_type=Patient,Observation&_elements=Observation.status,gender');
      expect(countsByType(manifest.output)).toEqual({ Observation: 4, Patient: 4 });
      // a bare element applies to every type; Type.element only to that type
      for (const resource of exported) {
        const expected = resource.resourceType === 'Patient' ? ['gender', 'id', 'meta', 'resourceType'] : ['id', 'meta', 'resourceType', 'status'];
        expect(Object.keys(resource).sort()).toEqual(expected);
        expect((resource.meta as { tag: object[] }).tag).toContainEqual(subsetted);
        expect((resource.meta as { versionId?: string }).versionId).toBeDefined();
      }
      expect(exported.find((resource) => resource.id === 'pa1')).toMatchObject({ gender: 'female' });
      expect(manifest.error).toEqual([]);
    });

    it('exports types the list does not name whole, without the tag', async () => {
      const { resources: exported } = await exportAll('/fhir/r4/Patient/$export?_type=Patient,Observation&_elements=Observation.subject,Observation.value[x]');
      const obs = exported.find((resource) => resource.id === 'obs-pa1')!;
      expect(Object.keys(obs).sort()).toEqual(['id', 'meta', 'resourceType', 'subject', 'valueQuantity']);
      const pa1 = exported.find((resource) => resource.id === 'pa1')!;
      expect(Object.keys(pa1)).toEqual(expect.arrayContaining(['name', 'birthDate', 'generalPractitioner']));
      expect(JSON.stringify(pa1.meta)).not.toContain('SUBSETTED');
    });

    it('answers 400 to an _elements entry of an unknown type or that is not a root element', async () => {
      for (const value of ['Nonsense.status', 'Observation.code.coding', 'Observation.']) {
        const res = await kickOff(server, token, `/fhir/r4/$export?_elements=${encodeURIComponent(value)}`);
        expect(res.status, value).toBe(400);
        expect(res.json()).toMatchObject({ resourceType: 'OperationOutcome' });
      }
    });
  });

  describe('settings', () => {
    it('splits files at the resources-per-file setting', async () => {
      const many = Array.from({ length: 21 }, (_, i) => observation(`obs-many-${String(i).padStart(2, '0')}`, 'pn1'));
      await seed(server, many);
      await server.context.settings.update({ bulkExportResourcesPerFile: 10 });
      try {
        const { manifest, resources: exported } = await exportAll('/fhir/r4/$export?_type=Observation');
        expect(manifest.output.map((entry) => entry.count)).toEqual([10, 10, 5]);
        expect(exportedIds(exported, 'Observation')).toEqual([...many.map((o) => o.id), 'obs-pa1', 'obs-pa2', 'obs-pb1', 'obs-pn1'].sort());
      } finally {
        await server.context.settings.update({ bulkExportResourcesPerFile: 100_000 });
      }
    });

    it('keeps files for the retention setting: the manifest says until when, and the sweep removes them after', async () => {
      await server.context.settings.update({ bulkExportRetentionHours: 2 });
      try {
        const before = Date.now();
        const statusPath = await startExport(server, token, '/fhir/r4/$export?_type=Practitioner');
        const manifest = await waitForManifest(server, token, statusPath);
        const expires = Date.parse(manifest.extension.expires);
        expect(expires).toBeGreaterThanOrEqual(before + 2 * 3600_000);
        expect(expires).toBeLessThanOrEqual(Date.now() + 2 * 3600_000);

        const bulk = bulkExports(server.context);
        const jobId = new URL(statusPath, 'https://x').searchParams.get('job')!;
        const sweeper = new BulkWorker({ service: undefined as never, store: undefined as never, jobs: bulk.jobs, options: bulk.options, limits: bulk.limits, dirOf: bulk.dirOf }, server.context.log);
        await sweeper.sweep(new Date(expires - 60_000));
        expect(existsSync(bulk.dirOf(jobId))).toBe(true);
        expect((await request(server, pathOf(manifest.output[0]!.url), { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
        await sweeper.sweep(new Date(expires + 60_000));
        expect(existsSync(bulk.dirOf(jobId))).toBe(false);
        expect(await bulk.jobs.get(jobId)).toBeNull();
      } finally {
        await server.context.settings.update({ bulkExportRetentionHours: 24 });
      }
    });

    it('shows both settings to administrators for the Bulk Exports screen', async () => {
      await server.context.settings.update({ bulkExportResourcesPerFile: 5000 });
      try {
        const admin = await AdminSession.login(server);
        const res = await admin.call('GET', '/admin/api/bulk-settings');
        expect(res.status).toBe(200);
        expect(res.json()).toEqual({ resourcesPerFile: 5000, retentionHours: 24 });
        expect((await request(server, '/admin/api/bulk-settings')).status).toBe(401);
      } finally {
        await server.context.settings.update({ bulkExportResourcesPerFile: 100_000 });
      }
    });
  });

  describe('practitioner panels', () => {
    it('exports a practitioner’s panel: exactly the patients naming them as general practitioner, and their data', async () => {
      const { manifest, resources: exported } = await exportAll('/fhir/r4/Group/panel-prac-a/$export?_type=Patient,Observation,Practitioner');
      expect(countsByType(manifest.output)).toEqual({ Observation: 2, Patient: 2, Practitioner: 1 });
      expect(exportedIds(exported, 'Patient')).toEqual(['pa1', 'pa2']);
      expect(exportedIds(exported, 'Observation')).toEqual(['obs-pa1', 'obs-pa2']);
      expect(exportedIds(exported, 'Practitioner')).toEqual(['prac-a']);
    });

    it('serves the panel as a Group resource the server maintains', async () => {
      await startExport(server, token, '/fhir/r4/$export?_type=Practitioner');
      const res = await request(server, '/fhir/r4/Group/panel-prac-a', { headers: { authorization: `Bearer ${token}`, accept: 'application/fhir+json' } });
      expect(res.status).toBe(200);
      const group = res.json<Record<string, unknown>>();
      expect(group).toMatchObject({
        resourceType: 'Group',
        id: 'panel-prac-a',
        actual: true,
        type: 'person',
        name: 'Panel of Ada Lovelace',
        quantity: 2,
        managingEntity: { reference: 'Practitioner/prac-a' },
        characteristic: [{ code: { coding: [expect.objectContaining({ code: 'general-practitioner' })] }, valueReference: { reference: 'Practitioner/prac-a' }, exclude: false }],
        member: [{ entity: { reference: 'Patient/pa1' } }, { entity: { reference: 'Patient/pa2' } }],
      });
      expect((group.meta as { tag: { code: string }[] }).tag).toContainEqual(expect.objectContaining({ code: 'practitioner-panel' }));
    });

    it('follows a patient who changes practitioner at the next kick-off, and drops the panel of a deleted practitioner', async () => {
      await seed(server, [patient('pb1', 'prac-a'), { resourceType: 'Practitioner', id: 'prac-c', name: [{ family: 'Curie' }] }]);
      const moved = await exportAll('/fhir/r4/Group/panel-prac-a/$export?_type=Patient');
      expect(exportedIds(moved.resources, 'Patient')).toEqual(['pa1', 'pa2', 'pb1']);
      const emptied = await exportAll('/fhir/r4/Group/panel-prac-b/$export?_type=Patient');
      expect(emptied.manifest.output).toEqual([]);

      const groups = await exportAll('/fhir/r4/$export?_type=Group');
      expect(exportedIds(groups.resources, 'Group')).toEqual(['panel-prac-a', 'panel-prac-b', 'panel-prac-c']);

      await createFhirService(server.context).repository.delete(systemPolicy(), 'Practitioner', 'prac-c');
      const after = await exportAll('/fhir/r4/$export?_type=Group');
      expect(exportedIds(after.resources, 'Group')).toEqual(['panel-prac-a', 'panel-prac-b']);
    });

    it('leaves a Group it did not write alone, even under a panel id', async () => {
      await seed(server, [
        { resourceType: 'Practitioner', id: 'prac-d', name: [{ family: 'Darwin' }] },
        { resourceType: 'Group', id: 'panel-prac-d', type: 'person', actual: true, name: 'Hand-made', member: [{ entity: { reference: 'Patient/pn1' } }] },
      ]);
      const { resources: exported } = await exportAll('/fhir/r4/Group/panel-prac-d/$export?_type=Patient,Group');
      expect(exportedIds(exported, 'Patient')).toEqual(['pn1']);
      expect(exported.find((resource) => resource.id === 'panel-prac-d')).toMatchObject({ name: 'Hand-made' });
    });
  });
});

describe('resume after a restart', () => {
  let dir: string;
  let server: RunningServer;

  afterAll(async () => {
    await server.close();
    await removeDir(dir);
  });

  const patientLines = (checkpoint: ExportCheckpoint) => checkpoint.files.filter((file) => file.type === 'Patient').reduce((sum, file) => sum + file.count, 0);

  it('continues a job from its checkpoint: every resource exactly once, the files written before the stop kept', async () => {
    dir = await tempDataDir();
    server = await startTestServer(dir, undefined, storeFlags());
    const client = await registerBackendClient(server, 'RS384', scope);
    const patients = Array.from({ length: 23 }, (_, i) => patient(`rp${String(i).padStart(2, '0')}`));
    const observations = Array.from({ length: 13 }, (_, i) => observation(`ro${String(i).padStart(2, '0')}`, 'rp00'));
    await seed(server, [...patients, ...observations]);
    await server.context.settings.update({ bulkExportResourcesPerFile: 10 });
    const bulk = bulkExports(server.context);
    bulk.options.pageSize = 4;
    bulk.options.checkpointIntervalMs = 0;

    // stop the server once 12 patients are written: Patient-2.ndjson is then part-way
    let stoppedAt: ExportCheckpoint | undefined;
    const reached = new Promise<void>((resolve) => {
      bulk.options.onCheckpoint = async ({ checkpoint, stopping }) => {
        if (stoppedAt || patientLines(checkpoint) < 12) return;
        stoppedAt = checkpoint;
        resolve();
        await vi.waitFor(() => expect(stopping()).toBe(true), { timeout: 30_000, interval: 20 });
      };
    });
    let token = await backendToken(server, client, scope);
    const statusPath = await startExport(server, token, '/fhir/r4/$export?_type=Observation,Patient');
    await reached;
    await server.close();

    const jobId = new URL(statusPath, 'https://x').searchParams.get('job')!;
    const jobDir = bulk.dirOf(jobId);
    expect(patientLines(stoppedAt!)).toBe(12);
    expect(stoppedAt!.files.map((file) => [file.path, file.count])).toEqual([
      ['Observation-1.ndjson', 10],
      ['Observation-2.ndjson', 3],
      ['Patient-1.ndjson', 10],
      ['Patient-2.ndjson', 2],
    ]);
    // as a crash after a write but before its checkpoint leaves the directory: a line written
    // again, half a line, and a file begun
    const partPath = path.join(jobDir, 'Patient-2.ndjson');
    const lastLine = (await readFile(partPath, 'utf8')).trimEnd().split('\n').at(-1)!;
    await appendFile(partPath, `${lastLine}\n{"resourceType":"Pat`);
    await writeFile(path.join(jobDir, 'Patient-3.ndjson'), `${lastLine}\n`);

    server = await startTestServer(dir, undefined, storeFlags());
    token = await backendToken(server, client, scope);
    const manifest = await waitForManifest(server, token, statusPath);
    const exported = await downloadAll(server, token, manifest.output);

    const keys = exported.map((resource) => `${resource.resourceType}/${resource.id}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(exportedIds(exported, 'Patient')).toEqual(patients.map((p) => p.id));
    expect(exportedIds(exported, 'Observation')).toEqual(observations.map((o) => o.id));
    expect(manifest.output.map((entry) => [entry.type, entry.count])).toEqual([
      ['Observation', 10],
      ['Observation', 3],
      ['Patient', 10],
      ['Patient', 10],
      ['Patient', 3],
    ]);
    // the files from before the stop are the same files (same download ids), continued, not rewritten
    const urls = manifest.output.map((entry) => entry.url);
    for (const file of stoppedAt!.files) expect(urls).toContainEqual(expect.stringContaining(`/Document/${file.id}/Binary`));
    expect((await readdir(jobDir)).sort()).toEqual(['Observation-1.ndjson', 'Observation-2.ndjson', 'Patient-1.ndjson', 'Patient-2.ndjson', 'Patient-3.ndjson']);
  });
});
