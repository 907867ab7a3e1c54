import { Agent, fetch as undiciFetch } from 'undici';
import * as oidc from 'openid-client';
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import type { RunningServer } from '../../server/src/server.js';
import { request, type HttpResult } from '../helpers/server.js';

/**
 * fetch that trusts only the test server's CA and reaches `https://localhost:<port>` (the
 * site address) on 127.0.0.1, where the test server listens.
 */
export function serverFetch(server: RunningServer): typeof fetch {
  const agent = new Agent({ connect: { ca: server.tls.caPem, servername: 'localhost' } });
  return ((input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input.toString() : input.url);
    if (url.hostname === 'localhost') url.hostname = '127.0.0.1';
    const options = input instanceof Request ? { method: input.method, headers: input.headers, body: input.body, duplex: 'half', ...init } : init;
    return undiciFetch(url, { ...(options as object), redirect: 'manual', dispatcher: agent } as never);
  }) as unknown as typeof fetch;
}

/** openid-client configured against the server's discovery document. */
export async function relyingParty(server: RunningServer, clientId: string, metadata: Partial<oidc.ClientMetadata>, auth: oidc.ClientAuth): Promise<oidc.Configuration> {
  const fetchImpl = serverFetch(server);
  const config = await oidc.discovery(new URL(server.urls.issuer), clientId, metadata, auth, {
    [oidc.customFetch]: (url: string, options: oidc.CustomFetchOptions) => fetchImpl(url, options as RequestInit),
  } as oidc.DiscoveryRequestOptions);
  config[oidc.customFetch] = (url: string, options: oidc.CustomFetchOptions) => fetchImpl(url, options as RequestInit);
  return config;
}

/**
 * Store flags for the test server: SQLite in the data dir by default; PostgreSQL when
 * INPRACSYS_TEST_DATABASE_URL names an empty database (run one file at a time then).
 */
export function storeFlags(): string[] {
  const url = process.env.INPRACSYS_TEST_DATABASE_URL;
  return url ? ['--database-url', url] : [];
}

export async function register(server: RunningServer, metadata: object): Promise<HttpResult> {
  return request(server, '/oauth2/register', { method: 'POST', body: metadata });
}

export async function registerOk(server: RunningServer, metadata: object): Promise<{ client_id: string; client_secret?: string } & Record<string, unknown>> {
  const res = await register(server, metadata);
  if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${res.body}`);
  return res.json();
}

export async function keyPair(alg: 'RS384' | 'ES384', kid: string): Promise<{ privateKey: CryptoKey; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export function form(values: Record<string, string>): string {
  return new URLSearchParams(values).toString();
}

/** POST a form to the server. */
export function postForm(server: RunningServer, pathname: string, values: Record<string, string>, headers: Record<string, string> = {}): Promise<HttpResult> {
  return request(server, pathname, { method: 'POST', body: form(values), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
}

export function basic(clientId: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`;
}
