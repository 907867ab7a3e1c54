import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../server/src/cli/io.js';
import { runCli } from '../../server/src/cli.js';
import { fhirRegistry } from '../../server/src/fhir/definitions/registry.js';
import { clearInstalledConformanceResources } from '../../server/src/fhir/ig/profiles.js';
import { validateFhirResource } from '../../server/src/fhir/validation/validate.js';
import { FhirError } from '../../server/src/http/errors.js';
import { removeDir, tempDataDir } from '../helpers/server.js';

// `inpracsys import` in a data dir where `inpracsys ig install` put US Core 7.0.0: the import
// checks meta.profile against the installed profiles as the REST API does. The data is required.
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const sharedData = path.resolve(repoRoot, process.env.INPRACSYS_TEST_DATA ?? '../shared/data');
const usCore = path.join(sharedData, 'us-core-7.0.0');
const examples = path.join(sharedData, 'us-core-examples');

let work: string;
let withUsCore: string;

function fakeIo(): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { env: {}, out: (line) => lines.push(line), err: (line) => errors.push(line), readStdin: () => Promise.resolve(''), lines, errors };
}

async function patientExample(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path.join(examples, 'patient-example.json'), 'utf8')) as Record<string, unknown>;
}

/** A US Core Patient (it names us-core-patient in meta.profile) without the identifier the profile requires. */
async function patientWithoutIdentifier(): Promise<Record<string, unknown>> {
  const { identifier: _identifier, ...rest } = await patientExample();
  return { ...rest, id: 'no-identifier' };
}

async function writeJson(name: string, content: unknown): Promise<string> {
  const file = path.join(work, name);
  await writeFile(file, JSON.stringify(content));
  return file;
}

/** What the REST API answers for the body: the 422 issues in the words import uses for its warnings. */
function restRefusal(body: Record<string, unknown>): string {
  try {
    validateFhirResource(fhirRegistry(), body, 'Patient');
  } catch (error) {
    if (!(error instanceof FhirError)) throw error;
    expect(error.status).toBe(422);
    return error.issues.map((i) => `${i.diagnostics ?? i.code}${i.expression ? ` (${i.expression.join(', ')})` : ''}`).join('; ');
  }
  throw new Error('the REST API validation accepted the body');
}

beforeAll(async () => {
  if (!existsSync(usCore) || !existsSync(examples)) {
    throw new Error(`US Core test data missing: ${usCore} and ${examples} are required (set INPRACSYS_TEST_DATA)`);
  }
  work = await tempDataDir();
  withUsCore = path.join(work, 'with-us-core');
  const io = fakeIo();
  expect(await runCli(['ig', 'install', usCore, '--data-dir', withUsCore], io)).toBe(0);
  // each CLI command is its own process: the import must find the profiles in the data dir, not in memory
  clearInstalledConformanceResources();
});

afterAll(async () => {
  clearInstalledConformanceResources();
  if (work) await removeDir(work);
});

describe('inpracsys import with installed profiles', () => {
  it('stores a Patient that breaks us-core-patient and reports it as the REST API would refuse it', async () => {
    const patient = await patientWithoutIdentifier();
    const file = await writeJson('patient-no-identifier.json', patient);
    const io = fakeIo();
    expect(await runCli(['import', file, '--data-dir', withUsCore], io)).toBe(0);
    expect(io.lines.at(-1)).toBe('imported 1 resources from 1 files');
    expect(io.errors).toHaveLength(1);
    const refusal = restRefusal(patient);
    expect(refusal).toMatch(/profile http:\/\/hl7\.org\/fhir\/us\/core\/StructureDefinition\/us-core-patient(\|7\.0\.0)?: .*\(Patient\.identifier\)/);
    expect(io.errors[0]).toBe(`warning: ${file} Patient/no-identifier stored with validation problems: ${refusal}`);
  });

  it('imports the conforming US Core Patient example without a warning', async () => {
    const file = await writeJson('patient-example.json', await patientExample());
    const io = fakeIo();
    expect(await runCli(['import', file, '--data-dir', withUsCore], io)).toBe(0);
    expect(io.errors).toEqual([]);
  });

  it('checks only the base definitions where no profile is installed', async () => {
    clearInstalledConformanceResources();
    const file = await writeJson('patient-no-identifier-bare.json', await patientWithoutIdentifier());
    const io = fakeIo();
    expect(await runCli(['import', file, '--data-dir', path.join(work, 'bare')], io)).toBe(0);
    expect(io.errors).toEqual([]);
  });
});
