import https from 'node:https';
import { mkdir, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { sqliteUrlFor } from '../server/src/db/database.js';
import { bulkExports } from '../server/src/fhir/bulk/services.js';
import type { RunningServer } from '../server/src/server.js';
import { backendAccessToken } from './lib/backend-token.js';
import type { Results } from './lib/results.js';

const bulkScopes = ['system/*.$export', 'system/*.$bulkdata-status', 'system/Document.read', 'system/Binary.read'];

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(server: RunningServer, pathname: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    https
      .get({ host: '127.0.0.1', port: server.port, servername: 'localhost', path: pathname, ca: server.tls.caPem, headers }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

/** Peak resident set size while `work` runs, sampled every 20 ms. */
async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  try {
    const result = await work();
    return { result, peak: Math.max(peak, process.memoryUsage.rss()) };
  } finally {
    clearInterval(timer);
  }
}

/**
 * A system `$export` through the API: the resources it wrote and the seconds from kick-off to
 * completion, as the job records them (polling the status often would slow the job it times).
 */
async function apiExport(server: RunningServer, token: string, query = ''): Promise<{ resources: number; seconds: number }> {
  const headers = { authorization: `Bearer ${token}`, accept: 'application/fhir+json', prefer: 'respond-async' };
  const kickOff = await get(server, `/fhir/r4/$export${query}`, headers);
  if (kickOff.status !== 202) throw new Error(`kick-off answered ${kickOff.status}: ${kickOff.body}`);
  const status = new URL(String(kickOff.headers['content-location']));
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const answer = await get(server, status.pathname + status.search, headers);
    if (answer.status === 202) continue;
    if (answer.status !== 200) throw new Error(`status answered ${answer.status}: ${answer.body}`);
    const manifest = JSON.parse(answer.body) as { output: { count: number }[]; error: { url: string }[] };
    if (manifest.error[0]) throw new Error(`the export reported problems: ${(await get(server, new URL(manifest.error[0].url).pathname, headers)).body}`);
    const job = await bulkExports(server.context).jobs.get(status.searchParams.get('job')!);
    const seconds = (job!.completedAt!.getTime() - job!.createdAt.getTime()) / 1000;
    return { resources: manifest.output.reduce((sum, entry) => sum + entry.count, 0), seconds };
  }
}

function all<T>(db: sqlite3.Database, text: string, params: unknown[]): Promise<T[]> {
  return new Promise((resolve, reject) => db.all<T>(text, params, (error, rows) => (error ? reject(error) : resolve(rows))));
}

/**
 * The physical limit: the same rows read straight from the SQLite file (the bench's database)
 * with the same keyset pages, the next page read while this one is written (as the worker
 * does), written to NDJSON files with one append per page, and nothing else.
 */
async function rawExport(databaseFile: string, types: string[], pageSize: number, out: string): Promise<number> {
  const db = new sqlite3.Database(databaseFile, sqlite3.OPEN_READONLY);
  const page = (type: string, afterId: string) =>
    all<{ id: string; content: string }>(db, 'SELECT id, content FROM fhir_resources WHERE resource_type = ? AND deleted = 0 AND id > ? ORDER BY id LIMIT ?', [type, afterId, pageSize]);
  await mkdir(out, { recursive: true });
  let total = 0;
  try {
    for (const type of types) {
      const file = await open(path.join(out, `${type}.ndjson`), 'w');
      let next: ReturnType<typeof page> | undefined = page(type, '');
      while (next) {
        const rows: { id: string; content: string }[] = await next;
        next = rows.length === pageSize ? page(type, rows.at(-1)!.id) : undefined;
        if (rows.length) await file.appendFile(`${rows.map((row) => row.content).join('\n')}\n`);
        total += rows.length;
      }
      await file.close();
    }
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
  return total;
}

/** Rounds of each measurement, taken in turn: the best of each is reported, so a burst of other work on the machine skews neither. */
const rounds = 3;

/**
 * Bulk export: a system `$export` of everything the bench imported, against the raw loop on the
 * same rows; resources/s of each (best of three, alternating), their ratio, and the peak RSS.
 */
export async function benchExport(server: RunningServer, results: Results, work: string): Promise<void> {
  const storedTypes = async () =>
    ((await server.context.sequelize.query('SELECT DISTINCT resource_type FROM fhir_resources', { type: 'SELECT' })) as { resource_type: string }[]).map((row) => row.resource_type).sort();
  // Group too: the kick-off writes the practitioner panels
  const types = [...new Set([...(await storedTypes()), 'Group'])];
  const token = await backendAccessToken(server, [...bulkScopes, ...types.map((type) => `system/${type}.rs`)].join(' '));
  const databaseFile = sqliteUrlFor(server.context.config.dataDir).slice('sqlite:'.length);
  const rawDir = path.join(work, 'raw-export');

  // loads the FHIR definitions and writes the practitioner panels, which the timed export should not count
  await apiExport(server, token, '?_type=Organization');
  const rssBefore = process.memoryUsage.rss();
  let resources = 0;
  let exportRate = 0;
  let rawRate = 0;
  let exportPeak = 0;
  let rawPeak = 0;
  for (let round = 1; round <= rounds; round++) {
    console.log(`Exporting every resource (${types.length} types) with $export, then with a raw read-and-write loop (${round}/${rounds})…`);
    const api = await peakRss(() => apiExport(server, token));
    const rawStarted = performance.now();
    const raw = await peakRss(async () => rawExport(databaseFile, await storedTypes(), bulkExports(server.context).options.pageSize, rawDir));
    const rawSeconds = (performance.now() - rawStarted) / 1000;
    await rm(rawDir, { recursive: true, force: true });
    if (raw.result !== api.result.resources) throw new Error(`the export wrote ${api.result.resources} resources, the raw loop ${raw.result}`);
    resources = api.result.resources;
    exportRate = Math.max(exportRate, resources / api.result.seconds);
    rawRate = Math.max(rawRate, raw.result / rawSeconds);
    exportPeak = Math.max(exportPeak, api.peak);
    rawPeak = Math.max(rawPeak, raw.peak);
  }

  const mb = (bytes: number) => bytes / 1024 / 1024;
  results.add({ benchmark: 'bulk export', metric: 'resources', value: resources, unit: 'resources' });
  results.add({ benchmark: 'bulk export', metric: '$export, kick-off to manifest (best of 3)', value: exportRate, unit: 'resources/s', goal: '≥ 50,000' });
  results.add({ benchmark: 'bulk export', metric: 'raw loop, same rows and pages (best of 3)', value: rawRate, unit: 'resources/s' });
  results.add({ benchmark: 'bulk export', metric: 'ratio', value: (100 * exportRate) / rawRate, unit: '%', goal: '≥ 60%' });
  results.add({ benchmark: 'bulk export', metric: 'RSS before the exports', value: mb(rssBefore), unit: 'MB' });
  results.add({ benchmark: 'bulk export', metric: 'peak RSS during $export', value: mb(exportPeak), unit: 'MB' });
  results.add({ benchmark: 'bulk export', metric: 'peak RSS during raw loop', value: mb(rawPeak), unit: 'MB' });
  results.add({ benchmark: 'bulk export', metric: 'load average (1 min) after', value: os.loadavg()[0]!, unit: '' });
}
