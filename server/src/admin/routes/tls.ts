import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { HttpError } from '../../http/errors.js';
import { parseInput } from '../../http/validate.js';
import { checkPracticeCertificate, removePracticeCertificate, savePracticeCertificate, tlsDir } from '../../tls/index.js';
import { requireRole } from '../middleware.js';

/** Generous for a leaf with a few intermediates or a 4096-bit RSA key; keeps pasted nonsense small. */
const MAX_PEM_CHARS = 64_000;

const practiceCertificateInput = z
  .object({
    certificatePem: z.string().trim().min(1, 'paste or choose the certificate').max(MAX_PEM_CHARS),
    privateKeyPem: z.string().trim().min(1, 'paste or choose the private key').max(MAX_PEM_CHARS),
  })
  .strict();

/** The certificate served now and where it comes from, for FHIR Setup (never the key). */
export function tlsView(ctx: AppContext) {
  const { tls } = ctx;
  return {
    source: tls.source,
    ...(tls.practiceProblem === undefined ? {} : { practiceProblem: tls.practiceProblem }),
    subject: tls.leafSubject,
    issuer: tls.leafIssuer,
    sans: tls.leafSans,
    notBefore: tls.leafNotBefore.toISOString(),
    notAfter: tls.leafNotAfter.toISOString(),
    leafFingerprint256: tls.leafFingerprint256,
    coversSiteAddress: coversHost(tls.certPem, new URL(ctx.urls().origin).hostname),
  };
}

// Node's own host matching: wildcards and IP entries as browsers read them.
function coversHost(certPem: string, urlHostname: string): boolean {
  const host = urlHostname.replace(/^\[(.*)\]$/, '$1');
  const certificate = new X509Certificate(certPem);
  return isIP(host) === 0 ? certificate.checkHost(host, { subject: 'never' }) !== undefined : certificate.checkIP(host) !== undefined;
}

/** `/admin/api/tls`: the served certificate; import a practice certificate or go back to the local CA (administrators only). */
export function tlsRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use('/tls', requireRole('admin'));

  router.get('/tls', (_req, res) => {
    res.json(tlsView(ctx));
  });

  router.put('/tls/practice-certificate', async (req, res) => {
    const actor = req.staff?.user.username ?? null;
    const input = parseInput(practiceCertificateInput, req.body);
    const checked = checkPracticeCertificate(input.certificatePem, input.privateKeyPem, new Date());
    if (!checked.ok) {
      await ctx.audit.record({ type: 'tls.practice-certificate.import', outcome: 'failure', actor, ip: req.ip ?? null, detail: { reason: checked.problem } });
      throw new HttpError(400, checked.problem);
    }
    await savePracticeCertificate(tlsDir(ctx.config.dataDir), checked.value);
    await ctx.refreshTls();
    if (ctx.tls.source !== 'practice') {
      throw new Error(`the stored practice certificate was not served: ${ctx.tls.practiceProblem ?? 'unknown reason'}`);
    }
    await ctx.audit.record({
      type: 'tls.practice-certificate.import',
      outcome: 'success',
      actor,
      ip: req.ip ?? null,
      detail: { subject: ctx.tls.leafSubject, issuer: ctx.tls.leafIssuer, leafFingerprint256: ctx.tls.leafFingerprint256 },
    });
    res.json(tlsView(ctx));
  });

  router.delete('/tls/practice-certificate', async (req, res) => {
    await removePracticeCertificate(tlsDir(ctx.config.dataDir));
    await ctx.refreshTls();
    await ctx.audit.record({
      type: 'tls.practice-certificate.remove',
      outcome: 'success',
      actor: req.staff?.user.username ?? null,
      ip: req.ip ?? null,
      detail: { leafFingerprint256: ctx.tls.leafFingerprint256 },
    });
    res.json(tlsView(ctx));
  });

  return router;
}
