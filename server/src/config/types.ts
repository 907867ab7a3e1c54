/** Everything the server needs to start, loaded and validated once (config/load.ts). */
export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  /** Set by --site-address / INPRACSYS_SITE_ADDRESS; otherwise the stored setting or https://localhost:<port>. */
  siteAddress?: string;
  /** Empty means the SQLite file `<dataDir>/inpracsys.sqlite`. */
  databaseUrl: string;
  /** Creates user `admin` on first start when no user exists. */
  adminPassword?: string;
  sessionIdleMinutes: number;
  logLevel: string;
  bodyLimit: string;
}
