import express, { Router } from 'express';
import type { AppContext } from '../../context.js';
import { fhirRegistry } from '../../fhir/definitions/registry.js';
import { listInstalledPackages } from '../../fhir/ig/installed-packages.js';
import { reindexTypes } from '../../fhir/indexing/reindex.js';
import { FhirStore } from '../../fhir/storage/fhir-store.js';
import { installUploadedPackage, PackageUploadError } from '../../fhir/ig/upload.js';
import { HttpError } from '../../http/errors.js';
import { requireRole } from '../middleware.js';

/** US Core is a few MB; this leaves room for large guides while bounding what a request may hold in memory. */
const MAX_PACKAGE_BYTES = '50mb';
const PACKAGE_TYPES = ['application/gzip', 'application/x-gzip', 'application/octet-stream'];

/** `/admin/api/ig/packages`: installed implementation guides, and installing one from FHIR Setup (administrators only). */
export function igPackageRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use('/ig', requireRole('admin'));

  router.get('/ig/packages', async (_req, res) => {
    const items = await listInstalledPackages(ctx.sequelize);
    res.json({ items, total: items.length });
  });

  router.post('/ig/packages', express.raw({ type: PACKAGE_TYPES, limit: MAX_PACKAGE_BYTES }), async (req, res) => {
    const actor = req.staff?.user.username ?? null;
    if (!Buffer.isBuffer(req.body)) {
      throw new HttpError(415, `send the package file as the request body with Content-Type ${PACKAGE_TYPES.join(' or ')}`);
    }
    const report = await installUploadedPackage(ctx.sequelize, req.body).catch(async (error: unknown) => {
      if (!(error instanceof PackageUploadError)) throw error;
      await ctx.audit.record({ type: 'ig.install', outcome: 'failure', actor, ip: req.ip ?? null, detail: { reason: error.message } });
      throw new HttpError(400, error.message);
    });
    if (report.warnings.length > 0) ctx.log.warn({ packageName: report.packageName, warnings: report.warnings }, 'ig install: profiles the validator cannot fully use');
    await ctx.audit.record({
      type: 'ig.install',
      outcome: 'success',
      actor,
      ip: req.ip ?? null,
      detail: { packageName: report.packageName ?? null, counts: report.counts },
    });
    if (report.reindexTypes.length) {
      // resources stored before the install get the new parameters' index rows; the API keeps answering meanwhile
      void reindexTypes(new FhirStore(ctx.sequelize), fhirRegistry(), report.reindexTypes)
        .then((resources) => ctx.log.info({ types: report.reindexTypes, resources }, 'search index rebuilt for installed SearchParameters'))
        .catch((error: unknown) => ctx.log.error({ err: error }, 'search index rebuild for installed SearchParameters failed'));
    }
    res.status(201).json(report);
  });

  return router;
}
