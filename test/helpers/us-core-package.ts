// The US Core 7.0.0 test data (../shared/data, or INPRACSYS_TEST_DATA) packed as its publisher
// ships it: an `npm pack` archive (package/…) with a package.json.
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { create as createTar } from 'tar';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const testDataDir = path.resolve(repoRoot, process.env.INPRACSYS_TEST_DATA ?? '../shared/data');
export const usCoreDir = path.join(testDataDir, 'us-core-7.0.0');
export const usCoreExamplesDir = path.join(testDataDir, 'us-core-examples');

/** Throws when the shared test data is missing: a test that needs it must fail, not skip. */
export function requireUsCoreData(): void {
  if (!existsSync(usCoreDir) || !existsSync(usCoreExamplesDir)) {
    throw new Error(`US Core test data missing: ${usCoreDir} and ${usCoreExamplesDir} are required (set INPRACSYS_TEST_DATA)`);
  }
}

/** Writes `<work>/us-core.tgz` (package name hl7.fhir.us.core, version 7.0.0) and returns its path. */
export async function packUsCore(work: string): Promise<string> {
  const folder = path.join(work, 'package');
  await mkdir(folder, { recursive: true });
  await cp(usCoreDir, folder, { recursive: true });
  await writeFile(path.join(folder, 'package.json'), JSON.stringify({ name: 'hl7.fhir.us.core', version: '7.0.0', fhirVersions: ['4.0.1'] }));
  const file = path.join(work, 'us-core.tgz');
  await createTar({ gzip: true, file, cwd: work, portable: true }, ['package']);
  return file;
}

export async function usCoreExample(file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path.join(usCoreExamplesDir, file), 'utf8')) as Record<string, unknown>;
}
