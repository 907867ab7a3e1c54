import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON-lines logger. Tokens, secrets and PHI are never passed to it; the redact list is a safety net. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { name: 'inpracsys' },
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization', 'req.headers.authorization', 'req.headers.cookie'],
      censor: '[redacted]',
    },
  });
}
