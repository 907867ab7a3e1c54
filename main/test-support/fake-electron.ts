/**
 * A stand-in for the Electron main-process modules in types.ts: plain objects that record
 * what the desktop logic asked of them. It mimics the behaviour the logic relies on —
 * `app.quit()` emits 'before-quit' and only quits when nobody prevents it; closing the last
 * window emits 'window-all-closed'; `app.exit()` quits without 'before-quit'.
 * Test-only; nothing here needs the Electron binary.
 */
import type {
  AppApi,
  CertificateVerifyProc,
  DesktopServer,
  ElectronApi,
  MenuItemOptions,
  NativeImageApi,
  NavigationEvent,
  PermissionCheckHandler,
  PermissionRequestHandler,
  SessionApi,
  TrayApi,
  WebContentsApi,
  WindowApi,
  WindowOpenDetails,
  WindowOptions,
} from '../types.js';

type Listener = (...args: never[]) => unknown;

class Emitter {
  private readonly listeners = new Map<string, Listener[]>();

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      (listener as (...a: unknown[]) => unknown)(...args);
    }
  }

  listenerCount(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

export class FakeEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export class FakeNavigationEvent extends FakeEvent implements NavigationEvent {
  constructor(readonly url: string) {
    super();
  }
}

export class FakeWebContents extends Emitter implements WebContentsApi {
  windowOpenHandler: ((details: WindowOpenDetails) => { action: 'deny' }) | undefined;

  setWindowOpenHandler(handler: (details: WindowOpenDetails) => { action: 'deny' }): void {
    this.windowOpenHandler = handler;
  }

  /** What the page would get for `window.open(url)`. */
  openWindow(url: string): { action: 'deny' } {
    if (this.windowOpenHandler === undefined) {
      throw new Error('no window open handler: Electron would allow the window');
    }
    return this.windowOpenHandler({ url });
  }

  /** Emits `event` as Electron would; true if the navigation would go ahead. */
  navigate(event: 'will-navigate' | 'will-redirect', url: string): boolean {
    const navigation = new FakeNavigationEvent(url);
    this.emit(event, navigation);
    return !navigation.defaultPrevented;
  }
}

export class FakeWindow extends Emitter implements WindowApi {
  readonly webContents = new FakeWebContents();
  readonly loadedUrls: string[] = [];
  destroyed = false;
  minimized = false;
  restoreCount = 0;
  showCount = 0;
  focusCount = 0;

  constructor(
    readonly options: WindowOptions,
    private readonly owner: FakeElectron,
  ) {
    super();
  }

  loadURL(url: string): Promise<void> {
    this.loadedUrls.push(url);
    return Promise.resolve();
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.restoreCount += 1;
    this.minimized = false;
  }
  show(): void {
    this.showCount += 1;
  }
  focus(): void {
    this.focusCount += 1;
  }

  /** The user closes the window. */
  close(): void {
    this.destroyed = true;
    this.emit('closed');
    if (this.owner.windows.every((window) => window.destroyed)) {
      this.owner.app.emit('window-all-closed');
    }
  }
}

export class FakeApp extends Emitter implements AppApi {
  hasLock = true;
  quitCalls = 0;
  exitCodes: (number | undefined)[] = [];
  /** True once a quit went through (no before-quit listener prevented it) or exit was called. */
  quitted = false;
  private ready: Promise<void> = Promise.resolve();

  requestSingleInstanceLock(): boolean {
    return this.hasLock;
  }
  whenReady(): Promise<void> {
    return this.ready;
  }
  /** Keep the app "not ready" until the returned function is called. */
  delayReady(): () => void {
    let resolve = (): void => undefined;
    this.ready = new Promise<void>((r) => (resolve = r));
    return resolve;
  }
  userDataPath = '/fake/userData';

  getPath(_name: 'userData'): string {
    return this.userDataPath;
  }
  quit(): void {
    this.quitCalls += 1;
    const event = new FakeEvent();
    this.emit('before-quit', event);
    if (!event.defaultPrevented) {
      this.quitted = true;
    }
  }
  exit(exitCode?: number): void {
    this.exitCodes.push(exitCode);
    this.quitted = true;
  }
}

export class FakeSession implements SessionApi {
  verifyProc: CertificateVerifyProc | undefined;
  permissionRequestHandler: PermissionRequestHandler | undefined;
  permissionCheckHandler: PermissionCheckHandler | undefined;

  setCertificateVerifyProc(proc: CertificateVerifyProc): void {
    this.verifyProc = proc;
  }
  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler): void {
    this.permissionCheckHandler = handler;
  }

  /** The result the verify proc gives for a certificate presented by `hostname`. */
  verify(hostname: string, fingerprint: string): number | undefined {
    if (this.verifyProc === undefined) {
      throw new Error('no certificate verify proc installed');
    }
    let result: number | undefined;
    this.verifyProc({ hostname, certificate: { fingerprint } }, (value) => (result = value));
    return result;
  }
}

export class FakeImage implements NativeImageApi {
  template = false;
  constructor(
    readonly buffer: Buffer,
    readonly scaleFactor: number,
  ) {}
  setTemplateImage(option: boolean): void {
    this.template = option;
  }
}

export class FakeMenu {
  constructor(readonly template: MenuItemOptions[]) {}

  click(label: string): void {
    const item = this.template.find((entry) => entry.label === label);
    if (item?.click === undefined) {
      throw new Error(`no menu item "${label}"`);
    }
    item.click();
  }
}

export class FakeTray extends Emitter implements TrayApi {
  toolTip: string | undefined;
  menu: FakeMenu | undefined;

  constructor(readonly image: FakeImage) {
    super();
  }
  setToolTip(toolTip: string): void {
    this.toolTip = toolTip;
  }
  setContextMenu(menu: object | null): void {
    if (!(menu instanceof FakeMenu)) {
      throw new Error('setContextMenu expects a menu built by Menu.buildFromTemplate');
    }
    this.menu = menu;
  }
}

export class FakeElectron implements ElectronApi<FakeImage> {
  readonly app = new FakeApp();
  readonly windows: FakeWindow[] = [];
  readonly trays: FakeTray[] = [];
  readonly externalUrls: string[] = [];
  readonly errorBoxes: { title: string; content: string }[] = [];
  readonly defaultSession = new FakeSession();
  /** Set to make `new Tray()` throw, as it can on desktops without a tray. */
  trayUnavailable = false;

  readonly session = { defaultSession: this.defaultSession };
  readonly shell = {
    openExternal: (url: string): Promise<void> => {
      this.externalUrls.push(url);
      return Promise.resolve();
    },
  };
  readonly dialog = {
    showErrorBox: (title: string, content: string): void => {
      this.errorBoxes.push({ title, content });
    },
  };
  readonly Menu = {
    buildFromTemplate: (template: MenuItemOptions[]): FakeMenu => new FakeMenu(template),
  };
  readonly nativeImage = {
    createFromBuffer: (buffer: Buffer, options: { scaleFactor: number }): FakeImage =>
      new FakeImage(buffer, options.scaleFactor),
  };
  readonly BrowserWindow: new (options: WindowOptions) => FakeWindow;
  readonly Tray: new (image: FakeImage) => FakeTray;

  constructor() {
    // Constructors bound to this fake, so tests can read what was created.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const electron = this;
    this.BrowserWindow = class extends FakeWindow {
      constructor(options: WindowOptions) {
        super(options, electron);
        electron.windows.push(this);
      }
    };
    this.Tray = class extends FakeTray {
      constructor(image: FakeImage) {
        if (electron.trayUnavailable) {
          throw new Error('no tray on this desktop');
        }
        super(image);
        electron.trays.push(this);
      }
    };
  }

  get openWindows(): FakeWindow[] {
    return this.windows.filter((window) => !window.destroyed);
  }
}

export interface FakeServer extends DesktopServer {
  closeCalls: number;
  /** Settles the pending close(). */
  finishClose(error?: Error): void;
}

/** A server whose close() stays pending until `finishClose` is called. */
export function createFakeServer(urls: DesktopServer['urls']): FakeServer {
  let settle: ((error?: Error) => void) | undefined;
  const server: FakeServer = {
    urls,
    tls: { certPem: '-----BEGIN CERTIFICATE-----\nleaf\n-----END CERTIFICATE-----\n' },
    closeCalls: 0,
    close() {
      server.closeCalls += 1;
      return new Promise<void>((resolve, reject) => {
        settle = (error) => (error === undefined ? resolve() : reject(error));
      });
    },
    finishClose(error) {
      if (settle === undefined) {
        throw new Error('close() was not called');
      }
      settle(error);
    },
  };
  return server;
}

/** Lets pending promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) {
    await Promise.resolve();
  }
  await new Promise((resolve) => setImmediate(resolve));
}
