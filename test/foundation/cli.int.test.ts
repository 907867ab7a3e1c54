import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CliIo } from '../../server/src/cli/io.js';
import { runCli } from '../../server/src/cli.js';
import { AdminSession, removeDir, startTestServer, tempDataDir } from '../helpers/server.js';

function fakeIo(stdin = ''): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { env: { LOG_LEVEL: 'silent' }, lines, errors, out: (line) => lines.push(line), err: (line) => errors.push(line), readStdin: async () => stdin };
}

describe('the inpracsys command', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDataDir();
  });
  afterAll(async () => {
    await removeDir(dir);
  });

  test('an unknown command or flag is a one-line error with exit code 2', async () => {
    const unknownCommand = fakeIo();
    expect(await runCli(['fly'], unknownCommand)).toBe(2);
    expect(unknownCommand.errors[0]).toMatch(/^inpracsys: unknown command "fly"/);

    const unknownFlag = fakeIo();
    expect(await runCli(['serve', '--colour', 'blue'], unknownFlag)).toBe(2);
    expect(unknownFlag.errors).toEqual([expect.stringMatching(/^inpracsys serve: .*--colour/)]);

    const badPort = fakeIo();
    expect(await runCli(['serve', '--port', 'eighty'], badPort)).toBe(2);
    expect(badPort.errors).toEqual([expect.stringMatching(/^inpracsys serve: invalid port/)]);

    const badSite = fakeIo();
    expect(await runCli(['serve', '--site-address', 'https://clinic.example/fhir'], badSite)).toBe(2);
    expect(badSite.errors).toEqual([expect.stringMatching(/^inpracsys serve: invalid siteAddress: the site address is https:\/\/host\[:port\]/)]);
  });

  test('a data dir that cannot be written is a one-line error with exit code 2', async () => {
    const blocker = path.join(dir, 'a-file');
    await writeFile(blocker, 'not a folder');
    const io = fakeIo();
    expect(await runCli(['serve', '--port', '0', '--data-dir', path.join(blocker, 'data')], io)).toBe(2);
    expect(io.errors).toEqual([`inpracsys serve: the data dir ${path.join(blocker, 'data')} cannot be created or written`]);
  });

  test('user add creates a staff user who can log in, with the password read from standard input', async () => {
    const dataDir = path.join(dir, 'users');
    const io = fakeIo('clinician password 2\n');
    expect(await runCli(['user', 'add', '--data-dir', dataDir, '--username', 'dr.kim', '--role', 'clinician', '--display-name', 'Dr Kim'], io)).toBe(0);
    expect(io.lines).toEqual(['user dr.kim (clinician) created']);
    const again = fakeIo('clinician password 2\n');
    expect(await runCli(['user', 'add', '--data-dir', dataDir, '--username', 'dr.kim', '--role', 'clinician'], again)).toBe(2);
    expect(again.errors).toEqual(['inpracsys user: user dr.kim already exists']);

    const server = await startTestServer(dataDir);
    try {
      const session = await AdminSession.login(server, 'dr.kim', 'clinician password 2');
      expect((await session.call('GET', '/admin/api/session')).json()).toMatchObject({ user: { displayName: 'Dr Kim', role: 'clinician' } });
    } finally {
      await server.close();
    }
  });

  test('`npm start` prints the banner, serves, and stops cleanly on SIGTERM', async () => {
    const dataDir = path.join(dir, 'served');
    const child = spawn(process.execPath, ['bin/inpracsys.js', 'serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { ...process.env, LOG_LEVEL: 'warn', INPRACSYS_ADMIN_PASSWORD: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        if (/Create the first administrator/.test(output)) {
          clearInterval(check);
          resolve();
        }
      }, 100);
      void exited.then(() => {
        clearInterval(check);
        reject(new Error(`the server exited early:\n${output}`));
      });
    });
    const caPem = await readFile(path.join(dataDir, 'tls', 'ca.crt'), 'utf8');
    expect(output).toMatch(/^FHIR base: https:\/\/localhost:\d+\/fhir\/r4$/m);
    expect(output).toMatch(/^Admin: https:\/\/localhost:\d+\/admin\/$/m);
    expect(output).toContain(`CA fingerprint (SHA-256): ${new X509Certificate(caPem).fingerprint256}\n`);
    expect(output).toMatch(/^Create the first administrator \(one-time link\): https:\/\/localhost:\d+\/admin\/setup\?token=[\w-]+$/m);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
