import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../../server/src/server.js';
import { oauthServices } from '../../server/src/oauth/services.js';
import { createStaffUser } from '../../server/src/users/staff-users.js';
import { AdminSession, adminPassword, removeDir, request, startTestServer, tempDataDir } from '../helpers/server.js';

describe('admin sessions', () => {
  let dataDir: string;
  let server: RunningServer;

  beforeAll(async () => {
    dataDir = await tempDataDir();
    server = await startTestServer(dataDir);
  });
  afterAll(async () => {
    await server?.close();
    await removeDir(dataDir);
  });

  test('the bootstrap admin logs in with an HttpOnly, Secure, SameSite=Strict cookie', async () => {
    const res = await request(server, '/admin/api/session', { method: 'POST', body: { username: 'admin', password: adminPassword } });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ user: { username: 'admin', role: 'admin' }, csrfToken: expect.stringMatching(/^[\w-]{40,}$/) });
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0] ?? '';
    expect(cookie).toMatch(/^__Host-inpracsys_admin=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  test('who-am-I answers with the session user, and 401 without a session', async () => {
    const admin = await AdminSession.login(server);
    expect((await admin.call('GET', '/admin/api/session')).json()).toMatchObject({ user: { username: 'admin' }, csrfToken: admin.csrfToken });
    const anonymous = await request(server, '/admin/api/settings');
    expect(anonymous.status).toBe(401);
    expect(anonymous.json()).toEqual({ error: 'not logged in or the session expired' });
  });

  test('a state-changing request without the right CSRF token is refused and changes nothing', async () => {
    const admin = await AdminSession.login(server);
    const missing = await admin.call('PUT', '/admin/api/settings', { practiceName: 'Forged' }, { csrf: false });
    expect(missing.status).toBe(403);
    const wrong = await request(server, '/admin/api/settings', {
      method: 'PUT',
      body: { practiceName: 'Forged' },
      headers: { cookie: admin.cookie, 'x-csrf-token': 'x'.repeat(admin.csrfToken.length) },
    });
    expect(wrong.status).toBe(403);
    expect(server.context.settings.get().practiceName).not.toBe('Forged');
    const allowed = await admin.call('PUT', '/admin/api/settings', { practiceName: 'Oak Clinic' });
    expect(allowed.status).toBe(200);
    expect(allowed.json()).toMatchObject({ practiceName: 'Oak Clinic' });
  });

  test('invalid settings answer 400 and change nothing', async () => {
    const admin = await AdminSession.login(server);
    const before = (await admin.call('GET', '/admin/api/settings')).json<{ siteAddress: string }>();
    const res = await admin.call('PUT', '/admin/api/settings', { siteAddress: 'http://clinic.example', practiceName: 'Changed' });
    expect(res.status).toBe(400);
    expect(res.json<{ error: string }>().error).toMatch(/siteAddress/);
    for (const siteAddress of ['https://user:secret@clinic.example', 'https://clinic.example/#x', 'https://clinic.example/fhir', 'https://clinic.example/?a=1']) {
      expect((await admin.call('PUT', '/admin/api/settings', { siteAddress })).status).toBe(400);
    }
    const after = (await admin.call('GET', '/admin/api/settings')).json<{ siteAddress: string; practiceName: string }>();
    expect(after.siteAddress).toBe(before.siteAddress);
    expect(after.practiceName).not.toBe('Changed');
  });

  test('logging out ends the session', async () => {
    const admin = await AdminSession.login(server);
    expect((await admin.call('DELETE', '/admin/api/session')).status).toBe(200);
    expect((await admin.call('GET', '/admin/api/session')).status).toBe(401);
  });

  test('an idle session expires', async () => {
    const admin = await AdminSession.login(server);
    const idleMs = server.context.config.sessionIdleMinutes * 60_000;
    const session = await server.context.models.AdminSession.findOne({ order: [['createdAt', 'DESC']] });
    await session!.update({ lastSeenAt: new Date(Date.now() - idleMs - 1_000) });
    expect((await admin.call('GET', '/admin/api/settings')).status).toBe(401);
    expect(await server.context.models.AdminSession.findByPk(session!.idHash)).toBeNull();
  });

  test('a clinician may not read or change the settings', async () => {
    await createStaffUser(server.context.models, { username: 'dr.lee', displayName: 'Dr Lee', password: 'clinician password 1', role: 'clinician' });
    const clinician = await AdminSession.login(server, 'dr.lee', 'clinician password 1');
    expect((await clinician.call('GET', '/admin/api/settings')).status).toBe(403);
    expect((await clinician.call('PUT', '/admin/api/settings', { practiceName: 'Nope' })).status).toBe(403);
    expect((await clinician.call('GET', '/admin/api/status')).status).toBe(200);
  });

  test('an unknown user gets the same answer as a wrong password', async () => {
    const res = await request(server, '/admin/api/session', { method: 'POST', body: { username: 'nobody-here', password: 'whatever it is' } });
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ error: 'wrong username or password' });
  });
  test('wrong passwords answer 401, then the account is throttled even for the right password', async () => {
    await createStaffUser(server.context.models, { username: 'target', displayName: 'Target', password: 'target password 1', role: 'admin' });
    for (let attempt = 0; attempt < 5; attempt++) {
      const res = await request(server, '/admin/api/session', { method: 'POST', body: { username: 'target', password: `guess ${attempt}` } });
      expect(res.status).toBe(401);
      expect(res.json()).toEqual({ error: 'wrong username or password' });
    }
    const locked = await request(server, '/admin/api/session', { method: 'POST', body: { username: 'target', password: 'target password 1' } });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60);
    await AdminSession.login(server);
    const failures = await server.context.models.AuditEvent.count({ where: { type: 'admin.login', outcome: 'failure', actor: 'target' } });
    expect(failures).toBe(6);
  });

  test('failed staff logins on the OAuth login page count toward the admin lock-out', async () => {
    await createStaffUser(server.context.models, { username: 'shared', displayName: 'Shared', password: 'shared password 1', role: 'admin' });
    for (let attempt = 0; attempt < 5; attempt++) {
      await expect(oauthServices(server.context).staffLogin.login('shared', 'wrong password', '192.0.2.7', 'oauth')).rejects.toMatchObject({ status: 401 });
    }
    const locked = await request(server, '/admin/api/session', { method: 'POST', body: { username: 'shared', password: 'shared password 1' } });
    expect(locked.status).toBe(429);
  });

  // Runs last: it locks this test client's address.
  test('twenty failures from one address lock that address for every user', async () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const res = await request(server, '/admin/api/session', { method: 'POST', body: { username: `user${attempt}`, password: 'wrong password' } });
      expect(res.status).toBe(401);
    }
    const locked = await request(server, '/admin/api/session', { method: 'POST', body: { username: 'admin', password: adminPassword } });
    expect(locked.status).toBe(429);
  });

});

describe('first-admin setup', () => {
  test('without INPRACSYS_ADMIN_PASSWORD, the one-time link creates the first admin once', async () => {
    const dataDir = await tempDataDir();
    const server = await startTestServer(dataDir, {});
    try {
      expect(server.urls.setup).toMatch(/\/admin\/setup\?token=[\w-]+$/);
      const token = new URL(server.urls.setup!).searchParams.get('token')!;
      expect((await request(server, '/admin/api/setup')).json()).toEqual({ needed: true });
      const wrongToken = await request(server, '/admin/api/setup', { method: 'POST', body: { token: 'x'.repeat(token.length), username: 'boss', password: 'a strong password' } });
      expect(wrongToken.status).toBe(403);
      const weak = await request(server, '/admin/api/setup', { method: 'POST', body: { token, username: 'boss', password: 'short' } });
      expect(weak.status).toBe(400);
      const created = await request(server, '/admin/api/setup', { method: 'POST', body: { token, username: 'boss', password: 'a strong password' } });
      expect(created.status).toBe(201);
      expect(created.json()).toMatchObject({ user: { username: 'boss', role: 'admin' } });
      const replay = await request(server, '/admin/api/setup', { method: 'POST', body: { token, username: 'boss2', password: 'a strong password' } });
      expect(replay.status).toBe(409);
      expect((await request(server, '/admin/api/setup')).json()).toEqual({ needed: false });
      await AdminSession.login(server, 'boss', 'a strong password');
    } finally {
      await server.close();
      await removeDir(dataDir);
    }
  });
});
