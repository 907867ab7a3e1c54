import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateBearer } from '../../server/src/oauth/bearer.js';
import { generatePatientCredentials } from '../../server/src/oauth/patient-credentials.js';
import { oauthServices } from '../../server/src/oauth/services.js';
import type { RunningServer } from '../../server/src/server.js';
import { removeDir, request, startTestServer, tempDataDir } from '../helpers/server.js';
import { csrfOf, FormBrowser, formAction } from './browser.js';
import { authorizeWithLogin } from './flow.js';
import { basic, postForm, registerOk, relyingParty, storeFlags } from './helpers.js';

let dir: string;
let server: RunningServer;
let app: { client_id: string; client_secret?: string };
let other: { client_id: string; client_secret?: string };
let config: oidc.Configuration;
let patient: { username: string; password: string };
const redirectUri = 'https://app.example/cb';
const scope = 'openid fhirUser offline_access patient/Observation.rs';

beforeAll(async () => {
  dir = await tempDataDir();
  server = await startTestServer(dir, undefined, storeFlags());
  app = await registerOk(server, { client_name: 'Diary', redirect_uris: [redirectUri], scope, token_endpoint_auth_method: 'client_secret_post' });
  other = await registerOk(server, { client_name: 'Other', redirect_uris: [redirectUri], scope });
  config = await relyingParty(server, app.client_id, {}, oidc.ClientSecretPost(app.client_secret!));
  patient = await generatePatientCredentials(oauthServices(server.context).patientAccess, server.context.audit, 'pat-1', { actor: 'test', ip: null });
});

afterAll(async () => {
  await server.close();
  await removeDir(dir);
});

async function tokens() {
  const flow = await authorizeWithLogin(server, { config, redirectUri, scope }, patient.username, patient.password);
  return oidc.authorizationCodeGrant(config, flow.callback, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce });
}

describe('introspection (RFC 7662)', () => {
  it('reports an active token to the client it was issued to (openid-client)', async () => {
    const issued = await tokens();
    const result = await oidc.tokenIntrospection(config, issued.access_token);
    expect(result).toMatchObject({ active: true, client_id: app.client_id, scope, sub: 'patient:pat-1', iss: server.urls.issuer, patient: 'pat-1' });
    expect(typeof result.exp).toBe('number');
  });

  it('answers exactly {"active":false} for revoked, foreign, garbage and other clients’ tokens', async () => {
    const issued = await tokens();
    const auth = { authorization: basic(other.client_id, other.client_secret!) };
    const foreign = await postForm(server, '/oauth2/introspect', { token: issued.access_token }, auth);
    expect(foreign.body).toBe('{"active":false}');
    const garbage = await postForm(server, '/oauth2/introspect', { token: 'garbage' }, auth);
    expect(garbage.body).toBe('{"active":false}');
    await oauthServices(server.context).revocation.revokeAccessToken((await authenticateBearer(server.context, `Bearer ${issued.access_token}`)).jti, { actor: 't' }, 't');
    const revoked = await postForm(server, '/oauth2/introspect', { token: issued.access_token, client_id: app.client_id, client_secret: app.client_secret! });
    expect(revoked.body).toBe('{"active":false}');
  });

  it('refuses unauthenticated callers and public clients with 401 invalid_client', async () => {
    const anonymous = await postForm(server, '/oauth2/introspect', { token: 'x' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json()).toMatchObject({ error: 'invalid_client' });
    const publicApp = await registerOk(server, { client_name: 'Public', token_endpoint_auth_method: 'none', redirect_uris: [redirectUri], scope: 'openid patient/Observation.rs' });
    await oauthServices(server.context).revocation.setClientEnabled(publicApp.client_id, true, { actor: 't' });
    const res = await postForm(server, '/oauth2/introspect', { token: 'x', client_id: publicApp.client_id });
    expect(res.status).toBe(401);
    const wrongSecret = await postForm(server, '/oauth2/introspect', { token: 'x' }, { authorization: basic(app.client_id, 'wrong') });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.headers['www-authenticate']).toMatch(/^Basic/);
  });
});

describe('revocation (RFC 7009)', () => {
  it('revoking an access token ends that token only', async () => {
    const issued = await tokens();
    await oidc.tokenRevocation(config, issued.access_token);
    await expect(authenticateBearer(server.context, `Bearer ${issued.access_token}`)).rejects.toMatchObject({ error: 'invalid_token' });
    const refreshed = await oidc.refreshTokenGrant(config, issued.refresh_token!);
    await expect(authenticateBearer(server.context, `Bearer ${refreshed.access_token}`)).resolves.toMatchObject({ patientId: 'pat-1' });
  });

  it('revoking a refresh token ends it and every access token of its grant', async () => {
    const issued = await tokens();
    await oidc.tokenRevocation(config, issued.refresh_token!);
    await expect(authenticateBearer(server.context, `Bearer ${issued.access_token}`)).rejects.toMatchObject({ error: 'invalid_token' });
    await expect(oidc.refreshTokenGrant(config, issued.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('answers 200 for unknown tokens and leaves other clients’ tokens alone', async () => {
    const issued = await tokens();
    const res = await postForm(server, '/oauth2/revoke', { token: issued.access_token }, { authorization: basic(other.client_id, other.client_secret!) });
    expect(res.status).toBe(200);
    await expect(authenticateBearer(server.context, `Bearer ${issued.access_token}`)).resolves.toMatchObject({ clientId: app.client_id });
    expect((await postForm(server, '/oauth2/revoke', { token: 'unknown' }, { authorization: basic(other.client_id, other.client_secret!) })).status).toBe(200);
  });
});

describe('userinfo', () => {
  it('returns sub and fhirUser for a token with openid (openid-client)', async () => {
    const issued = await tokens();
    const info = await oidc.fetchUserInfo(config, issued.access_token, 'patient:pat-1');
    expect(info).toMatchObject({ sub: 'patient:pat-1', fhirUser: `${server.urls.fhirBase}/Patient/pat-1` });
  });

  it('answers 401 invalid_token without a token and ignores one in the query string', async () => {
    const issued = await tokens();
    const res = await request(server, `/oauth2/userinfo?access_token=${issued.access_token}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
  });
});

describe('patient self-service (management_endpoint) and logout', () => {
  it('a patient logs in, sees the apps they authorized and revokes one', async () => {
    const issued = await tokens();
    const browser = new FormBrowser(server);
    const loginPage = await browser.get('/oauth2/manage');
    expect(loginPage.body).toContain('Username');
    const managePage = await browser.follow(await browser.post(formAction(loginPage.body, '/manage/login'), { csrf: csrfOf(loginPage.body), username: patient.username, password: patient.password }));
    expect(managePage.status).toBe(200);
    expect(managePage.body).toContain('Diary');
    expect(managePage.body).toContain('>Revoke</button>');
    const after = await browser.follow(await browser.post('/oauth2/manage/revoke', { csrf: csrfOf(managePage.body), client_id: app.client_id }));
    expect(after.body).toContain('No apps can access your record');
    await expect(authenticateBearer(server.context, `Bearer ${issued.access_token}`)).rejects.toMatchObject({ error: 'invalid_token' });
  });

  it('refuses a revoke without the page’s CSRF token', async () => {
    const browser = new FormBrowser(server);
    const loginPage = await browser.get('/oauth2/manage');
    await browser.post(formAction(loginPage.body, '/manage/login'), { csrf: csrfOf(loginPage.body), username: patient.username, password: patient.password });
    const res = await browser.post('/oauth2/manage/revoke', { csrf: 'forged', client_id: app.client_id });
    expect(res.status).toBe(403);
  });

  it('logout ends the browser sign-in and only redirects to a registered URI', async () => {
    const browser = new FormBrowser(server);
    const loginPage = await browser.get('/oauth2/manage');
    await browser.post(formAction(loginPage.body, '/manage/login'), { csrf: csrfOf(loginPage.body), username: patient.username, password: patient.password });
    const out = await browser.get(`/oauth2/logout?client_id=${app.client_id}&post_logout_redirect_uri=${encodeURIComponent(redirectUri)}&state=s1`);
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe(`${redirectUri}?state=s1`);
    expect((await browser.get('/oauth2/manage')).body).toContain('Username');
    const evil = await browser.get(`/oauth2/logout?client_id=${app.client_id}&post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`);
    expect(evil.status).toBe(200);
    expect(evil.headers.location).toBeUndefined();
  });
});

describe('audit trail', () => {
  it('records logins, consent, registration and token issue/refresh/revoke without any token or secret', async () => {
    const issued = await tokens();
    await oidc.refreshTokenGrant(config, issued.refresh_token!);
    await oidc.tokenRevocation(config, issued.access_token);
    const started = await import('./flow.js').then((flow) => flow.startAuthorization(server, { config, redirectUri, scope }));
    const page = await started.browser.follow(started.response);
    await started.browser.post(formAction(page.body, '/login'), { csrf: csrfOf(page.body), username: patient.username, password: 'wrong' });

    const events = await server.context.models.AuditEvent.findAll();
    const seen = new Set(events.map((e) => `${e.type}:${e.outcome}`));
    for (const expected of ['client.register:success', 'oauth.login:success', 'oauth.login:failure', 'oauth.consent:success', 'oauth.token.issue:success', 'oauth.token.refresh:success', 'oauth.token.revoke:success', 'patient.api.credentials:success']) {
      expect(seen).toContain(expected);
    }
    const everything = JSON.stringify(events.map((e) => e.toJSON()));
    expect(everything).not.toContain(issued.access_token.split('.')[2]);
    expect(everything).not.toContain(issued.refresh_token);
    expect(everything).not.toContain(app.client_secret);
    expect(everything).not.toContain(patient.password);
  });
});
