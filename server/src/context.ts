import type { Sequelize } from 'sequelize';
import type { AuditLog } from './audit/audit-log.js';
import type { ServerConfig } from './config/types.js';
import type { FoundationModels } from './db/models/foundation.js';
import type { SigningKeys } from './keys/signing-keys.js';
import type { Logger } from './log.js';
import type { SettingsStore } from './settings/settings.js';
import type { TlsMaterial } from './tls/index.js';

export interface SiteUrls {
  /** The site address: https://host[:port], no trailing slash. */
  origin: string;
  fhirBase: string;
  issuer: string;
  admin: string;
}

/** The services every part of the server is built from; created once in server.ts. */
export interface AppContext {
  config: ServerConfig;
  log: Logger;
  sequelize: Sequelize;
  models: FoundationModels;
  settings: SettingsStore;
  keys: SigningKeys;
  audit: AuditLog;
  tls: TlsMaterial;
  startedAt: Date;
  version: string;
  /** The port actually bound (known once listening; 0 before). */
  port: number;
  /** Hash of the one-time first-admin setup token while no user exists. */
  setupTokenHash: string | null;
  urls(): SiteUrls;
  /** Re-checks the TLS certificate against the current site address and serves the new one if it was re-issued. */
  refreshTls(): Promise<void>;
}

export function siteUrls(origin: string): SiteUrls {
  const base = origin.replace(/\/$/, '');
  return { origin: base, fhirBase: `${base}/fhir/r4`, issuer: `${base}/oauth2`, admin: `${base}/admin/` };
}
