import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmod, copyFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureTlsMaterial, type TlsMaterial, type TlsOptions } from './index.js';

type LogLine = { level: 'info' | 'warn'; obj: object | string; msg?: string };

const DAY_MS = 24 * 60 * 60 * 1000;
const SITE_HOST = 'ehr.practice.example';
const HOSTS = ['localhost', '127.0.0.1', '::1', SITE_HOST];
const POSIX = process.platform !== 'win32';

let root: string;
let dir: string;
let lines: LogLine[];

beforeEach(async () => {
  root = await mkdtemp(join(os.tmpdir(), 'inpracsys-tls-'));
  dir = join(root, 'tls');
  lines = [];
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function options(overrides: Partial<TlsOptions> = {}): TlsOptions {
  return {
    dir,
    hosts: HOSTS,
    log: {
      info: (obj, msg) => lines.push({ level: 'info', obj, msg }),
      warn: (obj, msg) => lines.push({ level: 'warn', obj, msg }),
    },
    ...overrides,
  };
}

function logText(level: LogLine['level']): string {
  return lines
    .filter((line) => line.level === level)
    .map((line) => JSON.stringify(line))
    .join('\n');
}

function readTls(name: string): Promise<string> {
  return readFile(join(dir, name), 'utf8');
}

function expectSignedBy(material: TlsMaterial): void {
  const leaf = new X509Certificate(material.certPem);
  const ca = new X509Certificate(material.caPem);
  expect(leaf.checkIssued(ca)).toBe(true);
  expect(leaf.verify(ca.publicKey)).toBe(true);
}

describe('ensureTlsMaterial on a first run', () => {
  it('creates ca.crt, ca.key, server.crt and server.key, keys readable by the owner only', async () => {
    await ensureTlsMaterial(options());

    expect((await readdir(dir)).sort()).toEqual(['ca.crt', 'ca.key', 'server.crt', 'server.key']);
    if (POSIX) {
      expect((await stat(dir)).mode & 0o777).toBe(0o700);
      expect((await stat(join(dir, 'ca.key'))).mode & 0o777).toBe(0o600);
      expect((await stat(join(dir, 'server.key'))).mode & 0o777).toBe(0o600);
    }
    expect(logText('warn')).toBe('');
    expect(logText('info')).toMatch(/created the local CA/);
  });

  it('issues a leaf that verifies against the CA and covers the requested hosts', async () => {
    const material = await ensureTlsMaterial(options());
    expectSignedBy(material);

    const leaf = new X509Certificate(material.certPem);
    for (const host of ['localhost', SITE_HOST]) {
      expect(leaf.checkHost(host, { subject: 'never' })).toBe(host);
    }
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf.checkIP('::1')).toBe('::1');
    expect(leaf.checkHost('other.example', { subject: 'never' })).toBeUndefined();
    expect(material.leafSans.sort()).toEqual([...HOSTS].sort());
  });

  it('makes the CA a ten-year CA named after this machine and the leaf a 397-day server certificate', async () => {
    const material = await ensureTlsMaterial(options());
    const ca = new X509Certificate(material.caPem);
    const leaf = new X509Certificate(material.certPem);

    expect(ca.ca).toBe(true);
    expect(ca.subject).toBe(`CN=InPracSys EHR Local CA ${os.hostname()}`);
    const caYears = (Date.parse(ca.validTo) - Date.parse(ca.validFrom)) / (365.25 * DAY_MS);
    expect(caYears).toBeCloseTo(10, 1);

    expect(leaf.ca).toBe(false);
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // extended key usage: serverAuth
    expect((Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / DAY_MS).toBe(397);
    expect(material.leafNotAfter.getTime()).toBe(Date.parse(leaf.validTo));
  });

  it('hands back the key that belongs to the leaf, as PKCS#8, and a chain of leaf then CA', async () => {
    const material = await ensureTlsMaterial(options());

    expect(material.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(new X509Certificate(material.certPem).checkPrivateKey(createPrivateKey(material.keyPem))).toBe(true);
    expect(material.certChainPem).toBe(material.certPem + material.caPem);
    expect(await readTls('server.crt')).toBe(material.certPem);
    expect(await readTls('server.key')).toBe(material.keyPem);
    expect(await readTls('ca.crt')).toBe(material.caPem);
  });
});

describe('ensureTlsMaterial on later runs', () => {
  it('reuses the stored CA and leaf without touching the files', async () => {
    const first = await ensureTlsMaterial(options());
    const before = await Promise.all(['ca.crt', 'ca.key', 'server.crt', 'server.key'].map(fileState));
    lines = [];

    const second = await ensureTlsMaterial(options());

    expect(second).toEqual(first);
    expect(await Promise.all(['ca.crt', 'ca.key', 'server.crt', 'server.key'].map(fileState))).toEqual(before);
    expect(lines).toEqual([]);
  });

  it('treats other spellings of the same hosts as covered', async () => {
    const first = await ensureTlsMaterial(options());
    const second = await ensureTlsMaterial(
      options({ hosts: ['LOCALHOST', '127.0.0.1', '[0:0:0:0:0:0:0:1]', `${SITE_HOST}.`] }),
    );
    expect(second.leafFingerprint256).toBe(first.leafFingerprint256);
  });

  it('re-issues the leaf, and only the leaf, when a requested host is not covered', async () => {
    const first = await ensureTlsMaterial(options());
    const caFile = await readTls('ca.crt');

    const second = await ensureTlsMaterial(options({ hosts: [...HOSTS, 'new-name.example', '192.168.7.20'] }));

    expect(second.caFingerprint256).toBe(first.caFingerprint256);
    expect(await readTls('ca.crt')).toBe(caFile);
    expect(second.leafFingerprint256).not.toBe(first.leafFingerprint256);
    expect(second.leafSans).toEqual(expect.arrayContaining(['new-name.example', '192.168.7.20']));
    expectSignedBy(second);
    expect(logText('info')).toMatch(/does not cover new-name\.example, 192\.168\.7\.20/);
  });

  it('re-issues the leaf when it expires within 30 days', async () => {
    const first = await ensureTlsMaterial(options());

    const now = new Date(first.leafNotAfter.getTime() - 10 * DAY_MS);
    const second = await ensureTlsMaterial(options({ now }));

    expect(second.caFingerprint256).toBe(first.caFingerprint256);
    expect(second.leafFingerprint256).not.toBe(first.leafFingerprint256);
    expect(second.leafNotAfter.getTime()).toBeGreaterThan(now.getTime() + 300 * DAY_MS);
    expect(logText('info')).toMatch(/re-issuing the server certificate because it expires on/);
  });

  it('keeps the leaf while more than 30 days remain', async () => {
    const first = await ensureTlsMaterial(options());

    const now = new Date(first.leafNotAfter.getTime() - 31 * DAY_MS);
    const second = await ensureTlsMaterial(options({ now }));

    expect(second.leafFingerprint256).toBe(first.leafFingerprint256);
  });

  it('re-issues a leaf that another CA signed', async () => {
    const first = await ensureTlsMaterial(options());
    const otherDir = join(root, 'other');
    await ensureTlsMaterial(options({ dir: otherDir }));
    await copyFile(join(otherDir, 'server.crt'), join(dir, 'server.crt'));
    await copyFile(join(otherDir, 'server.key'), join(dir, 'server.key'));
    lines = [];

    const second = await ensureTlsMaterial(options());

    expect(second.caFingerprint256).toBe(first.caFingerprint256);
    expectSignedBy(second);
    expect(logText('info')).toMatch(/not signed by the current local CA/);
  });

  it.skipIf(!POSIX)('tightens a key file that was restored with looser permissions', async () => {
    await ensureTlsMaterial(options());
    await chmod(join(dir, 'ca.key'), 0o644);

    await ensureTlsMaterial(options());

    expect((await stat(join(dir, 'ca.key'))).mode & 0o777).toBe(0o600);
  });
});

describe('ensureTlsMaterial with damaged files', () => {
  it('re-issues a corrupt server.crt with a warning and keeps the CA', async () => {
    const first = await ensureTlsMaterial(options());
    await writeFile(join(dir, 'server.crt'), '-----BEGIN CERTIFICATE-----\nnot base64 at all\n');

    const second = await ensureTlsMaterial(options());

    expect(second.caFingerprint256).toBe(first.caFingerprint256);
    expectSignedBy(second);
    expect(await readTls('server.crt')).toBe(second.certPem);
    expect(logText('warn')).toMatch(/server\.crt is not a readable certificate/);
  });

  it('re-issues the leaf when server.key belongs to another certificate', async () => {
    const first = await ensureTlsMaterial(options());
    await copyFile(join(dir, 'ca.key'), join(dir, 'server.key'));

    const second = await ensureTlsMaterial(options());

    expect(second.caFingerprint256).toBe(first.caFingerprint256);
    expect(second.leafFingerprint256).not.toBe(first.leafFingerprint256);
    expect(logText('warn')).toMatch(/server\.key does not belong to server\.crt/);
  });

  it('creates a new CA and leaf when ca.key is corrupt, warning that other machines must trust it', async () => {
    const first = await ensureTlsMaterial(options());
    await writeFile(join(dir, 'ca.key'), 'garbage');

    const second = await ensureTlsMaterial(options());

    expect(second.caFingerprint256).not.toBe(first.caFingerprint256);
    expect(second.leafFingerprint256).not.toBe(first.leafFingerprint256);
    expectSignedBy(second);
    expect(await readTls('ca.crt')).toBe(second.caPem);
    expect(logText('warn')).toMatch(/ca\.key is not a readable private key/);
    expect(logText('warn')).toMatch(/other machines must trust the new CA/);

    // The repair sticks: the next start reuses it silently.
    lines = [];
    expect((await ensureTlsMaterial(options())).caFingerprint256).toBe(second.caFingerprint256);
    expect(lines).toEqual([]);
  });

  it('creates a new CA when ca.crt is missing', async () => {
    const first = await ensureTlsMaterial(options());
    await rm(join(dir, 'ca.crt'));

    const second = await ensureTlsMaterial(options());

    expect(second.caFingerprint256).not.toBe(first.caFingerprint256);
    expectSignedBy(second);
    expect(logText('warn')).toMatch(/ca\.crt is missing/);
  });

  it('replaces a CA that expires within 30 days', async () => {
    const first = await ensureTlsMaterial(options());
    const caNotAfter = Date.parse(new X509Certificate(first.caPem).validTo);

    const second = await ensureTlsMaterial(options({ now: new Date(caNotAfter - 5 * DAY_MS) }));

    expect(second.caFingerprint256).not.toBe(first.caFingerprint256);
    expectSignedBy(second);
  });

  it('leaves unusable host entries out with a warning', async () => {
    const material = await ensureTlsMaterial(options({ hosts: [...HOSTS, 'not a host', ''] }));

    expect(material.leafSans.sort()).toEqual([...HOSTS].sort());
    expect(logText('warn')).toMatch(/not a host/);
  });

  it('refuses a host list with nothing usable instead of issuing an empty SAN', async () => {
    await expect(ensureTlsMaterial(options({ hosts: ['', ' '] }))).rejects.toThrow(/at least one/);
  });
});

async function fileState(name: string): Promise<{ text: string; mtimeMs: number }> {
  const path = join(dir, name);
  return { text: await readFile(path, 'utf8'), mtimeMs: (await stat(path)).mtimeMs };
}
