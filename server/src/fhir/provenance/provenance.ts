import { randomUUID } from 'node:crypto';
import type { AccessPolicy } from '../access/policy.js';
import type { FhirJson } from '../storage/fhir-store.js';

export type WriteActivity = 'CREATE' | 'UPDATE' | 'DELETE';

/** A versioned reference to what a write produced: `Observation/1/_history/2`. */
export interface ProvenanceTarget {
  reference: string;
  activity: WriteActivity;
  /** The patients in whose compartment the written resource is: one Provenance never spans two compartments. */
  patients: readonly string[];
}

/**
 * The Provenance recorded for writes (one per request; a transaction Bundle gets one listing
 * every target), so `_revinclude=Provenance:target` shows who changed what and when.
 */
export function buildProvenance(targets: ProvenanceTarget[], agent: AccessPolicy['agent'], recorded: string): FhirJson {
  const activities = new Set(targets.map((t) => t.activity));
  const activity = activities.size === 1 ? [...activities][0] : 'UPDATE';
  return {
    resourceType: 'Provenance',
    id: randomUUID(),
    target: targets.map(({ reference }) => ({ reference })),
    recorded,
    activity: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: activity }] },
    agent: [
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author' }] },
        who: agent.reference ? { reference: agent.reference, display: agent.display } : { display: agent.display },
      },
    ],
  };
}
