import type { z } from 'zod';
import { HttpError } from './errors.js';

/** Validates an admin API input at the edge; the first problem becomes a 400 `{error}`. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw new HttpError(400, `${where}${issue?.message ?? 'invalid input'}`);
}
