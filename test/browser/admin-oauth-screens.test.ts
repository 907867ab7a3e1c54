// API Clients, Patients and Token Tools in a real browser against the real server, with real
// patient launches: a patient logs in on the OAuth pages with the credentials the GUI generated,
// and the GUI's Revoke User, Revoke Token and opt-out make the FHIR API refuse the tokens.
import { createHash, randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { issueAccessToken } from '../../server/src/oauth/access-token.js';
import { oauthServices } from '../../server/src/oauth/services.js';
import type { ClientRecord } from '../../server/src/oauth/store/client-store.js';
import { AdminSession, request } from '../helpers/server.js';
import type { TestServer } from './gui.js';
import { ADMIN_PASSWORD, launchBrowser, newContext, openAs, openMenu, screenshot, startGuiServer, stopGuiServer, watchConsole } from './gui.js';

const PATIENT_ID = 'gui-patient-1';
/** A loopback redirect (RFC 8252): nothing listens there, the browser context answers it. */
const REDIRECT_URI = 'http://127.0.0.1:53682/callback';
const PATIENT_APP_SCOPE = 'openid fhirUser launch/patient patient/Patient.rs patient/Observation.rs';

interface PatientApp {
  clientId: string;
  secret: string;
}

/** Puts one Patient in the FHIR store through the FHIR API, with a throw-away system token. */
async function seedPatient(running: TestServer): Promise<void> {
  const ctx = running.server.context;
  const services = oauthServices(ctx);
  const clientId = `gui-seed-${randomBytes(4).toString('hex')}`;
  await services.clients.create({
    clientId,
    clientName: 'Test data loader',
    secretHash: null,
    tokenEndpointAuthMethod: 'private_key_jwt',
    metadata: { client_name: 'Test data loader' } as ClientRecord['metadata'],
    scope: 'system/Patient.cruds',
    profile: 'backend-service',
    enabled: true,
  });
  const { accessToken } = await issueAccessToken(ctx, services, {
    clientId,
    grantId: null,
    userKind: 'system',
    userId: clientId,
    scope: 'system/Patient.cruds',
    patientId: null,
    lifetimeSeconds: 300,
  });
  const patient = {
    resourceType: 'Patient',
    id: PATIENT_ID,
    identifier: [{ system: 'urn:oid:2.16.840.1.113883.4.1', value: '999-12-3456', type: { text: 'SSN' } }],
    name: [{ use: 'official', family: 'Gonzales', given: ['Maria', 'Elena'] }],
    gender: 'female',
    birthDate: '1984-03-07',
    address: [{ use: 'home', line: ['12 Orchard Lane'], city: 'Springfield', state: 'IL', postalCode: '62704' }],
    telecom: [{ system: 'phone', value: '(217) 555-0134', use: 'mobile' }],
  };
  const res = await request(running.server, `/fhir/r4/Patient/${PATIENT_ID}`, {
    method: 'PUT',
    body: JSON.stringify(patient),
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/fhir+json' },
  });
  expect([200, 201]).toContain(res.status);
}

/** A FHIR read with the token: 200 while it works, 401 once refused. */
async function fhirStatus(running: TestServer, token: string): Promise<number> {
  return (await request(running.server, `/fhir/r4/Patient/${PATIENT_ID}`, { headers: { authorization: `Bearer ${token}` } })).status;
}

/**
 * A standalone patient launch in Chromium: the app sends the patient to /oauth2/authorize, the
 * patient logs in and allows, the app exchanges the code. Returns the access token.
 */
async function patientLaunch(browser: Browser, running: TestServer, app: PatientApp, username: string, password: string): Promise<string> {
  const context = await newContext(browser);
  const page = await context.newPage();
  let callback: URL | undefined;
  await context.route('http://127.0.0.1:53682/**', async (route) => {
    callback = new URL(route.request().url());
    await route.fulfill({ status: 200, contentType: 'text/plain', body: 'The app got the code.' });
  });
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(8).toString('hex');
  const authorize = new URL('/oauth2/authorize', running.server.urls.origin);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: app.clientId,
    redirect_uri: REDIRECT_URI,
    scope: PATIENT_APP_SCOPE,
    state,
    aud: running.server.urls.fhirBase,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  await page.goto(authorize.href);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.getByText('The app got the code.').waitFor();
  await context.close();
  expect(callback?.searchParams.get('state')).toBe(state);
  const code = callback!.searchParams.get('code')!;

  const basic = Buffer.from(`${encodeURIComponent(app.clientId)}:${encodeURIComponent(app.secret)}`).toString('base64');
  const res = await request(running.server, '/oauth2/token', {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
  });
  expect(res.status).toBe(200);
  return res.json<{ access_token: string }>().access_token;
}

describe('admin GUI: API Clients, Patients and Token Tools', () => {
  let running: TestServer | undefined;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let patientApp: PatientApp;
  let patientCredentials: { username: string; password: string } | undefined;

  beforeAll(async () => {
    running = await startGuiServer();
    browser = await launchBrowser(running.server.tls.certPem);
    await seedPatient(running);
    // The patient-facing app registers itself, as such apps do (RFC 7591): confidential, patient scopes only, so enabled.
    const admin = await AdminSession.login(running.server, 'admin', ADMIN_PASSWORD);
    const registered = await admin.call('POST', '/admin/api/clients', {
      client_name: 'Sunrise Patient Portal',
      token_endpoint_auth_method: 'client_secret_basic',
      redirect_uris: [REDIRECT_URI],
      scope: PATIENT_APP_SCOPE,
    });
    expect(registered.status).toBe(201);
    const body = registered.json<{ client_id: string; client_secret: string }>();
    patientApp = { clientId: body.client_id, secret: body.client_secret };
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

  it('registers a provider app, shows its secret once, enables it, and finds it in the list', async () => {
    await openAs(page, running!, '/clients');
    await page.getByRole('heading', { level: 1, name: 'API Clients' }).waitFor();
    await page.getByRole('table', { name: 'API clients' }).getByRole('link', { name: 'Sunrise Patient Portal' }).waitFor();

    await page.getByRole('link', { name: 'Register New App' }).click();
    await page.getByRole('heading', { level: 1, name: 'Register New App' }).waitFor();
    await page.getByLabel('App name').fill('Clinic Dashboard');
    await page.getByLabel('Scopes').fill('openid fhirUser user/*.read');
    await page.getByLabel('Redirect URIs').fill('https://dashboard.example-vendor.com/callback');
    await page.getByRole('button', { name: 'Register app' }).click();
    await page.getByText('Wildcard scopes such as user/*.read are not allowed').waitFor();
    await page.getByLabel('Scopes').fill('openid fhirUser offline_access user/Patient.rs user/Observation.rs');
    await screenshot(page, 'register-app.png');
    await page.getByRole('button', { name: 'Register app' }).click();

    await page.getByRole('heading', { level: 1, name: 'App registered' }).waitFor();
    const clientId = (await page.locator('#new-client-id').textContent())!;
    const secret = (await page.locator('#new-client-secret').textContent())!;
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(secret.length).toBeGreaterThan(20);
    await page.getByRole('button', { name: 'Copy Client secret' }).waitFor();
    await page.getByText('Copy the client secret now.').waitFor();
    await screenshot(page, 'register-app-secret.png');

    // Provider apps start disabled; the administrator enables it after a confirmation.
    await page.getByRole('link', { name: 'Open the app’s page' }).click();
    await page.getByRole('heading', { level: 1, name: 'Clinic Dashboard' }).waitFor();
    await page.getByText('This app is disabled').waitFor();
    expect(await page.locator('#client-id').textContent()).toBe(clientId);
    expect(await page.getByText(secret).count()).toBe(0);
    await page.getByRole('list', { name: 'Registered scopes' }).getByText('user/Observation.rs', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Enable', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Enable Clinic Dashboard?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Enable', exact: true }).click();
    await page.getByText('Clinic Dashboard is enabled: it can log users in.').waitFor();
    await page.getByRole('button', { name: 'Disable', exact: true }).waitFor();

    await page.getByRole('link', { name: 'All API clients' }).click();
    const table = page.getByRole('table', { name: 'API clients' });
    const row = table.getByRole('row').filter({ hasText: 'Clinic Dashboard' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Enabled');
    expect(await row.textContent()).toContain('Provider');
    await page.getByLabel('Status').selectOption('disabled');
    await page.getByText('No apps match this filter.').waitFor();
    await page.getByLabel('Status').selectOption('enabled');
    await row.waitFor();
    await page.getByLabel('Filter').fill('dashboard');
    await table.getByRole('link', { name: 'Sunrise Patient Portal' }).waitFor({ state: 'detached' });
    await row.waitFor();
    await page.getByLabel('Filter').fill('');
    await page.getByLabel('Status').selectOption('');
    await table.getByRole('link', { name: 'Sunrise Patient Portal' }).waitFor();
    await screenshot(page, 'api-clients.png', { docs: true });
    expect(problems).toEqual([]);
  });

  it('generates patient credentials that log in on the OAuth page; Revoke User ends the app’s token', async () => {
    await openAs(page, running!, '/');
    await openMenu(page, 'Patients');
    await page.getByLabel('Search patients').fill('gonzales');
    await page.getByRole('table', { name: 'Patients' }).getByRole('row').filter({ hasText: 'No credentials' }).waitFor();
    await screenshot(page, 'patients.png');
    await page.getByRole('link', { name: /Maria/ }).click();
    await page.getByRole('heading', { level: 1, name: /Maria .*Gonzales/ }).waitFor();
    await page.getByText('No credentials yet').waitFor();

    await page.getByRole('button', { name: 'Generate API Credentials' }).click();
    await page.getByText('API credentials generated.').waitFor();
    const username = (await page.locator('#patient-api-username').textContent())!;
    const password = (await page.locator('#patient-api-password').textContent())!;
    expect(username).not.toBe('');
    expect(password.length).toBeGreaterThanOrEqual(10);
    await page.getByRole('button', { name: 'Print' }).waitFor();
    await page.getByRole('button', { name: 'Copy Password' }).waitFor();
    await screenshot(page, 'patient.png', { docs: true });
    patientCredentials = { username, password };

    // The patient authorizes the app with those credentials on the server's own login page.
    const token = await patientLaunch(browser, running!, patientApp, username, password);
    expect(await fhirStatus(running!, token)).toBe(200);

    // The patient appears under the app's Authenticated API Users; Revoke User ends the token.
    await openMenu(page, 'API Clients');
    await page.getByRole('link', { name: 'Sunrise Patient Portal' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sunrise Patient Portal' }).waitFor();
    const users = page.getByRole('table', { name: 'Authenticated API users' });
    await users.getByRole('row').filter({ hasText: username }).waitFor();
    const tokens = page.getByRole('table', { name: 'Access tokens' });
    await tokens.getByRole('row').filter({ hasText: 'Active' }).first().waitFor();
    await page.getByLabel('Search users').fill('nobody-like-this');
    await page.getByText('No users match “nobody-like-this”.').waitFor();
    await page.getByLabel('Search users').fill(username.slice(0, 4));
    await users.getByRole('row').filter({ hasText: username }).waitFor();
    await screenshot(page, 'api-client.png', { docs: true });

    await users.getByRole('button', { name: `Revoke User ${username}` }).click();
    const dialog = page.getByRole('dialog', { name: `Revoke ${username}?` });
    await dialog.getByRole('button', { name: 'Revoke User' }).click();
    await page.getByText(`Revoked ${username}`).waitFor();
    await page.getByText('Nobody has authorized this app yet.').waitFor();
    await tokens.getByRole('row').filter({ hasText: 'Revoked' }).first().waitFor();
    expect(await fhirStatus(running!, token)).toBe(401);
    await screenshot(page, 'api-client-revoked.png');
    expect(problems).toEqual([]);
  });

  it('parses a pasted token, revokes it, and parses it again as revoked', async () => {
    expect(patientCredentials).toBeDefined();
    const token = await patientLaunch(browser, running!, patientApp, patientCredentials!.username, patientCredentials!.password);
    expect(await fhirStatus(running!, token)).toBe(200);

    await openAs(page, running!, '/token-tools');
    await page.getByRole('heading', { level: 1, name: 'Token Tools' }).waitFor();
    await page.getByRole('button', { name: 'Parse Token' }).click();
    await page.getByText('Paste the whole encoded token first.').waitFor();
    await page.getByLabel('Access token').fill(token);
    await page.getByRole('button', { name: 'Parse Token' }).click();
    const status = page.locator('#token-status');
    await status.getByText('Active', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'Sunrise Patient Portal' }).waitFor();
    await page.getByRole('link', { name: patientCredentials!.username }).waitFor();
    await page.getByRole('list', { name: 'Scopes of the token' }).getByText('patient/Patient.rs', { exact: true }).waitFor();
    await page.getByRole('link', { name: `Patient/${PATIENT_ID}` }).waitFor();
    await page.getByText('"client_id"').waitFor();
    await screenshot(page, 'token-tools.png', { docs: true });

    await page.getByRole('button', { name: 'Revoke Token' }).click();
    await page.getByRole('dialog', { name: 'Revoke this token?' }).getByRole('button', { name: 'Revoke Token' }).click();
    await page.getByText('Token revoked. The FHIR API refuses it from now on.').waitFor();
    expect(await fhirStatus(running!, token)).toBe(401);

    await page.getByRole('button', { name: 'Parse Token' }).click();
    await status.getByText('Revoked', { exact: true }).waitFor();
    await screenshot(page, 'token-tools-revoked.png');

    // Something that is not a token of this server.
    await page.getByLabel('Access token').fill('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.');
    await page.getByRole('button', { name: 'Parse Token' }).click();
    await status.getByText('Invalid', { exact: true }).waitFor();
    expect(problems).toEqual([]);
  });

  it('launches an EHR-launch app for the patient from the demographics page', async () => {
    const admin = await AdminSession.login(running!.server, 'admin', ADMIN_PASSWORD);
    const registered = await admin.call('POST', '/admin/api/clients', {
      client_name: 'Growth Charts',
      token_endpoint_auth_method: 'client_secret_basic',
      redirect_uris: ['https://charts.example-vendor.com/callback'],
      initiate_login_uri: 'https://charts.example-vendor.com/launch',
      scope: 'launch openid fhirUser user/Patient.rs user/Observation.rs',
    });
    expect(registered.status).toBe(201);
    const clientId = registered.json<{ client_id: string }>().client_id;
    expect((await admin.call('POST', `/admin/api/clients/${clientId}/enable`)).status).toBe(200);

    // The app's launch page is answered here, so the test needs no outside server.
    let launched: URL | undefined;
    await context.route('https://charts.example-vendor.com/**', async (route) => {
      launched = new URL(route.request().url());
      await route.fulfill({ status: 200, contentType: 'text/plain', body: 'Growth Charts launched.' });
    });
    await openAs(page, running!, `/patients/${PATIENT_ID}`);
    await page.getByRole('heading', { level: 1, name: /Gonzales/ }).waitFor();
    await page.getByLabel('App', { exact: true }).selectOption({ label: 'Growth Charts' });
    const [popup] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: 'Launch app' }).click()]);
    await popup.getByText('Growth Charts launched.').waitFor();
    await page.getByText('The app was opened in a new window for this patient.').waitFor();
    expect(launched?.pathname).toBe('/launch');
    expect(launched?.searchParams.get('iss')).toBe(running!.server.urls.fhirBase);
    expect(launched?.searchParams.get('launch')).toMatch(/^\S{16,}$/);
    await screenshot(page, 'patient-launch.png');
    expect(problems).toEqual([]);
  });

  it('opting the patient out makes the FHIR API refuse the app’s token', async () => {
    expect(patientCredentials).toBeDefined();
    const token = await patientLaunch(browser, running!, patientApp, patientCredentials!.username, patientCredentials!.password);
    expect(await fhirStatus(running!, token)).toBe(200);

    await openAs(page, running!, `/patients/${PATIENT_ID}`);
    await page.getByRole('heading', { level: 1, name: /Gonzales/ }).waitFor();
    const optOut = page.getByRole('switch', { name: 'Opt out of third-party API access' });
    expect(await optOut.isChecked()).toBe(false);
    await optOut.check({ trial: true });
    await optOut.click();
    const dialog = page.getByRole('dialog', { name: /Opt .* out of third-party API access\?/ });
    await dialog.getByRole('button', { name: 'Opt out' }).click();
    await page.getByText('Opted out: apps can no longer get this patient’s data').waitFor();
    expect(await optOut.isChecked()).toBe(true);
    expect(await fhirStatus(running!, token)).toBe(401);
    expect(await page.getByRole('button', { name: /API Credentials/ }).isDisabled()).toBe(true);
    await screenshot(page, 'patient-opted-out.png');

    // Back in: the patient may authorize apps again.
    await optOut.click();
    await page.getByText('Opted back in').waitFor();
    expect(await optOut.isChecked()).toBe(false);
    expect(problems).toEqual([]);
  });
});
