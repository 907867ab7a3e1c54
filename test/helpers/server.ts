import { mkdtemp, rm } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../server/src/config/load.js';
import { startServer, type RunningServer } from '../../server/src/server.js';

export const adminPassword = 'correct horse battery staple';

export async function tempDataDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'inpracsys-test-'));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Starts the real server on a random port with its own data dir. */
export async function startTestServer(dataDir: string, env: NodeJS.ProcessEnv = { INPRACSYS_ADMIN_PASSWORD: adminPassword }, flags: string[] = []): Promise<RunningServer> {
  return startServer(loadConfig(['--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--log-level', 'silent', ...flags], env));
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json<T = unknown>(): T;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** A string or Buffer goes as it is; an object as JSON. */
  body?: string | Buffer | object;
  /** The CAs to trust (default: the server's own). */
  ca?: string | string[];
  /** A fresh connection (so a changed server certificate is seen), not a pooled one. */
  agent?: false;
}

/** An HTTPS request that trusts only the server's own CA (or the given ones). */
export function request(server: RunningServer, pathname: string, options: RequestOptions = {}): Promise<HttpResult> {
  const asJson = options.body !== undefined && typeof options.body === 'object' && !Buffer.isBuffer(options.body);
  const body = asJson ? JSON.stringify(options.body) : (options.body as string | Buffer | undefined);
  const headers: Record<string, string> = { ...(asJson ? { 'content-type': 'application/json' } : {}), ...options.headers };
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port: server.port,
        servername: 'localhost',
        path: pathname,
        method: options.method ?? 'GET',
        headers,
        ca: options.ca ?? server.tls.caPem,
        ...(options.agent === false ? { agent: false } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json: <T>() => JSON.parse(text) as T });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A logged-in admin API session: cookie + CSRF token. */
export class AdminSession {
  constructor(
    readonly server: RunningServer,
    readonly cookie: string,
    readonly csrfToken: string,
  ) {}

  static async login(server: RunningServer, username = 'admin', password = adminPassword): Promise<AdminSession> {
    const res = await request(server, '/admin/api/session', { method: 'POST', body: { username, password } });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.body}`);
    const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    const cookie = setCookie.map((line) => line.split(';')[0]).join('; ');
    return new AdminSession(server, cookie, res.json<{ csrfToken: string }>().csrfToken);
  }

  call(method: string, pathname: string, body?: object, { csrf = true } = {}): Promise<HttpResult> {
    return request(this.server, pathname, {
      method,
      body,
      headers: { cookie: this.cookie, ...(csrf ? { 'x-csrf-token': this.csrfToken } : {}) },
    });
  }
}
