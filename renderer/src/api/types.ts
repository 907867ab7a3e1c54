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
  /** False while the site address is the default (https://localhost:<port>). */
  siteAddressConfigured?: boolean;
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

/** What every list route answers (DESIGN §10). */
export interface ListResponse<T> {
  items: T[];
  total: number;
}

export interface SettingsChange {
  siteAddress?: string;
  practiceName?: string;
  refreshTokenLifetimeDays?: number;
  apiEnabled?: boolean;
}

// Staff users (GET/POST /admin/api/users, GET/PUT /admin/api/users/{id}).

export interface StaffUser extends User {
  disabled: boolean;
  createdAt: string;
}

export interface NewStaffUser {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  practitionerId?: string;
}

export interface StaffUserChange {
  displayName?: string;
  role?: Role;
  practitionerId?: string | null;
  disabled?: boolean;
  password?: string;
}

// Audit log (GET /admin/api/audit).

export interface AuditEvent {
  id: number;
  recorded: string;
  type: string;
  outcome: 'success' | 'failure';
  actor: string | null;
  clientId: string | null;
  patientId: string | null;
  ip: string | null;
  detail: unknown;
}

export interface AuditPage extends ListResponse<AuditEvent> {
  /** Pass as `before` to get the next (older) page; null on the last page. */
  next: number | null;
}

// API clients (DESIGN §8, §10).

export type ClientProfile = 'patient-standalone' | 'provider' | 'ehr-launch' | 'backend-service';

export interface ApiClient {
  clientId: string;
  name: string;
  enabled: boolean;
  public: boolean;
  tokenEndpointAuthMethod?: string;
  profile: ClientProfile | string;
  scopes: string[];
  redirectUris: string[];
  registeredAt: string;
  /** EHR-launch apps: where the EHR launch starts. */
  launchUri?: string;
  jwksUri?: string;
  grantTypes?: string[];
}

/** RFC 7591 registration request, as POST /admin/api/clients takes it (snake_case). */
export interface ClientRegistration {
  client_name: string;
  redirect_uris?: string[];
  token_endpoint_auth_method: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';
  grant_types?: string[];
  scope: string;
  jwks_uri?: string;
  jwks?: { keys: unknown[] };
  initiate_login_uri?: string;
}

/** RFC 7591 registration response. */
export interface ClientRegistrationResponse extends ClientRegistration {
  client_id: string;
  client_id_issued_at?: number;
  client_secret?: string;
}

export interface AuthenticatedApiUser {
  userId: string;
  username: string;
  kind: 'patient' | 'staff';
  authorizedAt: string;
  patientId?: string | null;
  revokedAt?: string | null;
}

export type TokenStatus = 'active' | 'expired' | 'revoked';

export interface AccessTokenInfo {
  jti: string;
  user: string | { userId?: string; username?: string; kind?: string } | null;
  scope: string;
  issuedAt: string;
  expiresAt: string;
  status: TokenStatus | string;
}

// Token Tools (POST /admin/api/token-tools/parse).

export interface ParsedToken {
  status: 'active' | 'expired' | 'revoked' | 'invalid';
  tokenType?: 'access_token' | 'refresh_token' | 'unknown';
  jti?: string | null;
  clientId?: string | null;
  clientName?: string | null;
  user?: { userId: string; username: string; kind: 'patient' | 'staff' | string; patientId?: string | null } | null;
  scope?: string | null;
  patient?: string | null;
  issuedAt?: string | null;
  expiresAt?: string | null;
  claims?: Record<string, unknown> | null;
  /** Why an invalid token is invalid, when the server says. */
  reason?: string;
}

// Patients (GET /admin/api/patients, /admin/api/patients/{id}).

export interface HumanName {
  use?: string;
  text?: string;
  family?: string;
  given?: string[];
  prefix?: string[];
  suffix?: string[];
}

export interface FhirPatient {
  resourceType: 'Patient';
  id: string;
  name?: HumanName[];
  birthDate?: string;
  gender?: string;
  identifier?: { system?: string; value?: string; type?: { text?: string; coding?: { code?: string; display?: string }[] } }[];
  address?: { use?: string; line?: string[]; city?: string; state?: string; postalCode?: string; country?: string; text?: string }[];
  telecom?: { system?: string; value?: string; use?: string }[];
}

export interface PatientApiAccess {
  /** The API username, once credentials were generated. */
  username?: string | null;
  hasCredentials?: boolean;
  optedOut: boolean;
  /** How many apps hold this patient's authorization. */
  authorizedAppCount?: number;
  /** Apps this patient authorized. */
  apps?: { clientId: string; clientName?: string; name?: string; authorizedAt?: string }[];
}

export interface PatientEntry {
  id: string;
  patient?: FhirPatient;
  resource?: FhirPatient;
  apiAccess?: PatientApiAccess;
  // Flattened variants.
  name?: string | HumanName[];
  birthDate?: string;
  gender?: string;
  optedOut?: boolean;
  username?: string | null;
}

export interface PatientCredentials {
  username: string;
  password: string;
}

/** One app a patient authorized (GET /admin/api/patients/{id}, `apiAccess.authorizedApps`). */
export interface PatientAuthorizedApp {
  clientId: string;
  clientName: string;
  clientEnabled: boolean;
  scopes: string[];
  firstAuthorizedAt: string;
  lastAuthorizedAt: string;
  activeTokens: number;
}

export interface PatientContactPoint {
  system: string | null;
  value: string;
  use: string | null;
}

/** GET /admin/api/patients/{id}: the demographics of the stored Patient and its API access. */
export interface PatientDetail {
  id: string;
  name: string;
  names: { use: string | null; text: string }[];
  birthDate: string | null;
  gender: string | null;
  deceased: boolean | null;
  deceasedDateTime: string | null;
  identifiers: { type: string; system: string | null; value: string | null; use: string | null }[];
  addresses: { use: string | null; text: string; lines: string[]; city: string | null; state: string | null; postalCode: string | null; country: string | null }[];
  telecom: PatientContactPoint[];
  contacts: { relationship: string | null; name: string | null; telecom: PatientContactPoint[] }[];
  race: string | null;
  ethnicity: string | null;
  apiAccess: { hasCredentials: boolean; username: string | null; optedOut: boolean; authorizedApps: PatientAuthorizedApp[] };
}

/** GET /admin/api/launch/clients: an enabled EHR-launch app a clinician may open. */
export interface LaunchClient {
  clientId: string;
  name: string;
}

// Bulk exports (GET /admin/api/bulk-jobs).

export interface BulkJob {
  id: string;
  status: string;
  kind?: string;
  level?: string;
  clientId?: string | null;
  clientName?: string | null;
  types?: string[];
  requestedAt?: string;
  createdAt?: string;
  completedAt?: string | null;
  progress?: number | string | null;
  fileCount?: number;
  error?: string | null;
}

// Refresh tokens of an API client (GET /admin/api/clients/{clientId}/refresh-tokens).

export interface RefreshTokenInfo {
  /** The token's public identifier; the token itself never leaves the server. */
  id: string;
  user: AccessTokenInfo['user'];
  scope: string;
  issuedAt: string;
  expiresAt: string;
  status: TokenStatus | string;
  /** Exchanged for a newer refresh token: spent. */
  rotated: boolean;
}

export interface RefreshTokenPage extends ListResponse<RefreshTokenInfo> {
  /** Pass as `before` to get the next (older) page; null on the last page. */
  next: string | null;
}

// Dashboard counts (GET /admin/api/status); clinicians get the patient count only.

export interface DashboardCounts {
  patients: number;
  enabledClients?: number;
  activeAccessTokens?: number;
  bulkExportsRunning?: number;
  bulkExportsQueued?: number;
}

export interface ServerStatusWithCounts extends ServerStatus {
  counts?: DashboardCounts;
}

/** Where the certificate the server presents comes from. */
export type TlsSource = 'local-ca' | 'practice';

/** The certificate the server presents (`GET /admin/api/tls`, and `tls` in the settings). */
export interface TlsCertificate {
  source: TlsSource;
  /** Why an imported practice certificate is not served although it was chosen. */
  practiceProblem?: string;
  subject: string;
  issuer: string;
  sans: string[];
  notBefore: string;
  notAfter: string;
  leafFingerprint256: string;
  /** Whether the certificate is valid for the site address's host. */
  coversSiteAddress: boolean;
}

/** The settings as FHIR Setup reads them, with the full certificate description. */
export interface FhirSetupSettings extends Settings {
  tls: TlsCertificate;
}

/** `PUT /admin/api/tls/practice-certificate`. The key is sent once and never comes back. */
export interface PracticeCertificateImport {
  certificatePem: string;
  privateKeyPem: string;
}

/** An implementation guide package installed on the server (`GET /admin/api/ig/packages`). */
export interface InstalledIgPackage {
  /** Null for resources installed from a folder without a package.json. */
  name: string | null;
  version: string | null;
  /** Installed resources by type: StructureDefinition, SearchParameter, ValueSet, CodeSystem. */
  counts: Record<string, number>;
  installedAt: string;
}

/** What installing a package reports (`POST /admin/api/ig/packages`). */
export interface IgInstallReport {
  packageName?: string;
  counts: Record<string, number>;
  snapshotsGenerated: number;
  warnings: string[];
  skipped: number;
}
