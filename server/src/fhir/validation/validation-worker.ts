import { parentPort, workerData } from 'node:worker_threads';
import type { OutcomeIssue } from '../../http/errors.js';
import { fhirRegistry } from '../definitions/registry.js';
import { registerConformanceResources } from '../ig/profiles.js';
import { structuralIssues } from './structural.js';
import type { ValidationRequest, ValidationResponse, ValidationWorkerData } from './validation-pool.js';

// the same definitions and installed profiles as the thread that started this one
fhirRegistry();
registerConformanceResources((workerData as ValidationWorkerData).conformance);

parentPort!.on('message', ({ id, lines }: ValidationRequest) => {
  const found: [string, OutcomeIssue[]][] = [];
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
    found.push([`${resource.resourceType}/${resource.id}`, structuralIssues(resource)]);
  }
  parentPort!.postMessage({ id, found } satisfies ValidationResponse);
});
