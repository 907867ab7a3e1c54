import { AsyncLocalStorage } from 'node:async_hooks';
import type { OutcomeIssue } from '../../http/errors.js';

/** Structural issues found ahead of a write (by a validation worker), by `Type/id`. */
export type Prevalidated = ReadonlyMap<string, readonly OutcomeIssue[]>;

const current = new AsyncLocalStorage<Prevalidated>();

/** Runs `work` with issues found ahead: validateFhirResource takes them instead of validating again. */
export function withPrevalidated<T>(found: Prevalidated, work: () => Promise<T>): Promise<T> {
  return current.run(found, work);
}

export function prevalidatedIssues(resourceType: string, id: unknown): readonly OutcomeIssue[] | undefined {
  return typeof id === 'string' ? current.getStore()?.get(`${resourceType}/${id}`) : undefined;
}
