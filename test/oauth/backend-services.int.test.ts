import { randomUUID } from 'node:crypto';
import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateBearer } from '../../server/src/oauth/bearer.js';
import { ClientJwksCache } from '../../server/src/oauth/client-auth/client-jwks.js';
import { oauthServices } from '../../server/src/oauth/services.js';
import type { RunningServer } from '../../server/src/server.js';
import { removeDir, request, startTestServer, tempDataDir } from '../helpers/server.js';
import { keyPair, postForm, registerOk, relyingParty, storeFlags } from './helpers.js';

let dir: string;
let server: RunningServer;
let clientId: string;
let rsKey: CryptoKey;
let esClientId: string;
let esKey: CryptoKey;
const scope = 'system/Observation.rs system/Patient.rs system/*.$export system/*.$bulkdata-status system/Document.read system/Binary.read';
const assertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

function tokenUrl(): string {
  return `${server.urls.issuer}/token`;
}

async function assertion(options: { key?: CryptoKey; alg?: string; kid?: string | null; aud?: string; exp?: number; jti?: string; iss?: string; jku?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const header: Record<string, unknown> = { alg: options.alg ?? 'RS384' };
  if (options.kid !== null) header.kid = options.kid ?? 'rs-1';
  if (options.jku) header.jku = options.jku;
  return new SignJWT({ jti: options.jti ?? randomUUID() })
    .setProtectedHeader(header as { alg: string })
    .setIssuer(options.iss ?? clientId)
    .setSubject(options.iss ?? clientId)
    .setAudience(options.aud ?? tokenUrl())
    .setIssuedAt(now)
    .setExpirationTime(options.exp ?? now + 120)
    .sign(options.key ?? rsKey);
}

function tokenRequest(clientAssertion: string, extra: Record<string, string> = {}) {
  return postForm(server, '/oauth2/token', { grant_type: 'client_credentials', scope: 'system/Observation.rs', client_assertion_type: assertionType, client_assertion: clientAssertion, ...extra });
}

async function expectInvalidClient(clientAssertion: string): Promise<void> {
  const res = await tokenRequest(clientAssertion);
  expect(res.status).toBe(401);
  expect(res.json()).toMatchObject({ error: 'invalid_client' });
}

beforeAll(async () => {
  dir = await tempDataDir();
  server = await startTestServer(dir, undefined, storeFlags());
  const rs = await keyPair('RS384', 'rs-1');
  rsKey = rs.privateKey;
  const registered = await registerOk(server, { client_name: 'Lab interface', token_endpoint_auth_method: 'private_key_jwt', grant_types: ['client_credentials'], scope, jwks: { keys: [rs.publicJwk] } });
  clientId = registered.client_id;
  const es = await keyPair('ES384', 'es-1');
  esKey = es.privateKey;
  esClientId = (await registerOk(server, { client_name: 'Analytics', token_endpoint_auth_method: 'private_key_jwt', scope: 'system/Observation.rs', jwks: { keys: [es.publicJwk] } })).client_id;
  await oauthServices(server.context).revocation.setClientEnabled(clientId, true, { actor: 'test' });
  await oauthServices(server.context).revocation.setClientEnabled(esClientId, true, { actor: 'test' });
});

afterAll(async () => {
  await server.close();
  await removeDir(dir);
});

describe('client_credentials with private_key_jwt (SMART backend services)', () => {
  it('issues a 5-minute system token to openid-client, without a refresh token, usable on the FHIR API', async () => {
    const config = await relyingParty(server, clientId, { token_endpoint_auth_signing_alg: 'RS384' }, oidc.PrivateKeyJwt({ key: rsKey, kid: 'rs-1' } as never));
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'system/Observation.rs system/*.$export' });
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.expires_in).toBe(300);
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.scope).toBe('system/Observation.rs system/*.$export');
    const access = await authenticateBearer(server.context, `Bearer ${tokens.access_token}`);
    expect(access).toMatchObject({ clientId, userKind: 'system', subject: clientId });
    expect(access.scopes.allowsOperation('$export')).toBe(true);
  });

  it('grants every registered scope when none is asked for, and answers with no-store', async () => {
    const res = await postForm(server, '/oauth2/token', { grant_type: 'client_credentials', client_assertion_type: assertionType, client_assertion: await assertion() });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.pragma).toBe('no-cache');
    expect(res.json<{ scope: string }>().scope).toBe(scope);
  });

  it('accepts the issuer as aud, an ES384 client, and no typ header', async () => {
    expect((await tokenRequest(await assertion({ aud: server.urls.issuer }))).status).toBe(200);
    const es = await tokenRequest(await assertion({ key: esKey, alg: 'ES384', kid: 'es-1', iss: esClientId }));
    expect(es.status).toBe(200);
  });

  it('refuses an assertion whose jti was already used', async () => {
    const once = await assertion();
    expect((await tokenRequest(once)).status).toBe(200);
    await expectInvalidClient(once);
  });

  it('refuses an assertion signed with another key', async () => {
    const other = await keyPair('RS384', 'rs-1');
    await expectInvalidClient(await assertion({ key: other.privateKey }));
  });

  it('refuses a wrong aud, an expired assertion and one living longer than 5 minutes', async () => {
    await expectInvalidClient(await assertion({ aud: 'https://elsewhere.example/token' }));
    await expectInvalidClient(await assertion({ exp: Math.floor(Date.now() / 1000) - 120 }));
    await expectInvalidClient(await assertion({ exp: Math.floor(Date.now() / 1000) + 3600 }));
  });

  it('refuses an unknown kid, a missing kid, a jku that is not registered and a non-listed algorithm', async () => {
    await expectInvalidClient(await assertion({ kid: 'nope' }));
    await expectInvalidClient(await assertion({ kid: null }));
    await expectInvalidClient(await assertion({ jku: 'https://attacker.example/jwks.json' }));
    const rs256 = await generateKeyPair('RS256');
    await expectInvalidClient(await assertion({ key: rs256.privateKey, alg: 'RS256' }));
  });

  it('refuses an assertion for another client (iss/sub) and a malformed assertion type', async () => {
    await expectInvalidClient(await assertion({ iss: esClientId }));
    const res = await postForm(server, '/oauth2/token', { grant_type: 'client_credentials', client_assertion_type: 'urn:other', client_assertion: await assertion() });
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('refuses unregistered and wildcard scopes with invalid_scope', async () => {
    for (const asked of ['system/Condition.rs', 'system/*.read', 'system/Observation.cruds']) {
      const res = await tokenRequest(await assertion(), { scope: asked });
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ error: 'invalid_scope' });
    }
  });

  it('refuses the password grant and unknown grants with unsupported_grant_type', async () => {
    for (const grant of ['password', 'implicit', 'urn:x']) {
      const res = await postForm(server, '/oauth2/token', { grant_type: grant, client_assertion_type: assertionType, client_assertion: await assertion() });
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ error: 'unsupported_grant_type' });
    }
  });

  it('answers 401 invalid_client while the client is disabled', async () => {
    await oauthServices(server.context).revocation.setClientEnabled(esClientId, false, { actor: 'test' });
    const res = await tokenRequest(await assertion({ key: esKey, alg: 'ES384', kid: 'es-1', iss: esClientId }));
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ error: 'invalid_client' });
    await oauthServices(server.context).revocation.setClientEnabled(esClientId, true, { actor: 'test' });
  });

  it('refuses duplicated parameters with invalid_request', async () => {
    const res = await postForm(server, '/oauth2/token', { grant_type: 'client_credentials', client_assertion_type: assertionType, client_assertion: await assertion() }, {});
    expect(res.status).toBe(200);
    const body = `grant_type=client_credentials&grant_type=client_credentials&client_assertion_type=${encodeURIComponent(assertionType)}&client_assertion=${await assertion()}`;
    const dup = await request(server, '/oauth2/token', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(dup.status).toBe(400);
    expect(dup.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('uses a registered jwks_uri (fetched, cached) and accepts jku only when it is that URL', async () => {
    const jwksUri = 'https://keys.example/jwks.json';
    const pair = await keyPair('RS384', 'remote-1');
    const fetched: string[] = [];
    oauthServices(server.context).clientJwks = new ClientJwksCache(async (url) => {
      fetched.push(url);
      return { ok: true, headers: { get: () => 'max-age=300' }, json: async () => ({ keys: [pair.publicJwk] }) };
    });
    const remote = (await registerOk(server, { client_name: 'Remote keys', token_endpoint_auth_method: 'private_key_jwt', scope: 'system/Observation.rs', jwks_uri: jwksUri })).client_id;
    await oauthServices(server.context).revocation.setClientEnabled(remote, true, { actor: 'test' });
    const ok = await tokenRequest(await assertion({ key: pair.privateKey, kid: 'remote-1', iss: remote, jku: jwksUri }));
    expect(ok.status).toBe(200);
    expect(fetched).toEqual([jwksUri]);
    const badJku = await tokenRequest(await assertion({ key: pair.privateKey, kid: 'remote-1', iss: remote, jku: 'https://keys.example/other.json' }));
    expect(badJku.status).toBe(401);
    expect(badJku.json()).toMatchObject({ error: 'invalid_client' });
  });
});
