import {
  createCertificateErrorListener,
  createCertificateVerifyProc,
  type CertificatePin,
} from './certificate-pin.js';
import { ownOriginsOf, type OwnOrigins } from './navigation.js';
import { createPermissionCheckHandler, createPermissionRequestHandler } from './permissions.js';
import { createTray } from './tray.js';
import type {
  DesktopServer,
  ElectronApi,
  NativeImageApi,
  StartDesktopServer,
  TrayApi,
  WindowApi,
} from './types.js';
import { createAdminWindow } from './window.js';

export interface DesktopAppOptions {
  /** Starts the embedded server with its data in `dataDir` (the app's userData folder). */
  startServer: StartDesktopServer;
  /** PEM → `sha256/<base64>`, the form Electron reports certificate fingerprints in. */
  electronFingerprint: (pem: string) => string;
  platform: NodeJS.Platform;
  log: (message: string, error?: unknown) => void;
  /** How long Quit waits for the server to close (it forces open connections shut after 10 s). */
  closeTimeoutMs?: number;
}

export const PRODUCT_NAME = 'InPracSys EHR';

/**
 * The desktop app's life: one instance, start the server, trust its certificate, show the
 * admin window, keep running in the tray, stop the server on Quit.
 *
 * Closing the window does not stop the server: lab interfaces and SMART apps keep using it,
 * and the tray's Open brings the window back. Only Quit (tray, menu, OS shutdown) stops it.
 * If no tray could be created, closing the last window quits, so the app never runs unseen.
 *
 * Resolves once start-up has finished (window shown, or the failure reported).
 */
export async function runDesktopApp<Image extends NativeImageApi>(
  electron: ElectronApi<Image>,
  options: DesktopAppOptions,
): Promise<void> {
  const { app } = electron;
  const { log } = options;
  if (!app.requestSingleInstanceLock()) {
    // Another instance owns the data folder and the port; it gets our 'second-instance'.
    app.quit();
    return;
  }

  let serverStart: Promise<DesktopServer> | undefined;
  let pin: CertificatePin | undefined;
  let ownOrigins: OwnOrigins = new Set();
  let windowUrl: string | undefined = undefined; // known once the server is up
  let window: WindowApi | undefined;
  let tray: TrayApi | undefined;
  let quitting = false;
  let serverStopped = false;
  let closing: Promise<void> | undefined;
  const closeServer = (server: DesktopServer): Promise<void> => (closing ??= server.close());

  const showWindow = (): void => {
    if (quitting || windowUrl === undefined) {
      return; // not started yet: the window opens when start-up finishes
    }
    if (window !== undefined && !window.isDestroyed()) {
      if (window.isMinimized()) {
        window.restore();
      }
      window.show();
      window.focus();
      return;
    }
    const created = createAdminWindow(electron, { url: windowUrl, ownOrigins, log });
    created.on('closed', () => {
      if (window === created) {
        window = undefined;
      }
    });
    window = created;
  };

  const stopServer = async (): Promise<void> => {
    // A failed start has already been reported and exits on its own.
    const server = await serverStart?.catch(() => undefined);
    if (server === undefined) {
      return;
    }
    try {
      await withTimeout(closeServer(server), options.closeTimeoutMs ?? 15_000);
    } catch (error) {
      log('the server did not stop cleanly', error);
    }
  };

  app.on('second-instance', showWindow);
  app.on('activate', showWindow); // macOS: dock icon clicked
  app.on('window-all-closed', () => {
    if (tray === undefined) {
      app.quit();
    }
  });
  app.on('certificate-error', createCertificateErrorListener(() => pin));
  app.on('before-quit', (event) => {
    if (serverStopped) {
      return;
    }
    // Hold the quit until the server has finished its requests and closed the database.
    event.preventDefault();
    if (quitting) {
      return;
    }
    quitting = true;
    void stopServer().finally(() => {
      serverStopped = true;
      app.quit();
    });
  });

  await app.whenReady();
  if (quitting) {
    return;
  }
  let server: DesktopServer;
  try {
    serverStart = options.startServer(app.getPath('userData'));
    server = await serverStart;
  } catch (error) {
    await reportStartFailure(electron, log, error);
    return;
  }
  if (quitting) {
    return; // before-quit is stopping it
  }

  try {
    ownOrigins = ownOriginsOf([server.urls.origin, server.urls.admin, server.urls.setup]);
    // The server re-issues its certificate when the site address changes: pin what it serves now.
    let pinnedPem = server.tls.certPem;
    let pinnedFingerprint = options.electronFingerprint(pinnedPem);
    pin = {
      hosts: [...ownOrigins].map((origin) => new URL(origin).hostname),
      get fingerprint() {
        if (server.tls.certPem !== pinnedPem) {
          pinnedPem = server.tls.certPem;
          pinnedFingerprint = options.electronFingerprint(pinnedPem);
        }
        return pinnedFingerprint;
      },
    };
    const session = electron.session.defaultSession;
    session.setCertificateVerifyProc(createCertificateVerifyProc(pin));
    session.setPermissionRequestHandler(createPermissionRequestHandler(ownOrigins));
    session.setPermissionCheckHandler(createPermissionCheckHandler(ownOrigins));
  } catch (error) {
    await reportStartFailure(electron, log, error, () => closeServer(server));
    return;
  }

  // The setup URL carries the one-time first-admin token. Reopening the window uses it again,
  // so the server must send a used token on to the admin page.
  windowUrl = server.urls.setup ?? server.urls.admin;
  try {
    tray = createTray(electron, {
      toolTip: `${PRODUCT_NAME} — ${server.urls.origin}`,
      platform: options.platform,
      onOpen: showWindow,
      onQuit: () => app.quit(),
    });
  } catch (error) {
    log('no tray icon; closing the window will quit', error);
  }
  showWindow();
}

/** Tell the user why, close the server if it got that far, and exit with status 1. */
async function reportStartFailure(
  electron: Pick<ElectronApi, 'app' | 'dialog'>,
  log: DesktopAppOptions['log'],
  error: unknown,
  closeStartedServer?: () => Promise<void>,
): Promise<void> {
  log('the server could not start', error);
  const reason = error instanceof Error ? error.message : String(error);
  electron.dialog.showErrorBox(`${PRODUCT_NAME} could not start`, reason);
  try {
    await closeStartedServer?.();
  } catch (closeError) {
    log('the server did not stop cleanly', closeError);
  }
  // exit, not quit: nothing is left to stop, and before-quit must not wait for a server.
  electron.app.exit(1);
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
