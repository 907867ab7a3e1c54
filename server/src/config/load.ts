import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { ServerConfig } from './types.js';

/** Thrown for bad flags or values; the CLI prints the message on one line and exits 2. */
export class ConfigError extends Error {}

const serveOptions = {
  port: { type: 'string' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
  'site-address': { type: 'string' },
  'database-url': { type: 'string' },
  'log-level': { type: 'string' },
} as const;

/** The `serve` flags, for callers that must pick them out of a longer command line (the desktop app). */
export const serveFlagNames = Object.keys(serveOptions);

const schema = z.object({
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string().min(1),
  dataDir: z.string().min(1),
  siteAddress: z
    .url({ protocol: /^https$/ })
    .refine((value) => {
      const url = new URL(value);
      return url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
    }, 'the site address is https://host[:port] with no path, query, fragment or user name')
    .transform((value) => value.replace(/\/$/, ''))
    .optional(),
  databaseUrl: z.string(),
  adminPassword: z.string().min(8, 'INPRACSYS_ADMIN_PASSWORD must have at least 8 characters').optional(),
  sessionIdleMinutes: z.coerce.number().int().min(1).max(24 * 60),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  bodyLimit: z.string().regex(/^\d+(kb|mb)$/),
});

/** Flags win over environment variables, which win over defaults. */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv, overrides: Partial<ServerConfig> = {}): ServerConfig {
  let flags: Record<string, string | undefined>;
  try {
    flags = parseArgs({ args: argv, options: serveOptions, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const raw = {
    port: flags.port ?? env.PORT ?? 8443,
    host: flags.host ?? env.INPRACSYS_HOST ?? '0.0.0.0',
    dataDir: path.resolve(flags['data-dir'] ?? env.INPRACSYS_DATA_DIR ?? './data'),
    siteAddress: flags['site-address'] ?? (env.INPRACSYS_SITE_ADDRESS || undefined),
    databaseUrl: flags['database-url'] ?? env.DATABASE_URL ?? '',
    adminPassword: env.INPRACSYS_ADMIN_PASSWORD || undefined,
    sessionIdleMinutes: env.INPRACSYS_SESSION_IDLE_MINUTES ?? 15,
    logLevel: flags['log-level'] ?? env.LOG_LEVEL ?? 'info',
    bodyLimit: env.INPRACSYS_BODY_LIMIT ?? '16mb',
    ...overrides,
  };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`invalid ${issue?.path.join('.') ?? 'option'}: ${issue?.message ?? 'bad value'}`);
  }
  return parsed.data;
}
