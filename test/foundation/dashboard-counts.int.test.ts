import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardCounts } from '../../server/src/admin/routes/status.js';
import { AuditLog } from '../../server/src/audit/audit-log.js';
import { openDatabase, sqliteUrlFor } from '../../server/src/db/database.js';
import { migrate } from '../../server/src/db/migrate.js';
import { defineFoundationModels } from '../../server/src/db/models/foundation.js';
import { bulkModels, type BulkJobState } from '../../server/src/fhir/bulk/models.js';
import { createLogger } from '../../server/src/log.js';
import { issueAccessToken } from '../../server/src/oauth/access-token.js';
import { oauthServices } from '../../server/src/oauth/services.js';
import type { ClientRecord } from '../../server/src/oauth/store/client-store.js';
import type { RunningServer } from '../../server/src/server.js';
import { createStaffUser } from '../../server/src/users/staff-users.js';
import { AdminSession, removeDir, request, startTestServer, tempDataDir } from '../helpers/server.js';

interface Counts {
  patients: number;
  enabledClients: number;
  activeAccessTokens: number;
  bulkExportsRunning: number;
  bulkExportsQueued: number;
}

const loaderScope = 'system/Patient.cruds system/Practitioner.cruds';

/** A bulk job row in a given state, as the export kick-off would store it. */
function bulkJob(state: BulkJobState) {
  const now = new Date();
  return {
    id: randomUUID(),
    clientId: 'loader',
    subject: 'system',
    kind: 'system' as const,
    groupId: null,
    requestUrl: 'https://localhost/fhir/r4/$export',
    params: '{}',
    transactionTime: now.toISOString(),
    state,
    createdAt: now,
    expiresAt: new Date(now.getTime() + 86_400_000),
  };
}

describe('dashboard counts on GET /admin/api/status', () => {
  let dir: string;
  let server: RunningServer;
  let admin: AdminSession;
  let clinician: AdminSession;
  let token: string;

  beforeAll(async () => {
    dir = await tempDataDir();
    server = await startTestServer(dir);
    admin = await AdminSession.login(server);
    await createStaffUser(server.context.models, { username: 'dr.who', displayName: 'Dr Who', password: 'tardis-tardis-1', role: 'clinician', practitionerId: 'prac-1' });
    clinician = await AdminSession.login(server, 'dr.who', 'tardis-tardis-1');
  });

  afterAll(async () => {
    await server?.close();
    await removeDir(dir);
  });

  async function counts(session = admin): Promise<Counts> {
    const res = await session.call('GET', '/admin/api/status');
    expect(res.status).toBe(200);
    return res.json<{ counts: Counts }>().counts;
  }

  function fhir(method: string, path: string, body?: object) {
    return request(server, `/fhir/r4/${path}`, {
      method,
      ...(body ? { body: JSON.stringify(body) } : {}),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
    });
  }

  it('counts an enabled client and the access token issued to it, and not a disabled client', async () => {
    const before = await counts();
    const services = oauthServices(server.context);
    await services.clients.create({
      clientId: 'loader',
      clientName: 'Test data loader',
      secretHash: null,
      tokenEndpointAuthMethod: 'private_key_jwt',
      metadata: { client_name: 'Test data loader' } as ClientRecord['metadata'],
      scope: loaderScope,
      profile: 'backend-service',
      enabled: true,
    });
    // Staff apps register disabled: they wait for an administrator and are not counted.
    const provider = await admin.call('POST', '/admin/api/clients', { client_name: 'Chart viewer', redirect_uris: ['https://viewer.example/cb'], scope: 'openid fhirUser user/Patient.rs' });
    expect(provider.status).toBe(201);
    token = (await issueAccessToken(server.context, services, { clientId: 'loader', grantId: null, userKind: 'system', userId: 'loader', scope: loaderScope, patientId: null, lifetimeSeconds: 300 })).accessToken;

    expect(await counts()).toEqual({ ...before, enabledClients: before.enabledClients + 1, activeAccessTokens: before.activeAccessTokens + 1 });
  });

  it('counts stored Patients, not other resources and not deleted Patients', async () => {
    const before = await counts();
    for (const id of ['count-1', 'count-2']) {
      expect((await fhir('PUT', `Patient/${id}`, { resourceType: 'Patient', id, name: [{ family: 'Count', given: [id] }] })).status).toBe(201);
    }
    expect((await fhir('POST', 'Practitioner', { resourceType: 'Practitioner', name: [{ family: 'Who' }] })).status).toBe(201);
    expect((await counts()).patients).toBe(before.patients + 2);

    expect((await fhir('DELETE', 'Patient/count-1')).status).toBeLessThan(300);
    expect(await counts()).toEqual({ ...before, patients: before.patients + 1 });
  });

  it('stops counting an access token once it is revoked or expired', async () => {
    const services = oauthServices(server.context);
    const before = await counts();
    const second = await issueAccessToken(server.context, services, { clientId: 'loader', grantId: null, userKind: 'system', userId: 'loader', scope: loaderScope, patientId: null, lifetimeSeconds: 300 });
    const third = await issueAccessToken(server.context, services, { clientId: 'loader', grantId: null, userKind: 'system', userId: 'loader', scope: loaderScope, patientId: null, lifetimeSeconds: 300 });
    expect((await counts()).activeAccessTokens).toBe(before.activeAccessTokens + 2);

    expect((await admin.call('POST', `/admin/api/tokens/${second.jti}/revoke`)).status).toBe(200);
    await services.models.AccessToken.update({ expiresAt: new Date(Date.now() - 1000) }, { where: { jti: third.jti } });
    expect(await counts()).toEqual(before);
  });

  it('stops counting a client once it is disabled', async () => {
    const before = await counts();
    expect((await admin.call('POST', '/admin/api/clients/loader/disable')).status).toBe(200);
    expect((await counts()).enabledClients).toBe(before.enabledClients - 1);
    expect((await admin.call('POST', '/admin/api/clients/loader/enable')).status).toBe(200);
    expect((await counts()).enabledClients).toBe(before.enabledClients);
  });

  it('counts running exports, not finished, failed or cancelled ones', async () => {
    const before = await counts();
    // The worker only takes queued jobs, so running and finished rows stay as they are here.
    await bulkModels(server.context.sequelize).BulkJob.bulkCreate([bulkJob('running'), bulkJob('running'), bulkJob('completed'), bulkJob('failed'), bulkJob('cancelled')]);
    expect(await counts()).toEqual({ ...before, bulkExportsRunning: before.bulkExportsRunning + 2 });
  });

  it('shows clinicians the patient count only', async () => {
    const all = await counts();
    expect(await counts(clinician)).toEqual({ patients: all.patients });
  });
});

describe('dashboard counts of queued exports', () => {
  // Without a server, so no export worker takes the queued jobs while they are counted.
  it('counts queued and running exports apart', async () => {
    const dir = await tempDataDir();
    const log = createLogger('silent');
    const sequelize = await openDatabase(sqliteUrlFor(dir), log);
    try {
      await migrate(sequelize, log);
      const models = defineFoundationModels(sequelize);
      const host = { sequelize, models, audit: new AuditLog(models, log) };
      expect(await dashboardCounts(host, true)).toEqual({ patients: 0, enabledClients: 0, activeAccessTokens: 0, bulkExportsRunning: 0, bulkExportsQueued: 0 });
      await bulkModels(sequelize).BulkJob.bulkCreate([bulkJob('queued'), bulkJob('queued'), bulkJob('queued'), bulkJob('running'), bulkJob('completed')]);
      expect(await dashboardCounts(host, true)).toMatchObject({ bulkExportsRunning: 1, bulkExportsQueued: 3 });
      expect(await dashboardCounts(host, false)).toEqual({ patients: 0 });
    } finally {
      await sequelize.close();
      await removeDir(dir);
    }
  });
});
