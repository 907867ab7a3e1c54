import express, { type RequestHandler } from 'express';
import { InvalidRequest } from './errors.js';

/** Form bodies as OAuth sends them; duplicated parameters arrive as arrays and are refused below. */
export const formBody = express.urlencoded({ extended: false, limit: '64kb' });

/** RFC 6749 §3.1: request and response parameters must not be included more than once. */
export const rejectDuplicateParams: RequestHandler = (req, _res, next) => {
  for (const source of [req.query as Record<string, unknown>, (req.body ?? {}) as Record<string, unknown>]) {
    for (const [name, value] of Object.entries(source)) {
      if (Array.isArray(value)) throw new InvalidRequest(`parameter ${name} was given more than once`);
    }
  }
  next();
};

/** Token-bearing responses: never cached (RFC 6749 §5.1). */
export const noCache: RequestHandler = (_req, res, next) => {
  res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  next();
};

export function stringParam(source: unknown, name: string): string | undefined {
  const value = (source as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
