import { parentPort, workerData } from 'node:worker_threads';
import { referencesAreFinal } from '../bundle/references.js';
import { fhirRegistry } from '../definitions/registry.js';
import { registerConformanceResources } from '../ig/profiles.js';
import { extractIndex } from '../indexing/extract.js';
import type { Prepared } from '../repository/prepared.js';
import { structuralIssues } from '../validation/structural.js';
import type { PrepareRequest, PrepareResponse, PrepareWorkerData } from './prepare-pool.js';

// the same definitions and installed profiles (and so search parameters) as the thread that started this one
const registry = fhirRegistry();
registerConformanceResources((workerData as PrepareWorkerData).conformance);

parentPort!.on('message', ({ id, lines }: PrepareRequest) => {
  const found = new Map<string, Prepared>();
  const repeated = new Set<string>();
  for (const line of lines) {
    // urn: references are rewritten before the write, so such resources are validated then
    if (/"reference"\s*:\s*"urn:/.test(line)) continue;
    let resource: Record<string, unknown>;
    try {
      resource = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (typeof resource.resourceType !== 'string' || typeof resource.id !== 'string') continue;
    const key = `${resource.resourceType}/${resource.id}`;
    if (found.has(key)) repeated.add(key);
    const index = referencesAreFinal(resource) ? extractIndex(registry, { ...resource, resourceType: resource.resourceType }) : undefined;
    found.set(key, { issues: structuralIssues(resource), ...(index && { index }) });
  }
  // two versions of one resource in a chunk: each is worked out at its own write
  for (const key of repeated) found.delete(key);
  parentPort!.postMessage({ id, found: [...found] } satisfies PrepareResponse);
});
