import { parseArgs } from 'node:util';
import { UsageError, type CliIo } from '../../cli/io.js';
import { loadConfig } from '../../config/load.js';
import { openStore } from '../../db/open-store.js';
import { createLogger } from '../../log.js';
import { fhirRegistry } from '../definitions/registry.js';
import { reindexTypes } from '../indexing/reindex.js';
import { FhirStore } from '../storage/fhir-store.js';
import { installConformanceResources, loadConformanceResources } from './install.js';

const usage = 'usage: inpracsys ig install DIR|PACKAGE.tgz [--data-dir D] [--database-url URL]';

/** `inpracsys ig install DIR|PACKAGE.tgz`: installs profiles, SearchParameters, ValueSets and CodeSystems. */
export async function igCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { 'data-dir': { type: 'string' }, 'database-url': { type: 'string' }, verbose: { type: 'boolean' } },
  });
  if (positionals[0] !== 'install' || positionals.length !== 2) throw new UsageError(usage);
  const storeArgs = [...(values['data-dir'] ? ['--data-dir', values['data-dir']] : []), ...(values['database-url'] ? ['--database-url', values['database-url']] : [])];
  const config = loadConfig(storeArgs, io.env);
  const { sequelize } = await openStore(config, createLogger('warn'));
  try {
    // what is installed already, so only parameters new to this database trigger re-indexing
    await loadConformanceResources(sequelize);
    const report = await installConformanceResources(sequelize, positionals[1]!);
    const counts = Object.entries(report.counts).map(([type, n]) => `${n} ${type}`).join(', ');
    io.out(`installed ${report.packageName ? `${report.packageName}: ` : ''}${counts}; ${report.snapshotsGenerated} snapshots generated`);
    if (report.warnings.length) {
      io.err(`${report.warnings.length} warnings${values.verbose ? '' : ' (--verbose lists them)'}`);
      if (values.verbose) for (const warning of report.warnings) io.err(`warning: ${warning}`);
    }
    if (report.reindexTypes.length) {
      const reindexed = await reindexTypes(new FhirStore(sequelize), fhirRegistry(), report.reindexTypes);
      io.out(`re-indexed ${reindexed} stored resources for new search parameters (${report.reindexTypes.join(', ')})`);
    }
    io.out('restart the server to use the installed resources');
    return 0;
  } finally {
    await sequelize.close();
  }
}
