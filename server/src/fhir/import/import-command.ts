import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { UsageError, type CliIo } from '../../cli/io.js';
import { loadConfig } from '../../config/load.js';
import { siteUrls } from '../../context.js';
import { openStore } from '../../db/open-store.js';
import { createLogger } from '../../log.js';
import { SettingsStore } from '../../settings/settings.js';
import { createFhirService } from '../api.js';
import { loadConformanceResources } from '../ig/install.js';
import { PreparePool } from './prepare-pool.js';
import { importPath } from './import-files.js';

/** `inpracsys import FILE|DIR [--data-dir D] [--database-url URL]`. */
export async function importCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { 'data-dir': { type: 'string' }, 'database-url': { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError('usage: inpracsys import FILE|DIR [--data-dir D] [--database-url URL]');
  const storeArgs = [...(values['data-dir'] ? ['--data-dir', values['data-dir']] : []), ...(values['database-url'] ? ['--database-url', values['database-url']] : [])];
  const config = loadConfig(storeArgs, io.env);
  const log = createLogger('warn');
  const { sequelize, models } = await openStore(config, log);
  try {
    const settings = new SettingsStore(models, log);
    await settings.load();
    // the profiles installed with `inpracsys ig install`, so import checks meta.profile as the server does
    await loadConformanceResources(sequelize);
    const origin = settings.get().siteAddress ?? `https://localhost:${config.port}`;
    const service = createFhirService({ sequelize, urls: () => siteUrls(origin) });
    // validation and indexing on worker threads while this thread writes the chunk before
    const workers = new PreparePool(availableParallelism());
    const report = await importPath(service, positionals[0]!, { progress: io.out, workers }).finally(() => workers.close());
    io.out(`imported ${report.resources} resources from ${report.files} files${report.failures.length ? `; ${report.failures.length} files failed` : ''}`);
    for (const failure of report.failures) io.err(`${failure.file}: ${failure.message}`);
    for (const item of report.invalid) io.err(`warning: ${item.file} ${item.entry} stored with validation problems: ${item.message}`);
    return report.failures.length ? 1 : 0;
  } finally {
    await sequelize.close();
  }
}
