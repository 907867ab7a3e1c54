// The admin GUI's Bulk Exports screen lists a real export job (started by a backend client).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, openAs, screenshot, startGuiServer, stopGuiServer, watchConsole, type TestServer } from '../browser/gui.js';
import { backendToken, registerBackendClient, startExport, waitForManifest } from './helpers.js';
import { seed } from './seed.js';

const scope = 'system/*.$export system/*.$bulkdata-status system/Document.read system/Binary.read system/Patient.rs system/Observation.rs';

describe('admin GUI: Bulk Exports', () => {
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

  it('lists a completed export with its client, level and file count, and shows the export settings', async () => {
    const server = running!.server;
    const client = await registerBackendClient(server, 'ES384', scope);
    await seed(server);
    const token = await backendToken(server, client, scope);
    const statusPath = await startExport(server, token, '/fhir/r4/Patient/$export?_type=Patient,Observation');
    await waitForManifest(server, token, statusPath);
    const jobId = new URL(statusPath, 'https://x').searchParams.get('job')!;

    const context = await newContext(browser);
    const page = await context.newPage();
    const problems = watchConsole(page);
    await openAs(page, running!, '/bulk-exports');
    await page.getByRole('heading', { level: 1, name: 'Bulk Exports' }).waitFor();
    const row = page.getByRole('table', { name: 'Export jobs' }).getByRole('row').filter({ hasText: jobId });
    await row.waitFor();
    const cells = await row.getByRole('cell').allTextContents();
    expect(cells).toEqual([jobId, 'Bulk ES384', 'patient', 'Patient, Observation', expect.any(String), expect.any(String), 'completed', '2']);
    const settings = page.getByRole('region', { name: 'Export settings' });
    await expect.poll(() => settings.getByLabel('Resources per file').inputValue()).toBe('100000');
    expect(await settings.getByLabel('Keep files for (hours)').inputValue()).toBe('24');
    await screenshot(page, 'bulk-exports-job.png');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lets an administrator change the split size: bad values are refused beside the field, a good one is saved and kept after reload', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const problems = watchConsole(page);
    await openAs(page, running!, '/bulk-exports');
    const settings = page.getByRole('region', { name: 'Export settings' });
    const perFile = settings.getByLabel('Resources per file');
    const save = settings.getByRole('button', { name: 'Save export settings' });
    await perFile.waitFor();
    await expect.poll(() => perFile.inputValue()).not.toBe('');
    await expect.poll(() => settings.textContent()).toContain('New values apply to exports started afterwards');

    await perFile.fill('0');
    await save.click();
    await settings.getByText('At least 1.').waitFor();
    expect(await perFile.getAttribute('aria-invalid')).toBe('true');
    expect(running!.server.context.settings.get().bulkExportResourcesPerFile).toBe(100_000);

    await perFile.fill('250');
    await save.click();
    await settings.getByText('Export settings saved. Exports started from now on use them.').waitFor();
    expect(await perFile.getAttribute('aria-invalid')).toBeNull();
    expect(running!.server.context.settings.get().bulkExportResourcesPerFile).toBe(250);
    await screenshot(page, 'bulk-exports-settings-saved.png');

    await page.reload();
    await expect.poll(() => page.getByRole('region', { name: 'Export settings' }).getByLabel('Resources per file').inputValue()).toBe('250');
    expect(await page.getByRole('region', { name: 'Export settings' }).getByLabel('Keep files for (hours)').inputValue()).toBe('24');
    expect(problems).toEqual([]);
    await context.close();
  });
});
