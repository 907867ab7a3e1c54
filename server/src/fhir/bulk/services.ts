import path from 'node:path';
import type { AppContext } from '../../context.js';
import type { ExportCheckpoint } from './checkpoint.js';
import { BulkJobStore } from './job-store.js';

/** What the practice sets (settings.ts), read as each job starts. */
export interface ExportLimits {
  /** Resources per NDJSON file before the next file starts. */
  resourcesPerFile: number;
  /** How long a completed export's files stay. */
  retentionMs: number;
}

/** A checkpoint the worker has just stored, for `onCheckpoint`. */
export interface CheckpointEvent {
  jobId: string;
  checkpoint: ExportCheckpoint;
  /** True once the server is closing. */
  stopping(): boolean;
}

/** How the worker runs, set in code (tests lower the page size), not by the practice. */
export interface BulkExportOptions {
  /** Rows per keyset page. */
  pageSize: number;
  /** A checkpoint is stored after a page once this long has passed since the last one (0: after every page), and at the end of each type. */
  checkpointIntervalMs: number;
  /** Awaited after each stored checkpoint: lets a test stop a server in the middle of a job. */
  onCheckpoint?: (event: CheckpointEvent) => Promise<void> | void;
}

/** Bulk export's state for one running server (kept beside AppContext, like oauthServices). */
export interface BulkExports {
  jobs: BulkJobStore;
  options: BulkExportOptions;
  limits(): ExportLimits;
  /** The job's directory under the data dir. */
  dirOf(jobId: string): string;
  /** Tells the worker a job was queued (set by the worker while it runs). */
  wake(): void;
  /** Queued or running jobs one client may have at once. */
  maxActivePerClient: number;
}

type Ctx = Pick<AppContext, 'sequelize' | 'config' | 'settings'>;

const byContext = new WeakMap<Ctx, BulkExports>();

export function bulkExports(ctx: Ctx): BulkExports {
  let services = byContext.get(ctx);
  if (!services) {
    const root = path.join(ctx.config.dataDir, 'exports');
    services = {
      jobs: new BulkJobStore(ctx.sequelize),
      options: { pageSize: 1000, checkpointIntervalMs: 250 },
      limits: () => {
        const settings = ctx.settings.get();
        return { resourcesPerFile: settings.bulkExportResourcesPerFile, retentionMs: settings.bulkExportRetentionHours * 3600_000 };
      },
      dirOf: (jobId) => path.join(root, jobId),
      wake: () => undefined,
      maxActivePerClient: 2,
    };
    byContext.set(ctx, services);
  }
  return services;
}
