import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oauthServices } from '../../server/src/oauth/services.js';
import type { RunningServer } from '../../server/src/server.js';
import { createStaffUser } from '../../server/src/users/staff-users.js';
import { AdminSession, removeDir, startTestServer, tempDataDir } from '../helpers/server.js';
import { csrfOf, formAction } from './browser.js';
import { fakePatientDirectory } from './fake-patients.js';
import { consent, login, redirectError, startAuthorization } from './flow.js';
import { registerOk, relyingParty, storeFlags } from './helpers.js';

let dir: string;
let server: RunningServer;
let admin: AdminSession;
let ehrConfig: oidc.Configuration;
let ehrClientId: string;
let providerConfig: oidc.Configuration;
const redirectUri = 'https://ehr-app.example/cb';
const ehrScope = 'openid fhirUser launch offline_access user/Patient.rs user/Observation.rs';
const staffPassword = 'tardis-tardis-1';

beforeAll(async () => {
  dir = await tempDataDir();
  server = await startTestServer(dir, undefined, storeFlags());
  oauthServices(server.context).patientDirectory = fakePatientDirectory([
    { id: 'pat-1', name: 'Ada Lovelace' },
    { id: 'pat-2', name: 'Alan Turing' },
  ]);
  await createStaffUser(server.context.models, { username: 'dr.who', displayName: 'Dr Who', password: staffPassword, role: 'clinician', practitionerId: 'prac-1' });
  await createStaffUser(server.context.models, { username: 'nurse', displayName: 'Nurse', password: staffPassword, role: 'clinician', practitionerId: 'prac-2' });
  admin = await AdminSession.login(server);
  const ehr = await registerOk(server, { client_name: 'Growth chart', redirect_uris: [redirectUri], initiate_login_uri: 'https://ehr-app.example/launch', scope: ehrScope });
  ehrClientId = ehr.client_id;
  expect((await admin.call('POST', `/admin/api/clients/${ehrClientId}/enable`)).status).toBe(200);
  ehrConfig = await relyingParty(server, ehrClientId, {}, oidc.ClientSecretBasic(ehr.client_secret!));
  const provider = await registerOk(server, { client_name: 'Chart viewer', redirect_uris: [redirectUri], launch_uri: 'https://viewer.example/launch', scope: 'openid fhirUser launch/patient user/Patient.rs' });
  await admin.call('POST', `/admin/api/clients/${provider.client_id}/enable`);
  providerConfig = await relyingParty(server, provider.client_id, {}, oidc.ClientSecretBasic(provider.client_secret!));
});

afterAll(async () => {
  await server.close();
  await removeDir(dir);
});

async function newLaunch(session: AdminSession, body: object = { clientId: ehrClientId, patientId: 'pat-1', encounterId: 'enc-7' }): Promise<URL> {
  const res = await session.call('POST', '/admin/api/launch', body);
  expect(res.status).toBe(201);
  return new URL(res.json<{ url: string }>().url);
}

describe('EHR launch', () => {
  it('POST /admin/api/launch answers the app launch URL with iss and launch', async () => {
    const url = await newLaunch(admin);
    expect(url.origin + url.pathname).toBe('https://ehr-app.example/launch');
    expect(url.searchParams.get('iss')).toBe(server.urls.fhirBase);
    expect(url.searchParams.get('launch')).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('binds the launch to the staff user who created it and issues patient and encounter context', async () => {
    const clinician = await AdminSession.login(server, 'dr.who', staffPassword);
    const launch = (await newLaunch(clinician)).searchParams.get('launch')!;
    const started = await startAuthorization(server, { config: ehrConfig, redirectUri, scope: ehrScope, extra: { launch } });
    const loginPage = await started.browser.follow(started.response);
    // Another staff user cannot take over the launch.
    const other = await started.browser.post(formAction(loginPage.body, '/login'), { csrf: csrfOf(loginPage.body), username: 'nurse', password: staffPassword });
    expect(other.status).toBe(403);
    expect(other.body).toContain('another user');
    const consentPage = await login(started.browser, { ...other, status: 200 }, 'dr.who', staffPassword);
    expect(consentPage.body).toContain('Ada Lovelace');
    const callback = await consent(started.browser, consentPage, 'allow');
    const tokens = await oidc.authorizationCodeGrant(ehrConfig, callback, { pkceCodeVerifier: started.verifier, expectedState: started.state, expectedNonce: started.nonce });
    expect(tokens).toMatchObject({ patient: 'pat-1', encounter: 'enc-7', need_patient_banner: false, scope: ehrScope });
    expect(tokens.claims()).toMatchObject({ fhirUser: `${server.urls.fhirBase}/Practitioner/prac-1` });
    // A refresh keeps the EHR launch's context.
    const refreshed = await oidc.refreshTokenGrant(ehrConfig, tokens.refresh_token!);
    expect(refreshed).toMatchObject({ patient: 'pat-1', encounter: 'enc-7', need_patient_banner: false });
  });

  it('refuses a reused launch and one made for another client', async () => {
    const launch = (await newLaunch(admin)).searchParams.get('launch')!;
    await startAuthorization(server, { config: ehrConfig, redirectUri, scope: ehrScope, extra: { launch } });
    const reused = await startAuthorization(server, { config: ehrConfig, redirectUri, scope: ehrScope, extra: { launch } });
    expect(redirectError(reused.response).get('error')).toBe('invalid_request');
    const unknown = await startAuthorization(server, { config: ehrConfig, redirectUri, scope: ehrScope, extra: { launch: 'made-up-launch-value' } });
    expect(redirectError(unknown.response).get('error')).toBe('invalid_request');
    const missing = await startAuthorization(server, { config: ehrConfig, redirectUri, scope: ehrScope });
    expect(redirectError(missing.response).get('error')).toBe('invalid_request');
  });

  it('refuses a launch for a client without initiate_login_uri or an unknown patient', async () => {
    const noLaunch = await registerOk(server, { client_name: 'Plain', redirect_uris: [redirectUri], scope: 'openid patient/Patient.rs' });
    expect((await admin.call('POST', '/admin/api/launch', { clientId: noLaunch.client_id, patientId: 'pat-1' })).status).toBe(409);
    expect((await admin.call('POST', '/admin/api/launch', { clientId: ehrClientId, patientId: 'nobody' })).status).toBe(404);
  });
});

describe('standalone provider launch', () => {
  it('asks a staff user to pick the patient, then consents and issues that patient context', async () => {
    const scope = 'openid fhirUser launch/patient user/Patient.rs';
    const started = await startAuthorization(server, { config: providerConfig, redirectUri, scope });
    const picker = await login(started.browser, await started.browser.follow(started.response), 'dr.who', staffPassword);
    expect(picker.body).toContain('Choose the patient');
    expect(picker.body).toContain('Alan Turing');
    const searched = await started.browser.get(`${formAction(picker.body, '/patient').replace(/\/patient$/, '')}?q=ada`);
    expect(searched.body).toContain('Ada Lovelace');
    expect(searched.body).not.toContain('Alan Turing');
    const consentPage = await started.browser.follow(await started.browser.post(formAction(picker.body, '/patient'), { csrf: csrfOf(picker.body), patient: 'pat-2' }));
    expect(consentPage.body).toContain('Alan Turing');
    const callback = await consent(started.browser, consentPage, 'allow');
    const tokens = await oidc.authorizationCodeGrant(providerConfig, callback, { pkceCodeVerifier: started.verifier, expectedState: started.state, expectedNonce: started.nonce });
    expect(tokens).toMatchObject({ patient: 'pat-2', need_patient_banner: true });
    expect(tokens.claims()!.sub).toMatch(/^staff:\d+$/);
  });

  it('a signed-in staff user goes straight to consent on the next authorization (single sign-on)', async () => {
    const scope = 'openid user/Patient.rs';
    const first = await startAuthorization(server, { config: providerConfig, redirectUri, scope });
    const consentPage = await login(first.browser, await first.browser.follow(first.response), 'dr.who', staffPassword);
    await consent(first.browser, consentPage, 'allow');
    const second = await startAuthorization(server, { config: providerConfig, redirectUri, scope }, first.browser);
    const page = await second.browser.follow(second.response);
    expect(page.body).toContain('name="decision" value="allow"');
  });
});
