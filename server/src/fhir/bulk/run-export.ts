import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { operationOutcome } from '../../http/errors.js';
import { ScopeSet } from '../../smart/scopes.js';
import { policyForAccess } from '../access/guard.js';
import type { FhirService } from '../http/service.js';
import type { FhirStore } from '../storage/fhir-store.js';
import { sql, sqlList } from '../storage/sql.js';
import { referencedTypes, selectionPage, type TypeSelection } from './export-query.js';
import type { BulkJobStore, StoredFile } from './job-store.js';
import type { BulkJobRow } from './models.js';
import { NdjsonWriter } from './ndjson-writer.js';
import { typeFilterCriteria, type ExportParams } from './params.js';

export interface ExportSettings {
  /** Rows per keyset page. */
  pageSize: number;
  /** Lines per NDJSON file before a new one starts. */
  fileLimit: number;
  /** How long files stay after completion. */
  retentionMs: number;
}

export interface ExportDeps {
  service: FhirService;
  store: FhirStore;
  jobs: BulkJobStore;
  settings: ExportSettings;
  /** The job's directory, `<data-dir>/exports/<job>`. */
  dirOf(jobId: string): string;
  /** True once the server is closing: the job is put back in the queue. */
  stopping(): boolean;
}

export type ExportEnd = 'completed' | 'cancelled' | 'stopped';

class Interrupted extends Error {
  constructor(readonly end: ExportEnd) {
    super(end);
  }
}

/** Types that hold resources for this kind of export; `_type` replaces them. */
async function candidateTypes(deps: ExportDeps, job: BulkJobRow): Promise<string[]> {
  const query =
    job.kind === 'system'
      ? sql`SELECT DISTINCT resource_type FROM fhir_resources WHERE deleted = ${false}`
      : sql`SELECT DISTINCT resource_type FROM fhir_compartments UNION SELECT DISTINCT resource_type FROM fhir_resources WHERE resource_type IN ${sqlList(referencedTypes)}`;
  const rows = await deps.store.select<{ resource_type: string }>(query);
  return rows.map((row) => row.resource_type).sort();
}

function issueLine(severity: 'error' | 'warning', code: string, diagnostics: string): string {
  return JSON.stringify(operationOutcome([{ severity, code, diagnostics }]));
}

/** Streams one type page by page into its NDJSON files, checking between pages for cancel and shutdown. */
async function exportType(deps: ExportDeps, job: BulkJobRow, dir: string, selection: TypeSelection): Promise<StoredFile[]> {
  const writer = new NdjsonWriter(dir, selection.resourceType, deps.settings.fileLimit);
  let afterId: string | undefined;
  try {
    for (;;) {
      if (deps.stopping()) throw new Interrupted('stopped');
      if ((await deps.jobs.state(job.id)) !== 'running') throw new Interrupted('cancelled');
      const rows = await deps.store.select<{ id: string; content: string }>(selectionPage(deps.service.registry, selection, afterId, deps.settings.pageSize));
      // the stored JSON is written as it is: no parse and re-serialize per resource
      for (const row of rows) await writer.write(row.content);
      await writer.flush();
      if (rows.length < deps.settings.pageSize) break;
      afterId = rows.at(-1)?.id;
    }
  } catch (error) {
    await writer.close();
    throw error;
  }
  return (await writer.close()).map((file) => ({ ...file, id: randomUUID() }));
}

/** Runs a claimed job from scratch: every type, then the issues file, then records the files. */
export async function runExport(deps: ExportDeps, job: BulkJobRow): Promise<ExportEnd> {
  const params = JSON.parse(job.params) as ExportParams;
  const dir = deps.dirOf(job.id);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  try {
    const policy = policyForAccess({ clientId: job.clientId, subject: job.subject, userKind: 'system', scopes: ScopeSet.parse(params.scope) });
    const types = params.types ?? (await candidateTypes(deps, job));
    const issues = params.warnings.map((warning) => issueLine('warning', 'informational', warning));
    const files: StoredFile[] = [];
    for (const [i, resourceType] of types.entries()) {
      const restriction = policy.restrictionFor(resourceType, 'r');
      if (!restriction) {
        issues.push(issueLine('error', 'forbidden', `${resourceType} was not exported: the access token has no read scope for it`));
        continue;
      }
      const filters = typeFilterCriteria(deps.service, params.typeFilters, resourceType);
      const patients = job.kind === 'system' ? undefined : params.patients ? { ids: params.patients } : {};
      files.push(...(await exportType(deps, job, dir, { resourceType, restriction, filters, ...(params.since ? { since: params.since } : {}), ...(patients ? { patients } : {}) })));
      await deps.jobs.setProgress(job.id, Math.min(99, Math.floor(((i + 1) * 100) / types.length)));
    }
    if (issues.length) {
      const name = 'OperationOutcome-1.ndjson';
      const text = `${issues.join('\n')}\n`;
      await writeFile(path.join(dir, name), text);
      files.push({ id: randomUUID(), type: 'OperationOutcome', path: name, count: issues.length, bytes: Buffer.byteLength(text) });
    }
    if (!(await deps.jobs.complete(job.id, files, deps.settings.retentionMs))) throw new Interrupted('cancelled');
    return 'completed';
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    // a cancelled job keeps nothing; a stopped one starts again from scratch on the next run
    await rm(dir, { recursive: true, force: true });
    return error.end;
  }
}
