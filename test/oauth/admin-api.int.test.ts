import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateBearer } from '../../server/src/oauth/bearer.js';
import { oauthServices } from '../../server/src/oauth/services.js';
import type { RunningServer } from '../../server/src/server.js';
import { createStaffUser } from '../../server/src/users/staff-users.js';
import { AdminSession, removeDir, request, startTestServer, tempDataDir } from '../helpers/server.js';
import { fakePatientDirectory } from './fake-patients.js';
import { authorizeWithLogin } from './flow.js';
import { basic, postForm, registerOk, relyingParty, storeFlags } from './helpers.js';

let dir: string;
let server: RunningServer;
let admin: AdminSession;
let clinician: AdminSession;
let app: { client_id: string; client_secret?: string };
let config: oidc.Configuration;
const redirectUri = 'https://app.example/cb';
const scope = 'openid fhirUser offline_access patient/Observation.rs';

interface Items<T> {
  items: T[];
  total: number;
}

beforeAll(async () => {
  dir = await tempDataDir();
  server = await startTestServer(dir, undefined, storeFlags());
  oauthServices(server.context).patientDirectory = fakePatientDirectory([
    { id: 'pat-1', name: 'Ada Lovelace', birthDate: '1815-12-10' },
    { id: 'pat-2', name: 'Alan Turing' },
  ]);
  admin = await AdminSession.login(server);
  await createStaffUser(server.context.models, { username: 'dr.who', displayName: 'Dr Who', password: 'tardis-tardis-1', role: 'clinician', practitionerId: 'prac-1' });
  clinician = await AdminSession.login(server, 'dr.who', 'tardis-tardis-1');
  app = await registerOk(server, { client_name: 'Diary', redirect_uris: [redirectUri], scope });
  config = await relyingParty(server, app.client_id, {}, oidc.ClientSecretBasic(app.client_secret!));
});

afterAll(async () => {
  await server.close();
  await removeDir(dir);
});

async function patientTokens(patientId: string) {
  const res = await clinician.call('POST', `/admin/api/patients/${patientId}/api-credentials`);
  expect(res.status).toBe(201);
  const { username, password } = res.json<{ username: string; password: string }>();
  const flow = await authorizeWithLogin(server, { config, redirectUri, scope }, username, password);
  return oidc.authorizationCodeGrant(config, flow.callback, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce });
}

describe('admin API: clients', () => {
  it('lists clients with a filter, in camelCase with {items,total}', async () => {
    const all = await admin.call('GET', '/admin/api/clients');
    expect(all.status).toBe(200);
    const list = all.json<Items<Record<string, unknown>>>();
    expect(list.total).toBe(list.items.length);
    expect(list.items.find((c) => c.clientId === app.client_id)).toMatchObject({ name: 'Diary', enabled: true, clientType: 'confidential', profile: 'patient-standalone', redirectUris: [redirectUri] });
    expect((await admin.call('GET', '/admin/api/clients?q=diar')).json<Items<unknown>>().total).toBe(1);
    expect((await admin.call('GET', '/admin/api/clients?q=nothing-like-it')).json<Items<unknown>>().total).toBe(0);
    expect((await admin.call('GET', '/admin/api/clients?status=disabled')).json<Items<{ clientId: string }>>().items.map((c) => c.clientId)).not.toContain(app.client_id);
  });

  it('registers a client by hand with the RFC 7591 shapes; provider apps start disabled', async () => {
    const res = await admin.call('POST', '/admin/api/clients', { client_name: 'Chart viewer', redirect_uris: ['https://viewer.example/cb'], scope: 'openid fhirUser user/Patient.rs' });
    expect(res.status).toBe(201);
    const body = res.json<{ client_id: string; client_secret: string }>();
    expect(typeof body.client_secret).toBe('string');
    const one = await admin.call('GET', `/admin/api/clients/${body.client_id}`);
    expect(one.json()).toMatchObject({ enabled: false, profile: 'provider', users: [], tokens: [] });
    const bad = await admin.call('POST', '/admin/api/clients', { client_name: 'Bad', redirect_uris: ['https://x.example/cb'], scope: 'user/*.*' });
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'invalid_client_metadata' });
  });

  it('disabling a client ends its tokens at once and refuses it at the token endpoint; enabling restores it', async () => {
    const tokens = await patientTokens('pat-1');
    const disabled = await admin.call('POST', `/admin/api/clients/${app.client_id}/disable`);
    expect(disabled.status).toBe(200);
    expect(disabled.json()).toMatchObject({ clientId: app.client_id, enabled: false });
    await expect(authenticateBearer(server.context, `Bearer ${tokens.access_token}`)).rejects.toMatchObject({ error: 'invalid_token' });
    const refused = await postForm(server, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }, { authorization: basic(app.client_id, app.client_secret!) });
    expect(refused.status).toBe(401);
    expect(refused.json()).toMatchObject({ error: 'invalid_client' });
    expect((await admin.call('POST', `/admin/api/clients/${app.client_id}/enable`)).json()).toMatchObject({ enabled: true });
    await expect(authenticateBearer(server.context, `Bearer ${tokens.access_token}`)).resolves.toMatchObject({ patientId: 'pat-1' });
  });

  it('lists Authenticated API Users and tokens, and Revoke User ends that user’s tokens only', async () => {
    const first = await patientTokens('pat-1');
    const second = await patientTokens('pat-2');
    const users = (await admin.call('GET', `/admin/api/clients/${app.client_id}/users`)).json<Items<{ userId: string; kind: string; username: string }>>();
    expect(users.items.map((u) => u.userId).sort()).toEqual(['patient:pat-1', 'patient:pat-2']);
    expect(users.items.every((u) => u.kind === 'patient' && u.username.startsWith('pt-'))).toBe(true);

    const revoked = await admin.call('POST', `/admin/api/clients/${app.client_id}/users/${encodeURIComponent('patient:pat-1')}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.json()).toMatchObject({ userId: 'patient:pat-1', revoked: true });
    await expect(authenticateBearer(server.context, `Bearer ${first.access_token}`)).rejects.toMatchObject({ error: 'invalid_token' });
    await expect(authenticateBearer(server.context, `Bearer ${second.access_token}`)).resolves.toMatchObject({ patientId: 'pat-2' });

    const tokens = (await admin.call('GET', `/admin/api/clients/${app.client_id}/tokens`)).json<Items<{ jti: string; status: string; user: { userId: string } }>>();
    expect(tokens.items.filter((t) => t.user.userId === 'patient:pat-1').every((t) => t.status === 'revoked')).toBe(true);
    expect(tokens.items.some((t) => t.user.userId === 'patient:pat-2' && t.status === 'active')).toBe(true);
  });

  it('revokes one access token by jti', async () => {
    const tokens = await patientTokens('pat-2');
    const jti = (await authenticateBearer(server.context, `Bearer ${tokens.access_token}`)).jti;
    const res = await admin.call('POST', `/admin/api/tokens/${jti}/revoke`);
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ jti, status: 'revoked' });
    await expect(authenticateBearer(server.context, `Bearer ${tokens.access_token}`)).rejects.toMatchObject({ error: 'invalid_token' });
    // Only that token: the refresh token still works.
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).toBeTruthy();
    expect((await admin.call('POST', '/admin/api/tokens/no-such-jti/revoke')).status).toBe(404);
  });

  it('keeps clinicians out of the client and token routes, and needs a session and CSRF token', async () => {
    expect((await clinician.call('GET', '/admin/api/clients')).status).toBe(403);
    expect((await clinician.call('POST', '/admin/api/token-tools/parse', { token: 'x' })).status).toBe(403);
    expect((await request(server, '/admin/api/clients')).status).toBe(401);
    expect((await admin.call('POST', `/admin/api/clients/${app.client_id}/disable`, undefined, { csrf: false })).status).toBe(403);
  });
});

describe('admin API: token tools', () => {
  it('parses an active token, then revokes it', async () => {
    const tokens = await patientTokens('pat-2');
    const parsed = await admin.call('POST', '/admin/api/token-tools/parse', { token: tokens.access_token });
    expect(parsed.status).toBe(200);
    expect(parsed.json()).toMatchObject({ status: 'active', clientId: app.client_id, clientName: 'Diary', user: { userId: 'patient:pat-2', kind: 'patient', patientId: 'pat-2' }, scope, patient: 'pat-2' });
    expect(parsed.json<{ claims: { client_id: string } }>().claims.client_id).toBe(app.client_id);
    const revoked = await admin.call('POST', '/admin/api/token-tools/revoke', { token: tokens.access_token });
    expect(revoked.json()).toMatchObject({ status: 'revoked' });
    await expect(authenticateBearer(server.context, `Bearer ${tokens.access_token}`)).rejects.toMatchObject({ error: 'invalid_token' });
  });

  it('reports an expired token as expired', async () => {
    const tokens = await patientTokens('pat-2');
    const jti = (await authenticateBearer(server.context, `Bearer ${tokens.access_token}`)).jti;
    await oauthServices(server.context).models.AccessToken.update({ expiresAt: new Date(Date.now() - 1000) }, { where: { jti } });
    expect((await admin.call('POST', '/admin/api/token-tools/parse', { token: tokens.access_token })).json()).toMatchObject({ status: 'expired', jti });
  });

  it('calls garbage and foreign tokens invalid, and a pasted refresh token revokes its grant', async () => {
    expect((await admin.call('POST', '/admin/api/token-tools/parse', { token: 'not-a-token' })).json()).toMatchObject({ status: 'invalid' });
    const tokens = await patientTokens('pat-2');
    expect((await admin.call('POST', '/admin/api/token-tools/parse', { token: tokens.refresh_token })).json()).toMatchObject({ status: 'active', tokenType: 'refresh_token' });
    await admin.call('POST', '/admin/api/token-tools/revoke', { token: tokens.refresh_token });
    await expect(authenticateBearer(server.context, `Bearer ${tokens.access_token}`)).rejects.toMatchObject({ error: 'invalid_token' });
  });
});

describe('admin API: patients', () => {
  it('generates credentials once shown, regenerates them, and reports API access', async () => {
    const first = (await clinician.call('POST', '/admin/api/patients/pat-1/api-credentials')).json<{ username: string; password: string }>();
    const second = (await clinician.call('POST', '/admin/api/patients/pat-1/api-credentials')).json<{ username: string; password: string }>();
    expect(second.username).toBe(first.username);
    expect(second.password).not.toBe(first.password);
    const row = await oauthServices(server.context).patientAccess.get('pat-1');
    expect(row!.passwordHash).toMatch(/^scrypt\$/);
    expect(row!.passwordHash).not.toContain(second.password);
    const one = await clinician.call('GET', '/admin/api/patients/pat-1');
    expect(one.json()).toMatchObject({ id: 'pat-1', name: 'Ada Lovelace', apiAccess: { hasCredentials: true, username: first.username, optedOut: false } });
    expect((await clinician.call('GET', '/admin/api/patients?q=alan')).json<Items<{ id: string }>>().items.map((p) => p.id)).toEqual(['pat-2']);
    expect((await clinician.call('GET', '/admin/api/patients/nobody')).status).toBe(404);
  });

  it('opt-out ends the patient’s tokens at once and opting back in does not revive them', async () => {
    const tokens = await patientTokens('pat-2');
    const res = await clinician.call('PUT', '/admin/api/patients/pat-2/api-access', { optOut: true });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ apiAccess: { optedOut: true } });
    await expect(authenticateBearer(server.context, `Bearer ${tokens.access_token}`)).rejects.toMatchObject({ error: 'invalid_token' });
    expect((await clinician.call('POST', '/admin/api/patients/pat-2/api-credentials')).status).toBe(409);
    await clinician.call('PUT', '/admin/api/patients/pat-2/api-access', { optOut: false });
    await expect(authenticateBearer(server.context, `Bearer ${tokens.access_token}`)).rejects.toMatchObject({ error: 'invalid_token' });
  });
});
