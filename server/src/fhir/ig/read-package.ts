import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

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

/** Reads a FHIR NPM package (.tgz) or a folder (searched recursively) of conformance resources. */
export async function readConformancePackage(source: string): Promise<PackageContents> {
  const info = await stat(source);
  const files = info.isDirectory() ? await readFolder(source) : readTarGz(await readFile(source));
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

/** A minimal ustar reader: regular files only (FHIR packages are plain `npm pack` archives). */
function readTarGz(data: Buffer): [string, string][] {
  const tar = gunzipSync(data);
  const out: [string, string][] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number) => header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    const prefix = field(345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    longName = undefined;
    const body = tar.subarray(offset + 512, offset + 512 + size);
    if (type === 'L') longName = body.toString('utf8').replace(/\0.*$/s, '');
    else if (type === 'x') {
      const match = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      if (match) longName = match[1];
    } else if (type === '0' || type === '') out.push([name, body.toString('utf8')]);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}
