// FHIR Setup in a real browser against the real server: importing a practice certificate (and
// going back to the local CA), and installing an implementation guide from its package file.
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearInstalledConformanceResources, installedProfile } from '../../server/src/fhir/ig/profiles.js';
import { createPracticeCa, issuePracticeLeaf, type PracticeCa, type PracticeLeaf } from '../helpers/practice-certificate.js';
import { packUsCore, requireUsCoreData } from '../helpers/us-core-package.js';
import type { TestServer } from './gui.js';
import { launchBrowser, newContext, openAs, openMenu, screenshot, startGuiServer, stopGuiServer, watchConsole } from './gui.js';

let running: TestServer | undefined;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];
let practiceCa: PracticeCa;
let practiceLeaf: PracticeLeaf;
let localLeafFingerprint: string;
let work: string;

/** The fingerprint of the certificate the server presents on a new TLS connection. */
function presentedFingerprint(): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: running!.server.port, servername: 'localhost', rejectUnauthorized: false }, () => {
      const { fingerprint256 } = socket.getPeerCertificate();
      socket.end();
      resolve(fingerprint256);
    });
    socket.on('error', reject);
  });
}

function tlsCard() {
  return page.getByRole('region', { name: 'TLS certificate' });
}

function practiceCard() {
  return page.getByRole('region', { name: 'Practice certificate' });
}

function guidesCard() {
  return page.getByRole('region', { name: 'Implementation Guides' });
}

/** What the page keeps in the browser's own storage, where a private key must never go. */
function browserStorage(): Promise<string> {
  return page.evaluate(() => JSON.stringify({ local: { ...window.localStorage }, session: { ...window.sessionStorage } }));
}

beforeAll(async () => {
  requireUsCoreData();
  work = await mkdtemp(join(tmpdir(), 'inpracsys-gui-ig-'));
  running = await startGuiServer();
  localLeafFingerprint = new X509Certificate(running.server.tls.certPem).fingerprint256;
  practiceCa = await createPracticeCa();
  practiceLeaf = await issuePracticeLeaf(practiceCa);
  browser = await launchBrowser(running.server.tls.certPem);
  // The served certificate changes during the test, so this browser accepts whatever the server presents.
  context = await newContext(browser, { ignoreHTTPSErrors: true });
  page = await context.newPage();
  problems = watchConsole(page);
  await openAs(page, running, '/');
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  await openMenu(page, 'FHIR Setup');
});

afterAll(async () => {
  clearInstalledConformanceResources();
  await browser?.close();
  await stopGuiServer(running);
  if (work) await rm(work, { recursive: true, force: true });
});

describe('FHIR Setup: practice certificate', () => {
  it('shows the local CA certificate at first, with no way back to offer', async () => {
    await tlsCard().getByText('Local CA', { exact: true }).waitFor();
    expect(await tlsCard().getByText('InPracSys EHR Local CA', { exact: false }).count()).toBe(1);
    expect(await practiceCard().getByRole('button', { name: 'Return to the local CA' }).count()).toBe(0);
  });

  it('says what is missing before sending anything', async () => {
    await practiceCard().getByRole('button', { name: 'Import certificate' }).click();
    await practiceCard().getByText('Paste the certificate in PEM form').waitFor();
    expect(await practiceCard().getByLabel('Certificate (PEM)').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('dialog').count()).toBe(0);
  });

  it('shows the server’s refusal of a key that does not match, and keeps the certificate', async () => {
    const other = await issuePracticeLeaf(practiceCa);
    await practiceCard().getByLabel('Certificate (PEM)').fill(practiceLeaf.certPem);
    await practiceCard().getByLabel('Private key (PEM)').fill(other.keyPem);
    await practiceCard().getByRole('button', { name: 'Import certificate' }).click();
    await page.getByRole('dialog', { name: 'Serve the practice certificate?' }).getByRole('button', { name: 'Import and serve' }).click();
    await practiceCard().getByText('The private key does not belong to the certificate.').waitFor();
    expect(await presentedFingerprint()).toBe(localLeafFingerprint);
    await tlsCard().getByText('Local CA', { exact: true }).waitFor();
  });

  it('imports the certificate with its chain from a file, serves it at once, and forgets the key', async () => {
    await practiceCard().getByLabel('Private key (PEM)').fill('');
    await practiceCard().getByLabel('Certificate file').setInputFiles({ name: 'server-chain.pem', mimeType: 'application/x-pem-file', buffer: Buffer.from(practiceLeaf.certPem + practiceCa.certPem) });
    await practiceCard().getByLabel('Private key file').setInputFiles({ name: 'server.key', mimeType: 'application/x-pem-file', buffer: Buffer.from(practiceLeaf.keyPem) });
    // the page reads the files asynchronously
    await expect.poll(() => practiceCard().getByLabel('Private key (PEM)').inputValue()).toBe(practiceLeaf.keyPem);
    await expect.poll(() => practiceCard().getByLabel('Certificate (PEM)').inputValue()).toBe(practiceLeaf.certPem + practiceCa.certPem);

    // Cancelling changes nothing.
    await practiceCard().getByRole('button', { name: 'Import certificate' }).click();
    const dialog = page.getByRole('dialog', { name: 'Serve the practice certificate?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await presentedFingerprint()).toBe(localLeafFingerprint);

    await practiceCard().getByRole('button', { name: 'Import certificate' }).click();
    await dialog.getByRole('button', { name: 'Import and serve' }).click();
    await practiceCard().getByText('The practice certificate is served now.', { exact: false }).waitFor();
    await tlsCard().getByText('Practice certificate', { exact: true }).waitFor();
    await tlsCard().getByText('CN=Sunrise Clinic IT Root CA', { exact: true }).waitFor();
    expect(await presentedFingerprint()).toBe(new X509Certificate(practiceLeaf.certPem).fingerprint256);

    expect(await practiceCard().getByLabel('Private key (PEM)').inputValue()).toBe('');
    expect(await browserStorage()).not.toContain('PRIVATE KEY');
    await screenshot(page, 'fhir-setup-practice-certificate.png', { docs: true });

    // The server remembers it: a reload shows the practice certificate again, without its key.
    await page.reload();
    await tlsCard().getByText('Practice certificate', { exact: true }).waitFor();
    expect(await page.content()).not.toContain('PRIVATE KEY');
  });

  it('returns to the local CA after a confirmation', async () => {
    await practiceCard().getByRole('button', { name: 'Return to the local CA' }).click();
    await page.getByRole('dialog', { name: 'Return to the local CA?' }).getByRole('button', { name: 'Return to the local CA' }).click();
    await practiceCard().getByText('The server presents its local CA’s certificate again', { exact: false }).waitFor();
    await tlsCard().getByText('Local CA', { exact: true }).waitFor();
    expect(await presentedFingerprint()).toBe(localLeafFingerprint);
    expect(await practiceCard().getByRole('button', { name: 'Return to the local CA' }).count()).toBe(0);
  });
});

describe('FHIR Setup: implementation guides', () => {
  it('lists none at first and refuses a file that is not a FHIR package', async () => {
    await guidesCard().getByText('No implementation guides installed').waitFor();
    await guidesCard().getByRole('button', { name: 'Install' }).click();
    await guidesCard().getByText('Choose a FHIR package file (.tgz) first.').waitFor();

    await guidesCard().getByLabel('FHIR package (.tgz)').setInputFiles({ name: 'notes.tgz', mimeType: 'application/gzip', buffer: Buffer.from('not a package') });
    await guidesCard().getByRole('button', { name: 'Install' }).click();
    await guidesCard().getByText('The package was not installed.').waitFor();
    await guidesCard().getByText('expected a gzip-compressed .tgz file', { exact: false }).waitFor();
    expect(installedProfile('http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient')).toBeUndefined();
  });

  it('installs US Core from its package file and lists it', async () => {
    await guidesCard().getByLabel('FHIR package (.tgz)').setInputFiles(await packUsCore(work));
    await guidesCard().getByRole('button', { name: 'Install' }).click();
    await guidesCard().getByRole('button', { name: 'Installing…' }).waitFor();
    // Generating US Core's 62 snapshots takes a while on a busy machine.
    await guidesCard().getByText('Installed hl7.fhir.us.core#7.0.0: 63 profiles, 110 search parameters, 29 value sets, 5 code systems.', { exact: false }).waitFor({ timeout: 110_000 });

    const table = guidesCard().getByRole('table', { name: 'Installed implementation guides' });
    const row = table.getByRole('row').filter({ hasText: 'hl7.fhir.us.core' });
    expect(await row.getByRole('cell').allTextContents()).toEqual(expect.arrayContaining(['hl7.fhir.us.core', '7.0.0', '63', '110', '29', '5']));
    // The running server checks the new profiles now (the API test sends a resource through FHIR).
    expect(installedProfile('http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient')).toBeDefined();
    await screenshot(page, 'fhir-setup-implementation-guides.png', { docs: true });
    // The refused uploads and imports above answered 400 on purpose.
    expect(problems.filter((problem) => !/status of 400/.test(problem))).toEqual([]);
  }, 120_000);
});
