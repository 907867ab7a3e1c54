import { ConfigError } from './config/load.js';
import { processIo, UsageError, type CliIo } from './cli/io.js';
import { serveCommand } from './cli/serve.js';
import { userCommand } from './cli/user.js';

type Command = (args: string[], io: CliIo) => Promise<number>;

/** The `inpracsys` commands; later parts add theirs here. */
const commands: Record<string, Command> = {
  serve: serveCommand,
  user: userCommand,
};

const usage = `usage: inpracsys <command> [options]
  serve [--port P] [--host H] [--data-dir D] [--site-address URL] [--database-url URL]
  user add --username NAME --role admin|clinician [--display-name NAME] < password`;

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
