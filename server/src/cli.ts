import { ConfigError } from './config/load.js';
import { processIo, UsageError, type CliIo } from './cli/io.js';

type Command = (args: string[], io: CliIo) => Promise<number>;

/** The `inpracsys` commands, each loaded only when it runs (the FHIR definitions take seconds to load). */
const commands: Record<string, () => Promise<Command>> = {
  client: async () => (await import('./oauth/cli/client-command.js')).clientCommand,
  generate: async () => (await import('./cli/generate.js')).generateCommand,
  ig: async () => (await import('./fhir/ig/ig-command.js')).igCommand,
  import: async () => (await import('./fhir/import/import-command.js')).importCommand,
  serve: async () => (await import('./cli/serve.js')).serveCommand,
  token: async () => (await import('./oauth/cli/token-command.js')).tokenCommand,
  user: async () => (await import('./cli/user.js')).userCommand,
};

const usage = `usage: inpracsys <command> [options]
  serve [--port P] [--host H] [--data-dir D] [--site-address URL] [--database-url URL]
  user add --username NAME --role admin|clinician [--display-name NAME] < password
  client list [--json] | client enable|disable CLIENT_ID [--data-dir D]
  token parse|revoke [--data-dir D] < token
  import FILE|DIR [--data-dir D] [--database-url URL]
  ig install DIR|PACKAGE.tgz [--data-dir D] [--database-url URL] [--verbose]
  generate --patients N --out DIR [--seed S] [--format bundle|ndjson]`;

/** Runs one command; returns the exit code (2 for usage errors, 1 for failures). */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === 'help') {
    io.out(usage);
    return name ? 0 : 2;
  }
  const loadCommand = commands[name];
  if (!loadCommand) {
    io.err(`inpracsys: unknown command "${name}"\n${usage}`);
    return 2;
  }
  try {
    const command = await loadCommand();
    return await command(args, io);
  } catch (error) {
    const usageMistake = error instanceof UsageError || error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    io.err(`inpracsys ${name}: ${(error as Error).message.split('\n')[0]}`);
    return usageMistake ? 2 : 1;
  }
}
