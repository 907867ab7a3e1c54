import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueAccessToken } from '../../server/src/oauth/access-token.js';
import { oauthServices } from '../../server/src/oauth/services.js';
import type { ClientRecord } from '../../server/src/oauth/store/client-store.js';
import type { RunningServer } from '../../server/src/server.js';
import { removeDir, request, startTestServer, tempDataDir } from '../helpers/server.js';

// The FHIR API as mounted in app.ts, behind the authorization server's bearer check.
let server: RunningServer;
let dataDir: string;

async function tokenFor(scope: string, patientId?: string): Promise<{ token: string; jti: string }> {
  const ctx = server.context;
  const services = oauthServices(ctx);
  const clientId = `fhir-live-${Math.random().toString(36).slice(2)}`;
  await services.clients.create({
    clientId,
    clientName: 'FHIR live test',
    secretHash: null,
    tokenEndpointAuthMethod: 'private_key_jwt',
    metadata: { client_name: 'FHIR live test' } as ClientRecord['metadata'],
    scope,
    profile: 'backend-service',
    enabled: true,
  });
  const issued = await issueAccessToken(ctx, services, {
    clientId,
    grantId: null,
    userKind: patientId ? 'patient' : 'system',
    userId: clientId,
    scope,
    patientId: patientId ?? null,
    lifetimeSeconds: 300,
  });
  return { token: issued.accessToken, jti: issued.jti };
}

beforeAll(async () => {
  dataDir = await tempDataDir();
  server = await startTestServer(dataDir);
});

afterAll(async () => {
  await server.close();
  await removeDir(dataDir);
});

describe('the live FHIR API', () => {
  it('serves no PHI without a token: 401 OperationOutcome with a Bearer challenge', async () => {
    const res = await request(server, '/fhir/r4/Patient');
    expect(res.status).toBe(401);
    expect(res.json<{ resourceType: string }>().resourceType).toBe('OperationOutcome');
    expect(String(res.headers['www-authenticate'])).toMatch(/^Bearer/);
    expect((await request(server, '/r4/Patient/1', { headers: { authorization: 'Bearer not.a.token' } })).status).toBe(401);
  });

  it('accepts a recorded token, and refuses it once revoked', async () => {
    const { token, jti } = await tokenFor('system/Patient.cruds');
    const auth = { authorization: `Bearer ${token}` };
    const put = await request(server, '/fhir/r4/Patient/live-1', {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'Patient', id: 'live-1', gender: 'female' }),
    });
    expect(put.status).toBe(201);
    expect((await request(server, '/fhir/r4/Patient/live-1', { headers: auth })).status).toBe(200);
    await oauthServices(server.context).revocation.revokeAccessToken(jti, { actor: 'test' }, 'test');
    expect((await request(server, '/fhir/r4/Patient/live-1', { headers: auth })).status).toBe(401);
  });

  it('confines a patient token to its compartment', async () => {
    const admin = await tokenFor('system/Patient.cruds system/Observation.cruds');
    const headers = { authorization: `Bearer ${admin.token}`, 'content-type': 'application/fhir+json' };
    for (const id of ['live-a', 'live-b']) {
      await request(server, `/fhir/r4/Patient/${id}`, { method: 'PUT', headers, body: JSON.stringify({ resourceType: 'Patient', id }) });
      await request(server, `/fhir/r4/Observation/obs-${id}`, {
        method: 'PUT',
        headers,
        body: JSON.stringify({ resourceType: 'Observation', id: `obs-${id}`, status: 'final', code: { text: 'x' }, subject: { reference: `Patient/${id}` } }),
      });
    }
    const { token } = await tokenFor('patient/Observation.rs', 'live-a');
    const res = await request(server, '/fhir/r4/Observation', { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const ids = res.json<{ entry: { resource: { id: string } }[] }>().entry.map((e) => e.resource.id);
    expect(ids).toEqual(['obs-live-a']);
  });

  it('answers 503 while the practice has turned the API off, and serves again once it is on', async () => {
    const { token } = await tokenFor('system/Patient.rs');
    const auth = { authorization: `Bearer ${token}` };
    expect((await request(server, '/fhir/r4/Patient', { headers: auth })).status).toBe(200);
    await server.context.settings.update({ apiEnabled: false });
    try {
      const off = await request(server, '/fhir/r4/Patient', { headers: auth });
      expect(off.status).toBe(503);
      expect(off.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'transient' }] });
      expect((await request(server, '/fhir/r4/metadata')).status).toBe(200);
    } finally {
      await server.context.settings.update({ apiEnabled: true });
    }
    expect((await request(server, '/fhir/r4/Patient', { headers: auth })).status).toBe(200);
  });
});
