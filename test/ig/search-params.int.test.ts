import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../server/src/cli/io.js';
import { runCli } from '../../server/src/cli.js';
import { clearInstalledConformanceResources } from '../../server/src/fhir/ig/profiles.js';
import type { RunningServer } from '../../server/src/server.js';
import { bearerHeader } from '../helpers/bearer.js';
import { removeDir, request, startTestServer, tempDataDir } from '../helpers/server.js';

// US Core SearchParameters whose codes R4 lacks (race, ethnicity, …) become searchable once the
// package is installed, for resources stored before the install too (re-indexed by `ig install`).
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const usCore = path.join(path.resolve(repoRoot, process.env.INPRACSYS_TEST_DATA ?? '../shared/data'), 'us-core-7.0.0');
const raceUrl = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race';
const ethnicityUrl = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity';
const omb = 'urn:oid:2.16.840.1.113883.6.238';

function patient(id: string, race: string, ethnicity: string) {
  return {
    resourceType: 'Patient',
    id,
    gender: 'female',
    extension: [
      { url: raceUrl, extension: [{ url: 'ombCategory', valueCoding: { system: omb, code: race } }, { url: 'text', valueString: race }] },
      { url: ethnicityUrl, extension: [{ url: 'ombCategory', valueCoding: { system: omb, code: ethnicity } }, { url: 'text', valueString: ethnicity }] },
    ],
  };
}

const white = '2106-3';
const black = '2054-5';
const hispanic = '2135-2';
const notHispanic = '2186-5';

let dir: string;
let server: RunningServer;

async function headers(): Promise<Record<string, string>> {
  return { ...(await bearerHeader(server, 'system/Patient.cruds')), 'content-type': 'application/fhir+json', prefer: 'handling=strict' };
}

async function searchIds(query: string): Promise<{ status: number; ids: string[] }> {
  const res = await request(server, `/fhir/r4/Patient?${query}`, { headers: await headers() });
  const bundle = res.json<{ entry?: { resource: { id: string } }[] }>();
  return { status: res.status, ids: (bundle.entry ?? []).map((e) => e.resource.id).sort() };
}

function fakeIo(): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return { env: {}, out: (line) => lines.push(line), err: (line) => lines.push(line), readStdin: () => Promise.resolve(''), lines };
}

beforeAll(async () => {
  if (!existsSync(usCore)) throw new Error(`US Core test data missing: ${usCore} is required (set INPRACSYS_TEST_DATA)`);
  dir = await tempDataDir();
  server = await startTestServer(dir);
  for (const p of [patient('w-nh', white, notHispanic), patient('b-h', black, hispanic), patient('w-h', white, hispanic)]) {
    const res = await request(server, `/fhir/r4/Patient/${p.id}`, { method: 'PUT', headers: await headers(), body: JSON.stringify(p) });
    expect(res.status).toBe(201);
  }
});

afterAll(async () => {
  clearInstalledConformanceResources();
  await server?.close();
  if (dir) await removeDir(dir);
});

describe('installed SearchParameters', () => {
  it('are unknown before the install (strict handling refuses them)', async () => {
    expect((await searchIds(`race=${white}`)).status).toBe(400);
  });

  it('re-index the resources stored before the install, through `inpracsys ig install`', async () => {
    await server.close();
    const io = fakeIo();
    expect(await runCli(['ig', 'install', usCore, '--data-dir', dir], io)).toBe(0);
    expect(io.lines.join('\n')).toMatch(/re-indexed 3 stored resources for new search parameters \(.*Patient.*\)/);
    clearInstalledConformanceResources();
    server = await startTestServer(dir);

    expect(await searchIds(`race=${white}`)).toEqual({ status: 200, ids: ['w-h', 'w-nh'] });
    expect(await searchIds(`race=${black}`)).toEqual({ status: 200, ids: ['b-h'] });
    expect(await searchIds(`ethnicity=${hispanic}`)).toEqual({ status: 200, ids: ['b-h', 'w-h'] });
    expect(await searchIds(`race=${white}&ethnicity=${hispanic}`)).toEqual({ status: 200, ids: ['w-h'] });
  });

  it('index resources written after the install, and are listed in the CapabilityStatement', async () => {
    const res = await request(server, '/fhir/r4/Patient/b-nh', { method: 'PUT', headers: await headers(), body: JSON.stringify(patient('b-nh', black, notHispanic)) });
    expect(res.status).toBe(201);
    expect(await searchIds(`race=${black}`)).toEqual({ status: 200, ids: ['b-h', 'b-nh'] });

    const metadata = (await request(server, '/fhir/r4/metadata')).json<{ rest: { resource: { type: string; searchParam?: { name: string; type: string }[] }[] }[] }>();
    const patientParams = metadata.rest[0]!.resource.find((r) => r.type === 'Patient')!.searchParam ?? [];
    expect(patientParams).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'race', type: 'token' }), expect.objectContaining({ name: 'ethnicity', type: 'token' })]));
  });
});
