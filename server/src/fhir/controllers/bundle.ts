import type { RequestHandler } from 'express';
import { requestPolicy } from '../access/guard.js';
import { BundleProcessor } from '../bundle/process.js';
import { preferences } from '../http/headers.js';
import { sendFhir } from '../http/respond.js';
import type { FhirService } from '../http/service.js';

/** `POST /` with a batch or transaction Bundle. */
export function processBundle(service: FhirService): RequestHandler {
  return async (req, res) => {
    const processor = new BundleProcessor(service, requestPolicy(res), preferences(req).return);
    sendFhir(res, 200, await processor.process(req.body as unknown));
  };
}
