import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { extract } from 'tar';

/** The conformance resource types `ig install` takes; others in a package are skipped. */
export const conformanceTypes = new Set(['StructureDefinition', 'SearchParameter', 'ValueSet', 'CodeSystem']);

export interface PackageContents {
  /** `name#version` from the package's package.json, when there is one. */
  packageName?: string;
  resources: Record<string, unknown>[];
  /** JSON files that are not conformance resources of the types above (examples, CapabilityStatements, …). */
  skipped: number;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What a package may unpack to (US Core 7 is about 15 MB): an archive that inflates beyond it is refused before it fills the disk. */
export const maxUnpackedBytes = 512 * 2 ** 20;

/** Reads a FHIR NPM package (.tgz) or a folder (searched recursively) of conformance resources. */
export async function readConformancePackage(source: string, limit = maxUnpackedBytes): Promise<PackageContents> {
  const info = await stat(source);
  const files = info.isDirectory() ? await readFolder(source) : await readTarGz(source, limit);
  const contents: PackageContents = { resources: [], skipped: 0 };
  for (const [name, text] of files) {
    const base = path.posix.basename(name);
    if (!base.endsWith('.json') || base === '.index.json') continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`${name} is not valid JSON`);
    }
    if (base === 'package.json' && isObject(json) && typeof json.name === 'string' && !('resourceType' in json)) {
      if (!/(^|\/)(other|example)\//.test(name)) contents.packageName = `${json.name}#${String(json.version ?? '')}`;
      continue;
    }
    if (isObject(json) && typeof json.resourceType === 'string' && conformanceTypes.has(json.resourceType) && typeof json.url === 'string' && !/(^|\/)example\//.test(name)) {
      contents.resources.push(json);
    } else {
      contents.skipped++;
    }
  }
  return contents;
}

async function readFolder(dir: string): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.json')) continue;
    const full = path.join(entry.parentPath, entry.name);
    out.push([path.relative(dir, full).split(path.sep).join('/'), await readFile(full, 'utf8')]);
  }
  return out.sort(([a], [b]) => a.localeCompare(b));
}

/** A FHIR NPM package is an `npm pack` archive: its JSON files unpacked into a temporary folder and read from there. */
async function readTarGz(file: string, limit: number): Promise<[string, string][]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'inpracsys-ig-'));
  try {
    let unpacked = 0;
    await extract({
      file,
      cwd: dir,
      strict: true,
      filter: (name, entry) => {
        unpacked += 'size' in entry && typeof entry.size === 'number' ? entry.size : 0;
        return unpacked <= limit && name.endsWith('.json');
      },
    });
    if (unpacked > limit) throw new Error(`the package unpacks to more than ${Math.round(limit / 2 ** 20)} MB`);
    return await readFolder(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
