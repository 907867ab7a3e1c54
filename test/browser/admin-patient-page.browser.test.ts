// The Patients screen's patient page in Chromium against the real server: the demographics of
// the stored Patient, the apps the patient authorized through the real OAuth flow with a
// Revoke button each (the FHIR API refuses the app's token afterwards), and a clinician
// launching an EHR-launch app for the patient.
import * as oidc from 'openid-client';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { issueAccessToken } from '../../server/src/oauth/access-token.js';
import { oauthServices } from '../../server/src/oauth/services.js';
import type { ClientRecord } from '../../server/src/oauth/store/client-store.js';
import { createStaffUser } from '../../server/src/users/staff-users.js';
import { AdminSession, request } from '../helpers/server.js';
import { authorizeWithLogin } from '../oauth/flow.js';
import { relyingParty } from '../oauth/helpers.js';
import type { TestServer } from './gui.js';
import { ADMIN_PASSWORD, launchBrowser, newContext, openAs, screenshot, startGuiServer, stopGuiServer, watchConsole } from './gui.js';

const REDIRECT_URI = 'https://portal.example/callback';
const PATIENT_SCOPE = 'openid fhirUser offline_access launch/patient patient/Patient.rs patient/Observation.rs';
const CLINICIAN = { username: 'dr.grey', password: 'seattle-grace-1' };

const maria = {
  resourceType: 'Patient',
  id: 'page-maria',
  extension: [
    {
      url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race',
      extension: [{ url: 'ombCategory', valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', code: '2106-3', display: 'White' } }],
    },
  ],
  identifier: [
    { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, system: 'urn:example:mrn', value: 'MRN-4471' },
    { system: 'http://hl7.org/fhir/sid/us-ssn', value: '999-12-3456' },
  ],
  name: [{ use: 'official', family: 'Gonzales', given: ['Maria', 'Elena'] }],
  gender: 'female',
  birthDate: '1984-03-07',
  address: [{ use: 'home', line: ['12 Orchard Lane'], city: 'Springfield', state: 'IL', postalCode: '62704' }],
  telecom: [{ system: 'phone', value: '(217) 555-0134', use: 'mobile' }],
};

interface App {
  clientId: string;
  config: oidc.Configuration;
}

/** A FHIR token for seeding: the test plays a practice data loader. */
async function loaderToken(running: TestServer): Promise<string> {
  const ctx = running.server.context;
  const services = oauthServices(ctx);
  const clientId = 'page-test-loader';
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
  const { accessToken } = await issueAccessToken(ctx, services, { clientId, grantId: null, userKind: 'system', userId: clientId, scope: 'system/Patient.cruds', patientId: null, lifetimeSeconds: 300 });
  return accessToken;
}

async function fhir(running: TestServer, token: string, method: string, path: string, body?: object): Promise<number> {
  const res = await request(running.server, `/fhir/r4/${path}`, {
    method,
    ...(body ? { body: JSON.stringify(body) } : {}),
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/fhir+json' } : {}) },
  });
  return res.status;
}

async function registerApp(admin: AdminSession, name: string, extra: object = {}): Promise<{ client_id: string; client_secret: string }> {
  const res = await admin.call('POST', '/admin/api/clients', { client_name: name, token_endpoint_auth_method: 'client_secret_basic', redirect_uris: [REDIRECT_URI], scope: PATIENT_SCOPE, ...extra });
  expect(res.status).toBe(201);
  return res.json();
}

/** The patient gets credentials from the clinician, logs in to the app and allows it; the app gets its access token. */
async function patientAuthorizes(running: TestServer, admin: AdminSession, patientId: string, app: App): Promise<string> {
  const res = await admin.call('POST', `/admin/api/patients/${patientId}/api-credentials`);
  expect(res.status).toBe(201);
  const { username, password } = res.json<{ username: string; password: string }>();
  const flow = await authorizeWithLogin(running.server, { config: app.config, redirectUri: REDIRECT_URI, scope: PATIENT_SCOPE }, username, password);
  const tokens = await oidc.authorizationCodeGrant(app.config, flow.callback, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce });
  return tokens.access_token;
}

/** The value next to a label in a card's details list. */
function detail(card: Locator, term: string): Locator {
  return card.locator('.detail').filter({ has: card.page().locator('dt', { hasText: new RegExp(`^${term}$`) }) }).locator('dd');
}

describe('admin GUI: a patient’s page', () => {
  let running: TestServer | undefined;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let admin: AdminSession;
  let loader: string;
  let portal: App;

  beforeAll(async () => {
    running = await startGuiServer();
    browser = await launchBrowser(running.server.tls.certPem);
    loader = await loaderToken(running);
    expect([200, 201]).toContain(await fhir(running, loader, 'PUT', `Patient/${maria.id}`, maria));
    admin = await AdminSession.login(running.server, 'admin', ADMIN_PASSWORD);
    await createStaffUser(running.server.context.models, { username: CLINICIAN.username, displayName: 'Dr Grey', password: CLINICIAN.password, role: 'clinician', practitionerId: 'prac-grey' });
    const registered = await registerApp(admin, 'Sunrise Patient Portal');
    portal = { clientId: registered.client_id, config: await relyingParty(running.server, registered.client_id, {}, oidc.ClientSecretBasic(registered.client_secret)) };
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

  it('shows the demographics of the stored Patient', async () => {
    await openAs(page, running!, `/patients/${maria.id}`, CLINICIAN.username, CLINICIAN.password);
    await page.getByRole('heading', { level: 1, name: 'Maria Elena Gonzales' }).waitFor();
    const card = page.getByRole('region', { name: 'Demographics' });
    expect(await detail(card, 'Name').textContent()).toBe('Maria Elena Gonzales');
    expect(await detail(card, 'Gender').textContent()).toBe('Female');
    expect(await detail(card, 'Birth date').textContent()).toMatch(/1984/);
    expect(await detail(card, 'Race').textContent()).toBe('White');
    expect(await detail(card, 'Identifiers').locator('li').allTextContents()).toEqual(['Medical record number: MRN-4471', 'Social Security number: 999-12-3456']);
    expect(await detail(card, 'Address').textContent()).toBe('12 Orchard Lane, Springfield, IL 62704 (home)');
    expect(await detail(card, 'Contact').textContent()).toBe('phone: (217) 555-0134 (mobile)');
    // Nothing recorded about death: the page says nothing either way.
    expect(await detail(card, 'Deceased').count()).toBe(0);
    await page.getByRole('region', { name: 'API access' }).getByText('No apps hold this patient’s authorization.').waitFor();
    await screenshot(page, 'patient-demographics.png');
    expect(problems).toEqual([]);
  });

  it('lists the app the patient authorized and revokes it from the keyboard; the FHIR API then refuses its token', async () => {
    const token = await patientAuthorizes(running!, admin, maria.id, portal);
    expect(await fhir(running!, token, 'GET', `Patient/${maria.id}`)).toBe(200);

    await openAs(page, running!, `/patients/${maria.id}`);
    await page.getByRole('heading', { level: 1, name: 'Maria Elena Gonzales' }).waitFor();
    const apps = page.getByRole('list', { name: 'Apps this patient authorized' });
    const row = apps.getByRole('listitem').filter({ hasText: 'Sunrise Patient Portal' });
    await row.waitFor();
    expect(await row.getByRole('list', { name: 'Scopes granted to Sunrise Patient Portal' }).getByRole('listitem').allTextContents()).toEqual(PATIENT_SCOPE.split(' '));
    await row.getByText('1 active token').waitFor();
    await screenshot(page, 'patient-authorized-apps.png', { docs: true });

    // Escape leaves everything as it was.
    const revoke = row.getByRole('button', { name: 'Revoke Sunrise Patient Portal' });
    await revoke.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Revoke Sunrise Patient Portal?' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await fhir(running!, token, 'GET', `Patient/${maria.id}`)).toBe(200);

    await revoke.focus();
    await page.keyboard.press('Enter');
    await dialog.getByRole('button', { name: 'Revoke' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Revoked Sunrise Patient Portal’s access to this patient.').waitFor();
    await page.getByText('No apps hold this patient’s authorization.').waitFor();
    expect(await fhir(running!, token, 'GET', `Patient/${maria.id}`)).toBe(401);
    await screenshot(page, 'patient-app-revoked.png');
    expect(problems).toEqual([]);
  });

  it('shows the server’s error when a revoke fails', async () => {
    const gone = { resourceType: 'Patient', id: 'page-gone', name: [{ family: 'Ghost', given: ['Gary'] }] };
    expect([200, 201]).toContain(await fhir(running!, loader, 'PUT', `Patient/${gone.id}`, gone));
    await patientAuthorizes(running!, admin, gone.id, portal);

    await openAs(page, running!, `/patients/${gone.id}`);
    const row = page.getByRole('list', { name: 'Apps this patient authorized' }).getByRole('listitem').filter({ hasText: 'Sunrise Patient Portal' });
    await row.waitFor();
    // The record is deleted while the page is open.
    expect([200, 204]).toContain(await fhir(running!, loader, 'DELETE', `Patient/${gone.id}`));
    await row.getByRole('button', { name: 'Revoke Sunrise Patient Portal' }).click();
    await page.getByRole('dialog', { name: 'Revoke Sunrise Patient Portal?' }).getByRole('button', { name: 'Revoke' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Could not revoke the app.' });
    await alert.getByText(`No Patient/${gone.id}.`).waitFor();
    await row.waitFor();
    expect(problems.filter((problem) => !problem.includes('404'))).toEqual([]);
  });

  it('lets a clinician launch an enabled EHR-launch app for the patient', async () => {
    const launchScope = 'launch openid fhirUser user/Patient.rs user/Observation.rs';
    const charts = await registerApp(admin, 'Growth Charts', { initiate_login_uri: 'https://charts.example-vendor.com/launch', scope: launchScope });
    expect((await admin.call('POST', `/admin/api/clients/${charts.client_id}/enable`)).status).toBe(200);
    // Registered but not enabled: a clinician does not see it.
    await registerApp(admin, 'Unreviewed Charts', { initiate_login_uri: 'https://unreviewed.example-vendor.com/launch', scope: launchScope });

    let launched: URL | undefined;
    await context.route('https://charts.example-vendor.com/**', async (route) => {
      launched = new URL(route.request().url());
      await route.fulfill({ status: 200, contentType: 'text/plain', body: 'Growth Charts launched.' });
    });
    await openAs(page, running!, `/patients/${maria.id}`, CLINICIAN.username, CLINICIAN.password);
    await page.getByRole('heading', { level: 1, name: 'Maria Elena Gonzales' }).waitFor();
    const chooser = page.getByLabel('App', { exact: true });
    await chooser.waitFor();
    expect(await chooser.locator('option').allTextContents()).toEqual(['Growth Charts']);
    const [popup] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: 'Launch app' }).click()]);
    await popup.getByText('Growth Charts launched.').waitFor();
    await page.getByText('The app was opened in a new window for this patient.').waitFor();
    expect(launched?.pathname).toBe('/launch');
    expect(launched?.searchParams.get('iss')).toBe(running!.server.urls.fhirBase);
    expect(launched?.searchParams.get('launch')).toMatch(/^\S{16,}$/);
    await screenshot(page, 'patient-launch-clinician.png', { docs: true });
    expect(problems).toEqual([]);
  });
});
