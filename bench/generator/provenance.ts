/** Provenance: who wrote a set of resources, and that the practice sent them. */
import type { Reference } from '@medplum/fhirtypes';
import { system } from './codes.js';
import { concept, meta, reference, time } from './fhir.js';
import type { Clinician } from './organization.js';
import type { PatientRecord } from './record.js';

export function recordProvenance(record: PatientRecord, targets: readonly Reference[], recorded: number, author: Clinician): void {
  const { practice } = record;
  const organization = reference(practice.organization, practice.organization.name);
  record.add({
    resourceType: 'Provenance',
    id: record.id('prov'),
    meta: meta('us-core-provenance'),
    target: targets.map((target) => ({ reference: target.reference })),
    recorded: time.instant(recorded),
    agent: [
      {
        type: concept({ system: system.provenanceParticipant, code: 'author', display: 'Author' }),
        who: reference(author.practitioner, author.name),
        onBehalfOf: organization,
      },
      {
        type: concept({ system: system.usCoreProvenanceParticipant, code: 'transmitter', display: 'Transmitter' }),
        who: organization,
      },
    ],
  });
}
