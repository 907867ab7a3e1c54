import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { parseInput } from '../../http/validate.js';
import { requireRole } from '../middleware.js';
import { tlsView } from './tls.js';

const settingsChange = z
  .object({
    siteAddress: z
      .url({ protocol: /^https$/, message: 'the site address must be an https URL' })
      .refine((value) => {
        const url = new URL(value);
        return ['', '/'].includes(url.pathname) && !url.search && !url.hash && !url.username && !url.password;
      }, 'the site address is https://host[:port] with no path, query, fragment or user name')
      .transform((value) => value.replace(/\/$/, '')),
    practiceName: z.string().trim().min(1).max(200),
    refreshTokenLifetimeDays: z.number().int().min(91).max(3650),
    apiEnabled: z.boolean(),
    // Bulk Data export: read by each export when it starts, so a change applies to later exports.
    bulkExportResourcesPerFile: z.number().int().min(1).max(10_000_000),
    bulkExportRetentionHours: z.number().int().min(1).max(8760),
  })
  .partial()
  .strict();

export function settingsView(ctx: AppContext) {
  const settings = ctx.settings.get();
  const urls = ctx.urls();
  return {
    siteAddress: urls.origin,
    siteAddressConfigured: settings.siteAddress !== null,
    fhirBaseUrl: urls.fhirBase,
    issuer: urls.issuer,
    adminUrl: urls.admin,
    practiceName: settings.practiceName,
    caFingerprint256: ctx.tls.caFingerprint256,
    caPem: ctx.tls.caPem,
    accessTokenLifetimeSeconds: settings.accessTokenLifetimeSeconds,
    refreshTokenLifetimeDays: settings.refreshTokenLifetimeDays,
    apiEnabled: settings.apiEnabled,
    bulkExportResourcesPerFile: settings.bulkExportResourcesPerFile,
    bulkExportRetentionHours: settings.bulkExportRetentionHours,
    tls: tlsView(ctx),
  };
}

/** `/admin/api/settings` (administrators only). */
export function settingsRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use('/settings', requireRole('admin'));

  router.get('/settings', (_req, res) => {
    res.json(settingsView(ctx));
  });

  router.put('/settings', async (req, res) => {
    const change = parseInput(settingsChange, req.body);
    const previousAddress = ctx.settings.get().siteAddress;
    await ctx.settings.update(change);
    if (change.siteAddress !== undefined && change.siteAddress !== previousAddress) await ctx.refreshTls();
    await ctx.audit.record({ type: 'settings.update', outcome: 'success', actor: req.staff?.user.username ?? null, detail: { fields: Object.keys(change) } });
    res.json(settingsView(ctx));
  });

  return router;
}
