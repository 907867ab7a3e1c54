import { exportSPKI, generateKeyPair, importJWK, SignJWT, UnsecuredJWT, type CryptoKey } from 'jose';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { removeDir, startTestServer, tempDataDir } from '../../../test/helpers/server.js';
import type { RunningServer } from '../server.js';
import { issueAccessToken } from './access-token.js';
import { authenticateBearer } from './bearer.js';
import { OAuthError } from '../http/errors.js';
import { oauthServices } from './services.js';

let dir: string;
let server: RunningServer;

async function expectInvalidToken(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OAuthError);
  expect((error as OAuthError).status).toBe(401);
  expect((error as OAuthError).error).toBe('invalid_token');
  expect((error as OAuthError).headers['WWW-Authenticate']).toMatch(/^Bearer error="invalid_token"/);
}

async function newClient(clientId: string) {
  await oauthServices(server.context).clients.create({
    clientId,
    clientName: 'Test app',
    secretHash: null,
    tokenEndpointAuthMethod: 'client_secret_basic',
    metadata: { client_name: 'Test app', scope: 'patient/Observation.rs', token_endpoint_auth_method: 'client_secret_basic', grant_types: ['authorization_code'], redirect_uris: ['https://app.example/cb'], response_types: ['code'] },
    scope: 'openid patient/Observation.rs',
    profile: 'patient-standalone',
    enabled: true,
  });
}

async function patientToken(clientId: string, patientId: string) {
  const services = oauthServices(server.context);
  const grant = await services.tokens.createGrant({ clientId, userKind: 'patient', userId: patientId, username: 'pat', scope: 'patient/Observation.rs', patientId, encounterId: 'enc-1' });
  const issued = await issueAccessToken(server.context, services, {
    clientId,
    grantId: grant.id,
    userKind: 'patient',
    userId: patientId,
    scope: `patient/Observation.rs?category=laboratory`,
    patientId,
    fhirUser: `${server.urls.fhirBase}/Patient/${patientId}`,
    lifetimeSeconds: 3600,
  });
  return { ...issued, grantId: grant.id };
}

beforeAll(async () => {
  dir = await tempDataDir();
  server = await startTestServer(dir);
  await newClient('app-1');
});

afterAll(async () => {
  await server.close();
  await removeDir(dir);
});

describe('authenticateBearer', () => {
  it('accepts a token it issued and returns the access context', async () => {
    const { accessToken, jti } = await patientToken('app-1', 'p1');
    const access = await authenticateBearer(server.context, `Bearer ${accessToken}`);
    expect(access).toMatchObject({ jti, clientId: 'app-1', subject: 'patient:p1', userKind: 'patient', patientId: 'p1', encounterId: 'enc-1', fhirUser: `${server.urls.fhirBase}/Patient/p1` });
    expect(access.scopes.filtersFor('patient', 'Observation', 's')).toEqual([{ scope: 'patient/Observation.rs?category=laboratory', params: [{ name: 'category', value: 'laboratory' }] }]);
  });

  it('lets a scope it cannot read grant nothing rather than fail the request', async () => {
    const services = oauthServices(server.context);
    const { accessToken } = await issueAccessToken(server.context, services, { clientId: 'app-1', grantId: null, userKind: 'system', userId: 'app-1', scope: 'system/*.rs system/Patient.rs', patientId: null, lifetimeSeconds: 300 });
    const access = await authenticateBearer(server.context, `Bearer ${accessToken}`);
    expect(access.scopes.toString()).toBe('system/Patient.rs');
  });

  it('refuses a missing header, another scheme and a token without a scheme (a query-string token never reaches it)', async () => {
    const { accessToken } = await patientToken('app-1', 'p1');
    await expectInvalidToken(authenticateBearer(server.context, undefined));
    await expectInvalidToken(authenticateBearer(server.context, `Basic ${accessToken}`));
    await expectInvalidToken(authenticateBearer(server.context, accessToken));
  });

  it('refuses a revoked token on the very next request, even after a cached success', async () => {
    const { accessToken, jti } = await patientToken('app-1', 'p1');
    await authenticateBearer(server.context, `Bearer ${accessToken}`);
    await oauthServices(server.context).revocation.revokeAccessToken(jti, { actor: 'test' }, 'test');
    await expectInvalidToken(authenticateBearer(server.context, `Bearer ${accessToken}`));
  });

  it('refuses every token of a disabled client and accepts them again once enabled', async () => {
    await newClient('app-2');
    const { accessToken } = await patientToken('app-2', 'p1');
    await authenticateBearer(server.context, `Bearer ${accessToken}`);
    await oauthServices(server.context).revocation.setClientEnabled('app-2', false, { actor: 'test' });
    await expectInvalidToken(authenticateBearer(server.context, `Bearer ${accessToken}`));
    await oauthServices(server.context).revocation.setClientEnabled('app-2', true, { actor: 'test' });
    await expect(authenticateBearer(server.context, `Bearer ${accessToken}`)).resolves.toMatchObject({ clientId: 'app-2' });
  });

  it('refuses the tokens of a revoked user and of an opted-out patient', async () => {
    const revoked = await patientToken('app-1', 'p2');
    await oauthServices(server.context).revocation.revokeUser('app-1', 'patient', 'p2', { actor: 'test' });
    await expectInvalidToken(authenticateBearer(server.context, `Bearer ${revoked.accessToken}`));

    const optedOut = await patientToken('app-1', 'p3');
    await authenticateBearer(server.context, `Bearer ${optedOut.accessToken}`);
    await oauthServices(server.context).revocation.setPatientOptOut('p3', true, { actor: 'test' });
    await expectInvalidToken(authenticateBearer(server.context, `Bearer ${optedOut.accessToken}`));
  });

  it('refuses expired, foreign-key, alg:none, HS256-with-the-public-key and wrong-aud tokens', async () => {
    const { accessToken } = await patientToken('app-1', 'p1');
    const [header64, payload64] = accessToken.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload64, 'base64url').toString()) as Record<string, unknown>;
    const key = server.context.keys.signingKey('RS256');
    const { issuer, fhirBase } = server.urls;

    const expired = await new SignJWT({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(key.privateKey);
    await expectInvalidToken(authenticateBearer(server.context, `Bearer ${expired}`));

    const wrongAud = await new SignJWT({ ...claims, aud: 'https://elsewhere.example/fhir' }).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(key.privateKey);
    await expectInvalidToken(authenticateBearer(server.context, `Bearer ${wrongAud}`));

    const wrongIss = await new SignJWT({ ...claims, iss: 'https://evil.example' }).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(key.privateKey);
    await expectInvalidToken(authenticateBearer(server.context, `Bearer ${wrongIss}`));

    const foreign = await generateKeyPair('RS256');
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(foreign.privateKey);
    await expectInvalidToken(authenticateBearer(server.context, `Bearer ${forged}`));

    const none = new UnsecuredJWT(claims).encode();
    await expectInvalidToken(authenticateBearer(server.context, `Bearer ${none}`));

    const publicPem = await exportSPKI((await importJWK(key.publicJwk, 'RS256')) as CryptoKey);
    const hsHeader = Buffer.from(JSON.stringify({ alg: 'HS256', kid: key.kid, typ: 'JWT' })).toString('base64url');
    const hsSignature = createHmac('sha256', publicPem).update(`${hsHeader}.${payload64}`).digest('base64url');
    await expectInvalidToken(authenticateBearer(server.context, `Bearer ${hsHeader}.${payload64}.${hsSignature}`));

    const tampered = `${header64}.${Buffer.from(JSON.stringify({ ...claims, scope: 'patient/Patient.cruds' })).toString('base64url')}.${accessToken.split('.')[2]}`;
    await expectInvalidToken(authenticateBearer(server.context, `Bearer ${tampered}`));
    expect(fhirBase).not.toBe(issuer);
  });

  it('refuses a well-signed token with no record (not issued by this server’s token endpoint)', async () => {
    const key = server.context.keys.signingKey('RS256');
    const stray = await new SignJWT({ client_id: 'app-1', scope: 'patient/Observation.rs' })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid })
      .setIssuer(server.urls.issuer)
      .setAudience(server.urls.fhirBase)
      .setSubject('patient:p1')
      .setJti('not-recorded')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(key.privateKey);
    await expectInvalidToken(authenticateBearer(server.context, `Bearer ${stray}`));
  });

  it('re-checks a remembered signature against the token expiry and the current site address', async () => {
    const { accessToken } = await patientToken('app-1', 'p1');
    await authenticateBearer(server.context, `Bearer ${accessToken}`);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 2 * 3600_000 });
    try {
      await expectInvalidToken(authenticateBearer(server.context, `Bearer ${accessToken}`));
    } finally {
      vi.useRealTimers();
    }

    const fresh = await patientToken('app-1', 'p1');
    await authenticateBearer(server.context, `Bearer ${fresh.accessToken}`);
    const before = server.context.settings.get().siteAddress ?? null;
    await server.context.settings.update({ siteAddress: 'https://ehr.practice.example:8443' });
    try {
      await expectInvalidToken(authenticateBearer(server.context, `Bearer ${fresh.accessToken}`));
    } finally {
      await server.context.settings.update({ siteAddress: before });
    }
    await expect(authenticateBearer(server.context, `Bearer ${fresh.accessToken}`)).resolves.toMatchObject({ clientId: 'app-1' });
  });
});
