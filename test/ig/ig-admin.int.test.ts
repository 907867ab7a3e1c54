// FHIR Setup's Implementation Guides: an administrator uploads a FHIR package (.tgz) to the
// running server, sees it listed, and the server checks resources against its profiles at once.
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearInstalledConformanceResources } from '../../server/src/fhir/ig/profiles.js';
import type { RunningServer } from '../../server/src/server.js';
import { AdminSession, removeDir, request, startTestServer, tempDataDir, type HttpResult } from '../helpers/server.js';
import { bearerHeader } from '../helpers/bearer.js';
import { packUsCore, requireUsCoreData, usCoreExample } from '../helpers/us-core-package.js';

interface InstalledPackage {
  name: string | null;
  version: string | null;
  counts: Record<string, number>;
  installedAt: string;
}

let server: RunningServer;
let serverDir: string;
let work: string;
let admin: AdminSession;
let usCorePackage: Buffer;

/** Sends `body` as the request body with the admin session's cookie and CSRF token. */
function upload(session: AdminSession, body: Buffer, contentType = 'application/gzip'): Promise<HttpResult> {
  return request(server, '/admin/api/ig/packages', {
    method: 'POST',
    body,
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'content-type': contentType, 'content-length': String(body.length) },
  });
}

async function bearer(): Promise<Record<string, string>> {
  return { ...(await bearerHeader(server, 'system/Patient.cruds')), 'content-type': 'application/fhir+json' };
}

/** The US Core Patient example (it names the us-core-patient profile) without its gender, which US Core requires. */
async function patientWithoutGender(id: string): Promise<Record<string, unknown>> {
  const { gender: _gender, ...rest } = await usCoreExample('patient-example.json');
  return { ...rest, id };
}

async function putPatient(resource: Record<string, unknown>): Promise<HttpResult> {
  return request(server, `/fhir/r4/Patient/${String(resource.id)}`, { method: 'PUT', headers: await bearer(), body: JSON.stringify(resource) });
}

beforeAll(async () => {
  requireUsCoreData();
  work = await tempDataDir();
  serverDir = await tempDataDir();
  server = await startTestServer(serverDir);
  admin = await AdminSession.login(server);
  usCorePackage = await readFile(await packUsCore(work));
});

afterAll(async () => {
  clearInstalledConformanceResources();
  await server?.close();
  if (serverDir) await removeDir(serverDir);
  if (work) await removeDir(work);
});

describe('Implementation Guides in FHIR Setup (admin API)', () => {
  it('lists nothing before a package is installed, and a US Core Patient without gender is stored', async () => {
    const list = await admin.call('GET', '/admin/api/ig/packages');
    expect(list.status).toBe(200);
    expect(list.json()).toEqual({ items: [], total: 0 });
    // The profile is not installed yet: naming it is no reason to refuse the resource.
    expect((await putPatient(await patientWithoutGender('before-install'))).status).toBe(201);
  });

  it('refuses an upload that is not a gzip-compressed FHIR package, and installs nothing', async () => {
    const garbage = await upload(admin, Buffer.from('this is not a package'));
    expect(garbage.status).toBe(400);
    expect(garbage.json<{ error: string }>().error).toMatch(/not a FHIR package/);

    const gzippedText = await upload(admin, gzipSync(Buffer.from('still not a tar archive, only compressed text')));
    expect(gzippedText.status).toBe(400);
    expect(gzippedText.json<{ error: string }>().error).toMatch(/not a readable FHIR package/);

    const wrongType = await upload(admin, gzipSync(Buffer.from('a small body')), 'text/plain');
    expect(wrongType.status).toBe(415);

    // The server reads (and drops) the whole body before answering, as body parsers do.
    const oversized = await upload(admin, Buffer.alloc(51 * 1024 * 1024));
    expect(oversized.status).toBe(413);
    expect((await admin.call('GET', '/admin/api/ig/packages')).json()).toEqual({ items: [], total: 0 });
  });

  it('is for administrators only', async () => {
    const created = await admin.call('POST', '/admin/api/users', { username: 'dr.ig', displayName: 'Dr IG', password: 'clinician password 1', role: 'clinician' });
    expect(created.status).toBe(201);
    const clinician = await AdminSession.login(server, 'dr.ig', 'clinician password 1');
    expect((await clinician.call('GET', '/admin/api/ig/packages')).status).toBe(403);
    expect((await upload(clinician, usCorePackage)).status).toBe(403);
    expect((await admin.call('GET', '/admin/api/ig/packages')).json()).toEqual({ items: [], total: 0 });
  });

  it('installs an uploaded US Core package and lists it with its resource counts', async () => {
    const res = await upload(admin, usCorePackage);
    expect(res.status).toBe(201);
    expect(res.json()).toMatchObject({
      packageName: 'hl7.fhir.us.core#7.0.0',
      counts: { StructureDefinition: 63, SearchParameter: 110, ValueSet: 29, CodeSystem: 5 },
      snapshotsGenerated: 62,
    });

    const list = (await admin.call('GET', '/admin/api/ig/packages')).json<{ items: InstalledPackage[]; total: number }>();
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({ name: 'hl7.fhir.us.core', version: '7.0.0', counts: { StructureDefinition: 63, SearchParameter: 110, ValueSet: 29, CodeSystem: 5 } });
    expect(Date.parse(list.items[0]!.installedAt)).not.toBeNaN();

    const audit = (await admin.call('GET', '/admin/api/audit?type=ig.install')).json<{ items: { outcome: string; detail: Record<string, unknown> }[] }>();
    expect(audit.items[0]).toMatchObject({ outcome: 'success', detail: { packageName: 'hl7.fhir.us.core#7.0.0' } });
    expect(audit.items.some((item) => item.outcome === 'failure')).toBe(true);
  });

  it('refuses a resource that violates a newly installed profile with 422, without a restart', async () => {
    const res = await putPatient(await patientWithoutGender('after-install'));
    expect(res.status).toBe(422);
    const outcome = res.json<{ issue: { severity: string; expression?: string[] }[] }>();
    expect(outcome.issue.some((issue) => issue.severity === 'error' && issue.expression?.includes('Patient.gender'))).toBe(true);

    const complete = await usCoreExample('patient-example.json');
    expect((await putPatient({ ...complete, id: 'complete-after-install' })).status).toBe(201);
  });

  it('makes the new SearchParameters searchable, for Patients stored before the install too (re-indexed in the background)', async () => {
    const race = ((await usCoreExample('patient-example.json')).extension as { url: string; extension?: { url: string; valueCoding?: { code: string } }[] }[])
      .find((e) => e.url.endsWith('us-core-race'))!
      .extension!.find((e) => e.url === 'ombCategory')!.valueCoding!.code;
    const ids = async () => {
      const res = await request(server, `/fhir/r4/Patient?race=${race}`, { headers: { ...(await bearer()), prefer: 'handling=strict' } });
      expect(res.status).toBe(200);
      return (res.json<{ entry?: { resource: { id: string } }[] }>().entry ?? []).map((e) => e.resource.id).sort();
    };
    for (let tries = 0; tries < 100 && !(await ids()).includes('before-install'); tries++) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await ids()).toEqual(['before-install', 'complete-after-install']);
  });
});
