import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { systemPolicy } from '../../server/src/fhir/access/policy.js';
import { createFhirService } from '../../server/src/fhir/api.js';
import type { RunningServer } from '../../server/src/server.js';
import { AdminSession, removeDir, request, startTestServer, tempDataDir } from '../helpers/server.js';

interface UserView {
  id: number;
  username: string;
  displayName: string;
  role: string;
  disabled: boolean;
}

describe('staff users and the audit log (admin API)', () => {
  let dataDir: string;
  let server: RunningServer;
  let admin: AdminSession;

  beforeAll(async () => {
    dataDir = await tempDataDir();
    server = await startTestServer(dataDir);
    admin = await AdminSession.login(server);
  });
  afterAll(async () => {
    await server?.close();
    await removeDir(dataDir);
  });

  test('an administrator adds a clinician, who can then log in', async () => {
    const created = await admin.call('POST', '/admin/api/users', { username: 'dr.ames', displayName: 'Dr Ames', password: 'ames password 1', role: 'clinician' });
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({ username: 'dr.ames', displayName: 'Dr Ames', role: 'clinician', disabled: false });
    expect(created.body).not.toContain('ames password 1');
    expect(created.body).not.toContain('passwordHash');
    const list = (await admin.call('GET', '/admin/api/users')).json<{ items: UserView[]; total: number }>();
    expect(list.items.map((user) => user.username)).toEqual(['admin', 'dr.ames']);
    expect(list.total).toBe(2);
    expect((await admin.call('GET', '/admin/api/users?q=ame')).json<{ items: UserView[] }>().items.map((user) => user.username)).toEqual(['dr.ames']);
    await AdminSession.login(server, 'dr.ames', 'ames password 1');
  });

  test('a clinician added without a Practitioner gets one, so their fhirUser resolves', async () => {
    const created = await admin.call('POST', '/admin/api/users', { username: 'dr.ruiz', displayName: 'Ana Ruiz', password: 'ruiz password 1', role: 'clinician' });
    const practitionerId = created.json<{ practitionerId: string }>().practitionerId;
    expect(practitionerId).toMatch(/^[A-Za-z0-9\-.]+$/);
    const stored = await createFhirService(server.context).repository.read(systemPolicy(), 'Practitioner', practitionerId);
    expect(stored.resource).toMatchObject({ resourceType: 'Practitioner', active: true, name: [{ text: 'Ana Ruiz', family: 'Ruiz', given: ['Ana'] }] });
    const linked = await admin.call('POST', '/admin/api/users', { username: 'dr.vos', displayName: 'Dr Vos', password: 'vos password 12', role: 'clinician', practitionerId: 'existing-1' });
    expect(linked.json()).toMatchObject({ practitionerId: 'existing-1' });
    const adminUser = await admin.call('POST', '/admin/api/users', { username: 'office', displayName: 'Office', password: 'office password', role: 'admin' });
    expect(adminUser.json()).toMatchObject({ practitionerId: null });
  });

  test('a duplicate username answers 409 and a weak password 400', async () => {
    expect((await admin.call('POST', '/admin/api/users', { username: 'dr.ames', displayName: 'Again', password: 'another password', role: 'clinician' })).status).toBe(409);
    const weak = await admin.call('POST', '/admin/api/users', { username: 'dr.weak', displayName: 'Weak', password: 'short', role: 'clinician' });
    expect(weak.status).toBe(400);
    expect(weak.json<{ error: string }>().error).toMatch(/^password: at least 10 characters/);
  });

  test('disabling a user ends their sessions and stops their logins; a password reset takes effect', async () => {
    const created = await admin.call('POST', '/admin/api/users', { username: 'temp', displayName: 'Temp', password: 'temp password 1', role: 'clinician' });
    const id = created.json<UserView>().id;
    const session = await AdminSession.login(server, 'temp', 'temp password 1');
    expect((await admin.call('PUT', `/admin/api/users/${id}`, { disabled: true })).json()).toMatchObject({ disabled: true });
    expect((await session.call('GET', '/admin/api/session')).status).toBe(401);
    expect((await request(server, '/admin/api/session', { method: 'POST', body: { username: 'temp', password: 'temp password 1' } })).status).toBe(401);
    await admin.call('PUT', `/admin/api/users/${id}`, { disabled: false, password: 'new temp password' });
    await AdminSession.login(server, 'temp', 'new temp password');
  });

  test('an administrator cannot disable or demote their own account', async () => {
    const me = (await admin.call('GET', '/admin/api/session')).json<{ user: UserView }>().user;
    expect((await admin.call('PUT', `/admin/api/users/${me.id}`, { disabled: true })).status).toBe(409);
    expect((await admin.call('PUT', `/admin/api/users/${me.id}`, { role: 'clinician' })).status).toBe(409);
  });

  test('a clinician may not manage users or read the audit log', async () => {
    const clinician = await AdminSession.login(server, 'dr.ames', 'ames password 1');
    expect((await clinician.call('GET', '/admin/api/users')).status).toBe(403);
    expect((await clinician.call('POST', '/admin/api/users', { username: 'x1', displayName: 'X', password: 'x password 12', role: 'admin' })).status).toBe(403);
    expect((await clinician.call('GET', '/admin/api/audit')).status).toBe(403);
  });

  test('the audit log lists events newest first, filters them and pages by id', async () => {
    const all = (await admin.call('GET', '/admin/api/audit?limit=500')).json<{ items: { id: number; type: string; outcome: string; actor: string }[]; total: number }>();
    expect(all.total).toBe(all.items.length);
    expect(all.items.map((event) => event.id)).toEqual([...all.items.map((event) => event.id)].sort((a, b) => b - a));
    expect(all.items.filter((event) => event.type === 'user.create').map((event) => event.actor)).toEqual(['admin', 'admin', 'admin', 'admin', 'admin']);

    const failures = (await admin.call('GET', '/admin/api/audit?type=admin.login&outcome=failure')).json<{ items: { actor: string }[] }>();
    expect(failures.items.map((event) => event.actor)).toEqual(['temp']);

    const firstPage = (await admin.call('GET', '/admin/api/audit?limit=2')).json<{ items: { id: number }[]; next: number }>();
    const secondPage = (await admin.call('GET', `/admin/api/audit?limit=2&before=${firstPage.next}`)).json<{ items: { id: number }[] }>();
    expect([...firstPage.items, ...secondPage.items].map((event) => event.id)).toEqual(all.items.slice(0, 4).map((event) => event.id));

    expect((await admin.call('GET', '/admin/api/audit?outcome=maybe')).status).toBe(400);
  });
});
