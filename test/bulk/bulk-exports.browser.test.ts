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

  it('lists a completed export with its client, level and file count', async () => {
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
    await screenshot(page, 'bulk-exports-job.png');
    expect(problems).toEqual([]);
    await context.close();
  });
});
