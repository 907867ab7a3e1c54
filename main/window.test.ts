import { describe, expect, it } from 'vitest';
import { ownOriginsOf } from './navigation.js';
import { isPermissionAllowed } from './permissions.js';
import { FakeElectron, FakeEvent, settle } from './test-support/fake-electron.js';
import { createAdminWindow } from './window.js';

const ownOrigins = ownOriginsOf(['https://localhost:8443']);

function openAdminWindow() {
  const electron = new FakeElectron();
  const logged: string[] = [];
  const window = createAdminWindow(electron, {
    url: 'https://localhost:8443/admin/',
    ownOrigins,
    log: (message) => logged.push(message),
  });
  const [created] = electron.windows;
  if (created === undefined || created !== window) {
    throw new Error('createAdminWindow did not construct a BrowserWindow');
  }
  return { electron, window: created, logged };
}

describe('admin window', () => {
  it('is created with a locked-down renderer and no preload', () => {
    const { window } = openAdminWindow();
    const prefs = window.options.webPreferences;
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs).not.toHaveProperty('preload');
  });

  it('loads the URL it was given', () => {
    const { window } = openAdminWindow();
    expect(window.loadedUrls).toEqual(['https://localhost:8443/admin/']);
  });

  it('logs instead of throwing when the page fails to load', async () => {
    const electron = new FakeElectron();
    const logged: string[] = [];
    electron.BrowserWindow.prototype.loadURL = () => Promise.reject(new Error('ERR_CONNECTION_REFUSED'));
    createAdminWindow(electron, { url: 'https://localhost:8443/admin/', ownOrigins, log: (m) => logged.push(m) });
    await settle();
    expect(logged).toEqual(['could not load the admin page']);
  });
});

describe('new windows', () => {
  it.each([
    'https://localhost:8443/admin/other',
    'https://hl7.org/fhir/',
    'http://example.com/',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'about:blank',
  ])('are always denied: %s', (url) => {
    const { window } = openAdminWindow();
    expect(window.webContents.openWindow(url)).toEqual({ action: 'deny' });
  });

  it('send https links to other sites to the system browser', () => {
    const { electron, window } = openAdminWindow();
    window.webContents.openWindow('https://hl7.org/fhir/');
    expect(electron.externalUrls).toEqual(['https://hl7.org/fhir/']);
  });

  it.each([
    'https://localhost:8443/admin/other',
    'http://example.com/',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'smb://fileserver/share',
    'https://localhost:8443@evil.com:abc/',
  ])('open nothing outside for %s', (url) => {
    const { electron, window } = openAdminWindow();
    window.webContents.openWindow(url);
    expect(electron.externalUrls).toEqual([]);
  });
});

describe('navigation guard', () => {
  it.each(['will-navigate', 'will-redirect'] as const)('%s lets our own pages load', (event) => {
    const { window } = openAdminWindow();
    expect(window.webContents.navigate(event, 'https://localhost:8443/oauth2/authorize?x=1')).toBe(true);
  });

  it.each(['will-navigate', 'will-redirect'] as const)('%s stops other origins without opening them', (event) => {
    const { electron, window } = openAdminWindow();
    for (const url of [
      'https://evil.com/',
      'https://localhost:9443/',
      'http://localhost:8443/',
      'https://localhost:8443@evil.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
    ]) {
      expect(window.webContents.navigate(event, url), url).toBe(false);
    }
    expect(electron.externalUrls).toEqual([]);
  });

  it('refuses to attach <webview> tags', () => {
    const { window } = openAdminWindow();
    const event = new FakeEvent();
    window.webContents.emit('will-attach-webview', event);
    expect(event.defaultPrevented).toBe(true);
  });
});

describe('web permissions', () => {
  it.each([
    ['clipboard write from our page', 'clipboard-sanitized-write', 'https://localhost:8443/admin/', true],
    ['clipboard write from our origin string', 'clipboard-sanitized-write', 'https://localhost:8443', true],
    ['clipboard write from another site', 'clipboard-sanitized-write', 'https://evil.com/', false],
    ['clipboard read from our page', 'clipboard-read', 'https://localhost:8443/admin/', false],
    ['camera from our page', 'media', 'https://localhost:8443/admin/', false],
    ['notifications from our page', 'notifications', 'https://localhost:8443/admin/', false],
    ['open external from our page', 'openExternal', 'https://localhost:8443/admin/', false],
    ['clipboard write from an unparseable URL', 'clipboard-sanitized-write', '', false],
  ])('%s → %s', (_name, permission, url, allowed) => {
    expect(isPermissionAllowed(permission, url, ownOrigins)).toBe(allowed);
  });
});
