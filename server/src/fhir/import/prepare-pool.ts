import { Worker } from 'node:worker_threads';
import { installedConformanceResources } from '../ig/profiles.js';
import type { Prepared, PreparedChunk } from '../repository/prepared.js';

export interface PrepareWorkerData {
  conformance: Record<string, unknown>[];
}

export interface PrepareRequest {
  id: number;
  /** NDJSON lines, one resource each. */
  lines: string[];
}

export interface PrepareResponse {
  id: number;
  found: [string, Prepared][];
}

/**
 * Structural validation and index extraction of NDJSON resources on worker threads, so a large
 * import prepares the next chunks while the importing thread writes one. The workers load the
 * same definitions and installed profiles; what they answer is used through `withPrepared`.
 * Runs from the built server (`build/`): the worker is a compiled module.
 */
export class PreparePool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, { resolve: (found: PreparedChunk) => void; reject: (error: Error) => void }>();
  private nextId = 0;

  constructor(readonly size: number) {
    const workerData: PrepareWorkerData = { conformance: installedConformanceResources() };
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(new URL('./prepare-worker.js', import.meta.url), { workerData });
      worker.on('message', ({ id, found }: PrepareResponse) => {
        this.waiting.get(id)?.resolve(new Map(found));
        this.waiting.delete(id);
      });
      worker.on('error', (error) => this.failAll(error));
      return worker;
    });
  }

  /** What the workers found for each resource of `lines` with a type and id, by `Type/id`. */
  prepare(lines: string[]): Promise<PreparedChunk> {
    const id = this.nextId++;
    const worker = this.workers[id % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, lines } satisfies PrepareRequest);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
    this.failAll(new Error('prepare pool closed'));
  }

  private failAll(error: Error): void {
    for (const { reject } of this.waiting.values()) reject(error);
    this.waiting.clear();
  }
}
