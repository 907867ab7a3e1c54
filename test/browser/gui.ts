// Shared pieces of the admin GUI browser tests: the real server, Chromium, screenshots.
import { X509Certificate, createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadConfig } from '../../server/src/config/load.js';
import { startServer } from '../../server/src/server.js';
import type { RunningServer } from '../../server/src/server.js';

export const ADMIN_PASSWORD = 'correct horse battery staple';
const artifactsDir = fileURLToPath(new URL('../artifacts/', import.meta.url));
const docsScreenshotsDir = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

export interface TestServer {
  server: RunningServer;
  dataDir: string;
}

export async function startGuiServer(env: NodeJS.ProcessEnv = { INPRACSYS_ADMIN_PASSWORD: ADMIN_PASSWORD }): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'inpracsys-gui-'));
  const server = await startServer(loadConfig(['--port', '0', '--data-dir', dataDir], { LOG_LEVEL: 'silent', ...env }));
  return { server, dataDir };
}

export async function stopGuiServer(running: TestServer | undefined): Promise<void> {
  if (running === undefined) {
    return;
  }
  await running.server.close();
  await rm(running.dataDir, { recursive: true, force: true });
}

/** Trusts exactly this server's leaf key (by SPKI hash), not every certificate. */
function spkiHash(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

export function launchBrowser(certPem: string): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--font-render-hinting=none',
      `--ignore-certificate-errors-spki-list=${spkiHash(certPem)}`,
    ],
  });
}

export function newContext(browser: Browser, options: { ignoreHTTPSErrors?: boolean } = {}): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1360, height: 900 }, ...options });
}

/** Collects what the page reports as errors, such as Content-Security-Policy violations. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of (40[13]|409|429)/.test(message.text())) {
      problems.push(message.text());
    }
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

/** A full-page screenshot in test/artifacts/; with `docs` and INPRACSYS_UPDATE_SCREENSHOTS=1, also the README's copy in docs/screenshots/. */
export async function screenshot(page: Page, name: string, options: { docs?: boolean } = {}): Promise<void> {
  await mkdir(artifactsDir, { recursive: true });
  // Let focus rings and the spinner settle, so pictures show the page at rest.
  await page.evaluate(() => {
    if (document.activeElement instanceof HTMLElement) {
      document.activeElement.blur();
    }
    window.scrollTo(0, 0);
  });
  await page.screenshot({ path: join(artifactsDir, name), fullPage: true });
  // The README's pictures change only when asked for, so a test run leaves the checkout as it was.
  if (options.docs === true && process.env.INPRACSYS_UPDATE_SCREENSHOTS === '1') {
    await mkdir(docsScreenshotsDir, { recursive: true });
    await page.screenshot({ path: join(docsScreenshotsDir, name), fullPage: true });
  }
}

export async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** Opens the admin GUI at `path` (below /admin) and logs in there; returns once the login page has gone. */
export async function openAs(page: Page, running: TestServer, path: string, username = 'admin', password = ADMIN_PASSWORD): Promise<void> {
  await page.goto(new URL(`/admin${path}`, running.server.urls.origin).href);
  const loginHeading = page.getByRole('heading', { level: 1, name: 'Log in' });
  await loginHeading.waitFor();
  await logIn(page, username, password);
  // a caller that reloads or navigates at once would otherwise cut off the login (seen under load)
  await loginHeading.waitFor({ state: 'detached' });
}

export async function openMenu(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}
