import type { AppContext } from '../../context.js';
import { createFhirService } from '../api.js';
import type { FhirService } from '../http/service.js';
import { FhirStore } from '../storage/fhir-store.js';
import { bulkExports } from './services.js';
import { BulkWorker } from './worker.js';

/** Starts the export worker for a running server; server.ts stops it before closing the database. */
export function startBulkWorker(ctx: AppContext): { stop(): Promise<void> } {
  const bulk = bulkExports(ctx);
  let service: FhirService | undefined;
  const deps = {
    // built when the first job runs: loading the R4 definitions takes a couple of seconds
    get service() {
      service ??= createFhirService(ctx);
      return service;
    },
    store: new FhirStore(ctx.sequelize),
    jobs: bulk.jobs,
    options: bulk.options,
    limits: bulk.limits,
    dirOf: bulk.dirOf,
  };
  const worker = new BulkWorker(deps, ctx.log.child({ component: 'bulk-export' }));
  bulk.wake = () => worker.wake();
  worker.start();
  return worker;
}
