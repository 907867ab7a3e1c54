/**
 * `npm run bench`: the FHIR server's figures on generated data (DESIGN §6, issue goals):
 * import rate (and the rate of its validation and indexing alone), read-by-id throughput against
 * a bare HTTPS server answering the same bytes, and US Core search latency. Prints a table and
 * writes bench/results.json.
 * Options: --patients N (default 1000), --seconds S per load phase (default 10).
 */
import https from 'node:https';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/src/config/load.js';
import { siteUrls } from '../server/src/context.js';
import { openStore } from '../server/src/db/open-store.js';
import { createFhirService } from '../server/src/fhir/api.js';
import { importPath } from '../server/src/fhir/import/import-files.js';
import { PreparePool } from '../server/src/fhir/import/prepare-pool.js';
import { createLogger } from '../server/src/log.js';
import { startServer } from '../server/src/server.js';
import { benchExport } from './export.js';
import { generate } from './generator/index.js';
import { familyNames } from './generator/names.js';
import { backendAccessToken } from './lib/backend-token.js';
import { runLoad, type LoadResult } from './lib/load.js';
import { Results } from './lib/results.js';
import { prepareRate } from './prepare.js';

const { values } = parseArgs({ options: { patients: { type: 'string', default: '1000' }, seconds: { type: 'string', default: '10' } } });
const patients = Number(values.patients);
const loadMs = Number(values.seconds) * 1000;
/** The read-by-id phases are split into rounds, the two servers taking turns. */
const readRounds = 5;
const results = new Results();
const work = await mkdtemp(path.join(os.tmpdir(), 'inpracsys-bench-'));
const dataDir = path.join(work, 'data');
const log = createLogger('warn');

try {
  console.log(`Generating ${patients} patients…`);
  const generated = await generate({ patients, out: path.join(work, 'ndjson'), seed: 'bench', format: 'ndjson' });
  const total = generated.total;

  console.log(`Importing ${total} resources…`);
  const config = loadConfig(['--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--log-level', 'warn'], { INPRACSYS_ADMIN_PASSWORD: 'benchmark password' });
  {
    const { sequelize } = await openStore(config, log);
    const service = createFhirService({ sequelize, urls: () => siteUrls('https://localhost') });
    const started = performance.now();
    const workers = new PreparePool(os.availableParallelism());
    const report = await importPath(service, path.join(work, 'ndjson'), { workers }).finally(() => workers.close());
    const seconds = (performance.now() - started) / 1000;
    await sequelize.close();
    if (report.failures.length) throw new Error(`import failed: ${report.failures[0]!.message}`);
    results.add({ benchmark: 'import', metric: 'resources', value: report.resources, unit: 'resources' });
    results.add({ benchmark: 'import', metric: 'rate (with indexing)', value: report.resources / seconds, unit: 'resources/s', goal: '≥ 5,000' });
  }
  console.log('Validating and indexing the same resources with nothing written…');
  const prepared = await prepareRate(path.join(work, 'ndjson'), os.availableParallelism());
  results.add({ benchmark: 'import', metric: 'validation + indexing alone (no writes)', value: prepared.perSecond, unit: 'resources/s' });

  const server = await startServer(config, log);
  try {
    const token = await backendAccessToken(server, 'system/Patient.rs system/Observation.rs system/Condition.rs');
    const headers = { authorization: `Bearer ${token}`, accept: 'application/fhir+json' };
    const load = (paths: string[], port: number, connections: number, durationMs = loadMs): Promise<LoadResult> =>
      runLoad({ host: '127.0.0.1', port, ca: server.tls.caPem, paths, headers, connections, durationMs });

    const ids = Array.from({ length: 200 }, (_, i) => `gen-p-${String((i % patients) + 1).padStart(6, '0')}-obs-${(i % 10) + 1}`);
    const readPaths = ids.map((id) => `/fhir/r4/Observation/${id}`);
    const bodies = new Map<string, Buffer>();
    for (const readPath of readPaths) bodies.set(readPath, await fetchBody(server.port, server.tls.caPem, readPath, headers));

    console.log(`Reading by id (16 keep-alive connections, the FHIR server and a bare one in turn, ${readRounds} rounds)…`);
    const bare = await bareServer(server.context.tls.keyPem, server.context.tls.certChainPem, bodies);
    // Both get the same requests (the bare server ignores the token); alternating rounds share the machine's ups and downs.
    const roundMs = loadMs / readRounds;
    const fhirRounds: LoadResult[] = [];
    const bareRounds: LoadResult[] = [];
    for (let round = 0; round < readRounds; round++) {
      fhirRounds.push(await load(readPaths, server.port, 16, roundMs));
      bareRounds.push(await load(readPaths, bare.port, 16, roundMs));
    }
    bare.close();
    const fhirRate = requestRate(fhirRounds);
    const bareRate = requestRate(bareRounds);
    results.add({ benchmark: 'read by id', metric: 'FHIR server', value: fhirRate, unit: 'requests/s' });
    results.add({ benchmark: 'read by id', metric: 'bare HTTPS server, same bytes', value: bareRate, unit: 'requests/s' });
    results.add({ benchmark: 'read by id', metric: 'ratio', value: (100 * fhirRate) / bareRate, unit: '%', goal: '≥ 60%' });
    const roundRatios = fhirRounds.map((round, index) => (100 * round.perSecond) / bareRounds[index]!.perSecond);
    results.add({ benchmark: 'read by id', metric: 'ratio, lowest round', value: Math.min(...roundRatios), unit: '%' });
    results.add({ benchmark: 'read by id', metric: 'ratio, highest round', value: Math.max(...roundRatios), unit: '%' });
    results.add({ benchmark: 'read by id', metric: 'failed requests', value: fhirRounds.reduce((sum, round) => sum + round.failures, 0), unit: 'requests' });

    const patientIds = Array.from({ length: 50 }, (_, i) => `gen-p-${String((i * 7) % patients + 1).padStart(6, '0')}`);
    const searches: Record<string, string[]> = {
      'Observation?patient&category=laboratory': patientIds.map((id) => `/fhir/r4/Observation?patient=${id}&category=laboratory`),
      'Condition?patient': patientIds.map((id) => `/fhir/r4/Condition?patient=${id}`),
      'Patient?name': familyNames.slice(0, 20).map((name) => `/fhir/r4/Patient?name=${encodeURIComponent(name)}`),
    };
    for (const [name, paths] of Object.entries(searches)) {
      console.log(`Searching ${name} (1 connection)…`);
      const search = await load(paths, server.port, 1);
      results.add({ benchmark: `search ${name}`, metric: 'p50 (client-side, loopback)', value: search.p50Ms, unit: 'ms', goal: '≤ 5 ms' });
      results.add({ benchmark: `search ${name}`, metric: 'p95 (client-side, loopback)', value: search.p95Ms, unit: 'ms' });
      if (search.failures) results.add({ benchmark: `search ${name}`, metric: 'failed requests', value: search.failures, unit: 'requests' });
    }
    await benchExport(server, results, work);
  } finally {
    await server.close();
  }

  results.print();
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../bench/results.json');
  results.write(file, { date: new Date().toISOString(), patients, resources: total, node: process.version, cpus: os.cpus().length });
  console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);
} finally {
  await rm(work, { recursive: true, force: true });
}

/** Requests per second over several load runs together. */
function requestRate(rounds: LoadResult[]): number {
  return rounds.reduce((sum, round) => sum + round.requests, 0) / rounds.reduce((sum, round) => sum + round.seconds, 0);
}

function fetchBody(port: number, ca: string, pathname: string, headers: Record<string, string>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    https.get({ host: '127.0.0.1', port, servername: 'localhost', path: pathname, ca, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`${pathname}: ${res.statusCode}`))));
    }).on('error', reject);
  });
}

/** The physical limit: Node's HTTPS server with the same certificate answering the same bytes. */
async function bareServer(key: string, cert: string, bodies: Map<string, Buffer>): Promise<{ port: number; close(): void }> {
  const server = https.createServer({ key, cert }, (req, res) => {
    const body = bodies.get(req.url ?? '');
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/fhir+json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { port: address.port, close: () => server.close() };
}
