/**
 * Electron main-process entry: the only place that touches Electron at import time. It wires
 * the real modules into desktop-app.ts, which holds the logic (and is tested with fakes).
 */
import { app, BrowserWindow, dialog, Menu, nativeImage, session, shell, Tray, type NativeImage } from 'electron';
import { electronFingerprint } from '../server/src/tls/index.js';
import { runDesktopApp } from './desktop-app.js';
import { serverArgsFrom } from './server-args.js';
import type { ElectronApi } from './types.js';

const electron: ElectronApi<NativeImage> = { app, BrowserWindow, dialog, Menu, nativeImage, session, shell, Tray };

/** The `serve` flags server/src/config/load.ts accepts. */

// `electron .` puts the app path after the executable; a packaged app has only the executable.
const commandLine = process.argv.slice(process.defaultApp === true ? 2 : 1);

const log = (message: string, error?: unknown): void => {
  console.error(`[desktop] ${message}`, ...(error === undefined ? [] : [error]));
};

// Ctrl+C on `npm run desktop`, or a service manager: stop the server cleanly via before-quit.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => app.quit());
}

void runDesktopApp(electron, {
  async startServer(dataDir) {
    // Imported here, not at the top, so a second instance never loads the server, and a
    // failure to load it (e.g. sqlite3 built for another ABI) reaches the error dialog.
    const [{ loadConfig, serveFlagNames }, { startServer }] = await Promise.all([
      import('../server/src/config/load.js'),
      import('../server/src/server.js'),
    ]);
    // The userData folder is the default data dir; --data-dir / INPRACSYS_DATA_DIR still win.
    const env = { ...process.env, INPRACSYS_DATA_DIR: process.env.INPRACSYS_DATA_DIR || dataDir };
    return startServer(loadConfig(serverArgsFrom(commandLine, serveFlagNames), env));
  },
  electronFingerprint,
  platform: process.platform,
  log,
}).catch((error: unknown) => {
  log('unexpected start-up error', error);
  app.exit(1);
});
