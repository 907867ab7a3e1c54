import { externalUrlToOpen, isAllowedNavigation, type OwnOrigins } from './navigation.js';
import type { ElectronApi, WebContentsApi, WindowApi, WindowOptions } from './types.js';

/**
 * The admin GUI is an ordinary web page served by our own server, so it gets a locked-down
 * renderer: no Node, sandboxed, isolated, no preload, no <webview>.
 */
export const adminWindowOptions: WindowOptions = {
  width: 1200,
  height: 800,
  minWidth: 720,
  minHeight: 480,
  title: 'InPracSys EHR',
  autoHideMenuBar: true,
  webPreferences: {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  },
};

export interface AdminWindowOptions {
  url: string;
  ownOrigins: OwnOrigins;
  log: (message: string, error?: unknown) => void;
}

export function createAdminWindow(electron: Pick<ElectronApi, 'BrowserWindow' | 'shell'>, options: AdminWindowOptions): WindowApi {
  const window = new electron.BrowserWindow(adminWindowOptions);
  guardWebContents(window.webContents, options.ownOrigins, (url) => {
    electron.shell.openExternal(url).catch((error: unknown) => options.log('could not open link in browser', error));
  });
  window.loadURL(options.url).catch((error: unknown) => options.log('could not load the admin page', error));
  return window;
}

/**
 * No new windows ever (https links to other sites go to the system browser instead), and no
 * navigation or redirect away from our own origin. Navigations are only refused, not opened
 * externally, so a page cannot make the app launch the browser on its own.
 */
export function guardWebContents(
  webContents: WebContentsApi,
  ownOrigins: OwnOrigins,
  openExternal: (url: string) => void,
): void {
  webContents.setWindowOpenHandler(({ url }) => {
    const external = externalUrlToOpen(url, ownOrigins);
    if (external !== undefined) {
      openExternal(external);
    }
    return { action: 'deny' };
  });
  const refuseForeign = (event: { url: string; preventDefault(): void }): void => {
    if (!isAllowedNavigation(event.url, ownOrigins)) {
      event.preventDefault();
    }
  };
  webContents.on('will-navigate', refuseForeign);
  webContents.on('will-redirect', refuseForeign);
  webContents.on('will-attach-webview', (event) => event.preventDefault());
}
