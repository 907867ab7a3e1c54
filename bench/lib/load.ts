import { Worker } from 'node:worker_threads';

export interface LoadOptions {
  host: string;
  port: number;
  ca: string;
  /** Requested in turn, round robin across the connections. */
  paths: string[];
  headers: Record<string, string>;
  connections: number;
  durationMs: number;
}

export interface LoadResult {
  requests: number;
  failures: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
}

/**
 * Drives HTTPS GETs from a worker thread, so the load generator and the server under test each
 * have a core of their own. Only 200 answers count as done requests.
 */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load-worker.js', import.meta.url), { workerData: options });
    worker.once('message', (result: LoadResult) => resolve(result));
    worker.once('error', reject);
  });
}
