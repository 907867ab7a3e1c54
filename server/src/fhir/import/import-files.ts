import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { FhirError } from '../../http/errors.js';
import { systemPolicy } from '../access/policy.js';
import { BundleProcessor } from '../bundle/process.js';
import { staleIndexTypes } from '../indexing/index-state.js';
import type { FhirService } from '../http/service.js';
import { withPrepared, type PreparedChunk } from '../repository/prepared.js';
import type { PreparePool } from './prepare-pool.js';

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

/** NDJSON lines that go in as one transaction; `firstLine` counts from 1, for messages. */
interface NdjsonChunk {
  lines: string[];
  firstLine: number;
}

/** A part of a file that goes in as one transaction: NDJSON lines, or a whole JSON file. */
type Chunk = NdjsonChunk | { json: string };

/** An NDJSON text's resources (blank lines left out) in transactions of `ndjsonChunk`. */
export function ndjsonChunks(text: string): NdjsonChunk[] {
  const lines = text.split('\n').filter((line) => line.trim());
  const chunks: NdjsonChunk[] = [];
  for (let i = 0; i < lines.length; i += ndjsonChunk) chunks.push({ lines: lines.slice(i, i + ndjsonChunk), firstLine: i + 1 });
  return chunks;
}

/** NDJSON in transactions of `ndjsonChunk` resources; a JSON file (a Bundle or one resource) whole. */
function chunksOf(file: string, text: string): Chunk[] {
  return file.toLowerCase().endsWith('.ndjson') ? ndjsonChunks(text) : [{ json: text }];
}

/** A chunk as a transaction Bundle (a file's own transaction or batch Bundle as it is). */
function bundleOf(chunk: Chunk): Json {
  if ('lines' in chunk) {
    const resources = chunk.lines.map((line, j) => parseJson(line, `line ${chunk.firstLine + j}: `));
    return { resourceType: 'Bundle', type: 'transaction', entry: resources.map(entryFor) };
  }
  const content = parseJson(chunk.json, '');
  if (content.resourceType === 'Bundle' && (content.type === 'transaction' || content.type === 'batch')) return content;
  if (content.resourceType === 'Bundle' && Array.isArray(content.entry)) {
    const entries = content.entry.map((e: Json) => e.resource).filter((r): r is Json => typeof r === 'object' && r !== null);
    return { resourceType: 'Bundle', type: 'transaction', entry: entries.map(entryFor) };
  }
  return { resourceType: 'Bundle', type: 'transaction', entry: [entryFor(content)] };
}

export interface ImportOptions {
  progress?: (line: string) => void;
  /** Validates and indexes NDJSON chunks ahead on worker threads while the previous chunk is written. */
  workers?: PreparePool;
}

/**
 * `inpracsys import FILE|DIR`: FHIR Bundles (transaction, batch, collection), single resources
 * and NDJSON, each file all-or-nothing, as the server itself (Provenance agent "inpracsys import").
 * Structurally invalid resources are stored and listed in `invalid` rather than failing the file.
 */
export async function importPath(service: FhirService, target: string, { progress = () => undefined, workers }: ImportOptions = {}): Promise<ImportReport> {
  const report: ImportReport = { files: 0, resources: 0, failures: [], invalid: [] };
  // types still empty are recorded as indexed by this version, so a server started next re-indexes none of what goes in now
  await staleIndexTypes(service.repository.store, service.registry);
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
    let chunks: Chunk[];
    try {
      chunks = chunksOf(file, await readFile(file, 'utf8'));
    } catch (error) {
      report.failures.push({ file, message: `not readable: ${(error as Error).message}` });
      continue;
    }
    const checks = new Map<number, Promise<PreparedChunk>>();
    const prepareAhead = (index: number) => {
      const chunk = chunks[index];
      if (!workers || !chunk || !('lines' in chunk) || checks.has(index)) return;
      const check = workers.prepare(chunk.lines);
      check.catch(() => undefined); // awaited below, unless the file fails first
      checks.set(index, check);
    };
    let count = 0;
    try {
      for (let index = 0; index < chunks.length; index++) {
        for (let ahead = index; ahead <= index + (workers?.size ?? 0); ahead++) prepareAhead(ahead);
        const bundle = bundleOf(chunks[index]!);
        const found = await checks.get(index);
        checks.delete(index);
        const response = found ? await withPrepared(found, () => processor.process(bundle)) : await processor.process(bundle);
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
