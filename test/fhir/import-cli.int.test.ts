import { spawn } from 'node:child_process';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { generate, type GenerateResult } from '../../bench/generator/index.js';
import { openDatabase, sqliteUrlFor } from '../../server/src/db/database.js';
import { fhirRegistry } from '../../server/src/fhir/definitions/registry.js';
import { extractIndex } from '../../server/src/fhir/indexing/extract.js';
import { indexSignature } from '../../server/src/fhir/indexing/index-state.js';
import { indexTables } from '../../server/src/fhir/indexing/rows.js';
import { createLogger } from '../../server/src/log.js';
import { bearerHeader } from '../helpers/bearer.js';
import { removeDir, request, startTestServer, tempDataDir } from '../helpers/server.js';

// `inpracsys import` as an administrator runs it: the built command, validating NDJSON chunks on
// worker threads (import/prepare-pool.ts) while it writes. What it stores must be what it reports.
let dir: string;
let generated: GenerateResult;
let run: { code: number | null; stdout: string; stderr: string };

function inpracsys(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/inpracsys.js', ...args], { cwd: path.resolve(import.meta.dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  dir = await tempDataDir();
  const ndjson = path.join(dir, 'ndjson');
  generated = await generate({ patients: 4, out: ndjson, seed: 'import-cli', format: 'ndjson' });
  // one structurally invalid resource among many valid ones: stored, and reported as a warning
  await appendFile(path.join(ndjson, 'Observation.ndjson'), `\n${JSON.stringify({ resourceType: 'Observation', id: 'odd-one', status: 'final', code: { text: 'x' }, subject: { reference: 'Patient/gen-p-000001' }, effectiveDateTime: '2024-01-01', misspelt: true })}\n`);
  run = await inpracsys(['import', ndjson, '--data-dir', path.join(dir, 'data')]);
}, 180_000);

afterAll(async () => {
  if (dir) await removeDir(dir);
});

describe('inpracsys import', () => {
  it('imports every generated resource and reports the invalid one with its path', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`imported ${generated.total + 1} resources from ${Object.keys(generated.counts).length} files`);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^warning: .*Observation\.ndjson Observation\/odd-one stored with validation problems: Invalid additional property "misspelt" \(Observation\.misspelt\)$/)]);
  });

  it('recorded the types it wrote as indexed by this version, so no server re-indexes them', async () => {
    const sequelize = await openDatabase(sqliteUrlFor(path.join(dir, 'data')), createLogger('silent'));
    try {
      const recorded = await sequelize.query<{ resource_type: string; signature: string }>('SELECT resource_type, signature FROM fhir_index_state', { type: QueryTypes.SELECT });
      const registry = fhirRegistry();
      for (const type of Object.keys(generated.counts)) expect(recorded.find((row) => row.resource_type === type)?.signature, type).toBe(indexSignature(registry, type));
    } finally {
      await sequelize.close();
    }
  });

  it('stored what it reported, searchable', async () => {
    const server = await startTestServer(path.join(dir, 'data'));
    try {
      const headers = await bearerHeader(server, 'system/Observation.rs system/Patient.rs');
      const count = async (query: string) => (await request(server, `/fhir/r4/${query}`, { headers })).json<{ total: number }>().total;
      expect(await count('Observation?_summary=count')).toBe(generated.counts.Observation! + 1);
      expect(await count('Patient?_summary=count')).toBe(4);
      const lines = (await readFile(path.join(dir, 'ndjson', 'Observation.ndjson'), 'utf8')).split('\n').filter(Boolean);
      const firstPatientsLabs = lines.map((l) => JSON.parse(l) as { subject?: { reference?: string }; category?: { coding?: { code?: string }[] }[] }).filter((o) => o.subject?.reference === 'Patient/gen-p-000001' && o.category?.some((c) => c.coding?.some((cd) => cd.code === 'laboratory')));
      expect(await count('Observation?patient=gen-p-000001&category=laboratory&_summary=count')).toBe(firstPatientsLabs.length);
    } finally {
      await server.close();
    }
  });

  it('wrote for every resource the index rows and compartments the server itself would (worked out on the workers)', async () => {
    const sequelize = await openDatabase(sqliteUrlFor(path.join(dir, 'data')), createLogger('silent'));
    try {
      const select = <T extends object>(text: string) => sequelize.query<T>(text, { type: QueryTypes.SELECT });
      const ownerKey = (row: { resource_type: string; resource_id: string }) => `${row.resource_type}/${row.resource_id}`;
      const stored = new Map<string, string[]>();
      const add = (key: string, line: string) => stored.set(key, [...(stored.get(key) ?? []), line]);
      for (const table of indexTables) {
        for (const row of await select<Record<string, unknown> & { resource_type: string; resource_id: string }>(`SELECT * FROM fhir_idx_${table}`)) {
          const { id: _rowId, resource_type: _type, resource_id: _id, ...values } = row;
          add(ownerKey(row), `${table} ${JSON.stringify(Object.entries(values).sort())}`);
        }
      }
      for (const row of await select<{ resource_type: string; resource_id: string; patient_id: string }>('SELECT * FROM fhir_compartments')) add(ownerKey(row), `compartment ${row.patient_id}`);

      const resources = await select<{ resource_type: string; id: string; content: string }>('SELECT resource_type, id, content FROM fhir_resources');
      expect(resources.length).toBeGreaterThan(generated.total);
      const registry = fhirRegistry();
      for (const { resource_type: type, id, content } of resources) {
        const index = extractIndex(registry, JSON.parse(content) as { resourceType: string; id: string });
        const expected = [
          ...indexTables.flatMap((table) => index.rows[table].map((row) => `${table} ${JSON.stringify(Object.entries(row).sort())}`)),
          ...index.patients.map((patient) => `compartment ${patient}`),
        ];
        expect(stored.get(`${type}/${id}`)?.sort() ?? [], `${type}/${id}`).toEqual(expected.sort());
      }
    } finally {
      await sequelize.close();
    }
  });

  it('writes what a running server reads next, though the server had read those ids before', async () => {
    const server = await startTestServer(path.join(dir, 'data'));
    try {
      const headers = await bearerHeader(server, 'system/Patient.rs');
      const read = (id: string) => request(server, `/fhir/r4/Patient/${id}`, { headers });
      for (let i = 0; i < 2; i++) {
        expect((await read('gen-p-000002')).headers.etag).toBe('W/"1"');
        expect((await read('imported-later')).status).toBe(404);
      }
      const file = path.join(dir, 'later', 'Patient.ndjson');
      await mkdir(path.dirname(file));
      const renamed = { ...(await read('gen-p-000002')).json<Record<string, unknown>>(), name: [{ family: 'Renamed' }] };
      await writeFile(file, [renamed, { resourceType: 'Patient', id: 'imported-later' }].map((line) => JSON.stringify(line)).join('\n'));
      const again = await inpracsys(['import', file, '--data-dir', path.join(dir, 'data')]);
      expect(again.code, again.stderr).toBe(0);
      const after = await read('gen-p-000002');
      expect(after.headers.etag).toBe('W/"2"');
      expect(after.json()).toMatchObject({ name: [{ family: 'Renamed' }] });
      expect((await read('imported-later')).status).toBe(200);
    } finally {
      await server.close();
    }
  }, 60_000);
});
