import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerHeader } from '../../../../test/helpers/bearer.js';
import { removeDir, request, startTestServer, tempDataDir } from '../../../../test/helpers/server.js';
import { authenticateBearer } from '../../oauth/bearer.js';
import type { RunningServer } from '../../server.js';
import { serverFhirService } from '../api.js';
import { fastRead } from './fast-read.js';

// Reads by id skip the Express chain (fast-read.ts); these tests hold the two paths to one answer.
let dir: string;
let server: RunningServer;
let system: Record<string, string>;

/** Everything but the per-response connection headers. */
function comparable(headers: Record<string, string | string[] | undefined>) {
  const { date: _date, connection: _connection, 'keep-alive': _keepAlive, ...rest } = headers;
  return rest;
}

beforeAll(async () => {
  dir = await tempDataDir();
  server = await startTestServer(dir);
  system = await bearerHeader(server, 'system/Patient.cruds system/Observation.cruds');
  for (const id of ['fast-a', 'fast-b']) {
    const res = await request(server, `/fhir/r4/Patient/${id}`, { method: 'PUT', headers: { ...system, 'content-type': 'application/fhir+json' }, body: { resourceType: 'Patient', id, name: [{ family: 'Fästreader' }] } });
    expect(res.status).toBe(201);
  }
});

afterAll(async () => {
  await server?.close();
  if (dir) await removeDir(dir);
});

describe('read by id', () => {
  it('is answered by the fast path itself when it is a plain authorized read, and only then', async () => {
    const read = fastRead(() => serverFhirService(server.context), (authorization) => authenticateBearer(server.context, authorization), () => true);
    const ask = async (url: string, headers: Record<string, string>) => {
      const answer: { status?: number; headers?: Record<string, unknown>; body?: string } = {};
      const res = { writeHead: (status: number, h: Record<string, unknown>) => Object.assign(answer, { status, headers: h }), end: (body: string) => Object.assign(answer, { body }) };
      const answered = await read({ method: 'GET', url, headers } as unknown as IncomingMessage, res as unknown as ServerResponse);
      return { answered, ...answer };
    };
    const plain = await ask('/fhir/r4/Patient/fast-a', { authorization: system.authorization! });
    expect(plain).toMatchObject({ answered: true, status: 200, headers: { ETag: 'W/"1"', 'Cache-Control': 'no-store' } });
    expect(JSON.parse(plain.body!)).toMatchObject({ id: 'fast-a' });
    expect((await ask('/fhir/r4/Patient/fast-a?_format=json', { authorization: system.authorization! })).answered).toBe(false);
    expect((await ask('/fhir/r4/Patient/fast-a', {})).answered).toBe(false);
    expect((await ask('/fhir/r4/Patient/nobody', { authorization: system.authorization! })).answered).toBe(false);
    expect((await ask('/fhir/r4/patient/fast-a', { authorization: system.authorization! })).answered).toBe(false);
  });

  it('answers the same status, headers and bytes as the router does for the same read', async () => {
    const fast = await request(server, '/fhir/r4/Patient/fast-a', { headers: system });
    const routed = await request(server, '/fhir/r4/Patient/fast-a?_format=json', { headers: system });
    expect(fast.status).toBe(200);
    expect(fast.json()).toMatchObject({ resourceType: 'Patient', id: 'fast-a', meta: { versionId: '1' } });
    expect(fast.body).toBe(routed.body);
    expect(comparable(fast.headers)).toEqual(comparable(routed.headers));
    expect(fast.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
  });

  it('leaves every refusal to the router: no token, a bad token, another patient, an unknown id or type', async () => {
    const none = await request(server, '/fhir/r4/Patient/fast-a');
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await request(server, '/fhir/r4/Patient/fast-a', { headers: { authorization: 'Bearer not.a.token' } })).status).toBe(401);
    const patientA = await bearerHeader(server, 'patient/Patient.rs', 'fast-a');
    expect((await request(server, '/fhir/r4/Patient/fast-a', { headers: patientA })).status).toBe(200);
    const other = await request(server, '/fhir/r4/Patient/fast-b', { headers: patientA });
    expect(other.status).toBe(404);
    expect(other.json()).toMatchObject({ resourceType: 'OperationOutcome' });
    expect((await request(server, '/fhir/r4/Observation/fast-a', { headers: patientA })).status).toBe(403);
    expect((await request(server, '/fhir/r4/Patient/nobody', { headers: system })).status).toBe(404);
    expect((await request(server, '/fhir/r4/Spaceship/1', { headers: system })).status).toBe(404);
  });

  it('leaves conditional reads, other spellings and the API switch to the router', async () => {
    const current = await request(server, '/fhir/r4/Patient/fast-a', { headers: system });
    expect((await request(server, '/fhir/r4/Patient/fast-a', { headers: { ...system, 'if-none-match': String(current.headers.etag) } })).status).toBe(304);
    expect((await request(server, '/r4/patient/fast-a', { headers: system })).json()).toMatchObject({ id: 'fast-a' });
    await server.context.settings.update({ apiEnabled: false });
    try {
      expect((await request(server, '/fhir/r4/Patient/fast-a', { headers: system })).status).toBe(503);
    } finally {
      await server.context.settings.update({ apiEnabled: true });
    }
  });

  it('sees a write at once: the next read answers the new version', async () => {
    await request(server, '/fhir/r4/Patient/fast-a', { method: 'PUT', headers: { ...system, 'content-type': 'application/fhir+json' }, body: { resourceType: 'Patient', id: 'fast-a', name: [{ family: 'Changed' }] } });
    const after = await request(server, '/fhir/r4/Patient/fast-a', { headers: system });
    expect(after.headers.etag).toBe('W/"2"');
    expect(after.json()).toMatchObject({ name: [{ family: 'Changed' }] });
  });

  it('sees a resource created or deleted after a read of it (reads are remembered only until the next commit)', async () => {
    const headers = { ...system, 'content-type': 'application/fhir+json' };
    for (let i = 0; i < 2; i++) expect((await request(server, '/fhir/r4/Patient/fast-later', { headers: system })).status).toBe(404);
    expect((await request(server, '/fhir/r4/Patient/fast-later', { method: 'PUT', headers, body: { resourceType: 'Patient', id: 'fast-later' } })).status).toBe(201);
    for (let i = 0; i < 2; i++) expect((await request(server, '/fhir/r4/Patient/fast-later', { headers: system })).headers.etag).toBe('W/"1"');
    expect((await request(server, '/fhir/r4/Patient/fast-later', { method: 'DELETE', headers: system })).status).toBe(204);
    expect((await request(server, '/fhir/r4/Patient/fast-later', { headers: system })).status).toBe(410);
  });

  it('never answers an older version than the last acknowledged write while other reads of it run alongside', async () => {
    const url = '/fhir/r4/Patient/fast-race';
    let writing = true;
    // readers keep batches in flight, so some of them overlap each commit
    const readers = Array.from({ length: 4 }, async () => {
      while (writing) await request(server, url, { headers: system });
    });
    try {
      for (let version = 1; version <= 15; version++) {
        const put = await request(server, url, { method: 'PUT', headers: { ...system, 'content-type': 'application/fhir+json' }, body: { resourceType: 'Patient', id: 'fast-race', birthDate: `19${10 + version}-01-01` } });
        expect(put.headers.etag).toBe(`W/"${version}"`);
        const read = await request(server, url, { headers: system });
        expect(read.headers.etag).toBe(`W/"${version}"`);
        expect(read.json()).toMatchObject({ birthDate: `19${10 + version}-01-01` });
      }
    } finally {
      writing = false;
      await Promise.all(readers);
    }
  });
});
