import { Router, type RequestHandler } from 'express';
import type { AppContext } from '../context.js';
import { authenticateBearer } from '../oauth/bearer.js';
import { bearerAuthenticate, type VerifyBearer } from './access/guard.js';
import { bulkRouter } from './bulk/router.js';
import { fhirRegistry } from './definitions/registry.js';
import { fhirRouter } from './http/router.js';
import { reindexStale } from './indexing/reindex.js';
import type { FhirService } from './http/service.js';
import { FhirRepository } from './repository/fhir-repository.js';
import { FhirStore } from './storage/fhir-store.js';

/** The FHIR service over the server's database. */
export function createFhirService(ctx: Pick<AppContext, 'sequelize' | 'urls'>): FhirService {
  const registry = fhirRegistry();
  return { registry, repository: new FhirRepository(new FhirStore(ctx.sequelize), registry), base: () => ctx.urls().fhirBase };
}

const services = new WeakMap<AppContext, FhirService>();
const indexRefreshes = new WeakMap<AppContext, Promise<void>>();
const stopping = new WeakSet<AppContext>();

/**
 * The running server's FHIR service, built on first use (loading the R4 definitions takes a couple
 * of seconds). Building it starts re-indexing, in the background, the stored types an earlier
 * version indexed differently (indexing/index-state.ts).
 */
export function serverFhirService(ctx: AppContext): FhirService {
  let service = services.get(ctx);
  if (!service) {
    service = createFhirService(ctx);
    services.set(ctx, service);
    indexRefreshes.set(ctx, refreshIndex(ctx, service));
  }
  return service;
}

async function refreshIndex(ctx: AppContext, service: FhirService): Promise<void> {
  try {
    const { types, resources } = await reindexStale(service.repository.store, service.registry, () => stopping.has(ctx));
    if (types.length) ctx.log.info({ types, resources }, 'search index rebuilt for resources an earlier version indexed');
  } catch (error) {
    ctx.log.error({ err: error }, 'search index rebuild failed');
  }
}

/** Settles when the re-index started with the FHIR service is done (at once when the service was never built). */
export function fhirIndexRefresh(ctx: AppContext): Promise<void> {
  return indexRefreshes.get(ctx) ?? Promise.resolve();
}

/** Ends the background re-index between batches (the server is closing); settles when it has stopped. */
export function stopFhirIndexRefresh(ctx: AppContext): Promise<void> {
  stopping.add(ctx);
  return fhirIndexRefresh(ctx);
}

/**
 * The FHIR REST API for app.ts: `app.use(['/fhir/r4', '/r4'], fhirApi(ctx))`. Every request is
 * verified by the authorization server's bearer check (tests may pass their own `verify`).
 */
export function fhirApi(ctx: AppContext, verify: VerifyBearer = (authorization) => authenticateBearer(ctx, authorization)): RequestHandler {
  let router: Router | undefined;
  return (req, res, next) => {
    if (!router) {
      const service = serverFhirService(ctx);
      router = Router().use(bulkRouter(ctx, service, verify), fhirRouter(service, { authenticate: bearerAuthenticate(verify), bodyLimit: ctx.config.bodyLimit }));
    }
    router(req, res, next);
  };
}
