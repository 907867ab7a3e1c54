/** SMART interaction letters (v2 `cruds`); v1 `read` = r+s, `write` = c+u+d. */
export type ScopeInteraction = 'c' | 'r' | 'u' | 'd' | 's';

/**
 * What one caller may do with one resource type: unrestricted (`{}`), confined to a patient's
 * compartment (patient/ scopes), and/or narrowed by granular scope filters (any one must match).
 */
export interface Restriction {
  patientId?: string;
  /** Granular scopes' search parameters (`[['category', 'http://…|laboratory']]`): a resource must match every pair of one of them. */
  filters?: [string, string][][];
}

/** Decides, per resource type and interaction, whether the caller may act and how far its view is narrowed. */
export interface AccessPolicy {
  /** undefined: not allowed at all. */
  restrictionFor(resourceType: string, interaction: ScopeInteraction): Restriction | undefined;
  /** Who acts, for Provenance.agent. */
  agent: { reference?: string; display: string };
}

/** The server itself (CLI import, internal services): everything, no confinement. */
export function systemPolicy(display = 'InPracSys EHR Server'): AccessPolicy {
  return { restrictionFor: () => ({}), agent: { display } };
}
