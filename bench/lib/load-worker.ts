import https from 'node:https';
import { parentPort, workerData } from 'node:worker_threads';
import type { LoadOptions, LoadResult } from './load.js';

const options = workerData as LoadOptions;

/** One keep-alive connection per lane, each sending its next request when the last answer ends. */
async function run(): Promise<LoadResult> {
  const agent = new https.Agent({ keepAlive: true, maxSockets: options.connections, ca: options.ca });
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;
  const lane = async (index: number) => {
    let i = index;
    while (performance.now() < deadline) {
      const path = options.paths[i % options.paths.length]!;
      i += options.connections;
      const sent = performance.now();
      const status = await new Promise<number>((resolve) => {
        const req = https.request({ host: options.host, port: options.port, servername: 'localhost', path, headers: options.headers, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', () => resolve(0));
        req.end();
      });
      if (status === 200) latencies.push(performance.now() - sent);
      else failures++;
    }
  };
  await Promise.all(Array.from({ length: options.connections }, (_, index) => lane(index)));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { requests: latencies.length, failures, seconds, perSecond: latencies.length / seconds, p50Ms: at(0.5), p95Ms: at(0.95) };
}

parentPort!.postMessage(await run());
