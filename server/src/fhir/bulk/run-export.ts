import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { operationOutcome } from '../../http/errors.js';
import { ScopeSet } from '../../smart/scopes.js';
import { policyForAccess } from '../access/guard.js';
import type { AccessPolicy } from '../access/policy.js';
import type { FhirService } from '../http/service.js';
import type { FhirStore } from '../storage/fhir-store.js';
import { sql, sqlList } from '../storage/sql.js';
import { parseCheckpoint, restoreCheckpoint, type ExportCheckpoint } from './checkpoint.js';
import { lineShaper } from './elements.js';
import { referencedTypes, selectionPage, type TypeSelection } from './export-query.js';
import type { BulkJobStore } from './job-store.js';
import type { BulkJobRow } from './models.js';
import { NdjsonWriter, type ExportFile } from './ndjson-writer.js';
import { typeFilterContext, typeFilterCriteria, type ExportParams } from './params.js';
import type { BulkExportOptions, ExportLimits } from './services.js';

export interface ExportDeps {
  service: FhirService;
  store: FhirStore;
  jobs: BulkJobStore;
  options: BulkExportOptions;
  limits(): ExportLimits;
  /** The job's directory, `<data-dir>/exports/<job>`. */
  dirOf(jobId: string): string;
  /** True once the server is closing: the job stops at its next page and is queued again. */
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

/** A row of an export page: the stored JSON is all an export writes. */
interface StoredRow {
  id: string;
  content: string;
}

/** One running job: what it exports and how far it has got. */
class ExportRun {
  private readonly params: ExportParams;
  private readonly policy: AccessPolicy;
  private readonly dir: string;
  private checkpoint: ExportCheckpoint = { types: [], typeIndex: 0, files: [] };
  private savedAt = 0;

  constructor(
    private readonly deps: ExportDeps,
    private readonly job: BulkJobRow,
  ) {
    this.params = JSON.parse(job.params) as ExportParams;
    this.policy = policyForAccess({ clientId: job.clientId, subject: job.subject, userKind: 'system', scopes: ScopeSet.parse(this.params.scope) });
    this.dir = deps.dirOf(job.id);
  }

  /** Every type from the checkpoint on, then the issues file, then the job's files are recorded. */
  async run(): Promise<void> {
    await this.start();
    const { types } = this.checkpoint;
    while (this.checkpoint.typeIndex < types.length) {
      const files = await this.exportType(types[this.checkpoint.typeIndex]!);
      await this.save({ types, typeIndex: this.checkpoint.typeIndex + 1, files });
    }
    const files = [...this.checkpoint.files, ...(await this.writeIssues())];
    if (!(await this.deps.jobs.complete(this.job.id, files, this.deps.limits().retentionMs))) throw new Interrupted('cancelled');
  }

  /** A job with a checkpoint continues from it; a new one (or one stopped before its first) starts on an empty directory. */
  private async start(): Promise<void> {
    const stored = parseCheckpoint(this.job.checkpoint);
    if (stored) {
      this.checkpoint = await restoreCheckpoint(this.dir, stored);
      return;
    }
    await rm(this.dir, { recursive: true, force: true });
    await mkdir(this.dir, { recursive: true });
    await this.save({ types: this.params.types ?? (await candidateTypes(this.deps, this.job)), typeIndex: 0, files: [] });
  }

  private async save(checkpoint: ExportCheckpoint): Promise<void> {
    const progress = Math.min(99, Math.floor((checkpoint.typeIndex * 100) / Math.max(1, checkpoint.types.length)));
    if (!(await this.deps.jobs.saveCheckpoint(this.job.id, checkpoint, progress))) throw new Interrupted('cancelled');
    this.checkpoint = checkpoint;
    this.savedAt = performance.now();
    await this.deps.options.onCheckpoint?.({ jobId: this.job.id, checkpoint, stopping: this.deps.stopping });
  }

  private selection(resourceType: string): TypeSelection | undefined {
    const restriction = this.policy.restrictionFor(resourceType, 'r');
    if (!restriction) return undefined;
    const { since, patients } = this.params;
    const filters = typeFilterCriteria(this.deps.service, this.params.typeFilters, resourceType);
    const confined = this.job.kind === 'system' ? undefined : patients ? { ids: patients } : {};
    return { resourceType, restriction, filters, context: typeFilterContext(this.deps.service, this.policy), ...(since ? { since } : {}), ...(confined ? { patients: confined } : {}) };
  }

  /**
   * Streams one type page by page from the checkpoint's cursor, storing a checkpoint after a
   * page once `checkpointIntervalMs` has passed since the last. The database, the disk and the
   * job row work at once: the next page is read while this one is written, and a checkpoint is
   * stored while the next page is written. Lines written past the last stored checkpoint are cut
   * off on resume (restoreCheckpoint). Answers every file written so far.
   */
  private async exportType(resourceType: string): Promise<ExportFile[]> {
    const selection = this.selection(resourceType);
    if (!selection) return this.checkpoint.files;
    const { pageSize, checkpointIntervalMs } = this.deps.options;
    const page = (afterId: string | undefined): Promise<StoredRow[]> =>
      this.deps.store.select<StoredRow>(selectionPage(this.deps.service.registry, selection, afterId, pageSize));
    const earlier = this.checkpoint.files.filter((file) => file.type !== resourceType);
    const own = this.checkpoint.files.filter((file) => file.type === resourceType);
    const writer = new NdjsonWriter(this.dir, resourceType, this.deps.limits().resourcesPerFile, own);
    // without _elements the stored JSON is written as it is: no parse and re-serialize per resource
    const shape = lineShaper(this.params.elements, resourceType);
    let next: Promise<StoredRow[]> | undefined = page(this.checkpoint.afterId);
    let saving: Promise<void> | undefined;
    try {
      while (next) {
        const rows: StoredRow[] = await next;
        if (this.deps.stopping()) throw new Interrupted('stopped');
        const lastId = rows.at(-1)?.id;
        next = rows.length === pageSize ? page(lastId) : undefined;
        if (lastId === undefined) break;
        await writer.writePage(shape ? rows.map((row) => shape(row.content)) : rows.map((row) => row.content));
        if (performance.now() - this.savedAt < checkpointIntervalMs) continue;
        // checkpoints are stored in order: the previous one first (it throws when the job was cancelled)
        await saving;
        saving = this.save({ ...this.checkpoint, afterId: lastId, files: [...earlier, ...writer.files()] });
      }
      await saving;
      return [...earlier, ...writer.files()];
    } finally {
      // nothing started ahead of an interruption outlives it: a page read ahead is dropped, a checkpoint finishes storing
      await Promise.allSettled([next, saving]);
      await writer.close();
    }
  }

  /** The manifest's `error` file: parameters not applied, types the token may not read. Rewritten whole, so a resumed job writes the same. */
  private async writeIssues(): Promise<ExportFile[]> {
    const issues = this.params.warnings.map((warning) => issueLine('warning', 'informational', warning));
    for (const resourceType of this.checkpoint.types) {
      if (!this.policy.restrictionFor(resourceType, 'r')) issues.push(issueLine('error', 'forbidden', `${resourceType} was not exported: the access token has no read scope for it`));
    }
    if (!issues.length) return [];
    const name = 'OperationOutcome-1.ndjson';
    const text = `${issues.join('\n')}\n`;
    await writeFile(path.join(this.dir, name), text);
    return [{ id: randomUUID(), type: 'OperationOutcome', path: name, count: issues.length, bytes: Buffer.byteLength(text) }];
  }
}

/**
 * Runs a claimed job: from its checkpoint when a stopped server left one, else from the start.
 * A cancelled job's files are deleted; a stopped one keeps them for the resume.
 */
export async function runExport(deps: ExportDeps, job: BulkJobRow): Promise<ExportEnd> {
  try {
    await new ExportRun(deps, job).run();
    return 'completed';
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    if (error.end === 'cancelled') await rm(deps.dirOf(job.id), { recursive: true, force: true });
    return error.end;
  }
}
