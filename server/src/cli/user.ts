import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../config/load.js';
import { openStore } from '../db/open-store.js';
import { HttpError } from '../http/errors.js';
import { createLogger } from '../log.js';
import { createStaffUser, passwordRule, usernameRule } from '../users/staff-users.js';
import { UsageError, type CliIo } from './io.js';

const storeOptions = { 'data-dir': { type: 'string' }, 'database-url': { type: 'string' } } as const;

/** `inpracsys user add --username U --role admin|clinician [--display-name N]`, password on standard input. */
export async function userCommand(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'add') throw new UsageError('usage: inpracsys user add --username NAME --role admin|clinician [--display-name NAME] < password');
  const { values } = parseArgs({
    args: rest,
    strict: true,
    options: { ...storeOptions, username: { type: 'string' }, role: { type: 'string' }, 'display-name': { type: 'string' } },
  });
  const username = usernameRule.safeParse(values.username);
  const role = z.enum(['admin', 'clinician']).safeParse(values.role);
  if (!username.success || !role.success) throw new UsageError('--username (letters, digits, . _ @ -) and --role admin|clinician are required');
  const password = passwordRule.safeParse((await io.readStdin()).replace(/\r?\n$/, ''));
  if (!password.success) throw new UsageError('the password (on standard input) needs at least 10 characters');

  const storeArgs = [...(values['data-dir'] ? ['--data-dir', values['data-dir']] : []), ...(values['database-url'] ? ['--database-url', values['database-url']] : [])];
  const config = loadConfig(storeArgs, io.env);
  const { sequelize, models } = await openStore(config, createLogger('warn'));
  try {
    const user = await createStaffUser(models, {
      username: username.data,
      role: role.data,
      displayName: values['display-name'] ?? username.data,
      password: password.data,
    });
    io.out(`user ${user.username} (${user.role}) created`);
    return 0;
  } catch (error) {
    if (error instanceof HttpError) throw new UsageError(error.message);
    throw error;
  } finally {
    await sequelize.close();
  }
}
