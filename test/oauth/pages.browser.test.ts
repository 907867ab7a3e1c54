// The login and consent pages in Chromium: labelled fields, ticked checkboxes, Allow/Deny, no
// CSP violations (no inline script or style), and the code that comes out works with openid-client.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { generatePatientCredentials } from '../../server/src/oauth/patient-credentials.js';
import { oauthServices } from '../../server/src/oauth/services.js';
import type { TestServer } from '../browser/gui.js';
import { launchBrowser, newContext, startGuiServer, stopGuiServer } from '../browser/gui.js';
import { registerOk, relyingParty } from './helpers.js';

const SCOPE = 'openid fhirUser offline_access patient/Observation.rs patient/Condition.rs';

let running: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let config: oidc.Configuration;
let patient: { username: string; password: string };
let consoleProblems: string[];
/** The app's loopback redirect URI (RFC 8252): a tiny local server that answers it. */
let appServer: http.Server;
let REDIRECT_URI: string;

beforeAll(async () => {
  appServer = http.createServer((_req, res) => res.end('app'));
  await new Promise<void>((resolve) => appServer.listen(0, '127.0.0.1', resolve));
  REDIRECT_URI = `http://127.0.0.1:${(appServer.address() as AddressInfo).port}/callback`;
  running = await startGuiServer();
  const app = await registerOk(running.server, { client_name: 'Health Diary', redirect_uris: [REDIRECT_URI], scope: SCOPE });
  config = await relyingParty(running.server, app.client_id, {}, oidc.ClientSecretBasic(app.client_secret!));
  patient = await generatePatientCredentials(oauthServices(running.server.context).patientAccess, running.server.context.audit, 'pat-b1', { actor: 'test', ip: null });
  browser = await launchBrowser(running.server.tls.certPem);
});

afterAll(async () => {
  await browser?.close();
  await stopGuiServer(running);
  await new Promise((resolve) => appServer.close(resolve));
});

beforeEach(async () => {
  context = await newContext(browser);
  page = await context.newPage();
  consoleProblems = [];
  // CSP violations show up as console errors; failed loads are checked by URL (the favicon may 404).
  page.on('console', (message) => {
    if ((message.type() === 'error' || message.type() === 'warning') && !message.text().startsWith('Failed to load resource')) consoleProblems.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) consoleProblems.push(`${response.status()} ${response.url()}`);
  });
});

afterEach(async () => {
  await context?.close();
});

async function openAuthorization(): Promise<{ verifier: string; state: string; nonce: string }> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: SCOPE,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    aud: running.server.urls.fhirBase,
  });
  await page.goto(url.toString());
  return { verifier, state, nonce };
}

async function logIn(): Promise<void> {
  await expect(page.getByText('Health Diary').first().isVisible()).resolves.toBe(true);
  await page.getByLabel('Username').fill(patient.username);
  await page.getByLabel('Password').fill(patient.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Allow' }).waitFor();
}

describe('login and consent pages in Chromium', () => {
  it('logs in, shows every scope ticked in plain words, and grants exactly what stays ticked', async () => {
    const { verifier, state, nonce } = await openAuthorization();
    expect(await page.getByText('InPracSys EHR').first().isVisible()).toBe(true);
    // The same-origin stylesheet applied (CSP allows it; inline styles would be blocked).
    expect(await page.locator('main.card').evaluate((el) => getComputedStyle(el).borderRadius)).toBe('8px');
    await logIn();

    const boxes = page.locator('input[type=checkbox][name=scope]');
    expect(await boxes.evaluateAll((els) => els.map((el) => [(el as HTMLInputElement).value, (el as HTMLInputElement).checked]))).toEqual([
      ['fhirUser', true],
      ['offline_access', true],
      ['patient/Observation.rs', true],
      ['patient/Condition.rs', true],
    ]);
    await expect(page.getByText('Stay connected (offline access)').isVisible()).resolves.toBe(true);
    expect(await page.locator('input[type=checkbox]:not([name])').isDisabled()).toBe(true); // openid cannot be unticked

    await page.getByLabel('Read and search your conditions and problems').uncheck();
    await Promise.all([page.waitForURL((url) => url.toString().startsWith(REDIRECT_URI)), page.getByRole('button', { name: 'Allow' }).click()]);
    const callback = new URL(page.url());
    expect(callback.searchParams.get('iss')).toBe(running.server.urls.issuer);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    expect(tokens.scope).toBe('openid fhirUser offline_access patient/Observation.rs');
    expect(tokens.patient).toBe('pat-b1');
    expect(consoleProblems).toEqual([]);
  });

  it('Deny sends the browser back with error=access_denied', async () => {
    const { state } = await openAuthorization();
    await logIn();
    await Promise.all([page.waitForURL((url) => url.toString().startsWith(REDIRECT_URI)), page.getByRole('button', { name: 'Deny' }).click()]);
    const callback = new URL(page.url());
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe(state);
  });

  it('a wrong password shows an error on the login page', async () => {
    await openAuthorization();
    await page.getByLabel('Username').fill(patient.username);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Wrong username or password');
  });
});
