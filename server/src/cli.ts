import { ConfigError } from './config/load.js';
import { generateCommand } from './cli/generate.js';
import { processIo, UsageError, type CliIo } from './cli/io.js';
import { serveCommand } from './cli/serve.js';
import { userCommand } from './cli/user.js';
import { importCommand } from './fhir/import/import-command.js';
import { clientCommand } from './oauth/cli/client-command.js';
import { tokenCommand } from './oauth/cli/token-command.js';

type Command = (args: string[], io: CliIo) => Promise<number>;

/** The `inpracsys` commands; later parts add theirs here. */
const commands: Record<string, Command> = {
  client: clientCommand,
  generate: generateCommand,
  import: importCommand,
  serve: serveCommand,
  token: tokenCommand,
  user: userCommand,
};

const usage = `usage: inpracsys <command> [options]
  serve [--port P] [--host H] [--data-dir D] [--site-address URL] [--database-url URL]
  user add --username NAME --role admin|clinician [--display-name NAME] < password
  client list [--json] | client enable|disable CLIENT_ID [--data-dir D]
  token parse|revoke [--data-dir D] < token
  import FILE|DIR [--data-dir D] [--database-url URL]
  generate --patients N --out DIR [--seed S] [--format bundle|ndjson]`;

/** Runs one command; returns the exit code (2 for usage errors, 1 for failures). */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === 'help') {
    io.out(usage);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.err(`inpracsys: unknown command "${name}"\n${usage}`);
    return 2;
  }
  try {
    return await command(args, io);
  } catch (error) {
    const usageMistake = error instanceof UsageError || error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    io.err(`inpracsys ${name}: ${(error as Error).message.split('\n')[0]}`);
    return usageMistake ? 2 : 1;
  }
}
