import type { UserKind } from './store/models.js';

/** The `sub` of access and id tokens: stable per user and kind (`patient:123`, `staff:7`), the client id for system tokens. */
export function subjectOf(userKind: UserKind, userId: string): string {
  return userKind === 'system' ? userId : `${userKind}:${userId}`;
}

/** The FHIR resource the user is (`fhirUser`), as an absolute URL on the FHIR API, when there is one. */
export function fhirUserOf(fhirBase: string, user: { kind: UserKind; patientId?: string | null; practitionerId?: string | null }): string | null {
  if (user.kind === 'patient' && user.patientId) return `${fhirBase}/Patient/${user.patientId}`;
  if (user.kind === 'staff' && user.practitionerId) return `${fhirBase}/Practitioner/${user.practitionerId}`;
  return null;
}
