import { AsyncLocalStorage } from 'node:async_hooks';
import type { OutcomeIssue } from '../../http/errors.js';
import type { ExtractedIndex } from '../indexing/extract.js';

/** What a worker thread worked out ahead of a write (import/prepare-pool.ts). */
export interface Prepared {
  /** The resource's structural issues (none when valid). */
  issues: readonly OutcomeIssue[];
  /** Its index, when nothing in it changes before the write (no reference a Bundle rewrites). */
  index?: ExtractedIndex;
}

/** Prepared resources by `Type/id`. */
export type PreparedChunk = ReadonlyMap<string, Prepared>;

const current = new AsyncLocalStorage<PreparedChunk>();

/** Runs `work` with resources prepared ahead: validation and indexing take them instead of doing the work again. */
export function withPrepared<T>(chunk: PreparedChunk, work: () => Promise<T>): Promise<T> {
  return current.run(chunk, work);
}

export function preparedFor(resourceType: string, id: unknown): Prepared | undefined {
  return typeof id === 'string' ? current.getStore()?.get(`${resourceType}/${id}`) : undefined;
}
