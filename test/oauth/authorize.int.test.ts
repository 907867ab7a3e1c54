import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePatientCredentials } from '../../server/src/oauth/patient-credentials.js';
import { oauthServices } from '../../server/src/oauth/services.js';
import type { RunningServer } from '../../server/src/server.js';
import { removeDir, request, startTestServer, tempDataDir } from '../helpers/server.js';
import { authorizeWithLogin, redirectError, startAuthorization } from './flow.js';
import { registerOk, relyingParty, storeFlags } from './helpers.js';

let dir: string;
let server: RunningServer;
let config: oidc.Configuration;
let clientId: string;
let nativeConfig: oidc.Configuration;
let patient: { username: string; password: string };
const redirectUri = 'https://app.example:8443/cb';
const scope = 'openid fhirUser patient/Observation.rs offline_access';

beforeAll(async () => {
  dir = await tempDataDir();
  server = await startTestServer(dir, undefined, storeFlags());
  const app = await registerOk(server, { client_name: 'Diary', redirect_uris: [redirectUri], scope });
  clientId = app.client_id;
  config = await relyingParty(server, clientId, { redirect_uris: [redirectUri] }, oidc.ClientSecretBasic(app.client_secret!));
  const native = await registerOk(server, { client_name: 'Desktop app', redirect_uris: ['http://127.0.0.1:5000/cb'], scope: 'openid patient/Observation.rs', token_endpoint_auth_method: 'none' });
  await oauthServices(server.context).revocation.setClientEnabled(native.client_id, true, { actor: 'test' });
  nativeConfig = await relyingParty(server, native.client_id, {}, oidc.None());
  patient = await generatePatientCredentials(oauthServices(server.context).patientAccess, server.context.audit, 'pat-9', { actor: 'test', ip: null });
});

afterAll(async () => {
  await server.close();
  await removeDir(dir);
});

function authorizeUrl(params: Record<string, string | null>): string {
  const url = new URL(`${server.urls.issuer}/authorize`);
  const base: Record<string, string> = {
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope,
    state: 'st-1',
    aud: server.urls.fhirBase,
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
  };
  for (const [name, value] of Object.entries({ ...base, ...params })) if (value !== null) url.searchParams.set(name, value);
  return url.pathname + url.search;
}

describe('/oauth2/authorize: what shows an error page and never redirects', () => {
  it.each([
    ['a trailing slash', { redirect_uri: 'https://app.example:8443/cb/' }],
    ['a change of case', { redirect_uri: 'https://app.example:8443/CB' }],
    ['another port on a non-loopback host', { redirect_uri: 'https://app.example:9443/cb' }],
    ['no redirect_uri', { redirect_uri: null }],
    ['an unknown client', { client_id: 'nobody' }],
    ['no client_id', { client_id: null }],
  ])('%s', async (_name, params) => {
    const res = await request(server, authorizeUrl(params));
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('a disabled client', async () => {
    await oauthServices(server.context).revocation.setClientEnabled(clientId, false, { actor: 'test' });
    const res = await request(server, authorizeUrl({}));
    await oauthServices(server.context).revocation.setClientEnabled(clientId, true, { actor: 'test' });
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.body).toContain('not been approved');
  });
});

describe('/oauth2/authorize: errors sent back to the app with state and iss', () => {
  it.each([
    ['a wrong aud', { aud: 'https://other.example/fhir/r4' }, 'invalid_request'],
    ['no aud', { aud: null }, 'invalid_request'],
    ['no code_challenge', { code_challenge: null }, 'invalid_request'],
    ['the plain method', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['no method (plain by default)', { code_challenge_method: null }, 'invalid_request'],
    ['response_type token', { response_type: 'token' }, 'unsupported_response_type'],
    ['a wildcard scope', { scope: 'openid patient/*.read' }, 'invalid_scope'],
    ['an unregistered scope', { scope: 'openid patient/Condition.rs' }, 'invalid_scope'],
    ['a broader interaction than registered', { scope: 'openid patient/Observation.cruds' }, 'invalid_scope'],
    ['an unknown scope', { scope: 'openid email' }, 'invalid_scope'],
    ['the launch scope when the app did not register it', { scope: 'openid launch' }, 'invalid_scope'],
    ['prompt=none without a sign-in', { prompt: 'none' }, 'login_required'],
    ['a request object', { request: 'eyJhbGciOiJub25lIn0.e30.' }, 'request_not_supported'],
  ])('%s → %s', async (_name, params, error) => {
    const query = redirectError(await request(server, authorizeUrl(params)));
    expect(query.get('error')).toBe(error);
    expect(query.get('state')).toBe('st-1');
    expect(query.get('iss')).toBe(server.urls.issuer);
  });

  it('a repeated parameter shows an error page', async () => {
    const res = await request(server, `${authorizeUrl({})}&scope=openid`);
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
  });
});

describe('/oauth2/authorize: what is accepted', () => {
  it('a registered loopback redirect on another port (RFC 8252), with a public PKCE client', async () => {
    const flow = await authorizeWithLogin(server, { config: nativeConfig, redirectUri: 'http://127.0.0.1:61234/cb', scope: 'openid patient/Observation.rs' }, patient.username, patient.password);
    expect(flow.callback.origin).toBe('http://127.0.0.1:61234');
    const tokens = await oidc.authorizationCodeGrant(nativeConfig, flow.callback, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce });
    expect(tokens.patient).toBe('pat-9');
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('POST to /authorize (authorize-post)', async () => {
    const started = await startAuthorization(server, { config, redirectUri, scope });
    const url = new URL(String(started.response.headers.location), server.urls.origin);
    expect(started.response.status).toBe(303);
    expect(url.pathname).toMatch(/^\/oauth2\/interaction\//);
    const form = new URLSearchParams(new URL(authorizeUrl({}), server.urls.origin).search);
    const res = await request(server, '/oauth2/authorize', { method: 'POST', body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(303);
    expect(String(res.headers.location)).toMatch(/^\/oauth2\/interaction\//);
  });

  it('the login page names the app and the practice and has no inline script or style', async () => {
    const started = await startAuthorization(server, { config, redirectUri, scope });
    const page = await started.browser.follow(started.response);
    expect(page.body).toContain('Diary');
    expect(page.body).toContain('InPracSys EHR');
    expect(page.body).toContain('<button type="submit">Log in</button>');
    expect(page.body).not.toMatch(/<script|style=/);
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('an interaction page opened without the cookie that started it is refused', async () => {
    const started = await startAuthorization(server, { config, redirectUri, scope });
    const res = await request(server, String(started.response.headers.location));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });
});
