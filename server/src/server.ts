import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApp } from './app.js';
import { fhirIndexRefresh, serverFhirService, stopFhirIndexRefresh } from './fhir/api.js';
import { fastRead } from './fhir/http/fast-read.js';
import { authenticateBearer } from './oauth/bearer.js';
import { AuditLog } from './audit/audit-log.js';
import type { ServerConfig } from './config/types.js';
import { siteUrls, type AppContext } from './context.js';
import { openStore } from './db/open-store.js';
import { startBulkWorker } from './fhir/bulk/start.js';
import { loadConformanceResources } from './fhir/ig/install.js';
import { SigningKeys } from './keys/signing-keys.js';
import { createLogger, type Logger } from './log.js';
import { SettingsStore } from './settings/settings.js';
import { defaultTlsHosts, ensureTlsMaterial } from './tls/index.js';
import { createStaffUser } from './users/staff-users.js';
import { appRoot } from './util/app-root.js';

export interface RunningServer {
  port: number;
  urls: { origin: string; fhirBase: string; issuer: string; admin: string; setup?: string };
  tls: { caPem: string; certPem: string; caFingerprint256: string; leafFingerprint256: string };
  context: AppContext;
  /**
   * Builds the FHIR service if no request has yet, and settles when the stored resources an earlier
   * version indexed differently are re-indexed (api.ts serverFhirService).
   */
  fhirIndexRefresh(): Promise<void>;
  close(): Promise<void>;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(appRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** First administrator: from INPRACSYS_ADMIN_PASSWORD, or a one-time setup token (its hash is kept). */
async function bootstrapAdmin(ctx: AppContext): Promise<string | undefined> {
  if ((await ctx.models.User.count()) > 0) return undefined;
  if (ctx.config.adminPassword) {
    await createStaffUser(ctx.models, { username: 'admin', displayName: 'Administrator', password: ctx.config.adminPassword, role: 'admin' });
    ctx.log.info('administrator "admin" created from INPRACSYS_ADMIN_PASSWORD');
    return undefined;
  }
  const token = randomBytes(24).toString('base64url');
  ctx.setupTokenHash = createHash('sha256').update(token).digest('hex');
  return token;
}

/** Opens the data dir and database, prepares TLS and keys, and serves HTTPS. */
export async function startServer(config: ServerConfig, log: Logger = createLogger(config.logLevel)): Promise<RunningServer> {
  const { sequelize, models } = await openStore(config, log);
  try {
    log.info({ resources: await loadConformanceResources(sequelize) }, 'installed conformance resources loaded');
    const settings = new SettingsStore(models, log);
    await settings.load();
    if (config.siteAddress && config.siteAddress !== settings.get().siteAddress) await settings.update({ siteAddress: config.siteAddress });
    const keys = new SigningKeys(models, log);
    await keys.load();
    const loadTls = () =>
      ensureTlsMaterial({ dir: path.join(config.dataDir, 'tls'), hosts: defaultTlsHosts(settings.get().siteAddress ?? 'https://localhost'), log });
    const tls = await loadTls();

    const server = https.createServer({ key: tls.keyPem, cert: tls.certChainPem, minVersion: 'TLSv1.2' });
    const ctx: AppContext = {
      config,
      log,
      sequelize,
      models,
      settings,
      keys,
      audit: new AuditLog(models, log),
      tls,
      startedAt: new Date(),
      version: packageVersion(),
      port: 0,
      setupTokenHash: null,
      urls: () => siteUrls(settings.get().siteAddress ?? `https://localhost:${ctx.port}`),
      refreshTls: async () => {
        ctx.tls = await loadTls();
        server.setSecureContext({ key: ctx.tls.keyPem, cert: ctx.tls.certChainPem, minVersion: 'TLSv1.2' });
      },
    };
    const setupToken = await bootstrapAdmin(ctx);

    const app = createApp(ctx);
    const readById = fastRead(() => serverFhirService(ctx), (authorization) => authenticateBearer(ctx, authorization), () => ctx.settings.get().apiEnabled);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      void readById(req, res).then(
        (answered) => answered || app(req, res),
        () => app(req, res),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    ctx.port = (server.address() as AddressInfo).port;
    const bulkWorker = startBulkWorker(ctx);

    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const force = setTimeout(() => server.closeAllConnections(), 10_000);
        await stopped;
        clearTimeout(force);
        await bulkWorker.stop();
        await stopFhirIndexRefresh(ctx);
        await sequelize.close();
      })();
      return closing;
    };

    const urls = ctx.urls();
    return {
      port: ctx.port,
      urls: { ...urls, ...(setupToken ? { setup: `https://localhost:${ctx.port}/admin/setup?token=${setupToken}` } : {}) },
      /** What is served now: the certificate changes when the site address does. */
      get tls() {
        const { caPem, certPem, caFingerprint256, leafFingerprint256 } = ctx.tls;
        return { caPem, certPem, caFingerprint256, leafFingerprint256 };
      },
      context: ctx,
      fhirIndexRefresh: () => {
        serverFhirService(ctx);
        return fhirIndexRefresh(ctx);
      },
      close,
    };
  } catch (error) {
    await sequelize.close();
    throw error;
  }
}
