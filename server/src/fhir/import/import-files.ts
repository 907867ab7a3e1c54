import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { FhirError } from '../../http/errors.js';
import { systemPolicy } from '../access/policy.js';
import { BundleProcessor } from '../bundle/process.js';
import type { FhirService } from '../http/service.js';

export interface ImportReport {
  files: number;
  resources: number;
  failures: { file: string; message: string }[];
  /** Resources stored despite structural validation problems. */
  invalid: { file: string; entry: string; message: string }[];
}

type Json = Record<string, unknown>;

/** Resources per transaction for NDJSON: few commits, and the whole chunk rolls back when one fails. */
const ndjsonChunk = 1000;

async function listFiles(target: string): Promise<string[]> {
  const info = await stat(target);
  if (!info.isDirectory()) return [target];
  const names = (await readdir(target)).filter((name) => /\.(json|ndjson)$/i.test(name)).sort();
  return names.map((name) => path.join(target, name));
}

/** A resource as a Bundle entry that keeps its id (PUT) when it has one. */
function entryFor(resource: Json): Json {
  const type = String(resource.resourceType);
  return typeof resource.id === 'string'
    ? { resource, request: { method: 'PUT', url: `${type}/${resource.id}` } }
    : { resource, request: { method: 'POST', url: type } };
}

/**
 * Patient bundles refer to organizations and practitioners of other files (Synthea), so files with
 * a Patient go last. Read from the text, so no file has to stay parsed in memory meanwhile; a
 * contained Patient only moves its file later, which is harmless.
 */
function holdsPatients(text: string): boolean {
  return /"resourceType"\s*:\s*"Patient"/.test(text);
}

function parseJson(text: string, where: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (error) {
    throw new Error(`not readable as FHIR JSON: ${where}${(error as Error).message}`);
  }
}

/** One file's content as transaction Bundles of at most `ndjsonChunk` resources (or the file's own Bundle), parsed one at a time. */
function* bundlesOf(file: string, text: string): Generator<Json> {
  if (file.toLowerCase().endsWith('.ndjson')) {
    const lines = text.split('\n').filter((line) => line.trim());
    for (let i = 0; i < lines.length; i += ndjsonChunk) {
      const resources = lines.slice(i, i + ndjsonChunk).map((line, j) => parseJson(line, `line ${i + j + 1}: `));
      yield { resourceType: 'Bundle', type: 'transaction', entry: resources.map(entryFor) };
    }
    return;
  }
  const content = parseJson(text, '');
  if (content.resourceType === 'Bundle' && (content.type === 'transaction' || content.type === 'batch')) {
    yield content;
  } else if (content.resourceType === 'Bundle' && Array.isArray(content.entry)) {
    const entries = content.entry.map((e: Json) => e.resource).filter((r): r is Json => typeof r === 'object' && r !== null);
    yield { resourceType: 'Bundle', type: 'transaction', entry: entries.map(entryFor) };
  } else {
    yield { resourceType: 'Bundle', type: 'transaction', entry: [entryFor(content)] };
  }
}

/**
 * `inpracsys import FILE|DIR`: FHIR Bundles (transaction, batch, collection), single resources
 * and NDJSON, each file all-or-nothing, as the server itself (Provenance agent "inpracsys import").
 * Structurally invalid resources are stored and listed in `invalid` rather than failing the file.
 */
export async function importPath(service: FhirService, target: string, progress: (line: string) => void = () => undefined): Promise<ImportReport> {
  const report: ImportReport = { files: 0, resources: 0, failures: [], invalid: [] };
  let currentFile = '';
  const processor = new BundleProcessor(service, systemPolicy('inpracsys import'), 'minimal', (entry, issues) => {
    report.invalid.push({ file: currentFile, entry, message: issues.map((i) => `${i.diagnostics ?? i.code}${i.expression ? ` (${i.expression.join(', ')})` : ''}`).join('; ') });
  });
  const files = await listFiles(target);
  const later = new Set<string>();
  for (const file of files) {
    try {
      if (holdsPatients(await readFile(file, 'utf8'))) later.add(file);
    } catch (error) {
      report.failures.push({ file, message: `not readable: ${(error as Error).message}` });
    }
  }
  const readable = files.filter((file) => !report.failures.some((f) => f.file === file));
  for (const file of [...readable.filter((f) => !later.has(f)), ...readable.filter((f) => later.has(f))]) {
    currentFile = file;
    let bundles: Iterable<Json>;
    try {
      bundles = bundlesOf(file, await readFile(file, 'utf8'));
    } catch (error) {
      report.failures.push({ file, message: `not readable: ${(error as Error).message}` });
      continue;
    }
    let count = 0;
    try {
      for (const bundle of bundles) {
        const response = await processor.process(bundle);
        const entries = (response.entry as Json[] | undefined) ?? [];
        const failed = entries.filter((e) => !String((e.response as Json).status).startsWith('2'));
        if (failed.length) throw new Error(`${failed.length} entries failed`);
        count += entries.length;
      }
      report.files++;
      report.resources += count;
      progress(`${path.basename(file)}: ${count} resources`);
    } catch (error) {
      const message = error instanceof FhirError ? error.issues.map((i) => i.diagnostics ?? i.code).join('; ') : (error as Error).message;
      // NDJSON goes in chunks: say what of the file is already in
      const partly = count ? ` (its first ${count} resources were imported)` : '';
      report.failures.push({ file, message: message + partly });
      progress(`${path.basename(file)}: FAILED ${message}${partly}`);
    }
  }
  return report;
}
