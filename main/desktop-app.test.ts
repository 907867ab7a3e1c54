import { describe, expect, it } from 'vitest';
import { CERT_ACCEPT, CERT_REJECT, CERT_USE_CHROMIUM_RESULT } from './certificate-pin.js';
import { runDesktopApp, type DesktopAppOptions } from './desktop-app.js';
import {
  createFakeServer,
  FakeElectron,
  FakeEvent,
  settle,
  type FakeServer,
} from './test-support/fake-electron.js';
import type { DesktopServer } from './types.js';

const URLS = { origin: 'https://localhost:8443', admin: 'https://localhost:8443/admin/' };
const LEAF_FINGERPRINT = 'sha256/bGVhZiBjZXJ0aWZpY2F0ZQ==';

interface Harness {
  electron: FakeElectron;
  server: FakeServer;
  startedWith: string[];
  fingerprinted: string[];
  logged: string[];
  run: Promise<void>;
}

function launch(
  setup: {
    urls?: DesktopServer['urls'];
    lock?: boolean;
    trayUnavailable?: boolean;
    startServer?: DesktopAppOptions['startServer'];
    electronFingerprint?: DesktopAppOptions['electronFingerprint'];
    closeTimeoutMs?: number;
    electron?: FakeElectron;
  } = {},
): Harness {
  const electron = setup.electron ?? new FakeElectron();
  electron.app.hasLock = setup.lock ?? true;
  electron.trayUnavailable = setup.trayUnavailable ?? false;
  const server = createFakeServer(setup.urls ?? URLS);
  const startedWith: string[] = [];
  const fingerprinted: string[] = [];
  const logged: string[] = [];
  const run = runDesktopApp(electron, {
    startServer:
      setup.startServer ??
      ((dataDir) => {
        startedWith.push(dataDir);
        return Promise.resolve(server);
      }),
    electronFingerprint:
      setup.electronFingerprint ??
      ((pem) => {
        fingerprinted.push(pem);
        return LEAF_FINGERPRINT;
      }),
    platform: 'linux',
    log: (message) => logged.push(message),
    ...(setup.closeTimeoutMs === undefined ? {} : { closeTimeoutMs: setup.closeTimeoutMs }),
  });
  return { electron, server, startedWith, fingerprinted, logged, run };
}

function onlyWindow(electron: FakeElectron) {
  expect(electron.windows).toHaveLength(1);
  const [window] = electron.windows;
  if (window === undefined) {
    throw new Error('no window');
  }
  return window;
}

describe('start-up', () => {
  it('starts the server in the userData folder and opens the admin page', async () => {
    const { electron, run, startedWith } = launch();
    await run;
    expect(startedWith).toEqual(['/fake/userData']);
    expect(onlyWindow(electron).loadedUrls).toEqual(['https://localhost:8443/admin/']);
    expect(electron.trays).toHaveLength(1);
  });

  it('opens the one-time setup page instead when the server offers one', async () => {
    const { electron, run } = launch({ urls: { ...URLS, setup: 'https://localhost:8443/admin/setup?token=abc' } });
    await run;
    expect(onlyWindow(electron).loadedUrls).toEqual(['https://localhost:8443/admin/setup?token=abc']);
  });

  it('waits for the app to be ready before starting the server', async () => {
    const electron = new FakeElectron();
    const becomeReady = electron.app.delayReady();
    const { run, startedWith } = launch({ electron });
    await settle();
    expect(startedWith).toEqual([]);
    becomeReady();
    await run;
    expect(startedWith).toEqual(['/fake/userData']);
  });

  it('opens the window with the locked-down web preferences', async () => {
    const { electron, run } = launch();
    await run;
    const prefs = onlyWindow(electron).options.webPreferences;
    expect([prefs.contextIsolation, prefs.sandbox, prefs.nodeIntegration]).toEqual([true, true, false]);
  });

  it('guards the window: new windows denied, foreign navigation refused', async () => {
    const { electron, run } = launch();
    await run;
    const { webContents } = onlyWindow(electron);
    expect(webContents.openWindow('https://localhost:8443/admin/')).toEqual({ action: 'deny' });
    expect(webContents.navigate('will-navigate', 'https://evil.com/')).toBe(false);
    expect(webContents.navigate('will-navigate', 'https://localhost:8443/admin/clients')).toBe(true);
  });
});

describe('certificate pinning', () => {
  it('pins the fingerprint of the server leaf for the server host', async () => {
    const { electron, run, server, fingerprinted } = launch();
    await run;
    expect(fingerprinted).toEqual([server.tls.certPem]);
    const session = electron.defaultSession;
    expect(session.verify('localhost', LEAF_FINGERPRINT)).toBe(CERT_ACCEPT);
    expect(session.verify('localhost', 'sha256/c29tZW9uZSBlbHNl')).toBe(CERT_REJECT);
    expect(session.verify('hl7.org', 'sha256/c29tZW9uZSBlbHNl')).toBe(CERT_USE_CHROMIUM_RESULT);
    expect(session.verify('evil.com', LEAF_FINGERPRINT)).toBe(CERT_USE_CHROMIUM_RESULT);
  });

  it('follows the certificate the server serves after it is re-issued', async () => {
    const { electron, run, server } = launch({
      electronFingerprint: (pem) => (pem.includes('renewed') ? 'sha256/cmVuZXdlZA==' : LEAF_FINGERPRINT),
    });
    await run;
    const session = electron.defaultSession;
    expect(session.verify('localhost', LEAF_FINGERPRINT)).toBe(CERT_ACCEPT);
    (server.tls as { certPem: string }).certPem = '-----BEGIN CERTIFICATE-----\nrenewed\n-----END CERTIFICATE-----\n';
    expect(session.verify('localhost', 'sha256/cmVuZXdlZA==')).toBe(CERT_ACCEPT);
    expect(session.verify('localhost', LEAF_FINGERPRINT)).toBe(CERT_REJECT);
  });

  it('pins every host the server answers on (site address and localhost setup page)', async () => {
    const { electron, run } = launch({
      urls: {
        origin: 'https://ehr.example.org:8443',
        admin: 'https://ehr.example.org:8443/admin/',
        setup: 'https://localhost:8443/admin/setup?token=abc',
      },
    });
    await run;
    expect(electron.defaultSession.verify('ehr.example.org', LEAF_FINGERPRINT)).toBe(CERT_ACCEPT);
    expect(electron.defaultSession.verify('localhost', LEAF_FINGERPRINT)).toBe(CERT_ACCEPT);
    expect(electron.defaultSession.verify('example.org', LEAF_FINGERPRINT)).toBe(CERT_USE_CHROMIUM_RESULT);
  });

  it('installs the pin before the window starts loading', async () => {
    const electron = new FakeElectron();
    let pinnedWhenWindowOpened = false;
    const { BrowserWindow } = electron;
    Object.defineProperty(electron, 'BrowserWindow', {
      value: class extends BrowserWindow {
        override loadURL(url: string): Promise<void> {
          pinnedWhenWindowOpened = electron.defaultSession.verifyProc !== undefined;
          return super.loadURL(url);
        }
      },
    });
    const { run } = launch({ electron });
    await run;
    expect(electron.windows).toHaveLength(1);
    expect(pinnedWhenWindowOpened).toBe(true);
  });

  it('answers certificate-error only for the pinned leaf on the server host', async () => {
    const { electron, run } = launch();
    const certificateError = (url: string, fingerprint: string) => {
      const event = new FakeEvent();
      let trusted: boolean | undefined;
      electron.app.emit('certificate-error', event, {}, url, 'net::ERR_CERT_AUTHORITY_INVALID', { fingerprint }, (value: boolean) => (trusted = value));
      return { trusted, prevented: event.defaultPrevented };
    };
    expect(certificateError('https://localhost:8443/admin/', LEAF_FINGERPRINT)).toEqual({ trusted: false, prevented: false });
    await run;
    expect(certificateError('https://localhost:8443/admin/', LEAF_FINGERPRINT)).toEqual({ trusted: true, prevented: true });
    expect(certificateError('https://localhost:8443/admin/', 'sha256/b3RoZXI=')).toEqual({ trusted: false, prevented: false });
    expect(certificateError('https://evil.com/', LEAF_FINGERPRINT)).toEqual({ trusted: false, prevented: false });
  });

  it('allows only clipboard writes, and only from the server origin', async () => {
    const { electron, run } = launch();
    await run;
    const session = electron.defaultSession;
    const request = (permission: string, requestingUrl: string) => {
      let granted: boolean | undefined;
      session.permissionRequestHandler?.({}, permission, (value) => (granted = value), { requestingUrl });
      return granted;
    };
    expect(request('clipboard-sanitized-write', 'https://localhost:8443/admin/')).toBe(true);
    expect(request('clipboard-sanitized-write', 'https://evil.com/')).toBe(false);
    expect(request('media', 'https://localhost:8443/admin/')).toBe(false);
    expect(session.permissionCheckHandler?.({}, 'clipboard-sanitized-write', 'https://localhost:8443')).toBe(true);
    expect(session.permissionCheckHandler?.({}, 'geolocation', 'https://localhost:8443')).toBe(false);
  });
});

describe('single instance', () => {
  it('without the lock, quits without starting the server or opening a window', async () => {
    const { electron, run, startedWith } = launch({ lock: false });
    await run;
    expect(electron.app.quitCalls).toBe(1);
    expect(electron.app.quitted).toBe(true);
    expect(startedWith).toEqual([]);
    expect(electron.windows).toEqual([]);
    expect(electron.app.listenerCount('second-instance')).toBe(0);
  });

  it('a second instance brings the existing window forward instead of opening another', async () => {
    const { electron, run } = launch();
    await run;
    const window = onlyWindow(electron);
    window.minimized = true;
    electron.app.emit('second-instance', new FakeEvent(), ['inpracsys'], '/');
    expect(electron.windows).toHaveLength(1);
    expect(window.restoreCount).toBe(1);
    expect(window.showCount).toBe(1);
    expect(window.focusCount).toBe(1);
  });

  it('a second instance reopens the window if it was closed', async () => {
    const { electron, run } = launch();
    await run;
    onlyWindow(electron).close();
    electron.app.emit('second-instance', new FakeEvent(), [], '/');
    expect(electron.openWindows).toHaveLength(1);
    expect(electron.windows[1]?.loadedUrls).toEqual(['https://localhost:8443/admin/']);
  });

  it('a second instance during start-up does not open a window early or twice', async () => {
    const electron = new FakeElectron();
    let startServer: (server: DesktopServer) => void = () => undefined;
    const server = createFakeServer(URLS);
    const { run } = launch({ electron, startServer: () => new Promise((resolve) => (startServer = resolve)) });
    await settle();
    electron.app.emit('second-instance', new FakeEvent(), [], '/');
    expect(electron.windows).toHaveLength(0);
    startServer(server);
    await run;
    expect(electron.windows).toHaveLength(1);
  });
});

describe('window closed', () => {
  it('keeps the server running in the tray, and the tray Open brings the window back', async () => {
    const { electron, run, server } = launch();
    await run;
    onlyWindow(electron).close();
    expect(electron.app.quitCalls).toBe(0);
    expect(server.closeCalls).toBe(0);
    electron.trays[0]?.menu?.click('Open');
    expect(electron.openWindows).toHaveLength(1);
  });

  it('quits when there is no tray to come back from', async () => {
    const { electron, run, server, logged } = launch({ trayUnavailable: true });
    await run;
    expect(logged).toContain('no tray icon; closing the window will quit');
    onlyWindow(electron).close();
    expect(electron.app.quitCalls).toBe(1);
    await settle();
    expect(server.closeCalls).toBe(1);
  });
});

describe('quit', () => {
  it('stops the server exactly once and quits only after close() resolves', async () => {
    const { electron, run, server } = launch();
    await run;
    electron.trays[0]?.menu?.click('Quit');
    await settle();
    expect(server.closeCalls).toBe(1);
    expect(electron.app.quitted).toBe(false);

    electron.app.quit(); // impatient second Quit while the server is closing
    await settle();
    expect(server.closeCalls).toBe(1);
    expect(electron.app.quitted).toBe(false);

    server.finishClose();
    await settle();
    expect(electron.app.quitted).toBe(true);
    expect(server.closeCalls).toBe(1);
    expect(electron.app.exitCodes).toEqual([]);
  });

  it('still quits when close() fails, and logs it', async () => {
    const { electron, run, server, logged } = launch();
    await run;
    electron.app.quit();
    await settle();
    server.finishClose(new Error('database busy'));
    await settle();
    expect(logged).toContain('the server did not stop cleanly');
    expect(electron.app.quitted).toBe(true);
  });

  it('quits anyway when close() never finishes', async () => {
    const { electron, run, server, logged } = launch({ closeTimeoutMs: 20 });
    await run;
    electron.app.quit();
    await settle();
    expect(electron.app.quitted).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(logged).toContain('the server did not stop cleanly');
    expect(electron.app.quitted).toBe(true);
    expect(server.closeCalls).toBe(1);
  });

  it('during start-up, waits for the server, closes it and opens no window', async () => {
    const electron = new FakeElectron();
    let startServer: (server: DesktopServer) => void = () => undefined;
    const server = createFakeServer(URLS);
    const { run } = launch({ electron, startServer: () => new Promise((resolve) => (startServer = resolve)) });
    await settle();
    electron.app.quit();
    expect(electron.app.quitted).toBe(false);
    startServer(server);
    await run;
    await settle();
    expect(server.closeCalls).toBe(1);
    expect(electron.windows).toHaveLength(0);
    expect(electron.trays).toHaveLength(0);
    server.finishClose();
    await settle();
    expect(electron.app.quitted).toBe(true);
  });

  it('before the app is ready, quits without ever starting the server', async () => {
    const electron = new FakeElectron();
    const becomeReady = electron.app.delayReady();
    const { run, startedWith } = launch({ electron });
    electron.app.quit();
    await settle();
    expect(electron.app.quitted).toBe(true);
    becomeReady();
    await run;
    expect(startedWith).toEqual([]);
  });
});

describe('start failure', () => {
  it('shows the reason in an error box and exits with status 1', async () => {
    const { electron, run } = launch({ startServer: () => Promise.reject(new Error('listen EADDRINUSE: address already in use 0.0.0.0:8443')) });
    await run;
    expect(electron.errorBoxes).toEqual([
      { title: 'InPracSys EHR could not start', content: 'listen EADDRINUSE: address already in use 0.0.0.0:8443' },
    ]);
    expect(electron.app.exitCodes).toEqual([1]);
    expect(electron.windows).toEqual([]);
    expect(electron.trays).toEqual([]);
    expect(electron.defaultSession.verifyProc).toBeUndefined();
  });

  it('closes a started server before exiting when trusting its certificate fails', async () => {
    const { electron, run, server } = launch({
      electronFingerprint: () => {
        throw new Error('unreadable certificate');
      },
    });
    await settle();
    expect(electron.errorBoxes.map((box) => box.content)).toEqual(['unreadable certificate']);
    expect(server.closeCalls).toBe(1);
    expect(electron.app.exitCodes).toEqual([]); // not before the database is closed
    server.finishClose();
    await run;
    expect(electron.app.exitCodes).toEqual([1]);
    expect(electron.windows).toEqual([]);
  });

  it('does not close the server twice when Quit comes while the failure is being handled', async () => {
    const { electron, run, server } = launch({
      electronFingerprint: () => {
        throw new Error('unreadable certificate');
      },
    });
    await settle();
    electron.app.quit();
    await settle();
    expect(server.closeCalls).toBe(1);
    server.finishClose();
    await run;
    expect(electron.app.exitCodes).toEqual([1]);
  });
});
