import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateBearer } from '../../server/src/oauth/bearer.js';
import { generatePatientCredentials } from '../../server/src/oauth/patient-credentials.js';
import { tokenHash } from '../../server/src/oauth/secrets.js';
import { oauthServices } from '../../server/src/oauth/services.js';
import type { RunningServer } from '../../server/src/server.js';
import { createStaffUser } from '../../server/src/users/staff-users.js';
import { AdminSession, removeDir, request, startTestServer, tempDataDir } from '../helpers/server.js';
import { authorizeWithLogin } from './flow.js';
import { registerOk, relyingParty, storeFlags } from './helpers.js';

let dir: string;
let server: RunningServer;
let admin: AdminSession;
let clinician: AdminSession;
let app: { client_id: string; client_secret?: string };
let config: oidc.Configuration;
const patients: Record<string, { username: string; password: string }> = {};
const redirectUri = 'https://app.example/cb';
const scope = 'openid fhirUser offline_access patient/Observation.rs';

interface RefreshTokenView {
  id: string;
  clientId: string;
  user: { userId: string; username: string; kind: string; patientId?: string } | null;
  scope: string;
  issuedAt: string;
  expiresAt: string;
  status: 'active' | 'revoked' | 'expired';
  rotated: boolean;
  rotatedAt: string | null;
  revokedAt: string | null;
}

interface RefreshTokenPage {
  items: RefreshTokenView[];
  total: number;
  next: string | null;
}

beforeAll(async () => {
  dir = await tempDataDir();
  server = await startTestServer(dir, undefined, storeFlags());
  admin = await AdminSession.login(server);
  await createStaffUser(server.context.models, { username: 'dr.who', displayName: 'Dr Who', password: 'tardis-tardis-1', role: 'clinician', practitionerId: 'prac-1' });
  clinician = await AdminSession.login(server, 'dr.who', 'tardis-tardis-1');
  app = await registerOk(server, { client_name: 'Diary', redirect_uris: [redirectUri], scope });
  config = await relyingParty(server, app.client_id, {}, oidc.ClientSecretBasic(app.client_secret!));
  for (const patientId of ['pat-1', 'pat-2']) {
    patients[patientId] = await generatePatientCredentials(oauthServices(server.context).patientAccess, server.context.audit, patientId, { actor: 'test', ip: null });
  }
});

afterAll(async () => {
  await server.close();
  await removeDir(dir);
});

/** A real authorization-code flow with offline_access: the patient logs in and allows. */
async function patientTokens(patientId: string) {
  const { username, password } = patients[patientId]!;
  const flow = await authorizeWithLogin(server, { config, redirectUri, scope }, username, password);
  const tokens = await oidc.authorizationCodeGrant(config, flow.callback, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce });
  expect(tokens.refresh_token).toBeTruthy();
  return tokens;
}

async function listPage(query = ''): Promise<{ status: number; body: string; page: RefreshTokenPage }> {
  const res = await admin.call('GET', `/admin/api/clients/${app.client_id}/refresh-tokens${query}`);
  return { status: res.status, body: res.body, page: res.status === 200 ? res.json<RefreshTokenPage>() : { items: [], total: 0, next: null } };
}

/** The list entry of a refresh token, found the way the server stores it. */
async function entryOf(refreshToken: string): Promise<RefreshTokenView> {
  const row = await oauthServices(server.context).tokens.getRefreshToken(tokenHash(refreshToken));
  const { page } = await listPage('?limit=200');
  const entry = page.items.find((item) => item.id === row!.id);
  expect(entry).toBeDefined();
  return entry!;
}

describe('admin API: a client’s refresh tokens', () => {
  it('lists a refresh token by identifier with its user, scopes, dates and status, never the token or its hash', async () => {
    const tokens = await patientTokens('pat-1');
    const { status, body, page } = await listPage();
    expect(status).toBe(200);
    expect(page.total).toBe(page.items.length);
    const entry = await entryOf(tokens.refresh_token!);
    expect(entry).toMatchObject({
      clientId: app.client_id,
      user: { userId: 'patient:pat-1', kind: 'patient', username: patients['pat-1']!.username, patientId: 'pat-1' },
      scope,
      status: 'active',
      rotated: false,
      rotatedAt: null,
      revokedAt: null,
    });
    expect(entry.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(entry.expiresAt) - Date.parse(entry.issuedAt)).toBeGreaterThan(90 * 86_400_000);
    expect(body).not.toContain(tokens.refresh_token!);
    expect(body).not.toContain(tokenHash(tokens.refresh_token!));
    expect(body).not.toMatch(/tokenHash/i);
  });

  it('shows a rotated token as rotated and refuses to revoke it, so the newer token of its grant is not ended by mistake', async () => {
    const first = await patientTokens('pat-1');
    const second = await oidc.refreshTokenGrant(config, first.refresh_token!);
    const rotated = await entryOf(first.refresh_token!);
    expect(rotated).toMatchObject({ rotated: true, status: 'revoked', revokedAt: null });
    expect(rotated.rotatedAt).not.toBeNull();
    expect(await entryOf(second.refresh_token!)).toMatchObject({ rotated: false, status: 'active' });

    const refused = await admin.call('POST', `/admin/api/refresh-tokens/${rotated.id}/revoke`);
    expect(refused.status).toBe(409);
    expect(refused.json<{ error: string }>().error).toMatch(/newer one/);
    await expect(authenticateBearer(server.context, `Bearer ${second.access_token}`)).resolves.toMatchObject({ patientId: 'pat-1' });
    expect((await oidc.refreshTokenGrant(config, second.refresh_token!)).refresh_token).toBeTruthy();
  });

  it('revoking a refresh token makes the refresh grant fail with invalid_grant and ends the access tokens of its grant only', async () => {
    const tokens = await patientTokens('pat-1');
    const bystander = await patientTokens('pat-2');
    const entry = await entryOf(tokens.refresh_token!);

    const res = await admin.call('POST', `/admin/api/refresh-tokens/${entry.id}/revoke`);
    expect(res.status).toBe(200);
    const revoked = res.json<RefreshTokenView>();
    expect(revoked).toMatchObject({ id: entry.id, status: 'revoked', rotated: false, user: { userId: 'patient:pat-1' } });
    expect(revoked.revokedAt).not.toBeNull();
    expect(res.body).not.toContain(tokens.refresh_token!);

    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(authenticateBearer(server.context, `Bearer ${tokens.access_token}`)).rejects.toMatchObject({ error: 'invalid_token' });
    const accessTokens = (await admin.call('GET', `/admin/api/clients/${app.client_id}/tokens`)).json<{ items: { jti: string; status: string }[] }>();
    expect(accessTokens.items.find((item) => item.jti === decodeJwt(tokens.access_token).jti)?.status).toBe('revoked');
    expect(accessTokens.items.find((item) => item.jti === decodeJwt(bystander.access_token).jti)?.status).toBe('active');

    // Another user's grant of the same app goes on working.
    await expect(authenticateBearer(server.context, `Bearer ${bystander.access_token}`)).resolves.toMatchObject({ patientId: 'pat-2' });
    expect(await entryOf(bystander.refresh_token!)).toMatchObject({ status: 'active' });
    expect((await oidc.refreshTokenGrant(config, bystander.refresh_token!)).access_token).toBeTruthy();
  });

  it('audits the revocation once, naming the administrator and the token’s identifier, never the token', async () => {
    const tokens = await patientTokens('pat-2');
    const entry = await entryOf(tokens.refresh_token!);
    expect((await admin.call('POST', `/admin/api/refresh-tokens/${entry.id}/revoke`)).status).toBe(200);
    // A second revoke changes nothing: the same answer, no second event.
    const again = await admin.call('POST', `/admin/api/refresh-tokens/${entry.id}/revoke`);
    expect(again.status).toBe(200);
    expect(again.json()).toMatchObject({ id: entry.id, status: 'revoked' });

    const audit = await admin.call('GET', '/admin/api/audit?type=oauth.refresh-token.revoke');
    const events = audit.json<{ items: { actor: string; clientId: string; patientId: string; outcome: string; detail: { refreshTokenId: string; grantId: string; via: string } }[] }>().items;
    const mine = events.filter((event) => event.detail.refreshTokenId === entry.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ actor: 'admin', clientId: app.client_id, patientId: 'pat-2', outcome: 'success', detail: { via: 'admin' } });
    expect(audit.body).not.toContain(tokens.refresh_token!);
    expect(audit.body).not.toContain(tokenHash(tokens.refresh_token!));
  });

  it('pages through the tokens newest first with before and limit', async () => {
    for (let i = 0; i < 3; i++) await patientTokens('pat-2');
    const all = (await listPage('?limit=200')).page;
    expect(all.next).toBeNull();
    expect(all.total).toBe(all.items.length);
    const issued = all.items.map((item) => Date.parse(item.issuedAt));
    expect(issued).toEqual([...issued].sort((a, b) => b - a));

    const seen: string[] = [];
    let next: string | null = null;
    do {
      const { status, page } = await listPage(`?limit=2${next ? `&before=${next}` : ''}`);
      expect(status).toBe(200);
      expect(page.items.length).toBeLessThanOrEqual(2);
      expect(page.total).toBe(all.total);
      seen.push(...page.items.map((item) => item.id));
      next = page.next;
    } while (next !== null);
    expect(seen).toEqual(all.items.map((item) => item.id));

    expect((await listPage('?before=no-such-token')).status).toBe(400);
    expect((await listPage('?limit=0')).status).toBe(400);
  });

  it('is for administrators only, needs a session and CSRF token, and answers 404 for unknown clients and tokens', async () => {
    const tokens = await patientTokens('pat-1');
    const entry = await entryOf(tokens.refresh_token!);
    expect((await clinician.call('GET', `/admin/api/clients/${app.client_id}/refresh-tokens`)).status).toBe(403);
    expect((await clinician.call('POST', `/admin/api/refresh-tokens/${entry.id}/revoke`)).status).toBe(403);
    expect((await request(server, `/admin/api/clients/${app.client_id}/refresh-tokens`)).status).toBe(401);
    expect((await admin.call('POST', `/admin/api/refresh-tokens/${entry.id}/revoke`, undefined, { csrf: false })).status).toBe(403);
    expect((await admin.call('GET', '/admin/api/clients/no-such-client/refresh-tokens')).status).toBe(404);
    expect((await admin.call('POST', '/admin/api/refresh-tokens/no-such-token/revoke')).status).toBe(404);
    // None of the refused calls revoked it.
    expect(await entryOf(tokens.refresh_token!)).toMatchObject({ status: 'active' });
  });
});
