// Shapes of the admin API (DESIGN §8, §10). Keep in step with server/src/admin/.

export type Role = 'admin' | 'clinician';

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  /** The linked FHIR Practitioner, for clinicians. */
  practitionerId?: string | null;
}

export interface SessionResponse {
  user: User;
  csrfToken: string;
}

export interface SetupState {
  needed: boolean;
}

export interface Settings {
  siteAddress: string;
  fhirBaseUrl: string;
  issuer: string;
  adminUrl: string;
  practiceName: string;
  caFingerprint256: string;
  caPem: string;
  accessTokenLifetimeSeconds: number;
  refreshTokenLifetimeDays: number;
  apiEnabled: boolean;
  tls: {
    sans: string[];
    notAfter: string;
    leafFingerprint256: string;
  };
}

export interface ServerStatus {
  status: 'ok';
  version: string;
  startedAt: string;
  uptimeSeconds: number;
}
