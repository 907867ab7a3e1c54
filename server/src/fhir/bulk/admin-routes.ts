import { Router } from 'express';
import type { AppContext } from '../../context.js';
import { requireRole } from '../../admin/middleware.js';
import { oauthServices } from '../../oauth/services.js';
import type { ExportParams } from './params.js';
import { bulkExports } from './services.js';

/**
 * `GET /admin/api/bulk-jobs`: export jobs, newest first, in the shape the GUI's Bulk Exports page
 * reads; `GET /admin/api/bulk-settings`: the file size and retention the worker uses (administrators only).
 */
export function bulkJobRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/bulk-jobs', requireRole('admin'), async (_req, res) => {
    const { rows, count } = await bulkExports(ctx).jobs.list(500);
    const clients = oauthServices(ctx).clients;
    const names = new Map<string, string | null>();
    for (const clientId of new Set(rows.map((job) => job.clientId))) names.set(clientId, (await clients.get(clientId))?.clientName ?? null);
    const items = rows.map((job) => {
      const outputs = job.outputs ? (JSON.parse(job.outputs) as { type: string; count: number; files: number }[]) : [];
      return {
        id: job.id,
        clientId: job.clientId,
        clientName: names.get(job.clientId) ?? null,
        kind: job.kind,
        state: job.state,
        status: job.state,
        progress: job.progress,
        types: (JSON.parse(job.params) as ExportParams).types ?? [],
        requestUrl: job.requestUrl,
        createdAt: job.createdAt.toISOString(),
        completedAt: job.completedAt?.toISOString() ?? null,
        expiresAt: job.expiresAt.toISOString(),
        error: job.error,
        outputs,
        fileCount: outputs.reduce((sum, output) => sum + output.files, 0),
      };
    });
    res.json({ items, total: count });
  });
  router.get('/bulk-settings', requireRole('admin'), (_req, res) => {
    const settings = ctx.settings.get();
    res.json({ resourcesPerFile: settings.bulkExportResourcesPerFile, retentionHours: settings.bulkExportRetentionHours });
  });
  return router;
}
