import { Router, type RequestHandler } from 'express';
import type { AppContext } from '../context.js';
import { authenticateBearer } from '../oauth/bearer.js';
import { bearerAuthenticate, type VerifyBearer } from './access/guard.js';
import { bulkRouter } from './bulk/router.js';
import { fhirRegistry } from './definitions/registry.js';
import { fhirRouter } from './http/router.js';
import type { FhirService } from './http/service.js';
import { FhirRepository } from './repository/fhir-repository.js';
import { FhirStore } from './storage/fhir-store.js';

/** The FHIR service over the server's database. */
export function createFhirService(ctx: Pick<AppContext, 'sequelize' | 'urls'>): FhirService {
  const registry = fhirRegistry();
  return { registry, repository: new FhirRepository(new FhirStore(ctx.sequelize), registry), base: () => ctx.urls().fhirBase };
}

const services = new WeakMap<AppContext, FhirService>();

/** The running server's FHIR service, built on first use (loading the R4 definitions takes a couple of seconds). */
export function serverFhirService(ctx: AppContext): FhirService {
  let service = services.get(ctx);
  if (!service) {
    service = createFhirService(ctx);
    services.set(ctx, service);
  }
  return service;
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
