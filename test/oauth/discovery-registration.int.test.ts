import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import type { RunningServer } from '../../server/src/server.js';
import { removeDir, request, startTestServer, tempDataDir } from '../helpers/server.js';
import { keyPair, register, registerOk, relyingParty, storeFlags } from './helpers.js';

let dir: string;
let server: RunningServer;

beforeAll(async () => {
  dir = await tempDataDir();
  server = await startTestServer(dir, undefined, storeFlags());
});

afterAll(async () => {
  await server.close();
  await removeDir(dir);
});

describe('discovery', () => {
  it('serves the SMART configuration at the FHIR base and the site root with every field and capability', async () => {
    for (const path of ['/fhir/r4/.well-known/smart-configuration', '/.well-known/smart-configuration']) {
      const res = await request(server, path);
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      const config = res.json<Record<string, unknown>>();
      const issuer = server.urls.issuer;
      expect(config).toMatchObject({
        issuer,
        jwks_uri: `${issuer}/jwks`,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        registration_endpoint: `${issuer}/register`,
        introspection_endpoint: `${issuer}/introspect`,
        revocation_endpoint: `${issuer}/revoke`,
        management_endpoint: `${issuer}/manage`,
        grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
        token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
      });
      expect(config.capabilities).toEqual(
        expect.arrayContaining([
          'launch-ehr', 'launch-standalone', 'authorize-post', 'client-public', 'client-confidential-symmetric', 'client-confidential-asymmetric',
          'context-banner', 'context-style', 'context-passthrough-banner', 'context-passthrough-style', 'context-ehr-patient', 'context-ehr-encounter',
          'context-standalone-patient', 'permission-offline', 'permission-online', 'permission-patient', 'permission-user', 'permission-v1',
          'permission-v2', 'sso-openid-connect',
        ]),
      );
      expect(config.scopes_supported).toEqual(expect.arrayContaining(['openid', 'fhirUser', 'launch', 'launch/patient', 'offline_access', 'system/*.$export']));
      expect((config.scopes_supported as string[]).some((s) => /\/\*\.(read|\*|rs|cruds)$/.test(s))).toBe(false);
    }
  });

  it('serves OIDC discovery that openid-client accepts, and the JWKS with kid, alg and use', async () => {
    const config = await relyingParty(server, 'any', {}, oidc.None());
    expect(config.serverMetadata()).toMatchObject({ issuer: server.urls.issuer, id_token_signing_alg_values_supported: ['RS256'], authorization_response_iss_parameter_supported: true });
    const jwks = (await request(server, '/oauth2/jwks')).json<{ keys: Record<string, string>[] }>();
    expect(jwks.keys.map((k) => k.alg).sort()).toEqual(['ES384', 'RS256']);
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ use: 'sig' });
      expect(typeof key.kid).toBe('string');
      expect(key).not.toHaveProperty('d');
    }
  });
});

describe('registration (RFC 7591, DESIGN §5)', () => {
  it('enables a confidential patient-standalone app and returns its secret once', async () => {
    const res = await register(server, { client_name: 'Diary', redirect_uris: ['https://app.example/cb'], scope: 'openid fhirUser offline_access launch/patient patient/Observation.rs', contacts: ['dev@app.example'] });
    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json<Record<string, unknown>>();
    expect(body).toMatchObject({ client_name: 'Diary', token_endpoint_auth_method: 'client_secret_basic', grant_types: ['authorization_code', 'refresh_token'], redirect_uris: ['https://app.example/cb'], contacts: ['dev@app.example'] });
    expect(typeof body.client_id).toBe('string');
    expect(typeof body.client_secret).toBe('string');
    expect(typeof body.client_id_issued_at).toBe('number');
    const row = await server.context.sequelize.query<{ secretHash: string; enabled: boolean | number }>('SELECT "secretHash", enabled FROM oauth_clients WHERE "clientId" = ?', { replacements: [body.client_id], type: 'SELECT' as never });
    expect(row[0]!.secretHash).not.toContain(body.client_secret as string);
    expect(Boolean(row[0]!.enabled)).toBe(true);
  });

  it.each([
    ['a public app', { token_endpoint_auth_method: 'none', scope: 'openid patient/Observation.rs' }],
    ['an app asking for launch', { scope: 'openid launch patient/Observation.rs', initiate_login_uri: 'https://app.example/launch' }],
    ['an app asking for user/ scopes', { scope: 'openid user/Observation.rs' }],
  ])('registers %s disabled', async (_name, metadata) => {
    const body = await registerOk(server, { client_name: 'App', redirect_uris: ['https://app.example/cb'], ...metadata });
    const enabled = await server.context.sequelize.query<{ enabled: boolean | number }>('SELECT enabled FROM oauth_clients WHERE "clientId" = ?', { replacements: [body.client_id], type: 'SELECT' as never });
    expect(Boolean(enabled[0]!.enabled)).toBe(false);
  });

  it('registers a backend service with jwks, disabled, without a secret', async () => {
    const { publicJwk } = await keyPair('ES384', 'k1');
    const body = await registerOk(server, { client_name: 'Lab', token_endpoint_auth_method: 'private_key_jwt', scope: 'system/*.$export system/Observation.rs', jwks: { keys: [publicJwk] } });
    expect(body.client_secret).toBeUndefined();
    expect(body.grant_types).toEqual(['client_credentials']);
  });

  it.each([
    ['a wildcard scope', { scope: 'patient/*.read' }, 'invalid_client_metadata'],
    ['user/*.*', { scope: 'openid user/*.*' }, 'invalid_client_metadata'],
    ['an unknown scope', { scope: 'openid patient/Unicorn.read' }, 'invalid_client_metadata'],
    ['no scope', { scope: undefined }, 'invalid_client_metadata'],
    ['user/ scopes for a public client', { scope: 'openid user/Patient.rs', token_endpoint_auth_method: 'none' }, 'invalid_client_metadata'],
    ['system/ scopes without keys', { scope: 'system/Observation.rs', token_endpoint_auth_method: 'private_key_jwt', redirect_uris: undefined }, 'invalid_client_metadata'],
    ['system/ scopes with a secret', { scope: 'system/Observation.rs', redirect_uris: undefined }, 'invalid_client_metadata'],
    ['the password grant', { grant_types: ['password'] }, 'invalid_client_metadata'],
    ['launch without initiate_login_uri', { scope: 'openid launch' }, 'invalid_client_metadata'],
    ['an http redirect on a real host', { redirect_uris: ['http://app.example/cb'] }, 'invalid_redirect_uri'],
    ['a redirect with a fragment', { redirect_uris: ['https://app.example/cb#x'] }, 'invalid_redirect_uri'],
    ['a javascript: redirect', { redirect_uris: ['javascript:alert(1)'] }, 'invalid_redirect_uri'],
    ['no redirect for the code flow', { redirect_uris: [] }, 'invalid_redirect_uri'],
  ])('refuses %s with %s', async (_name, metadata, error) => {
    const res = await register(server, { client_name: 'App', redirect_uris: ['https://app.example/cb'], scope: 'openid patient/Observation.rs', ...metadata });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error });
  });

  it('accepts loopback and private-use scheme redirects for native apps', async () => {
    await registerOk(server, { client_name: 'Native', token_endpoint_auth_method: 'none', redirect_uris: ['http://127.0.0.1:3000/cb', 'com.example.app:/cb'], scope: 'openid patient/Observation.rs' });
  });

  it('rate-limits registration per IP with 429 and Retry-After', async () => {
    await server.context.settings.update({ registrationRateLimitPerHour: 1 });
    const res = await register(server, { client_name: 'Flood', redirect_uris: ['https://app.example/cb'], scope: 'openid patient/Observation.rs' });
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.json()).toMatchObject({ error: 'too_many_requests' });
  });
});
