import path from 'node:path';
import type { AppContext } from '../../context.js';
import { BulkJobStore } from './job-store.js';
import type { ExportSettings } from './run-export.js';

/** Bulk export's state for one running server (kept beside AppContext, like oauthServices). */
export interface BulkExports {
  jobs: BulkJobStore;
  /** Read by every job as it starts; tests may lower `fileLimit`. */
  settings: ExportSettings;
  /** The job's directory under the data dir. */
  dirOf(jobId: string): string;
  /** Tells the worker a job was queued (set by the worker while it runs). */
  wake(): void;
  /** Queued or running jobs one client may have at once. */
  maxActivePerClient: number;
}

export const defaultExportSettings: ExportSettings = { pageSize: 1000, fileLimit: 100_000, retentionMs: 24 * 3600_000 };

const byContext = new WeakMap<Pick<AppContext, 'sequelize' | 'config'>, BulkExports>();

export function bulkExports(ctx: Pick<AppContext, 'sequelize' | 'config'>): BulkExports {
  let services = byContext.get(ctx);
  if (!services) {
    const root = path.join(ctx.config.dataDir, 'exports');
    services = {
      jobs: new BulkJobStore(ctx.sequelize),
      settings: { ...defaultExportSettings },
      dirOf: (jobId) => path.join(root, jobId),
      wake: () => undefined,
      maxActivePerClient: 2,
    };
    byContext.set(ctx, services);
  }
  return services;
}
