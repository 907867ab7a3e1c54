// The API client screen's refresh tokens and the dashboard's counts in Chromium against the real
// server: a patient authorizes an app with offline access, the app rotates its refresh token once,
// and the administrator revokes the current one from the GUI.
import * as oidc from 'openid-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { issueAccessToken } from '../../server/src/oauth/access-token.js';
import { generatePatientCredentials } from '../../server/src/oauth/patient-credentials.js';
import { tokenHash } from '../../server/src/oauth/secrets.js';
import { oauthServices } from '../../server/src/oauth/services.js';
import type { ClientRecord } from '../../server/src/oauth/store/client-store.js';
import { AdminSession, request } from '../helpers/server.js';
import { authorizeWithLogin } from '../oauth/flow.js';
import { relyingParty } from '../oauth/helpers.js';
import type { TestServer } from './gui.js';
import { ADMIN_PASSWORD, launchBrowser, newContext, openAs, screenshot, startGuiServer, stopGuiServer, watchConsole } from './gui.js';

const REDIRECT_URI = 'https://diary.example-vendor.com/callback';
const APP_SCOPE = 'openid fhirUser offline_access patient/Patient.rs patient/Observation.rs';
const LOADER_SCOPE = 'system/Patient.cruds';
const PATIENT_IDS = ['refresh-patient-1', 'refresh-patient-2'];

/** Stores the Patients through the FHIR API with a backend client's token (an enabled app with one active token). */
async function seedPatients(running: TestServer): Promise<void> {
  const ctx = running.server.context;
  const services = oauthServices(ctx);
  await services.clients.create({
    clientId: 'test-data-loader',
    clientName: 'Test data loader',
    secretHash: null,
    tokenEndpointAuthMethod: 'private_key_jwt',
    metadata: { client_name: 'Test data loader' } as ClientRecord['metadata'],
    scope: LOADER_SCOPE,
    profile: 'backend-service',
    enabled: true,
  });
  const { accessToken } = await issueAccessToken(ctx, services, {
    clientId: 'test-data-loader',
    grantId: null,
    userKind: 'system',
    userId: 'test-data-loader',
    scope: LOADER_SCOPE,
    patientId: null,
    lifetimeSeconds: 3600,
  });
  for (const [index, id] of PATIENT_IDS.entries()) {
    const res = await request(running.server, `/fhir/r4/Patient/${id}`, {
      method: 'PUT',
      body: JSON.stringify({ resourceType: 'Patient', id, name: [{ family: 'Okafor', given: [`Ngozi${index + 1}`] }], birthDate: '1990-05-01' }),
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/fhir+json' },
    });
    expect(res.status).toBe(201);
  }
}

describe('admin GUI: refresh tokens on the API client screen, and the dashboard counts', () => {
  let running: TestServer | undefined;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let clientId: string;
  let config: oidc.Configuration;
  let patient: { username: string; password: string };

  beforeAll(async () => {
    running = await startGuiServer();
    browser = await launchBrowser(running.server.tls.certPem);
    await seedPatients(running);
    // A confidential app with patient scopes only: enabled at registration.
    const admin = await AdminSession.login(running.server, 'admin', ADMIN_PASSWORD);
    const registered = await admin.call('POST', '/admin/api/clients', { client_name: 'Daily Diary', redirect_uris: [REDIRECT_URI], scope: APP_SCOPE });
    expect(registered.status).toBe(201);
    const body = registered.json<{ client_id: string; client_secret: string }>();
    clientId = body.client_id;
    config = await relyingParty(running.server, clientId, {}, oidc.ClientSecretBasic(body.client_secret));
    patient = await generatePatientCredentials(oauthServices(running.server.context).patientAccess, running.server.context.audit, PATIENT_IDS[0]!, {
      actor: 'admin',
      ip: null,
    });
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

  it('revokes the current refresh token from the client screen: its status changes and the app can no longer refresh', async () => {
    const flow = await authorizeWithLogin(running!.server, { config, redirectUri: REDIRECT_URI, scope: APP_SCOPE }, patient.username, patient.password);
    const first = await oidc.authorizationCodeGrant(config, flow.callback, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce });
    const current = await oidc.refreshTokenGrant(config, first.refresh_token!);
    const tokens = oauthServices(running!.server.context).tokens;
    const rotatedId = (await tokens.getRefreshToken(tokenHash(first.refresh_token!)))!.id;
    const currentId = (await tokens.getRefreshToken(tokenHash(current.refresh_token!)))!.id;

    await openAs(page, running!, `/clients/${clientId}`);
    await page.getByRole('heading', { level: 1, name: 'Daily Diary' }).waitFor();
    const table = page.getByRole('table', { name: 'Refresh tokens' });
    const currentRow = table.getByRole('row').filter({ hasText: currentId });
    const rotatedRow = table.getByRole('row').filter({ hasText: rotatedId });
    await currentRow.getByText('Active', { exact: true }).waitFor();
    expect(await currentRow.textContent()).toContain(patient.username);
    await rotatedRow.getByText('Rotated', { exact: true }).waitFor();
    // A spent token offers nothing to revoke; the page never shows a token itself.
    expect(await rotatedRow.getByRole('button').count()).toBe(0);
    expect(await page.getByText(current.refresh_token!).count()).toBe(0);
    await screenshot(page, 'api-client-refresh-tokens.png', { docs: true });

    // Cancelling the dialog changes nothing.
    await table.getByRole('button', { name: `Revoke refresh token ${currentId}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke this refresh token?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await currentRow.getByText('Active', { exact: true }).waitFor();

    await table.getByRole('button', { name: `Revoke refresh token ${currentId}` }).click();
    await dialog.getByRole('button', { name: 'Revoke', exact: true }).click();
    await page.getByText(`Revoked refresh token ${currentId.slice(0, 8)}… and every access token of the same authorization.`).waitFor();
    await currentRow.getByText('Revoked', { exact: true }).waitFor();
    expect(await currentRow.getByRole('button').count()).toBe(0);
    // The access tokens of the same authorization end with it, and the list says so after reloading.
    const accessTokens = page.getByRole('table', { name: 'Access tokens' });
    await accessTokens.getByRole('row').filter({ hasText: 'Revoked' }).nth(1).waitFor();
    expect(await accessTokens.getByRole('row').filter({ hasText: 'Active' }).count()).toBe(0);
    await page.getByText('Nobody has authorized this app yet.').waitFor();
    await screenshot(page, 'api-client-refresh-token-revoked.png');

    await expect(oidc.refreshTokenGrant(config, current.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await request(running!.server, `/fhir/r4/Patient/${PATIENT_IDS[0]}`, { headers: { authorization: `Bearer ${current.access_token}` } })).status).toBe(401);
    expect(problems).toEqual([]);
  });

  it('shows the server error when a revoke fails', async () => {
    await openAs(page, running!, `/clients/${clientId}`);
    const flow = await authorizeWithLogin(running!.server, { config, redirectUri: REDIRECT_URI, scope: APP_SCOPE }, patient.username, patient.password);
    const issued = await oidc.authorizationCodeGrant(config, flow.callback, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce });
    const id = (await oauthServices(running!.server.context).tokens.getRefreshToken(tokenHash(issued.refresh_token!)))!.id;
    await page.reload();
    const table = page.getByRole('table', { name: 'Refresh tokens' });
    await table.getByRole('button', { name: `Revoke refresh token ${id}` }).waitFor();
    // The app rotates the token while the administrator looks at the page: the server refuses the stale revoke.
    await oidc.refreshTokenGrant(config, issued.refresh_token!);
    await table.getByRole('button', { name: `Revoke refresh token ${id}` }).click();
    await page.getByRole('dialog', { name: 'Revoke this refresh token?' }).getByRole('button', { name: 'Revoke', exact: true }).click();
    await page.getByText('Could not revoke the refresh token.').waitFor();
    await page.getByText('this refresh token was already exchanged for a newer one: revoke that one instead').waitFor();
    expect(problems).toEqual([]);
  });

  it('shows the patients, enabled apps, active access tokens and bulk exports on the dashboard', async () => {
    // Exactly: two stored Patients; the loader and the diary enabled; the loader's token plus the two
    // access tokens of the last test's grant (a refresh issues a new one; the older one lives out its hour).
    await openAs(page, running!, '/');
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    const summary = page.getByRole('region', { name: 'At a glance' });
    await summary.getByText('Patients').waitFor();
    const value = (term: string) => summary.locator('.detail').filter({ has: page.getByText(term, { exact: true }) }).locator('dd');
    expect(await value('Patients').textContent()).toBe('2');
    expect(await value('Enabled apps').textContent()).toBe('2');
    expect(await value('Active access tokens').textContent()).toBe('3');
    expect(await value('Bulk exports').textContent()).toBe('0 running · 0 queued');
    await screenshot(page, 'dashboard-counts.png');

    // Disabling the diary ends its tokens' use and drops it from the enabled apps once the page refreshes.
    const admin = await AdminSession.login(running!.server, 'admin', ADMIN_PASSWORD);
    expect((await admin.call('POST', `/admin/api/clients/${clientId}/disable`)).status).toBe(200);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await summary.locator('.detail').filter({ hasText: 'Enabled apps' }).getByText('1', { exact: true }).waitFor();
    expect(problems).toEqual([]);
  });
});
