import { parseArgs } from 'node:util';
import { UsageError, type CliIo } from '../../cli/io.js';
import { inspectToken, revokePastedToken } from '../token-inspection.js';
import { openOffline, storeOptions } from './offline-context.js';

const usage = 'usage: inpracsys token parse|revoke [--data-dir D] < token   (the token is read from standard input, never a flag)';

/** `inpracsys token parse|revoke`: Token Tools for headless servers; prints the parse result as JSON. */
export async function tokenCommand(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'parse' && action !== 'revoke') throw new UsageError(usage);
  const { values } = parseArgs({ args: rest, strict: true, options: storeOptions });
  const token = (await io.readStdin()).trim();
  if (!token) throw new UsageError(usage);
  const { host, close } = await openOffline(values, io.env);
  try {
    const result = action === 'parse' ? await inspectToken(host, token) : await revokePastedToken(host, token, { actor: 'cli' }, 'cli');
    io.out(JSON.stringify(result, null, 2));
    return result.status === 'invalid' ? 1 : 0;
  } finally {
    await close();
  }
}
