import { trayIconPng } from './tray-icon.js';
import type { ElectronApi, NativeImageApi, TrayApi } from './types.js';

export interface TrayOptions {
  toolTip: string;
  platform: NodeJS.Platform;
  onOpen: () => void;
  onQuit: () => void;
}

/** The tray keeps the server reachable while the admin window is closed. */
export function createTray<Image extends NativeImageApi>(
  electron: Pick<ElectronApi<Image>, 'Tray' | 'Menu' | 'nativeImage'>,
  options: TrayOptions,
): TrayApi {
  // 32 px at scale factor 2 is a 16-point icon that stays sharp on high-DPI screens.
  const icon = electron.nativeImage.createFromBuffer(trayIconPng(32), { scaleFactor: 2 });
  if (options.platform === 'darwin') {
    icon.setTemplateImage(true);
  }
  const tray = new electron.Tray(icon);
  tray.setToolTip(options.toolTip);
  tray.setContextMenu(
    electron.Menu.buildFromTemplate([
      { label: 'Open', click: options.onOpen },
      { type: 'separator' },
      { label: 'Quit', click: options.onQuit },
    ]),
  );
  // Windows users expect a click on the tray icon to bring the window back; on macOS a click
  // opens the menu, and most Linux trays do not report clicks at all.
  if (options.platform === 'win32') {
    tray.on('click', options.onOpen);
  }
  return tray;
}
