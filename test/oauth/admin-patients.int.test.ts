// The admin Patients screen's API against the real server: demographics read from the stored
// FHIR Patient, the apps a patient authorized through the real OAuth flow, revoking one of them
// (the FHIR API refuses its tokens at once), and the EHR-launch app list clinicians may see.
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/src/server.js';
import { createStaffUser } from '../../server/src/users/staff-users.js';
import { backendToken } from '../bulk/helpers.js';
import { AdminSession, removeDir, request, startTestServer, tempDataDir } from '../helpers/server.js';
import { authorizeWithLogin } from './flow.js';
import { basic, keyPair, postForm, registerOk, relyingParty, storeFlags } from './helpers.js';

let dir: string;
let server: RunningServer;
let admin: AdminSession;
let clinician: AdminSession;
let diary: { client_id: string; client_secret?: string };
let diaryConfig: oidc.Configuration;
let steps: { client_id: string; client_secret?: string };
let stepsConfig: oidc.Configuration;
const redirectUri = 'https://diary.example/cb';
const scope = 'openid fhirUser offline_access launch/patient patient/Patient.rs patient/Observation.rs';

interface AuthorizedApp {
  clientId: string;
  clientName: string;
  clientEnabled: boolean;
  scopes: string[];
  firstAuthorizedAt: string;
  lastAuthorizedAt: string;
  activeTokens: number;
}

interface PatientDetail {
  id: string;
  name: string;
  apiAccess: { hasCredentials: boolean; username: string | null; optedOut: boolean; authorizedApps: AuthorizedApp[] };
  [field: string]: unknown;
}

const ada = {
  resourceType: 'Patient',
  id: 'p-ada',
  extension: [
    {
      url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race',
      extension: [
        { url: 'ombCategory', valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', code: '2106-3', display: 'White' } },
        { url: 'text', valueString: 'White' },
      ],
    },
    {
      url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity',
      extension: [{ url: 'ombCategory', valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', code: '2186-5', display: 'Not Hispanic or Latino' } }],
    },
  ],
  identifier: [
    // A coded type without a display: the label comes from HL7 table 0203.
    { use: 'usual', type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, system: 'urn:example:mrn', value: 'MRN-1815' },
    // No type at all: the system says what it is.
    { system: 'http://hl7.org/fhir/sid/us-ssn', value: '999-18-1512' },
    { type: { text: 'Library card' }, system: 'urn:example:library', value: 'LIB-7' },
  ],
  name: [
    { use: 'maiden', family: 'Byron', given: ['Augusta', 'Ada'] },
    { use: 'official', prefix: ['Countess'], family: 'Lovelace', given: ['Ada'] },
  ],
  gender: 'female',
  birthDate: '1815-12-10',
  deceasedDateTime: '1852-11-27',
  address: [{ use: 'home', line: ['12 St James’s Square'], city: 'London', postalCode: 'SW1Y 4JH', country: 'UK' }],
  telecom: [
    { system: 'phone', value: '+44 20 7946 0018', use: 'home' },
    { system: 'email', value: 'ada@example.org' },
  ],
  contact: [{ relationship: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0131', code: 'N', display: 'Next-of-Kin' }] }], name: { given: ['William'], family: 'King' }, telecom: [{ system: 'phone', value: '+44 20 7946 0019' }] }],
};

async function putPatient(token: string, patient: Record<string, unknown> & { id: string }): Promise<void> {
  const res = await request(server, `/fhir/r4/Patient/${patient.id}`, {
    method: 'PUT',
    body: JSON.stringify(patient),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
  });
  expect([200, 201]).toContain(res.status);
}

function fhirStatus(token: string, patientId = 'p-ada'): Promise<number> {
  return request(server, `/fhir/r4/Patient/${patientId}`, { headers: { authorization: `Bearer ${token}` } }).then((res) => res.status);
}

beforeAll(async () => {
  dir = await tempDataDir();
  server = await startTestServer(dir, undefined, storeFlags());
  admin = await AdminSession.login(server);
  await createStaffUser(server.context.models, { username: 'dr.who', displayName: 'Dr Who', password: 'tardis-tardis-1', role: 'clinician', practitionerId: 'prac-1' });
  clinician = await AdminSession.login(server, 'dr.who', 'tardis-tardis-1');

  // Patients go in through the FHIR API, as a practice's data loader would put them.
  const loader = await keyPair('RS384', 'loader');
  const loaderId = (await registerOk(server, { client_name: 'Loader', token_endpoint_auth_method: 'private_key_jwt', scope: 'system/Patient.cruds', jwks: { keys: [loader.publicJwk] } })).client_id;
  await admin.call('POST', `/admin/api/clients/${loaderId}/enable`);
  const token = await backendToken(server, { clientId: loaderId, key: loader.privateKey, alg: 'RS384', kid: 'loader' }, 'system/Patient.cruds');
  await putPatient(token, ada);
  await putPatient(token, { resourceType: 'Patient', id: 'p-bare' });

  diary = await registerOk(server, { client_name: 'Diary', redirect_uris: [redirectUri], scope });
  diaryConfig = await relyingParty(server, diary.client_id, {}, oidc.ClientSecretBasic(diary.client_secret!));
  steps = await registerOk(server, { client_name: 'Step counter', redirect_uris: [redirectUri], scope });
  stepsConfig = await relyingParty(server, steps.client_id, {}, oidc.ClientSecretBasic(steps.client_secret!));
});

afterAll(async () => {
  await server.close();
  await removeDir(dir);
});

let adaCredentials: { username: string; password: string } | undefined;

/** The patient logs in to the app with the credentials the clinician generated, allows, and the app gets its tokens. */
async function patientAuthorizes(config: oidc.Configuration, untick: string[] = []) {
  if (!adaCredentials) {
    const res = await clinician.call('POST', '/admin/api/patients/p-ada/api-credentials');
    expect(res.status).toBe(201);
    adaCredentials = res.json<{ username: string; password: string }>();
  }
  const flow = await authorizeWithLogin(server, { config, redirectUri, scope }, adaCredentials.username, adaCredentials.password, untick);
  return oidc.authorizationCodeGrant(config, flow.callback, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce });
}

async function adaDetail(session = clinician): Promise<PatientDetail> {
  const res = await session.call('GET', '/admin/api/patients/p-ada');
  expect(res.status).toBe(200);
  return res.json<PatientDetail>();
}

describe('admin API: a patient’s demographics', () => {
  it('answers the stored Patient’s demographics in the admin shape, without the raw resource', async () => {
    const detail = await adaDetail();
    expect(detail).toMatchObject({
      id: 'p-ada',
      name: 'Countess Ada Lovelace',
      names: [
        { use: 'maiden', text: 'Augusta Ada Byron' },
        { use: 'official', text: 'Countess Ada Lovelace' },
      ],
      birthDate: '1815-12-10',
      gender: 'female',
      deceased: true,
      deceasedDateTime: '1852-11-27',
      identifiers: [
        { type: 'Medical record number', system: 'urn:example:mrn', value: 'MRN-1815', use: 'usual' },
        { type: 'Social Security number', system: 'http://hl7.org/fhir/sid/us-ssn', value: '999-18-1512', use: null },
        { type: 'Library card', system: 'urn:example:library', value: 'LIB-7', use: null },
      ],
      addresses: [{ use: 'home', text: '12 St James’s Square, London, SW1Y 4JH, UK', lines: ['12 St James’s Square'], city: 'London', state: null, postalCode: 'SW1Y 4JH', country: 'UK' }],
      telecom: [
        { system: 'phone', value: '+44 20 7946 0018', use: 'home' },
        { system: 'email', value: 'ada@example.org', use: null },
      ],
      contacts: [{ relationship: 'Next-of-Kin', name: 'William King', telecom: [{ system: 'phone', value: '+44 20 7946 0019', use: null }] }],
      race: 'White',
      ethnicity: 'Not Hispanic or Latino',
      apiAccess: { optedOut: false },
    });
    expect(detail).not.toHaveProperty('resource');
    expect(detail).not.toHaveProperty('resourceType');
    expect(detail).not.toHaveProperty('extension');
  });

  it('gives a Patient with nothing but an id empty values, never missing keys', async () => {
    const res = await admin.call('GET', '/admin/api/patients/p-bare');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      id: 'p-bare',
      name: 'Unnamed patient',
      names: [],
      birthDate: null,
      gender: null,
      deceased: null,
      deceasedDateTime: null,
      identifiers: [],
      addresses: [],
      telecom: [],
      contacts: [],
      race: null,
      ethnicity: null,
      apiAccess: { hasCredentials: false, username: null, optedOut: false, authorizedApps: [] },
    });
    expect((await clinician.call('GET', '/admin/api/patients/p-nobody')).status).toBe(404);
    expect((await clinician.call('GET', '/admin/api/patients/not%20an%20id')).status).toBe(400);
  });

  it('keeps the patient list to the summary and a count of apps', async () => {
    const list = (await clinician.call('GET', '/admin/api/patients?q=lovelace')).json<{ items: Record<string, unknown>[]; total: number }>();
    expect(list.total).toBe(1);
    expect(list.items[0]).toEqual({ id: 'p-ada', name: 'Countess Ada Lovelace', birthDate: '1815-12-10', gender: 'female', apiAccess: expect.objectContaining({ authorizedApps: expect.any(Number) }) });
  });
});

describe('admin API: the apps a patient authorized', () => {
  it('lists an app once the patient authorized it, with the scopes granted and its live tokens', async () => {
    expect((await adaDetail()).apiAccess.authorizedApps).toEqual([]);
    const tokens = await patientAuthorizes(diaryConfig, ['patient/Observation.rs']);
    expect(await fhirStatus(tokens.access_token)).toBe(200);

    const [app, ...others] = (await adaDetail()).apiAccess.authorizedApps;
    expect(others).toEqual([]);
    expect(app).toMatchObject({ clientId: diary.client_id, clientName: 'Diary', clientEnabled: true, activeTokens: 1 });
    expect(app!.scopes).toContain('patient/Patient.rs');
    expect(app!.scopes).not.toContain('patient/Observation.rs');
    expect(app!.firstAuthorizedAt).toBe(app!.lastAuthorizedAt);

    // A second authorization of the same app is the same entry, with both authorizations' tokens and scopes.
    await patientAuthorizes(diaryConfig);
    const [again] = (await adaDetail()).apiAccess.authorizedApps;
    expect(again).toMatchObject({ clientId: diary.client_id, activeTokens: 2, firstAuthorizedAt: app!.firstAuthorizedAt });
    expect(again!.scopes).toContain('patient/Observation.rs');
    expect(Date.parse(again!.lastAuthorizedAt)).toBeGreaterThanOrEqual(Date.parse(again!.firstAuthorizedAt));

    const list = (await clinician.call('GET', '/admin/api/patients?q=lovelace')).json<{ items: { apiAccess: { authorizedApps: number } }[] }>();
    expect(list.items[0]!.apiAccess.authorizedApps).toBe(1);
  });

  it('revokes one app for the patient: its access and refresh tokens stop working, other apps keep theirs', async () => {
    const diaryTokens = await patientAuthorizes(diaryConfig);
    const stepsTokens = await patientAuthorizes(stepsConfig);
    expect((await adaDetail()).apiAccess.authorizedApps.map((app) => app.clientName).sort()).toEqual(['Diary', 'Step counter']);

    const path = `/admin/api/patients/p-ada/authorized-apps/${diary.client_id}`;
    expect((await clinician.call('DELETE', path, undefined, { csrf: false })).status).toBe(403);
    const res = await clinician.call('DELETE', path);
    expect(res.status).toBe(200);
    // The answer is the patient as it now is.
    expect(res.json<PatientDetail>().apiAccess.authorizedApps.map((app) => app.clientId)).toEqual([steps.client_id]);
    expect((await adaDetail()).apiAccess.authorizedApps.map((app) => app.clientId)).toEqual([steps.client_id]);

    expect(await fhirStatus(diaryTokens.access_token)).toBe(401);
    const refresh = await postForm(server, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: diaryTokens.refresh_token! }, { authorization: basic(diary.client_id, diary.client_secret!) });
    expect(refresh.status).toBe(400);
    expect(refresh.json()).toMatchObject({ error: 'invalid_grant' });
    expect(await fhirStatus(stepsTokens.access_token)).toBe(200);

    // Left in the audit log as a Revoke User by the clinician.
    const audit = (await admin.call('GET', `/admin/api/audit?type=oauth.user.revoke&clientId=${diary.client_id}`)).json<{ items: { actor: string; detail: unknown }[] }>();
    expect(audit.items[0]).toMatchObject({ actor: 'dr.who', detail: { userKind: 'patient', userId: 'p-ada' } });
  });

  it('answers 404 for an app the patient never authorized or a patient that does not exist', async () => {
    const launchApp = await registerOk(server, { client_name: 'Never used', redirect_uris: [redirectUri], scope });
    expect((await clinician.call('DELETE', `/admin/api/patients/p-ada/authorized-apps/${launchApp.client_id}`)).status).toBe(404);
    expect((await clinician.call('DELETE', '/admin/api/patients/p-bare/authorized-apps/no-such-client')).status).toBe(404);
    expect((await clinician.call('DELETE', `/admin/api/patients/p-nobody/authorized-apps/${steps.client_id}`)).status).toBe(404);
  });
});

describe('admin API: apps a clinician may launch', () => {
  it('lists only enabled EHR-launch apps, by id and name, to clinicians as well as administrators', async () => {
    const ehrScope = 'openid fhirUser launch user/Patient.rs';
    const enabled = await registerOk(server, { client_name: 'Growth chart', redirect_uris: [redirectUri], initiate_login_uri: 'https://charts.example/launch', scope: ehrScope });
    expect((await admin.call('POST', `/admin/api/clients/${enabled.client_id}/enable`)).status).toBe(200);
    // Registered for EHR launch but never enabled.
    await registerOk(server, { client_name: 'Unreviewed chart', redirect_uris: [redirectUri], initiate_login_uri: 'https://unreviewed.example/launch', scope: ehrScope });
    // Enabled, with a launch URI, but without the `launch` scope: a standalone provider app.
    const provider = await registerOk(server, { client_name: 'Chart viewer', redirect_uris: [redirectUri], launch_uri: 'https://viewer.example/launch', scope: 'openid fhirUser launch/patient user/Patient.rs' });
    expect((await admin.call('POST', `/admin/api/clients/${provider.client_id}/enable`)).status).toBe(200);
    // Enabled, then disabled again.
    const retired = await registerOk(server, { client_name: 'Retired chart', redirect_uris: [redirectUri], initiate_login_uri: 'https://retired.example/launch', scope: ehrScope });
    await admin.call('POST', `/admin/api/clients/${retired.client_id}/enable`);
    await admin.call('POST', `/admin/api/clients/${retired.client_id}/disable`);

    for (const session of [clinician, admin]) {
      const res = await session.call('GET', '/admin/api/launch/clients');
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({ items: [{ clientId: enabled.client_id, name: 'Growth chart' }], total: 1 });
    }
    expect((await request(server, '/admin/api/launch/clients')).status).toBe(401);

    // What the clinician picked launches for the patient.
    const launch = await clinician.call('POST', '/admin/api/launch', { clientId: enabled.client_id, patientId: 'p-ada' });
    expect(launch.status).toBe(201);
    expect(new URL(launch.json<{ url: string }>().url).origin).toBe('https://charts.example');
  });

  it('still keeps clinicians out of the client routes', async () => {
    expect((await clinician.call('GET', '/admin/api/clients')).status).toBe(403);
    expect((await clinician.call('GET', `/admin/api/clients/${diary.client_id}`)).status).toBe(403);
  });
});
