import { Worker } from 'node:worker_threads';
import type { OutcomeIssue } from '../../http/errors.js';
import { installedConformanceResources } from '../ig/profiles.js';
import type { Prevalidated } from './prevalidated.js';

export interface ValidationWorkerData {
  conformance: Record<string, unknown>[];
}

export interface ValidationRequest {
  id: number;
  /** NDJSON lines, one resource each. */
  lines: string[];
}

export interface ValidationResponse {
  id: number;
  found: [string, OutcomeIssue[]][];
}

/**
 * Structural validation of NDJSON resources on worker threads, so a large import validates one
 * chunk while the importing thread indexes and writes the one before. The workers load the same
 * definitions and installed profiles; what they answer is used through `withPrevalidated`.
 * Runs from the built server (`build/`): the worker is a compiled module.
 */
export class ValidationPool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, { resolve: (found: Prevalidated) => void; reject: (error: Error) => void }>();
  private nextId = 0;

  constructor(readonly size: number) {
    const workerData: ValidationWorkerData = { conformance: installedConformanceResources() };
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(new URL('./validation-worker.js', import.meta.url), { workerData });
      worker.on('message', ({ id, found }: ValidationResponse) => {
        this.waiting.get(id)?.resolve(new Map(found));
        this.waiting.delete(id);
      });
      worker.on('error', (error) => this.failAll(error));
      return worker;
    });
  }

  /** The issues of each resource of `lines` with a type and id, by `Type/id` (an empty list when valid). */
  validate(lines: string[]): Promise<Prevalidated> {
    const id = this.nextId++;
    const worker = this.workers[id % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, lines } satisfies ValidationRequest);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
    this.failAll(new Error('validation pool closed'));
  }

  private failAll(error: Error): void {
    for (const { reject } of this.waiting.values()) reject(error);
    this.waiting.clear();
  }
}
