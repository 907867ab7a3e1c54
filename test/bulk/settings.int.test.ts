// Staff change the Bulk Data export split size and retention through PUT /admin/api/settings;
// the next export uses them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/src/server.js';
import { createStaffUser } from '../../server/src/users/staff-users.js';
import { AdminSession, removeDir, startTestServer, tempDataDir } from '../helpers/server.js';
import { storeFlags } from '../oauth/helpers.js';
import { backendToken, downloadAll, registerBackendClient, startExport, waitForManifest, type BackendClient } from './helpers.js';
import { seed, seedResources } from './seed.js';

const scope = 'system/*.$export system/*.$bulkdata-status system/Document.read system/Binary.read system/Observation.rs';

/** 21 more Observations on top of the seed's 4: 25 in all. */
const extraObservations = Array.from({ length: 21 }, (_, i) => ({
  resourceType: 'Observation',
  id: `extra-${String(i).padStart(2, '0')}`,
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
  subject: { reference: 'Patient/p1' },
}));

interface BulkSettingsView {
  bulkExportResourcesPerFile: number;
  bulkExportRetentionHours: number;
}

interface BulkJobView {
  id: string;
  completedAt: string | null;
  expiresAt: string;
}

describe('bulk export settings in the admin API', () => {
  let dir: string;
  let server: RunningServer;
  let admin: AdminSession;
  let clinician: AdminSession;
  let client: BackendClient;
  let token: string;

  const bulkSettings = async () => (await admin.call('GET', '/admin/api/bulk-settings')).json<{ resourcesPerFile: number; retentionHours: number }>();

  beforeAll(async () => {
    dir = await tempDataDir();
    server = await startTestServer(dir, undefined, storeFlags());
    admin = await AdminSession.login(server);
    await createStaffUser(server.context.models, { username: 'dr.who', displayName: 'Dr Who', password: 'tardis-tardis-1', role: 'clinician', practitionerId: 'prac1' });
    clinician = await AdminSession.login(server, 'dr.who', 'tardis-tardis-1');
    client = await registerBackendClient(server, 'ES384', scope);
    await seed(server, [...seedResources, ...extraObservations]);
    token = await backendToken(server, client, scope);
  });

  afterAll(async () => {
    await server?.close();
    await removeDir(dir);
  });

  it('shows both settings with their defaults in the settings view', async () => {
    const res = await admin.call('GET', '/admin/api/settings');
    expect(res.status).toBe(200);
    expect(res.json<BulkSettingsView>()).toMatchObject({ bulkExportResourcesPerFile: 100_000, bulkExportRetentionHours: 24 });
  });

  it('splits the next export at the new size and keeps its files for the new retention', async () => {
    const res = await admin.call('PUT', '/admin/api/settings', { bulkExportResourcesPerFile: 10, bulkExportRetentionHours: 2 });
    expect(res.status, res.body).toBe(200);
    expect(res.json<BulkSettingsView>()).toMatchObject({ bulkExportResourcesPerFile: 10, bulkExportRetentionHours: 2 });
    expect(await bulkSettings()).toEqual({ resourcesPerFile: 10, retentionHours: 2 });

    const statusPath = await startExport(server, token, '/fhir/r4/$export?_type=Observation');
    const manifest = await waitForManifest(server, token, statusPath);
    expect(manifest.output.map((entry) => entry.count)).toEqual([10, 10, 5]);
    expect(await downloadAll(server, token, manifest.output)).toHaveLength(25);

    const jobId = new URL(statusPath, 'https://x').searchParams.get('job');
    const jobs = (await admin.call('GET', '/admin/api/bulk-jobs')).json<{ items: BulkJobView[] }>().items;
    const job = jobs.find((item) => item.id === jobId)!;
    expect(Date.parse(job.expiresAt) - Date.parse(job.completedAt!)).toBe(2 * 3600_000);

    const audit = (await admin.call('GET', '/admin/api/audit?type=settings.update')).json<{ items: { detail: { fields: string[] } }[] }>();
    expect(audit.items[0]?.detail.fields).toEqual(['bulkExportResourcesPerFile', 'bulkExportRetentionHours']);
  });

  it('accepts the bounds of each setting', async () => {
    for (const change of [
      { bulkExportResourcesPerFile: 1, bulkExportRetentionHours: 1 },
      { bulkExportResourcesPerFile: 10_000_000, bulkExportRetentionHours: 8760 },
    ]) {
      const res = await admin.call('PUT', '/admin/api/settings', change);
      expect(res.status, JSON.stringify(change)).toBe(200);
      expect(res.json<BulkSettingsView>()).toMatchObject(change);
    }
    expect((await admin.call('PUT', '/admin/api/settings', { bulkExportResourcesPerFile: 10, bulkExportRetentionHours: 2 })).status).toBe(200);
  });

  it('answers 400 to a value out of bounds or not a whole number, and leaves both settings as they were', async () => {
    const bad = [
      { bulkExportResourcesPerFile: 0 },
      { bulkExportResourcesPerFile: 'x' },
      { bulkExportResourcesPerFile: 9_999_999_999 },
      { bulkExportResourcesPerFile: 2.5 },
      { bulkExportRetentionHours: 0 },
      { bulkExportRetentionHours: 8761 },
      { bulkExportRetentionHours: '24' },
      // one good value beside a bad one changes nothing either
      { bulkExportResourcesPerFile: 50, bulkExportRetentionHours: -1 },
    ];
    for (const change of bad) {
      const res = await admin.call('PUT', '/admin/api/settings', change);
      expect(res.status, JSON.stringify(change)).toBe(400);
      expect(res.json<{ error: string }>().error).toMatch(/^bulkExport(ResourcesPerFile|RetentionHours): /);
    }
    expect(await bulkSettings()).toEqual({ resourcesPerFile: 10, retentionHours: 2 });
  });

  it('refuses clinicians: 403 to the change and to reading the export settings, values unchanged', async () => {
    expect((await clinician.call('PUT', '/admin/api/settings', { bulkExportResourcesPerFile: 500 })).status).toBe(403);
    expect((await clinician.call('GET', '/admin/api/bulk-settings')).status).toBe(403);
    expect(await bulkSettings()).toEqual({ resourcesPerFile: 10, retentionHours: 2 });
  });
});
