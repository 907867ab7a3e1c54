import { existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkModels } from '../../server/src/fhir/bulk/models.js';
import { bulkExports } from '../../server/src/fhir/bulk/services.js';
import type { RunningServer } from '../../server/src/server.js';
import { AdminSession, removeDir, request, startTestServer, tempDataDir } from '../helpers/server.js';
import { storeFlags } from '../oauth/helpers.js';
import {
  backendToken,
  countsByType,
  downloadAll,
  kickOff,
  pathOf,
  registerBackendClient,
  startExport,
  waitForManifest,
  type BackendClient,
  type Resource,
} from './helpers.js';
import { seed } from './seed.js';

const bulkScopes = 'system/*.$export system/*.$bulkdata-status system/Document.read system/Binary.read';
const readScopes = 'system/Patient.rs system/Observation.rs system/Condition.rs system/Organization.rs system/Practitioner.rs system/Group.rs';
const narrowScopes = 'system/Patient.rs system/Observation.rs';

let dir: string;
let server: RunningServer;
let rsClient: BackendClient;
let esClient: BackendClient;
let rsToken: string;
let esToken: string;

async function refreshTokens(): Promise<void> {
  rsToken = await backendToken(server, rsClient, `${bulkScopes} ${readScopes}`);
  esToken = await backendToken(server, esClient, `${bulkScopes} ${narrowScopes}`);
}

async function exportAll(token: string, pathname: string, options: { method?: string; body?: object } = {}) {
  const manifest = await waitForManifest(server, token, await startExport(server, token, pathname, options));
  return { manifest, resources: await downloadAll(server, token, manifest.output) };
}

/** Every Patient id a resource names (its subject, or itself). */
function patientsOf(resource: Resource): string[] {
  if (resource.resourceType === 'Patient') return [resource.id];
  return [...JSON.stringify(resource).matchAll(/"reference":"Patient\/([^"]+)"/g)].map((match) => match[1]!);
}

beforeAll(async () => {
  dir = await tempDataDir();
  server = await startTestServer(dir, undefined, storeFlags());
  rsClient = await registerBackendClient(server, 'RS384', `${bulkScopes} ${readScopes}`);
  esClient = await registerBackendClient(server, 'ES384', `${bulkScopes} ${narrowScopes}`);
  await seed(server);
  await refreshTokens();
});

afterAll(async () => {
  await server.close();
  await removeDir(dir);
});

describe('kick-off, status and download (Bulk Data 2.0)', () => {
  it('exports the whole system for an RS384 client: exactly the readable types, their counts, and an error entry for the rest', async () => {
    const { manifest, resources } = await exportAll(rsToken, '/fhir/r4/$export');
    expect(manifest.requiresAccessToken).toBe(true);
    expect(manifest.request).toBe(`${server.urls.fhirBase}/$export`);
    expect(Date.parse(manifest.transactionTime)).not.toBeNaN();
    expect(Date.parse(manifest.extension.expires)).toBeGreaterThan(Date.now() + 23 * 3600_000);
    // Groups: g1 and the server's panels of prac1 and prac2
    expect(countsByType(manifest.output)).toEqual({ Condition: 1, Group: 3, Observation: 4, Organization: 1, Patient: 3, Practitioner: 2 });
    for (const entry of manifest.output) expect(entry.url).toMatch(new RegExp(`^${server.urls.fhirBase}/Document/[0-9a-f-]{36}/Binary$`));
    expect(resources).toHaveLength(14);
    // Provenance (written with every resource) is stored, but this client has no scope for it
    const issues = await downloadAll(server, rsToken, manifest.error);
    expect(issues.map((issue) => JSON.stringify(issue))).toEqual([expect.stringContaining('Provenance was not exported')]);
  });

  it('exports for an ES384 client with fewer scopes, and a POST kick-off with a Parameters body', async () => {
    const { manifest } = await exportAll(esToken, '/fhir/r4/$export', {
      method: 'POST',
      body: {
        resourceType: 'Parameters',
        parameter: [
          { name: '_type', valueString: 'Patient,Observation,Condition' },
          { name: '_outputFormat', valueString: 'application/fhir+ndjson' },
          { name: 'includeAssociatedData', valueCode: 'LatestProvenanceResources' },
        ],
      },
    });
    expect(countsByType(manifest.output)).toEqual({ Observation: 4, Patient: 3 });
    expect(manifest.error).toHaveLength(1);
    const issues = (await downloadAll(server, esToken, manifest.error)).map((issue) => JSON.stringify(issue));
    expect(issues).toEqual([expect.stringMatching(/"severity":"warning".*includeAssociatedData/), expect.stringContaining('Condition was not exported')]);
  });

  it('exports all patients: their compartments and the organization and practitioner they refer to, not the unreferenced practitioner', async () => {
    const { manifest, resources } = await exportAll(rsToken, '/fhir/r4/Patient/$export');
    // Groups with a patient as member: g1 and prac1's panel
    expect(countsByType(manifest.output)).toEqual({ Condition: 1, Group: 2, Observation: 4, Organization: 1, Patient: 3, Practitioner: 1 });
    expect(resources.filter((r) => r.resourceType === 'Practitioner').map((r) => r.id)).toEqual(['prac1']);
  });

  it('exports a Group: exactly its members and their data, no one else’s', async () => {
    const { manifest, resources } = await exportAll(rsToken, '/fhir/r4/Group/g1/$export');
    // the Groups p1 or p2 belong to: g1 and prac1's panel
    expect(countsByType(manifest.output)).toEqual({ Condition: 1, Group: 2, Observation: 3, Organization: 1, Patient: 2, Practitioner: 1 });
    const named = new Set(resources.flatMap(patientsOf));
    expect([...named].sort()).toEqual(['p1', 'p2']);
    expect(resources.filter((r) => r.resourceType === 'Patient').map((r) => r.id).sort()).toEqual(['p1', 'p2']);
    expect(resources.filter((r) => r.resourceType === 'Observation').map((r) => r.id).sort()).toEqual(['o1', 'o2', 'o3']);
  });

  it('confines a Patient export to the patient parameter (POST)', async () => {
    const { resources } = await exportAll(rsToken, '/fhir/r4/Patient/$export', {
      method: 'POST',
      body: { resourceType: 'Parameters', parameter: [{ name: 'patient', valueReference: { reference: 'Patient/p3' } }, { name: '_type', valueString: 'Patient,Observation' }] },
    });
    expect(resources.map((r) => `${r.resourceType}/${r.id}`).sort()).toEqual(['Observation/o4', 'Patient/p3']);
    expect((await kickOff(server, rsToken, '/fhir/r4/$export?patient=Patient/p3')).status).toBe(400);
  });

  it('answers 404 for the export of a Group that does not exist', async () => {
    expect((await kickOff(server, rsToken, '/fhir/r4/Group/nope/$export')).status).toBe(404);
  });

  it('honours _type, _typeFilter and _since', async () => {
    const typed = await exportAll(rsToken, '/fhir/r4/$export?_type=Observation,Patient');
    expect(countsByType(typed.manifest.output)).toEqual({ Observation: 4, Patient: 3 });

    const filtered = await exportAll(rsToken, `/fhir/r4/$export?_type=Observation&_typeFilter=${encodeURIComponent('Observation?category=laboratory')}`);
    expect(filtered.resources.map((r) => r.id)).toEqual(['o1']);

    const since = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await seed(server, [{ resourceType: 'Observation', id: 'o4', status: 'amended', code: { text: 'updated' }, subject: { reference: 'Patient/p3' } }]);
    const recent = await exportAll(rsToken, `/fhir/r4/$export?_type=Observation,Patient&_since=${encodeURIComponent(since)}`);
    expect(recent.resources.map((r) => `${r.resourceType}/${r.id}`)).toEqual(['Observation/o4']);
  });

  it('splits a type into files of the configured size, and counts equal lines', async () => {
    await server.context.settings.update({ bulkExportResourcesPerFile: 3 });
    try {
      const { manifest, resources } = await exportAll(rsToken, '/fhir/r4/$export?_type=Observation');
      expect(manifest.output.map((entry) => entry.count)).toEqual([3, 1]);
      expect(resources.map((r) => r.id)).toEqual(['o1', 'o2', 'o3', 'o4']);
    } finally {
      await server.context.settings.update({ bulkExportResourcesPerFile: 100_000 });
    }
  });

  it('serves a file as gzip when asked, a byte range, and also at Binary/{id}', async () => {
    const { manifest } = await exportAll(rsToken, '/fhir/r4/$export?_type=Patient');
    const url = pathOf(manifest.output[0]!.url);
    const plain = await request(server, url, { headers: { authorization: `Bearer ${rsToken}` } });
    const gzipped = await new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
      https
        .get({ host: '127.0.0.1', port: server.port, path: url, ca: server.tls.caPem, servername: 'localhost', headers: { authorization: `Bearer ${rsToken}`, 'accept-encoding': 'gzip' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ ...(res.headers['content-encoding'] ? { encoding: res.headers['content-encoding'] } : {}), body: Buffer.concat(chunks) }));
        })
        .on('error', reject);
    });
    expect(gzipped.encoding).toBe('gzip');
    expect(gunzipSync(gzipped.body).toString('utf8')).toBe(plain.body);
    const range = await request(server, url, { headers: { authorization: `Bearer ${rsToken}`, range: 'bytes=0-9' } });
    expect(range.status).toBe(206);
    expect(range.body).toBe(plain.body.slice(0, 10));
    const fileId = /Document\/([^/]+)\/Binary/.exec(url)![1]!;
    const binary = await request(server, `/fhir/r4/Binary/${fileId}`, { headers: { authorization: `Bearer ${rsToken}` } });
    expect(binary.status).toBe(200);
    expect(binary.body).toBe(plain.body);
  });

  it('lists the jobs for administrators in the shape the Bulk Exports screen reads', async () => {
    const admin = await AdminSession.login(server);
    const res = await admin.call('GET', '/admin/api/bulk-jobs');
    expect(res.status).toBe(200);
    const body = res.json<{ items: Record<string, unknown>[]; total: number }>();
    expect(body.total).toBeGreaterThan(0);
    expect(body.items[0]).toMatchObject({ clientId: expect.any(String), kind: expect.any(String), state: 'completed', status: 'completed', requestUrl: expect.stringContaining('$export') });
    expect(body.items.some((item) => item.clientName === 'Bulk RS384' && item.kind === 'group')).toBe(true);
    expect((await request(server, '/admin/api/bulk-jobs')).status).toBe(401);
  });

  it('advertises $export in the CapabilityStatement', async () => {
    const statement = (await request(server, '/fhir/r4/metadata')).json<{ instantiates: string[]; rest: { operation: { name: string }[] }[] }>();
    expect(statement.instantiates).toContain('http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data');
    expect(statement.rest[0]!.operation).toContainEqual(expect.objectContaining({ name: 'export' }));
  });
});

describe('refusals', () => {
  it('needs Accept: application/fhir+json and Prefer: respond-async', async () => {
    for (const headers of [{ accept: 'application/json' }, { prefer: 'respond-sync' }] as Record<string, string>[]) {
      const res = await kickOff(server, rsToken, '/fhir/r4/$export', { headers });
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ resourceType: 'OperationOutcome' });
    }
  });

  it('answers 400 to an unknown _type, a bad _since, an unsupported _outputFormat and a bad _typeFilter', async () => {
    for (const query of ['_type=Nonsense', '_since=yesterday', '_outputFormat=text/csv', `_typeFilter=${encodeURIComponent('Observation?nosuchparam=1')}`]) {
      const res = await kickOff(server, rsToken, `/fhir/r4/$export?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.json()).toMatchObject({ resourceType: 'OperationOutcome' });
    }
  });

  it('answers 401 without a token on kick-off, status and download', async () => {
    const { manifest } = await exportAll(rsToken, '/fhir/r4/$export?_type=Patient');
    for (const pathname of ['/fhir/r4/$export', '/fhir/r4/Patient/$export', '/fhir/r4/$bulkdata-status?job=x', pathOf(manifest.output[0]!.url)]) {
      const res = await request(server, pathname, { headers: { accept: 'application/fhir+json', prefer: 'respond-async' } });
      expect(res.status, pathname).toBe(401);
    }
  });

  it('answers 403 at kick-off to a _typeFilter whose chain or _has reads a type the client may not read', async () => {
    // esToken reads Patient and Observation only
    for (const filter of ['Patient?_has:Condition:patient:code=x', 'Observation?encounter:Encounter.status=finished']) {
      const res = await kickOff(server, esToken, `/fhir/r4/$export?_typeFilter=${encodeURIComponent(filter)}`);
      expect(res.status, filter).toBe(403);
      expect(res.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'forbidden' }] });
    }
  });

  it('answers 403 without the $export scope', async () => {
    const token = await backendToken(server, rsClient, 'system/Patient.rs system/*.$bulkdata-status');
    expect((await kickOff(server, token, '/fhir/r4/$export')).status).toBe(403);
  });

  it('hides one client’s job and files from another (404)', async () => {
    const statusPath = await startExport(server, rsToken, '/fhir/r4/$export?_type=Patient');
    const manifest = await waitForManifest(server, rsToken, statusPath);
    const other = { authorization: `Bearer ${esToken}` };
    expect((await request(server, statusPath, { headers: other })).status).toBe(404);
    expect((await request(server, pathOf(manifest.output[0]!.url), { headers: other })).status).toBe(404);
    expect((await request(server, statusPath, { method: 'DELETE', headers: other })).status).toBe(404);
    expect((await request(server, statusPath, { headers: { authorization: `Bearer ${rsToken}` } })).status).toBe(200);
  });

  it('allows two running exports per client and answers 429 with Retry-After beyond', async () => {
    const { BulkJob } = bulkModels(server.context.sequelize);
    const jobs = await BulkJob.findAll({ where: { clientId: esClient.clientId, state: 'completed' }, limit: 2 });
    expect(jobs).toHaveLength(1);
    const second = await startExport(server, esToken, '/fhir/r4/$export?_type=Patient');
    await waitForManifest(server, esToken, second);
    const both = await BulkJob.findAll({ where: { clientId: esClient.clientId, state: 'completed' }, limit: 2 });
    // as if both were still running
    await BulkJob.update({ state: 'running' }, { where: { id: both.map((job) => job.id) } });
    try {
      const res = await kickOff(server, esToken, '/fhir/r4/$export');
      expect(res.status).toBe(429);
      expect(res.headers['retry-after']).toBeDefined();
    } finally {
      await BulkJob.update({ state: 'completed' }, { where: { id: both.map((job) => job.id) } });
    }
  });
});

describe('cancel and expiry', () => {
  it('cancels a job with DELETE (202), after which its status and files answer 404', async () => {
    const statusPath = await startExport(server, rsToken, '/fhir/r4/$export');
    const headers = { authorization: `Bearer ${rsToken}` };
    expect((await request(server, statusPath, { method: 'DELETE', headers })).status).toBe(202);
    expect((await request(server, statusPath, { headers })).status).toBe(404);
    expect((await request(server, statusPath, { method: 'DELETE', headers })).status).toBe(404);
    const jobId = new URL(statusPath, 'https://x').searchParams.get('job')!;
    // the worker may have been writing it: it deletes the directory when it notices, at its next page
    const jobDir = bulkExports(server.context).dirOf(jobId);
    for (let i = 0; i < 50 && existsSync(jobDir); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(existsSync(jobDir)).toBe(false);
  });

  it('answers 404 for an expired job and its files, and the sweep deletes them', async () => {
    const statusPath = await startExport(server, rsToken, '/fhir/r4/$export?_type=Patient');
    const manifest = await waitForManifest(server, rsToken, statusPath);
    const jobId = new URL(statusPath, 'https://x').searchParams.get('job')!;
    const bulk = bulkExports(server.context);
    await bulkModels(server.context.sequelize).BulkJob.update({ expiresAt: new Date(Date.now() - 1000) }, { where: { id: jobId } });
    const headers = { authorization: `Bearer ${rsToken}` };
    expect((await request(server, statusPath, { headers })).status).toBe(404);
    expect((await request(server, pathOf(manifest.output[0]!.url), { headers })).status).toBe(404);
    const { BulkWorker } = await import('../../server/src/fhir/bulk/worker.js');
    const sweeper = new BulkWorker({ service: undefined as never, store: undefined as never, jobs: bulk.jobs, options: bulk.options, limits: bulk.limits, dirOf: bulk.dirOf }, server.context.log);
    await sweeper.sweep();
    expect(existsSync(bulk.dirOf(jobId))).toBe(false);
    expect(await bulk.jobs.get(jobId)).toBeNull();
  });
});

describe('restart', () => {
  it('completes jobs the server left queued or running when it stopped', async () => {
    const interrupted = await startExport(server, rsToken, '/fhir/r4/Group/g1/$export');
    await waitForManifest(server, rsToken, interrupted);
    const interruptedId = new URL(interrupted, 'https://x').searchParams.get('job')!;
    const { BulkJob, BulkFile } = bulkModels(server.context.sequelize);
    // as a crash in the middle of the job leaves it: running, no files recorded
    await BulkFile.destroy({ where: { jobId: interruptedId } });
    await BulkJob.update({ state: 'running', progress: 40, outputs: null, completedAt: null }, { where: { id: interruptedId } });
    const pending = await startExport(server, esToken, '/fhir/r4/$export?_type=Patient');
    await server.close();

    server = await startTestServer(dir, undefined, storeFlags());
    await refreshTokens();
    const manifest = await waitForManifest(server, rsToken, interrupted);
    expect(countsByType(manifest.output)).toEqual({ Condition: 1, Group: 2, Observation: 3, Organization: 1, Patient: 2, Practitioner: 1 });
    await downloadAll(server, rsToken, manifest.output);
    expect(countsByType((await waitForManifest(server, esToken, pending)).output)).toEqual({ Patient: 3 });
  });
});
