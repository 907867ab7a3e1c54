/**
 * The narrow part of Electron's main-process API that the desktop logic uses. The real
 * `electron` module satisfies these interfaces structurally (index.ts assigns it to
 * `ElectronApi`, so the compiler checks that), and tests pass plain fake objects instead.
 * Nothing here imports 'electron', so the logic and its tests run without the Electron binary.
 */

export interface PreventableEvent {
  preventDefault(): void;
}

/** Electron's `Certificate` structure, as far as pinning needs it. */
export interface CertificateInfo {
  /** `sha256/<base64 of SHA-256 over the DER>` (Electron ≥ 36 always reports SHA-256 this way). */
  fingerprint: string;
}

/** The `request` argument of `session.setCertificateVerifyProc`. */
export interface CertificateVerifyRequest {
  hostname: string;
  certificate: CertificateInfo;
}

export type CertificateVerifyProc = (
  request: CertificateVerifyRequest,
  callback: (verificationResult: number) => void,
) => void;

export type CertificateErrorListener = (
  event: PreventableEvent,
  webContents: unknown,
  url: string,
  error: string,
  certificate: CertificateInfo,
  callback: (isTrusted: boolean) => void,
) => void;

export type PermissionRequestHandler = (
  webContents: unknown,
  permission: string,
  callback: (permissionGranted: boolean) => void,
  details: { requestingUrl: string },
) => void;

export interface AppApi {
  requestSingleInstanceLock(): boolean;
  whenReady(): Promise<void>;
  getPath(name: 'userData'): string;
  quit(): void;
  exit(exitCode?: number): void;
  on(event: 'second-instance' | 'activate' | 'window-all-closed', listener: () => void): unknown;
  on(event: 'before-quit', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'certificate-error', listener: CertificateErrorListener): unknown;
}

export type PermissionCheckHandler = (webContents: unknown, permission: string, requestingOrigin: string) => boolean;

export interface SessionApi {
  setCertificateVerifyProc(proc: CertificateVerifyProc): void;
  setPermissionRequestHandler(handler: PermissionRequestHandler): void;
  setPermissionCheckHandler(handler: PermissionCheckHandler): void;
}

export interface WindowOpenDetails {
  url: string;
}

export interface NavigationEvent extends PreventableEvent {
  url: string;
}

export interface WebContentsApi {
  setWindowOpenHandler(handler: (details: WindowOpenDetails) => { action: 'deny' }): void;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
}

export interface WindowApi {
  readonly webContents: WebContentsApi;
  loadURL(url: string): Promise<void>;
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
  on(event: 'closed', listener: () => void): unknown;
}

/** The subset of `BrowserWindowConstructorOptions` the admin window sets. */
export interface WindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  title: string;
  autoHideMenuBar: boolean;
  webPreferences: {
    contextIsolation: boolean;
    sandbox: boolean;
    nodeIntegration: boolean;
    nodeIntegrationInSubFrames: boolean;
    nodeIntegrationInWorker: boolean;
    webSecurity: boolean;
    allowRunningInsecureContent: boolean;
    webviewTag: boolean;
    spellcheck: boolean;
  };
}

export interface NativeImageApi {
  setTemplateImage(option: boolean): void;
}

export interface MenuItemOptions {
  label?: string;
  type?: 'normal' | 'separator';
  click?: () => void;
}

/** A built menu; the logic only hands it from `Menu.buildFromTemplate` to `Tray.setContextMenu`. */
export type MenuHandle = object;

export interface TrayApi {
  setToolTip(toolTip: string): void;
  setContextMenu(menu: MenuHandle | null): void;
  on(event: 'click', listener: () => void): unknown;
}

/**
 * `Image` is the real NativeImage in the shell: Tray's constructor only takes what
 * nativeImage made, so the two are tied by this parameter rather than by a narrow interface.
 */
export interface ElectronApi<Image extends NativeImageApi = NativeImageApi> {
  app: AppApi;
  BrowserWindow: new (options: WindowOptions) => WindowApi;
  /** The `session` module; `defaultSession` is read only after the app is ready. */
  session: { readonly defaultSession: SessionApi };
  shell: { openExternal(url: string): Promise<void> };
  dialog: { showErrorBox(title: string, content: string): void };
  Menu: { buildFromTemplate(template: MenuItemOptions[]): MenuHandle };
  Tray: new (image: Image) => TrayApi;
  nativeImage: { createFromBuffer(buffer: Buffer, options: { scaleFactor: number }): Image };
}

/** What the desktop shell needs from the running server (server.ts's RunningServer has more). */
export interface DesktopServer {
  readonly urls: { readonly origin: string; readonly admin: string; readonly setup?: string | undefined };
  readonly tls: { readonly certPem: string };
  close(): Promise<void>;
}

export type StartDesktopServer = (dataDir: string) => Promise<DesktopServer>;
