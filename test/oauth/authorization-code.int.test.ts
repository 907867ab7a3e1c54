import * as oidc from 'openid-client';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateBearer } from '../../server/src/oauth/bearer.js';
import { generatePatientCredentials } from '../../server/src/oauth/patient-credentials.js';
import { oauthServices } from '../../server/src/oauth/services.js';
import type { RunningServer } from '../../server/src/server.js';
import { removeDir, request, startTestServer, tempDataDir } from '../helpers/server.js';
import { authorizeWithLogin, consent, login, startAuthorization } from './flow.js';
import { csrfOf, formAction } from './browser.js';
import { basic, postForm, registerOk, relyingParty, storeFlags } from './helpers.js';

let dir: string;
let server: RunningServer;
let app: { client_id: string; client_secret?: string };
let config: oidc.Configuration;
let patient: { username: string; password: string };
const redirectUri = 'https://app.example/callback';
const scope = 'openid fhirUser offline_access launch/patient patient/Observation.rs patient/Patient.r';

beforeAll(async () => {
  dir = await tempDataDir();
  server = await startTestServer(dir, undefined, storeFlags());
  app = await registerOk(server, { client_name: 'Health Diary', redirect_uris: [redirectUri], scope, token_endpoint_auth_method: 'client_secret_basic' });
  config = await relyingParty(server, app.client_id, { redirect_uris: [redirectUri] }, oidc.ClientSecretBasic(app.client_secret!));
  const services = oauthServices(server.context);
  patient = await generatePatientCredentials(services.patientAccess, server.context.audit, 'pat-1', { actor: 'test', ip: null });
});

afterAll(async () => {
  await server.close();
  await removeDir(dir);
});

async function fullFlow(untick: string[] = [], requested = scope) {
  const flow = await authorizeWithLogin(server, { config, redirectUri, scope: requested }, patient.username, patient.password, untick);
  const tokens = await oidc.authorizationCodeGrant(config, flow.callback, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce });
  return { flow, tokens };
}

describe('standalone patient launch with openid-client', () => {
  it('logs the patient in, asks consent, and issues SMART tokens with an id_token naming the Patient', async () => {
    const { flow, tokens } = await fullFlow();
    expect(flow.callback.searchParams.get('iss')).toBe(server.urls.issuer);
    expect(tokens.scope).toBe(scope);
    expect(tokens.patient).toBe('pat-1');
    expect(tokens.need_patient_banner).toBe(true);
    expect(tokens.smart_style_url).toBe(`${server.urls.issuer}/smart-style.json`);
    expect(tokens.expires_in).toBe(3600);
    expect(typeof tokens.refresh_token).toBe('string');
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: server.urls.issuer, aud: app.client_id, sub: 'patient:pat-1', nonce: flow.nonce, fhirUser: `${server.urls.fhirBase}/Patient/pat-1` });
    const header = JSON.parse(Buffer.from(tokens.id_token!.split('.')[0]!, 'base64url').toString()) as { alg: string; kid: string };
    expect(header).toMatchObject({ alg: 'RS256', kid: server.context.keys.signingKey('RS256').kid });

    const access = await authenticateBearer(server.context, `Bearer ${tokens.access_token}`);
    expect(access).toMatchObject({ clientId: app.client_id, userKind: 'patient', patientId: 'pat-1' });
    expect(decodeJwt(tokens.access_token)).toMatchObject({ patient: 'pat-1', aud: server.urls.fhirBase, client_id: app.client_id });

    const style = await request(server, new URL(tokens.smart_style_url as string).pathname);
    expect(style.status).toBe(200);
    expect(style.json()).toHaveProperty('color_background');
  });

  it('grants exactly the ticked scopes: no refresh token once offline_access is unticked', async () => {
    const { tokens } = await fullFlow(['offline_access', 'patient/Patient.r']);
    expect(tokens.scope).toBe('openid fhirUser launch/patient patient/Observation.rs');
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('keeps a granular v2 scope as asked', async () => {
    const granular = 'openid patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory';
    const { tokens } = await fullFlow([], granular);
    expect(tokens.scope).toBe(granular);
    const access = await authenticateBearer(server.context, `Bearer ${tokens.access_token}`);
    expect(access.scopes.filtersFor('patient', 'Observation', 's')).toHaveLength(1);
  });

  it('Deny sends access_denied with state and iss back to the app', async () => {
    const started = await startAuthorization(server, { config, redirectUri, scope });
    const consentPage = await login(started.browser, await started.browser.follow(started.response), patient.username, patient.password);
    const callback = await consent(started.browser, consentPage, 'deny');
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe(started.state);
    expect(callback.searchParams.get('iss')).toBe(server.urls.issuer);
  });

  it('refuses a replayed code with invalid_grant and revokes what the code issued', async () => {
    const flow = await authorizeWithLogin(server, { config, redirectUri, scope }, patient.username, patient.password);
    const tokens = await oidc.authorizationCodeGrant(config, flow.callback, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce });
    const replay = await postForm(server, '/oauth2/token', { grant_type: 'authorization_code', code: flow.callback.searchParams.get('code')!, redirect_uri: redirectUri, code_verifier: flow.verifier }, { authorization: `Basic ${Buffer.from(`${app.client_id}:${app.client_secret}`).toString('base64')}` });
    expect(replay.status).toBe(400);
    expect(replay.json()).toMatchObject({ error: 'invalid_grant' });
    await expect(authenticateBearer(server.context, `Bearer ${tokens.access_token}`)).rejects.toMatchObject({ error: 'invalid_token' });
    const refresh = await postForm(server, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }, { authorization: `Basic ${Buffer.from(`${app.client_id}:${app.client_secret}`).toString('base64')}` });
    expect(refresh.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a wrong or missing PKCE verifier and a different redirect_uri with invalid_grant', async () => {
    const auth = { authorization: `Basic ${Buffer.from(`${app.client_id}:${app.client_secret}`).toString('base64')}` };
    for (const variant of [{ code_verifier: 'x'.repeat(43) }, {}, { redirect: 'https://app.example/callback/' }]) {
      const flow = await authorizeWithLogin(server, { config, redirectUri, scope }, patient.username, patient.password);
      const { redirect, ...verifier } = variant as { redirect?: string; code_verifier?: string };
      const body: Record<string, string> = { grant_type: 'authorization_code', code: flow.callback.searchParams.get('code')!, redirect_uri: redirect ?? redirectUri, ...verifier };
      if (redirect) body.code_verifier = flow.verifier;
      const res = await postForm(server, '/oauth2/token', body, auth);
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ error: 'invalid_grant' });
    }
  });

  it('refuses a code presented by another client, and a code past its 60 seconds, with invalid_grant', async () => {
    const other = await registerOk(server, { client_name: 'Other', redirect_uris: [redirectUri], scope });
    const stolen = await authorizeWithLogin(server, { config, redirectUri, scope }, patient.username, patient.password);
    const asOther = await postForm(server, '/oauth2/token', { grant_type: 'authorization_code', code: stolen.callback.searchParams.get('code')!, redirect_uri: redirectUri, code_verifier: stolen.verifier }, { authorization: basic(other.client_id, other.client_secret!) });
    expect(asOther.status).toBe(400);
    expect(asOther.json()).toMatchObject({ error: 'invalid_grant' });

    const late = await authorizeWithLogin(server, { config, redirectUri, scope }, patient.username, patient.password);
    // Age the code instead of waiting: the stored expiry is what the grant checks.
    await oauthServices(server.context).models.AuthCode.update({ expiresAt: new Date(Date.now() - 1000) }, { where: {} });
    const expired = await postForm(server, '/oauth2/token', { grant_type: 'authorization_code', code: late.callback.searchParams.get('code')!, redirect_uri: redirectUri, code_verifier: late.verifier }, { authorization: basic(app.client_id, app.client_secret!) });
    expect(expired.status).toBe(400);
    expect(expired.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a patient who opted out, with a clear message', async () => {
    const services = oauthServices(server.context);
    const optedOut = await generatePatientCredentials(services.patientAccess, server.context.audit, 'pat-out', { actor: 'test', ip: null });
    await services.revocation.setPatientOptOut('pat-out', true, { actor: 'test' });
    const started = await startAuthorization(server, { config, redirectUri, scope });
    const page = await started.browser.follow(started.response);
    const res = await started.browser.post(formAction(page.body, '/login'), { csrf: csrfOf(page.body), username: optedOut.username, password: optedOut.password });
    expect(res.status).toBe(403);
    expect(res.body).toContain('opted out');
  });

  it('refuses a wrong password on the login page', async () => {
    const started = await startAuthorization(server, { config, redirectUri, scope });
    const page = await started.browser.follow(started.response);
    const res = await started.browser.post(formAction(page.body, '/login'), { csrf: csrfOf(page.body), username: patient.username, password: 'wrong-password' });
    expect(res.status).toBe(401);
    expect(res.body).toContain('Wrong username or password');
  });
});

describe('refresh tokens', () => {
  const basicAuth = () => ({ authorization: `Basic ${Buffer.from(`${app.client_id}:${app.client_secret}`).toString('base64')}` });

  it('rotates on every use; reusing a rotated token revokes the whole grant', async () => {
    const { tokens } = await fullFlow();
    const second = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(second.refresh_token).not.toBe(tokens.refresh_token);
    expect(second.patient).toBe('pat-1');
    await authenticateBearer(server.context, `Bearer ${second.access_token}`);

    const reuse = await postForm(server, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }, basicAuth());
    expect(reuse.status).toBe(400);
    expect(reuse.json()).toMatchObject({ error: 'invalid_grant' });
    await expect(authenticateBearer(server.context, `Bearer ${second.access_token}`)).rejects.toMatchObject({ error: 'invalid_token' });
    const afterReuse = await postForm(server, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: second.refresh_token! }, basicAuth());
    expect(afterReuse.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('accepts a narrower (granular) scope, refuses a wider one without burning the token', async () => {
    const { tokens } = await fullFlow();
    const wider = await postForm(server, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, scope: 'openid patient/Condition.rs' }, basicAuth());
    expect(wider.status).toBe(400);
    expect(wider.json()).toMatchObject({ error: 'invalid_scope' });
    const narrower = await oidc.refreshTokenGrant(config, tokens.refresh_token!, { scope: 'patient/Observation.rs?category=laboratory offline_access' });
    expect(narrower.scope).toBe('patient/Observation.rs?category=laboratory offline_access');
    // The new refresh token still carries the whole grant.
    const full = await oidc.refreshTokenGrant(config, narrower.refresh_token!);
    expect(full.scope).toBe(scope);
  });

  it('stops working once the user is revoked for the client', async () => {
    const { tokens } = await fullFlow();
    await oauthServices(server.context).revocation.revokeUser(app.client_id, 'patient', 'pat-1', { actor: 'test' });
    const res = await postForm(server, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }, basicAuth());
    expect(res.json()).toMatchObject({ error: 'invalid_grant' });
    await expect(authenticateBearer(server.context, `Bearer ${tokens.access_token}`)).rejects.toMatchObject({ error: 'invalid_token' });
  });

  it('answers token requests with no-store and no-cache', async () => {
    const flow = await authorizeWithLogin(server, { config, redirectUri, scope }, patient.username, patient.password);
    const res = await postForm(server, '/oauth2/token', { grant_type: 'authorization_code', code: flow.callback.searchParams.get('code')!, redirect_uri: redirectUri, code_verifier: flow.verifier }, basicAuth());
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.pragma).toBe('no-cache');
  });
});
