/**
 * The real shell (index.ts) with the real server, and Electron replaced by the fake: checks the
 * wiring the unit tests cannot — the data folder, the server flags, and that the pinned
 * fingerprint is the one of the certificate the server actually presents on the wire.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CERT_ACCEPT, CERT_REJECT } from './certificate-pin.js';
import type { FakeElectron } from './test-support/fake-electron.js';

vi.mock('electron', async () => {
  const { FakeElectron } = await import('./test-support/fake-electron.js');
  const fake = new FakeElectron();
  return {
    fake,
    app: fake.app,
    BrowserWindow: fake.BrowserWindow,
    dialog: fake.dialog,
    Menu: fake.Menu,
    nativeImage: fake.nativeImage,
    session: fake.session,
    shell: fake.shell,
    Tray: fake.Tray,
  };
});

/** Electron's form of a certificate fingerprint, computed independently of the server's helper. */
function fingerprintOnTheWire(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false }, () => {
      const der = socket.getPeerCertificate().raw;
      socket.end();
      resolve(`sha256/${createHash('sha256').update(der).digest('base64')}`);
    });
    socket.on('error', reject);
  });
}

describe('desktop shell with the real server', () => {
  let electron: FakeElectron;
  let userData: string;
  const signalListeners = { SIGINT: process.listenerCount('SIGINT'), SIGTERM: process.listenerCount('SIGTERM') };

  beforeAll(async () => {
    userData = await mkdtemp(path.join(tmpdir(), 'inpracsys-desktop-'));
    vi.stubEnv('PORT', '0');
    vi.stubEnv('INPRACSYS_DATA_DIR', '');
    vi.stubEnv('INPRACSYS_ADMIN_PASSWORD', '');
    ({ fake: electron } = (await import('electron')) as unknown as { fake: FakeElectron });
    electron.app.userDataPath = userData;
    await import('./index.js');
    await vi.waitFor(
      () => {
        expect(electron.errorBoxes).toEqual([]);
        expect(electron.windows).toHaveLength(1);
      },
      { timeout: 30_000, interval: 50 },
    );
  });

  afterAll(async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      for (const listener of process.listeners(signal).slice(signalListeners[signal])) {
        process.off(signal, listener);
      }
    }
    vi.unstubAllEnvs();
    await rm(userData, { recursive: true, force: true });
  });

  it('keeps its data in the userData folder', () => {
    expect(existsSync(path.join(userData, 'tls', 'server.crt'))).toBe(true);
  });

  it('opens the one-time setup page of the server it started', () => {
    const [url] = electron.windows[0]?.loadedUrls ?? [];
    expect(url).toMatch(/^https:\/\/localhost:\d+\/admin\/setup\?token=[\w-]+$/);
  });

  it('pins the certificate the server presents', async () => {
    const port = Number(new URL(electron.windows[0]?.loadedUrls[0] ?? '').port);
    const presented = await fingerprintOnTheWire(port);
    expect(electron.defaultSession.verify('localhost', presented)).toBe(CERT_ACCEPT);
    expect(electron.defaultSession.verify('localhost', `sha256/${Buffer.alloc(32).toString('base64')}`)).toBe(CERT_REJECT);
  });

  it('stops the server on Quit, then quits', async () => {
    const port = Number(new URL(electron.windows[0]?.loadedUrls[0] ?? '').port);
    electron.trays[0]?.menu?.click('Quit');
    await vi.waitFor(() => expect(electron.app.quitted).toBe(true), { timeout: 20_000, interval: 20 });
    await expect(fingerprintOnTheWire(port)).rejects.toThrow(/ECONNREFUSED/);
    expect(electron.app.exitCodes).toEqual([]);
  });
});
