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

/** Patient bundles refer to organizations and practitioners of other files (Synthea), so those go first. */
function holdsPatients(content: Json): boolean {
  return content.resourceType === 'Patient' || (Array.isArray(content.entry) && content.entry.some((e: Json) => (e.resource as Json | undefined)?.resourceType === 'Patient'));
}

/** Turns one file's content into transaction Bundles of at most `ndjsonChunk` resources (or the file's own Bundle). */
function bundlesOf(file: string, text: string): Json[] {
  if (file.toLowerCase().endsWith('.ndjson')) {
    const resources = text.split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line) as Json);
    const bundles: Json[] = [];
    for (let i = 0; i < resources.length; i += ndjsonChunk) {
      bundles.push({ resourceType: 'Bundle', type: 'transaction', entry: resources.slice(i, i + ndjsonChunk).map(entryFor) });
    }
    return bundles;
  }
  const content = JSON.parse(text) as Json;
  if (content.resourceType === 'Bundle' && (content.type === 'transaction' || content.type === 'batch')) return [content];
  if (content.resourceType === 'Bundle' && Array.isArray(content.entry)) {
    const entries = content.entry.map((e: Json) => e.resource).filter((r): r is Json => typeof r === 'object' && r !== null);
    return [{ resourceType: 'Bundle', type: 'transaction', entry: entries.map(entryFor) }];
  }
  return [{ resourceType: 'Bundle', type: 'transaction', entry: [entryFor(content)] }];
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
  const loaded: { file: string; bundles: Json[]; later: boolean }[] = [];
  for (const file of files) {
    try {
      const text = await readFile(file, 'utf8');
      const bundles = bundlesOf(file, text);
      loaded.push({ file, bundles, later: bundles.some(holdsPatients) });
    } catch (error) {
      report.failures.push({ file, message: `not readable as FHIR JSON: ${(error as Error).message}` });
    }
  }
  for (const { file, bundles } of [...loaded.filter((l) => !l.later), ...loaded.filter((l) => l.later)]) {
    currentFile = file;
    try {
      let count = 0;
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
      report.failures.push({ file, message });
      progress(`${path.basename(file)}: FAILED ${message}`);
    }
  }
  return report;
}
