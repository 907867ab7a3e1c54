import { AuditLog } from '../../audit/audit-log.js';
import { loadConfig } from '../../config/load.js';
import { siteUrls } from '../../context.js';
import { openStore } from '../../db/open-store.js';
import { SigningKeys } from '../../keys/signing-keys.js';
import { createLogger } from '../../log.js';
import { SettingsStore } from '../../settings/settings.js';
import type { InspectionHost } from '../token-inspection.js';

export const storeOptions = { 'data-dir': { type: 'string' }, 'database-url': { type: 'string' }, port: { type: 'string' } } as const;

/**
 * The data dir's database, keys and settings without serving: what `inpracsys client|token`
 * work on. A running server sees these changes within its bearer cache's 30 s.
 */
export async function openOffline(values: { 'data-dir'?: string; 'database-url'?: string; port?: string }, env: NodeJS.ProcessEnv): Promise<{ host: InspectionHost; close(): Promise<void> }> {
  const args = [
    ...(values['data-dir'] ? ['--data-dir', values['data-dir']] : []),
    ...(values['database-url'] ? ['--database-url', values['database-url']] : []),
    ...(values.port ? ['--port', values.port] : []),
  ];
  const config = loadConfig(args, env);
  const log = createLogger('warn');
  const { sequelize, models } = await openStore(config, log);
  const settings = new SettingsStore(models, log);
  await settings.load();
  const keys = new SigningKeys(models, log);
  await keys.load();
  const host: InspectionHost = {
    sequelize,
    models,
    audit: new AuditLog(models, log),
    keys,
    urls: () => siteUrls(settings.get().siteAddress ?? `https://localhost:${config.port}`),
  };
  return { host, close: () => sequelize.close() };
}
