import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Sequelize } from 'sequelize';
import { createLocalJWKSet, jwtVerify, SignJWT } from 'jose';
import type { AppContext } from '../../server/src/context.js';
import { fhirApi } from '../../server/src/fhir/api.js';
import type { FhirAccessContext } from '../../server/src/fhir/access/guard.js';
import { metadataHandler } from '../../server/src/fhir/capability/metadata.js';
import { errorHandler, notFound } from '../../server/src/http/error-handler.js';
import { OAuthError } from '../../server/src/http/errors.js';
import type { RunningServer } from '../../server/src/server.js';
import { ScopeSet } from '../../server/src/smart/scopes.js';
import { removeDir, startTestServer, tempDataDir } from '../helpers/server.js';

export interface TokenClaims {
  scope: string;
  patient?: string;
  fhirUser?: string;
  sub?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
}

/** Signs an access token with the server's own RS256 key, shaped like the authorization server's. */
export async function mintToken(ctx: AppContext, claims: TokenClaims): Promise<string> {
  const key = ctx.keys.signingKey('RS256');
  const { issuer, fhirBase } = ctx.urls();
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: claims.scope, client_id: 'test-client', ...(claims.patient ? { patient: claims.patient } : {}), ...(claims.fhirUser ? { fhirUser: claims.fhirUser } : {}) })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid })
    .setIssuer(issuer)
    .setAudience(fhirBase)
    .setSubject(claims.sub ?? 'tester')
    .setJti(randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + (claims.expiresIn ?? 3600))
    .sign(key.privateKey);
}

/**
 * Real JWT verification (signature with the server's keys, iss, aud, exp) without the OAuth
 * store's record checks, so FHIR tests do not depend on client registration.
 */
export function verifyTestToken(ctx: AppContext) {
  return async (authorization: string | undefined): Promise<FhirAccessContext> => {
    const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw new OAuthError(401, 'invalid_token', 'missing bearer token');
    const { issuer, fhirBase } = ctx.urls();
    try {
      const { payload } = await jwtVerify(token, createLocalJWKSet(ctx.keys.jwks()), { algorithms: ['RS256'], issuer, audience: fhirBase, requiredClaims: ['exp', 'jti', 'sub'] });
      return {
        clientId: String(payload.client_id),
        subject: payload.sub!,
        userKind: typeof payload.patient === 'string' ? 'patient' : 'staff',
        ...(typeof payload.patient === 'string' ? { patientId: payload.patient } : {}),
        ...(typeof payload.fhirUser === 'string' ? { fhirUser: payload.fhirUser } : {}),
        scopes: ScopeSet.parse(String(payload.scope)),
      };
    } catch {
      throw new OAuthError(401, 'invalid_token', 'the access token is not valid');
    }
  };
}

/**
 * With INPRACSYS_TEST_DATABASE_URL (a PostgreSQL server URL) each test server gets a fresh
 * database there, so the same tests prove the PostgreSQL path; otherwise SQLite in the data dir.
 */
async function databaseFlags(): Promise<{ flags: string[]; drop?: () => Promise<void> }> {
  const serverUrl = process.env.INPRACSYS_TEST_DATABASE_URL;
  if (!serverUrl) return { flags: [] };
  const name = `inpracsys_test_${randomUUID().replaceAll('-', '')}`;
  const admin = new Sequelize(serverUrl, { dialect: 'postgres', logging: false });
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.close();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const drop = async () => {
    const again = new Sequelize(serverUrl, { dialect: 'postgres', logging: false });
    try {
      await again.query(`DROP DATABASE IF EXISTS ${name}`);
    } finally {
      await again.close();
    }
  };
  return { flags: ['--database-url', url.toString()], drop };
}

export interface FhirResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface FhirRequestOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  token?: string | null;
}

/** The real server (database, migrations, keys, TLS) plus an HTTPS listener serving the FHIR router with the test guard. */
export class FhirTestServer {
  private constructor(
    readonly server: RunningServer,
    private readonly listener: https.Server,
    private readonly dataDir: string,
    readonly port: number,
    /** A token with user-level access to every type (`user/*.cruds` is refused by policy, so each type is listed). */
    readonly adminToken: string,
    private readonly dropDatabase?: () => Promise<void>,
  ) {}

  static async start(): Promise<FhirTestServer> {
    const dataDir = await tempDataDir();
    const database = await databaseFlags();
    const server = await startTestServer(dataDir, undefined, database.flags);
    const ctx = server.context;
    const app = express();
    app.disable('x-powered-by');
    app.get(['/fhir/r4/metadata', '/r4/metadata'], metadataHandler(ctx));
    app.use(['/fhir/r4', '/r4'], fhirApi(ctx, verifyTestToken(ctx)));
    app.use(notFound);
    app.use(errorHandler(ctx.log));
    const listener = https.createServer({ key: ctx.tls.keyPem, cert: ctx.tls.certChainPem }, app);
    listener.listen(0, '127.0.0.1');
    await once(listener, 'listening');
    const { fhirRegistry } = await import('../../server/src/fhir/definitions/registry.js');
    const scope = fhirRegistry().resourceTypes.map((type) => `user/${type}.cruds`).join(' ');
    const adminToken = await mintToken(ctx, { scope, fhirUser: 'Practitioner/dr-test' });
    return new FhirTestServer(server, listener, dataDir, (listener.address() as AddressInfo).port, adminToken, database.drop);
  }

  get context(): AppContext {
    return this.server.context;
  }

  /** The FHIR base the server writes into fullUrl, Location and links. */
  get base(): string {
    return this.context.urls().fhirBase;
  }

  token(claims: TokenClaims): Promise<string> {
    return mintToken(this.context, claims);
  }

  /** POSTs a transaction or batch Bundle of these entries to the base (with the admin token unless another is given). */
  postBundle(type: 'transaction' | 'batch', entry: unknown[], token?: string): Promise<FhirResponse> {
    return this.request('', { method: 'POST', body: { resourceType: 'Bundle', type, entry }, ...(token === undefined ? {} : { token }) });
  }

  /** An HTTPS request trusting only the server's CA; JSON bodies as application/fhir+json. */
  request(path: string, options: FhirRequestOptions = {}): Promise<FhirResponse> {
    const raw = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    const token = options.token === undefined ? this.adminToken : options.token;
    const headers: Record<string, string> = {
      ...(raw !== undefined ? { 'content-type': 'application/fhir+json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...options.headers,
    };
    return new Promise((resolve, reject) => {
      const req = https.request(
        { host: '127.0.0.1', port: this.port, servername: 'localhost', path: path.startsWith('/') ? path : `/fhir/r4/${path}`, method: options.method ?? 'GET', headers, ca: this.server.tls.caPem },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              body = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
          });
        },
      );
      req.on('error', reject);
      req.end(raw);
    });
  }

  async close(): Promise<void> {
    this.listener.closeAllConnections();
    await new Promise((resolve) => this.listener.close(resolve));
    await this.server.close();
    await this.dropDatabase?.();
    await removeDir(this.dataDir);
  }
}

/** Ids of a searchset's match entries, sorted. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function matchIds(bundle: any): string[] {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (bundle.entry ?? []).filter((e: any) => e.search?.mode === 'match').map((e: any) => e.resource.id as string).sort();
}
