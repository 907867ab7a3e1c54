// The authorization server with the real FHIR API: tokens minted here are what the FHIR API
// accepts, fhirUser names a readable resource, and every revocation path is seen on the next request.
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/src/server.js';
import { backendToken } from '../bulk/helpers.js';
import { AdminSession, removeDir, request, startTestServer, tempDataDir } from '../helpers/server.js';
import { authorizeWithLogin } from './flow.js';
import { keyPair, registerOk, relyingParty, storeFlags } from './helpers.js';

let dir: string;
let server: RunningServer;
let admin: AdminSession;
let config: oidc.Configuration;
let appId: string;
const redirectUri = 'https://diary.example/cb';
const scope = 'openid fhirUser offline_access launch/patient patient/Patient.rs patient/Observation.rs';

function fhirGet(path: string, token?: string) {
  return request(server, `/fhir/r4/${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

beforeAll(async () => {
  dir = await tempDataDir();
  server = await startTestServer(dir, undefined, storeFlags());
  admin = await AdminSession.login(server);
  // Seed two patients through the FHIR API with a backend-services token.
  const loader = await keyPair('RS384', 'loader');
  const loaderId = (await registerOk(server, { client_name: 'Loader', token_endpoint_auth_method: 'private_key_jwt', scope: 'system/Patient.cruds', jwks: { keys: [loader.publicJwk] } })).client_id;
  await admin.call('POST', `/admin/api/clients/${loaderId}/enable`);
  const token = await backendToken(server, { clientId: loaderId, key: loader.privateKey, alg: 'RS384', kid: 'loader' }, 'system/Patient.cruds');
  for (const [id, family] of [['p-ada', 'Lovelace'], ['p-alan', 'Turing']]) {
    const res = await request(server, `/fhir/r4/Patient/${id}`, {
      method: 'PUT',
      body: JSON.stringify({ resourceType: 'Patient', id, name: [{ family, given: ['Test'] }], birthDate: '1990-01-01' }),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
    });
    expect([200, 201]).toContain(res.status);
  }
  const app = await registerOk(server, { client_name: 'Diary', redirect_uris: [redirectUri], scope });
  appId = app.client_id;
  config = await relyingParty(server, app.client_id, {}, oidc.ClientSecretBasic(app.client_secret!));
});

afterAll(async () => {
  await server.close();
  await removeDir(dir);
});

async function patientLaunch(patientId: string) {
  const res = await admin.call('POST', `/admin/api/patients/${patientId}/api-credentials`);
  expect(res.status).toBe(201);
  const { username, password } = res.json<{ username: string; password: string }>();
  const flow = await authorizeWithLogin(server, { config, redirectUri, scope }, username, password);
  return oidc.authorizationCodeGrant(config, flow.callback, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce });
}

describe('tokens on the FHIR API', () => {
  it('the admin patient routes see the FHIR store’s patients', async () => {
    const list = (await admin.call('GET', '/admin/api/patients?q=turing')).json<{ items: { id: string; name: string }[] }>();
    expect(list.items).toEqual([expect.objectContaining({ id: 'p-alan', name: 'Test Turing' })]);
    expect((await admin.call('GET', '/admin/api/patients/p-nobody')).status).toBe(404);
  });

  it('a patient’s fhirUser is readable with the patient’s token', async () => {
    const tokens = await patientLaunch('p-ada');
    const fhirUser = tokens.claims()!.fhirUser as string;
    expect(fhirUser).toBe(`${server.urls.fhirBase}/Patient/p-ada`);
    const res = await fhirGet('Patient/p-ada', tokens.access_token);
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ resourceType: 'Patient', id: 'p-ada' });
  });

  it('a token in the query string is ignored (401)', async () => {
    const tokens = await patientLaunch('p-ada');
    const res = await fhirGet(`Patient/p-ada?access_token=${tokens.access_token}`);
    expect(res.status).toBe(401);
  });

  it('revocation by /oauth2/revoke, Revoke User and opt-out is seen on the very next FHIR request', async () => {
    const first = await patientLaunch('p-ada');
    expect((await fhirGet('Patient/p-ada', first.access_token)).status).toBe(200);
    await oidc.tokenRevocation(config, first.access_token);
    const revoked = await fhirGet('Patient/p-ada', first.access_token);
    expect(revoked.status).toBe(401);
    expect(revoked.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);

    const second = await patientLaunch('p-ada');
    expect((await fhirGet('Patient/p-ada', second.access_token)).status).toBe(200);
    await admin.call('POST', `/admin/api/clients/${appId}/users/${encodeURIComponent('patient:p-ada')}/revoke`);
    expect((await fhirGet('Patient/p-ada', second.access_token)).status).toBe(401);

    const third = await patientLaunch('p-alan');
    expect((await fhirGet('Patient/p-alan', third.access_token)).status).toBe(200);
    await admin.call('PUT', '/admin/api/patients/p-alan/api-access', { optOut: true });
    expect((await fhirGet('Patient/p-alan', third.access_token)).status).toBe(401);
  });
});
