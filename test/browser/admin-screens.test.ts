// The admin GUI's screens in a real browser against the real server: each test does the job
// the screen is for (DESIGN §9), and leaves a screenshot in test/artifacts/.
import { connect } from 'node:tls';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdminSession } from '../helpers/server.js';
import type { TestServer } from './gui.js';
import { ADMIN_PASSWORD, launchBrowser, logIn, newContext, openAs, openMenu, screenshot, startGuiServer, stopGuiServer, watchConsole } from './gui.js';

/** The names in the certificate the server presents right now, read over a fresh TLS connection. */
function presentedSans(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false }, () => {
      const san = socket.getPeerCertificate().subjectaltname ?? '';
      socket.end();
      resolve(san);
    });
    socket.on('error', reject);
  });
}

describe('admin GUI: FHIR Setup', () => {
  let running: TestServer | undefined;
  let browser: Browser;

  beforeAll(async () => {
    running = await startGuiServer();
    browser = await launchBrowser(running.server.tls.certPem);
  });

  afterAll(async () => {
    await browser?.close();
    await stopGuiServer(running);
  });

  it('sets the site address and shows the re-issued certificate with the new host', async () => {
    // Saving a new site address re-issues the leaf with a new key, so this browser cannot pin
    // the first key: it accepts the server's certificate whatever its key.
    const context = await newContext(browser, { ignoreHTTPSErrors: true });
    const page = await context.newPage();
    const problems = watchConsole(page);
    await openAs(page, running!, '/');
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    // A fresh server has no site address yet: the dashboard says so and points to FHIR Setup.
    await page.getByText('The site address is not set.').waitFor();
    await screenshot(page, 'dashboard-first-run.png');

    await openMenu(page, 'FHIR Setup');
    const address = page.getByLabel('Site Address (required for OAuth2 and FHIR)', { exact: true });
    await address.waitFor();
    const sans = page.getByRole('list', { name: 'Names the certificate is valid for' });
    expect(await sans.getByText('ehr.sunrise-clinic.example', { exact: true }).count()).toBe(0);

    // Client-side validation mirrors the server: https only, no path.
    await address.fill('https://ehr.sunrise-clinic.example/fhir');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Leave out any path').waitFor();
    expect(await address.getAttribute('aria-invalid')).toBe('true');
    await address.fill('http://ehr.sunrise-clinic.example');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('The site address must start with https://.').waitFor();

    // The refresh token lifetime must stay above three months.
    const refresh = page.getByLabel('Refresh token lifetime (days)');
    await refresh.fill('30');
    await address.fill('https://ehr.sunrise-clinic.example');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('at least 91 days').first().waitFor();
    await refresh.fill('180');
    await page.getByLabel('Practice name').fill('Sunrise Family Clinic');

    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved. The server certificate was re-issued for ehr.sunrise-clinic.example.').waitFor();
    await sans.getByText('ehr.sunrise-clinic.example', { exact: true }).waitFor();
    await screenshot(page, 'fhir-setup.png', { docs: true });

    // The server really presents the new certificate, and the settings kept the new values.
    expect(await presentedSans(running!.server.port)).toContain('DNS:ehr.sunrise-clinic.example');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'FHIR Setup' }).waitFor();
    expect(await page.getByLabel('Site Address (required for OAuth2 and FHIR)').inputValue()).toBe('https://ehr.sunrise-clinic.example');
    expect(await page.getByLabel('Refresh token lifetime (days)').inputValue()).toBe('180');
    await page.getByRole('list', { name: 'Names the certificate is valid for' }).getByText('ehr.sunrise-clinic.example', { exact: true }).waitFor();

    await openMenu(page, 'Dashboard');
    await page.getByText('https://ehr.sunrise-clinic.example/fhir/r4', { exact: true }).waitFor();
    expect(await page.getByText('The site address is not set.').count()).toBe(0);
    await screenshot(page, 'dashboard.png', { docs: true });
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('admin GUI: Users and Audit Log', () => {
  let running: TestServer | undefined;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    running = await startGuiServer();
    browser = await launchBrowser(running.server.tls.certPem);
  });

  afterAll(async () => {
    await browser?.close();
    await stopGuiServer(running);
  });

  beforeEach(async () => {
    context = await newContext(browser);
    page = await context.newPage();
    problems = watchConsole(page);
  });

  afterEach(async () => {
    await context.close();
  });

  it('adds a clinician, who can then log in but cannot open API Clients or the admin-only API', async () => {
    await openAs(page, running!, '/users');
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await page.getByRole('table').getByRole('link', { name: 'admin', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('button', { name: 'Add user' }).last().click();
    await page.getByText('Choose a username.').waitFor();
    await page.getByLabel('Username').fill('dr.ruiz');
    await page.getByLabel('Display name').fill('Dr. Ana Ruiz');
    await page.getByLabel('Role').selectOption('clinician');
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Add user' }).last().click();
    await page.getByText('Use at least 10 characters.').waitFor();
    await page.getByLabel('Password', { exact: true }).fill('clinic passphrase 42');
    await page.getByRole('button', { name: 'Add user' }).last().click();

    await page.getByRole('status').filter({ hasText: 'Added dr.ruiz as clinician' }).waitFor();
    const row = page.getByRole('row', { name: /dr\.ruiz/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('Clinician');
    expect(await row.textContent()).toContain('Active');
    await screenshot(page, 'users.png', { docs: true });

    // The search box narrows the list.
    await page.getByLabel('Search users').fill('ruiz');
    await page.getByRole('link', { name: 'admin', exact: true }).waitFor({ state: 'detached' });
    await row.waitFor();

    // The user's page: an administrator cannot demote themself, but can edit others.
    await row.getByRole('link', { name: 'dr.ruiz' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dr. Ana Ruiz' }).waitFor();
    await screenshot(page, 'user-edit.png');

    // The clinician logs in elsewhere: no API Clients in the menu, and the page says why.
    const clinicianContext = await newContext(browser);
    const clinician = await clinicianContext.newPage();
    const clinicianProblems = watchConsole(clinician);
    await openAs(clinician, running!, '/', 'dr.ruiz', 'clinic passphrase 42');
    await clinician.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    const menu = clinician.getByRole('navigation', { name: 'Main menu' });
    await menu.getByRole('link', { name: 'Patients', exact: true }).waitFor();
    for (const name of ['API Clients', 'FHIR Setup', 'Token Tools', 'Users', 'Audit Log']) {
      expect(await menu.getByRole('link', { name, exact: true }).count()).toBe(0);
    }
    await clinician.goto(new URL('/admin/clients', running!.server.urls.origin).href);
    await clinician.getByRole('heading', { level: 1, name: 'API Clients' }).waitFor();
    await clinician.getByText('Only administrators can open this page.').waitFor();
    await screenshot(clinician, 'clinician-api-clients-refused.png');
    const statuses = await clinician.evaluate(async () => {
      const answer = async (path: string) => (await fetch(path)).status;
      return { settings: await answer('/admin/api/settings'), users: await answer('/admin/api/users'), clients: await answer('/admin/api/clients') };
    });
    expect(statuses.settings).toBe(403);
    expect(statuses.users).toBe(403);
    expect(statuses.clients).toBe(403);
    expect(clinicianProblems).toEqual([]);
    await clinicianContext.close();

    // Disable the clinician (with a confirmation), which ends their session. From the keyboard:
    // the question opens with focus on Cancel, and Escape leaves everything as it was.
    const disable = page.getByRole('button', { name: 'Disable user' });
    await disable.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Disable dr.ruiz?' });
    await dialog.waitFor();
    expect(await dialog.getByRole('button', { name: 'Cancel' }).evaluate((button) => button === document.activeElement)).toBe(true);
    await screenshot(page, 'user-disable-confirm.png');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await disable.evaluate((button) => button === document.activeElement)).toBe(true);
    await disable.click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Disable user' }).click();
    await page.getByText('dr.ruiz is disabled and was logged out.').waitFor();
    await page.getByRole('button', { name: 'Enable user' }).waitFor();

    // An administrator cannot demote themself: the server's refusal is shown, the form keeps the role.
    await page.getByRole('link', { name: 'All users' }).click();
    await page.getByRole('table', { name: 'Staff users' }).getByRole('link', { name: 'admin', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Administrator' }).waitFor();
    await page.getByLabel('Role').selectOption('clinician');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('alert').filter({ hasText: 'You cannot disable or demote your own account.' }).waitFor();
    expect(await page.getByLabel('Role').inputValue()).toBe('admin');
    expect(problems).toEqual([]);
  });

  it('shows a failed log-in in the audit log, filters by outcome, and pages with Load more', async () => {
    await page.goto(running!.server.urls.admin);
    await logIn(page, 'admin', 'not the right password');
    await page.getByRole('alert').filter({ hasText: 'Could not log in' }).waitFor();
    await logIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();

    await openMenu(page, 'Audit Log');
    const table = page.getByRole('table', { name: 'Audit events' });
    await table.waitFor();
    const failure = table.getByRole('row').filter({ hasText: 'admin.login' }).filter({ hasText: 'Failure' });
    await failure.first().waitFor();
    expect(await failure.first().textContent()).toContain('admin');
    const success = table.getByRole('row').filter({ hasText: 'admin.login' }).filter({ hasText: 'Success' });
    expect(await success.count()).toBeGreaterThan(0);
    await screenshot(page, 'audit-log.png', { docs: true });

    await page.getByLabel('Outcome').selectOption('failure');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('status').filter({ hasText: 'matching events' }).waitFor();
    await failure.first().waitFor();
    const outcomes = await table.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(outcomes.length).toBeGreaterThan(0);
    expect(new Set(outcomes)).toEqual(new Set(['Failure']));

    await page.getByLabel('Outcome').selectOption('success');
    await page.getByLabel('Event type').fill('admin.login');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await success.first().waitFor();
    expect(await failure.count()).toBe(0);
    const types = await table.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(types.every((type) => type.startsWith('admin.login'))).toBe(true);
    await screenshot(page, 'audit-log-filtered.png');

    // Enough events for more than one page (50 a page), to use "Load more".
    const admin = await AdminSession.login(running!.server, 'admin', ADMIN_PASSWORD);
    for (let i = 0; i < 55; i++) {
      expect((await admin.call('PUT', '/admin/api/settings', { practiceName: `Sunrise Family Clinic ${i}` })).status).toBe(200);
    }
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('status').filter({ hasText: /^Showing 50 of \d+ events$/ }).waitFor();
    const total = Number(/of (\d+)/.exec((await page.getByRole('status').filter({ hasText: 'Showing 50 of' }).textContent())!)![1]);
    expect(total).toBeGreaterThan(55);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByRole('status').filter({ hasText: `Showing ${total} of ${total} events` }).waitFor();
    const ids = await table.locator('tbody tr').count();
    expect(ids).toBe(total);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    // The oldest events are at the end: the failed log-in is among them.
    await failure.first().waitFor();
    expect(problems).toEqual([]);
  });

  it('shows the Bulk Exports screen with its empty state', async () => {
    await openAs(page, running!, '/bulk-exports');
    await page.getByRole('heading', { level: 1, name: 'Bulk Exports' }).waitFor();
    await page.getByText('No exports yet.').waitFor();
    await screenshot(page, 'bulk-exports.png');
    expect(problems.filter((problem) => !/status of 404/.test(problem))).toEqual([]);
  });

  it('returns to log-in when the session ends during an action, then back to the same screen', async () => {
    await openAs(page, running!, '/audit');
    await page.getByRole('heading', { level: 1, name: 'Audit Log' }).waitFor();
    await page.getByLabel('Outcome').selectOption('failure');
    // The server forgets the session (idle timeout, restart, password reset elsewhere).
    await context.clearCookies();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    await page.getByText('Your session has ended. Please log in again.').waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe('/audit');
    await logIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Audit Log' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/audit');
    expect(problems).toEqual([]);
  });
});
