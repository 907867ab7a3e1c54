import { randomUUID } from 'node:crypto';
import { SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../server/src/cli.js';
import type { CliIo } from '../../server/src/cli/io.js';
import { authenticateBearer } from '../../server/src/oauth/bearer.js';
import type { RunningServer } from '../../server/src/server.js';
import { removeDir, startTestServer, tempDataDir } from '../helpers/server.js';
import { keyPair, postForm, registerOk, storeFlags } from './helpers.js';

let dir: string;
let server: RunningServer;
let clientId: string;
let key: CryptoKey;

function io(stdin = ''): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { env: {}, lines, errors, out: (line) => lines.push(line), err: (line) => errors.push(line), readStdin: async () => stdin };
}

async function systemToken(): Promise<{ status: number; token?: string; error?: string }> {
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg: 'ES384', kid: 'k1' })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(`${server.urls.issuer}/token`)
    .setExpirationTime(now + 60)
    .sign(key);
  const res = await postForm(server, '/oauth2/token', { grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion });
  const body = res.json<{ access_token?: string; error?: string }>();
  return { status: res.status, ...(body.access_token ? { token: body.access_token } : {}), ...(body.error ? { error: body.error } : {}) };
}

beforeAll(async () => {
  dir = await tempDataDir();
  server = await startTestServer(dir, undefined, storeFlags());
  const pair = await keyPair('ES384', 'k1');
  key = pair.privateKey;
  clientId = (await registerOk(server, { client_name: 'Billing export', token_endpoint_auth_method: 'private_key_jwt', scope: 'system/Patient.rs', jwks: { keys: [pair.publicJwk] } })).client_id;
});

afterAll(async () => {
  await server.close();
  await removeDir(dir);
});

const store = () => ['--data-dir', dir, '--port', String(server.port), ...storeFlags()];

describe('inpracsys client', () => {
  it('lists clients, enables and disables one', async () => {
    const list = io();
    expect(await runCli(['client', 'list', ...store()], list)).toBe(0);
    expect(list.lines.join('\n')).toMatch(new RegExp(`${clientId}\\s+disabled\\s+backend-service\\s+Billing export`));
    expect((await systemToken()).status).toBe(401);

    const enable = io();
    expect(await runCli(['client', 'enable', clientId, ...store()], enable)).toBe(0);
    expect(enable.lines[0]).toBe(`client ${clientId} (Billing export) enabled`);
    expect((await systemToken()).status).toBe(200);

    expect(await runCli(['client', 'disable', clientId, ...store()], io())).toBe(0);
    expect(await systemToken()).toMatchObject({ status: 401, error: 'invalid_client' });
    expect(await runCli(['client', 'enable', 'no-such-client', ...store()], io())).toBe(1);
    expect(await runCli(['client', 'rename', ...store()], io())).toBe(2);
  });
});

describe('inpracsys token', () => {
  it('parses a token read from standard input and revokes it', async () => {
    await runCli(['client', 'enable', clientId, ...store()], io());
    const { token } = await systemToken();
    const parse = io(`${token}\n`);
    expect(await runCli(['token', 'parse', ...store()], parse)).toBe(0);
    const parsed = JSON.parse(parse.lines.join('\n')) as Record<string, unknown>;
    expect(parsed).toMatchObject({ status: 'active', clientId, clientName: 'Billing export', scope: 'system/Patient.rs', user: { kind: 'system' } });
    expect(parse.lines.join('\n')).not.toContain(token);

    const revoke = io(token);
    expect(await runCli(['token', 'revoke', ...store()], revoke)).toBe(0);
    expect(JSON.parse(revoke.lines.join('\n'))).toMatchObject({ status: 'revoked' });
    await expect(authenticateBearer(server.context, `Bearer ${token}`)).rejects.toMatchObject({ error: 'invalid_token' });

    const garbage = io('garbage');
    expect(await runCli(['token', 'parse', ...store()], garbage)).toBe(1);
    expect(JSON.parse(garbage.lines.join('\n'))).toMatchObject({ status: 'invalid' });
  });
});
