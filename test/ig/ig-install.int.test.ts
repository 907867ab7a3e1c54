import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../server/src/cli/io.js';
import { runCli } from '../../server/src/cli.js';
import { installConformanceResources, type InstallReport } from '../../server/src/fhir/ig/install.js';
import { clearInstalledConformanceResources, installedProfile } from '../../server/src/fhir/ig/profiles.js';
import type { RunningServer } from '../../server/src/server.js';
import { removeDir, request, startTestServer, tempDataDir } from '../helpers/server.js';
import { bearerHeader } from '../helpers/bearer.js';

// `inpracsys ig install` with the real US Core 7.0.0 package (differential-only profiles), then
// profile validation through the live FHIR API. The data is required: a missing folder fails.
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const dataDir = path.resolve(repoRoot, process.env.INPRACSYS_TEST_DATA ?? '../shared/data');
const usCore = path.join(dataDir, 'us-core-7.0.0');
const examples = path.join(dataDir, 'us-core-examples');
const usCorePatient = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient';

let server: RunningServer;
let serverDir: string;
let report: InstallReport;

async function example(file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path.join(examples, file), 'utf8')) as Record<string, unknown>;
}

async function bearer(): Promise<Record<string, string>> {
  return { ...(await bearerHeader(server, 'system/Patient.cruds system/Observation.cruds')), 'content-type': 'application/fhir+json' };
}

async function put(resource: Record<string, unknown>) {
  const res = await request(server, `/fhir/r4/${String(resource.resourceType)}/${String(resource.id)}`, { method: 'PUT', headers: await bearer(), body: JSON.stringify(resource) });
  return { status: res.status, body: res.json<{ issue?: { severity: string; expression?: string[]; diagnostics?: string }[] }>() };
}

function fakeIo(): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { env: {}, out: (line) => lines.push(line), err: (line) => errors.push(line), readStdin: () => Promise.resolve(''), lines, errors };
}

beforeAll(async () => {
  if (!existsSync(usCore) || !existsSync(examples)) {
    throw new Error(`US Core test data missing: ${usCore} and ${examples} are required (set INPRACSYS_TEST_DATA)`);
  }
  serverDir = await tempDataDir();
  server = await startTestServer(serverDir);
  report = await installConformanceResources(server.context.sequelize, usCore);
});

afterAll(async () => {
  clearInstalledConformanceResources();
  await server?.close();
  if (serverDir) await removeDir(serverDir);
});

describe('ig install', () => {
  it('installs US Core 7.0.0 and generates the snapshots it leaves out', () => {
    expect(report.counts).toMatchObject({ StructureDefinition: 63, SearchParameter: 110, ValueSet: 29, CodeSystem: 5 });
    // every profile but us-core-questionnaireresponse (its base, SDC's, is not in the package)
    expect(report.snapshotsGenerated).toBe(62);
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toMatch(/us-core-questionnaireresponse.*sdc-questionnaireresponse/);
    const patient = installedProfile(usCorePatient)!;
    const identifier = patient.snapshot!.element.find((e) => e.id === 'Patient.identifier.system');
    expect(identifier).toMatchObject({ min: 1, path: 'Patient.identifier.system' });
    expect(patient.snapshot!.element.find((e) => e.id === 'Patient.extension:race')?.type?.[0]?.profile).toEqual([
      'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race',
    ]);
  });

  it('accepts the US Core Patient example that names the us-core-patient profile', async () => {
    const patient = await example('patient-example.json');
    expect((patient.meta as { profile: string[] }).profile[0]).toContain(usCorePatient);
    expect((await put(patient)).status).toBe(201);
  });

  it('refuses a Patient without identifier or gender with 422 and the path of the problem', async () => {
    for (const missing of ['identifier', 'gender']) {
      const patient = Object.fromEntries(Object.entries(await example('patient-example.json')).filter(([key]) => key !== missing));
      patient.id = `no-${missing}`;
      const res = await put(patient);
      expect(res.status).toBe(422);
      expect(res.body.issue?.some((issue) => issue.severity === 'error' && issue.expression?.includes(`Patient.${missing}`))).toBe(true);
    }
  });

  it('refuses a blood pressure without its diastolic component (a slice)', async () => {
    const bp = await example('blood-pressure.json');
    const res = await put({ ...bp, id: 'bp-no-diastolic', component: (bp.component as unknown[]).slice(0, 1) });
    expect(res.status).toBe(422);
    expect(res.body.issue?.some((issue) => issue.expression?.includes('Observation.component'))).toBe(true);
  });

  it('accepts a resource naming a profile that is not installed', async () => {
    const res = await put({ resourceType: 'Patient', id: 'other-profile', meta: { profile: ['http://example.org/StructureDefinition/not-installed'] } });
    expect(res.status).toBe(201);
  });

  it('keeps the installed profiles across a restart', async () => {
    await server.close();
    clearInstalledConformanceResources();
    server = await startTestServer(serverDir);
    expect(installedProfile(usCorePatient)).toBeDefined();
    const patient = Object.fromEntries(Object.entries(await example('patient-example.json')).filter(([key]) => key !== 'gender'));
    patient.id = 'after-restart';
    expect((await put(patient)).status).toBe(422);
  });
});

describe('inpracsys ig install', () => {
  it('installs a FHIR NPM package (.tgz) into the data dir', async () => {
    const work = await tempDataDir();
    try {
      const pkg = path.join(work, 'pkg', 'package');
      await mkdir(pkg, { recursive: true });
      const files = ['structuredefinition-us-core-patient.json', 'StructureDefinition-us-core-race.json', 'StructureDefinition-us-core-ethnicity.json', 'ValueSet-omb-race-category.json'];
      for (const file of files) await copyFile(path.join(usCore, file), path.join(pkg, file));
      await writeFile(path.join(pkg, 'package.json'), JSON.stringify({ name: 'test.us.core.subset', version: '1.0.0' }));
      const tgz = path.join(work, 'package.tgz');
      execFileSync('tar', ['-czf', tgz, '-C', path.join(work, 'pkg'), 'package']);
      const io = fakeIo();
      expect(await runCli(['ig', 'install', tgz, '--data-dir', path.join(work, 'data')], io)).toBe(0);
      expect(io.lines[0]).toMatch(/^installed test\.us\.core\.subset#1\.0\.0: 3 StructureDefinition, 1 ValueSet; 3 snapshots generated$/);
      expect(io.errors).toEqual([]);
    } finally {
      clearInstalledConformanceResources();
      await removeDir(work);
    }
  });

  it('refuses a usage mistake and a folder without conformance resources', async () => {
    expect(await runCli(['ig', 'remove', 'x'], fakeIo())).toBe(2);
    const work = await tempDataDir();
    try {
      const io = fakeIo();
      await mkdir(path.join(work, 'empty'));
      expect(await runCli(['ig', 'install', path.join(work, 'empty'), '--data-dir', path.join(work, 'data')], io)).toBe(1);
      expect(io.errors[0]).toMatch(/holds no StructureDefinitions/);
    } finally {
      await removeDir(work);
    }
  });
});
