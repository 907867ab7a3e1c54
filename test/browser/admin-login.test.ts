import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, launchBrowser, logIn, newContext, screenshot, startGuiServer, stopGuiServer, watchConsole, type TestServer } from './gui.js';

describe('admin GUI log-in', () => {
  let running: TestServer | undefined;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let consoleProblems: string[];

  beforeAll(async () => {
    running = await startGuiServer({ INPRACSYS_ADMIN_PASSWORD: ADMIN_PASSWORD });
    browser = await launchBrowser(running.server.tls.certPem);
  });

  afterAll(async () => {
    await browser?.close();
    await stopGuiServer(running);
  });

  beforeEach(async () => {
    context = await newContext(browser);
    page = await context.newPage();
    consoleProblems = watchConsole(page);
  });

  afterEach(async () => {
    await context.close();
  });

  it('logs in as admin and shows the CA fingerprint on the dashboard', async () => {
    const { server } = running!;
    const response = await page.goto(server.urls.admin);
    // The console check below only means something under the real policy.
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    await screenshot(page, 'admin-login.png');

    await logIn(page, 'admin', ADMIN_PASSWORD);

    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    const fingerprint = page.locator('#ca-fingerprint');
    await fingerprint.waitFor();
    expect(await fingerprint.textContent()).toBe(server.tls.caFingerprint256);
    expect(await page.getByRole('link', { name: 'Download CA certificate' }).getAttribute('href')).toBe('/ca.crt');
    await page.getByText('Running', { exact: true }).waitFor();
    await screenshot(page, 'admin-dashboard.png');
    expect(consoleProblems).toEqual([]);
  });

  it('shows an error for a wrong password and stays on the log-in page', async () => {
    await page.goto(running!.server.urls.admin);
    await logIn(page, 'admin', 'not the password');

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/could not log in/i);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Log in');
    expect(await page.getByLabel('Password').inputValue()).toBe('');
    await screenshot(page, 'admin-login-error.png');
  });

  it('explains throttling when the server answers 429', async () => {
    await page.route('**/admin/api/session', async (route) => {
      if (route.request().method() !== 'POST') {
        await route.fallback();
        return;
      }
      await route.fulfill({
        status: 429,
        headers: { 'Retry-After': '30' },
        contentType: 'application/json',
        body: JSON.stringify({ error: 'too many failed logins' }),
      });
    });
    await page.goto(running!.server.urls.admin);
    await logIn(page, 'admin', 'whatever it is');

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Try again in 30 seconds');
    expect(await page.getByRole('button', { name: 'Log in' }).isDisabled()).toBe(true);
  });

  it('returns to the page that was asked for, has the menu sections, and logs out', async () => {
    const { server } = running!;
    await page.goto(new URL('/admin/token-tools', server.urls.origin).href);
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/login');

    await logIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Token Tools' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/token-tools');

    const menu = page.getByRole('navigation', { name: 'Main menu' });
    for (const name of ['Dashboard', 'FHIR Setup', 'API Clients', 'Token Tools', 'Patients', 'Users', 'Audit Log', 'Bulk Exports']) {
      await menu.getByRole('link', { name, exact: true }).waitFor();
    }
    await menu.getByRole('link', { name: 'API Clients' }).click();
    await page.getByRole('heading', { level: 1, name: 'API Clients' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/clients');
    await screenshot(page, 'admin-section.png');

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    const session = await page.evaluate(async () => (await fetch('/admin/api/session')).status);
    expect(session).toBe(401);
    expect(consoleProblems).toEqual([]);
  });
});

describe('admin GUI first-admin setup', () => {
  let running: TestServer | undefined;
  let browser: Browser;

  beforeAll(async () => {
    running = await startGuiServer({});
    browser = await launchBrowser(running.server.tls.certPem);
  });

  afterAll(async () => {
    await browser?.close();
    await stopGuiServer(running);
  });

  it('creates the first administrator from the setup link and lands on the dashboard', async () => {
    const setupUrl = running!.server.urls.setup;
    expect(setupUrl).toBeDefined();
    const context = await newContext(browser);
    const page = await context.newPage();
    const consoleProblems = watchConsole(page);

    await page.goto(setupUrl!);
    await page.getByRole('heading', { level: 1, name: 'Set up InPracSys EHR' }).waitFor();
    await page.getByLabel('Username').fill('office-admin');
    await page.getByLabel('Password', { exact: true }).fill('a long enough passphrase');
    await page.getByLabel('Confirm password').fill('a different passphrase');
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await page.getByText('The two passwords do not match.').waitFor();
    await screenshot(page, 'admin-setup.png');

    await page.getByLabel('Confirm password').fill('a long enough passphrase');
    await page.getByRole('button', { name: 'Create administrator' }).click();

    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    expect(new URL(page.url()).search).toBe('');
    expect(await page.locator('#ca-fingerprint').textContent()).toBe(running!.server.tls.caFingerprint256);
    expect(consoleProblems).toEqual([]);
    await context.close();
  });
});
