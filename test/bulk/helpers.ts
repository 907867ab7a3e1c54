import { randomUUID } from 'node:crypto';
import { SignJWT, type CryptoKey } from 'jose';
import { expect } from 'vitest';
import { oauthServices } from '../../server/src/oauth/services.js';
import type { RunningServer } from '../../server/src/server.js';
import { request, type HttpResult } from '../helpers/server.js';
import { keyPair, postForm, registerOk } from '../oauth/helpers.js';

/** A registered, enabled backend-services client (private_key_jwt). */
export interface BackendClient {
  clientId: string;
  key: CryptoKey;
  alg: 'RS384' | 'ES384';
  kid: string;
}

export async function registerBackendClient(server: RunningServer, alg: 'RS384' | 'ES384', scope: string): Promise<BackendClient> {
  const kid = `${alg.toLowerCase()}-1`;
  const pair = await keyPair(alg, kid);
  const { client_id } = await registerOk(server, {
    client_name: `Bulk ${alg}`,
    token_endpoint_auth_method: 'private_key_jwt',
    grant_types: ['client_credentials'],
    scope,
    jwks: { keys: [pair.publicJwk] },
  });
  await oauthServices(server.context).revocation.setClientEnabled(client_id, true, { actor: 'test' });
  return { clientId: client_id, key: pair.privateKey, alg, kid };
}

/** A system access token from the token endpoint (client_credentials with a signed assertion). */
export async function backendToken(server: RunningServer, client: BackendClient, scope: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg: client.alg, kid: client.kid })
    .setIssuer(client.clientId)
    .setSubject(client.clientId)
    .setAudience(`${server.urls.issuer}/token`)
    .setIssuedAt(now)
    .setExpirationTime(now + 120)
    .sign(client.key);
  const res = await postForm(server, '/oauth2/token', {
    grant_type: 'client_credentials',
    scope,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
  });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.body}`);
  return res.json<{ access_token: string }>().access_token;
}

export const asyncHeaders = { accept: 'application/fhir+json', prefer: 'respond-async' };

export function kickOff(server: RunningServer, token: string, pathname: string, options: { method?: string; body?: object; headers?: Record<string, string> } = {}): Promise<HttpResult> {
  return request(server, pathname, {
    method: options.method ?? 'GET',
    headers: { ...asyncHeaders, authorization: `Bearer ${token}`, ...(options.body ? { 'content-type': 'application/fhir+json' } : {}), ...options.headers },
    ...(options.body ? { body: JSON.stringify(options.body) } : {}),
  });
}

/** The path (and query) of a URL the server answered with its site address. */
export function pathOf(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}

/** Kicks off (expecting 202) and answers the status path. */
export async function startExport(server: RunningServer, token: string, pathname: string, options: { method?: string; body?: object } = {}): Promise<string> {
  const res = await kickOff(server, token, pathname, options);
  expect(res.status, res.body).toBe(202);
  expect(res.body).toBe('');
  return pathOf(String(res.headers['content-location']));
}

export interface Manifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: boolean;
  output: { type: string; url: string; count: number }[];
  error: { type: string; url: string; count: number }[];
  extension: { expires: string };
}

/** Polls the status URL until the manifest is ready. */
export async function waitForManifest(server: RunningServer, token: string, statusPath: string, timeoutMs = 30_000): Promise<Manifest> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(server, statusPath, { headers: { authorization: `Bearer ${token}` } });
    if (res.status === 200) return res.json<Manifest>();
    if (res.status !== 202) throw new Error(`status answered ${res.status}: ${res.body}`);
    expect(String(res.headers['x-progress'])).toMatch(/%$/);
    expect(res.headers['retry-after']).toBeDefined();
    if (Date.now() > deadline) throw new Error('export did not complete');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export type Resource = Record<string, unknown> & { resourceType: string; id: string };

/** Downloads every file of a manifest entry list, checks each line parses and has the declared type. */
export async function downloadAll(server: RunningServer, token: string, entries: Manifest['output']): Promise<Resource[]> {
  const resources: Resource[] = [];
  for (const entry of entries) {
    const res = await request(server, pathOf(entry.url), { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+ndjson/);
    const lines = res.body.split('\n').filter((line) => line !== '');
    expect(res.body.endsWith('\n')).toBe(true);
    expect(lines).toHaveLength(entry.count);
    for (const line of lines) {
      const resource = JSON.parse(line) as Resource;
      expect(resource.resourceType).toBe(entry.type);
      resources.push(resource);
    }
  }
  return resources;
}

/** `{ Type: count }` of a manifest's outputs, summed over split files. */
export function countsByType(entries: Manifest['output']): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of entries) counts[entry.type] = (counts[entry.type] ?? 0) + entry.count;
  return counts;
}
