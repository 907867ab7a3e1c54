import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle } from '@medplum/fhirtypes';
import { afterAll, describe, expect, it } from 'vitest';
import { createGenerator, generate, type GenerateOptions } from './index.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function run(options: Omit<GenerateOptions, 'out'>): Promise<{ dir: string; result: Awaited<ReturnType<typeof generate>> }> {
  const dir = await mkdtemp(join(tmpdir(), 'inpracsys-generate-'));
  dirs.push(dir);
  return { dir, result: await generate({ ...options, out: dir }) };
}

/** One hash over every file's name and bytes. */
async function hashDir(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const name of (await readdir(dir)).sort()) hash.update(name).update(await readFile(join(dir, name)));
  return hash.digest('hex');
}

describe('generate', () => {
  it('writes byte-identical files for the same seed', async () => {
    const first = await run({ patients: 4, seed: 'same' });
    const second = await run({ patients: 4, seed: 'same' });
    expect(await hashDir(second.dir)).toBe(await hashDir(first.dir));
    const firstNdjson = await run({ patients: 4, seed: 'same', format: 'ndjson' });
    const secondNdjson = await run({ patients: 4, seed: 'same', format: 'ndjson' });
    expect(await hashDir(secondNdjson.dir)).toBe(await hashDir(firstNdjson.dir));
  });

  it('writes different data for a different seed', async () => {
    const first = await run({ patients: 2, seed: 'one' });
    const second = await run({ patients: 2, seed: 'two' });
    expect(await hashDir(second.dir)).not.toBe(await hashDir(first.dir));
    expect(await readFile(join(second.dir, 'patient-000001.json'), 'utf8')).not.toBe(await readFile(join(first.dir, 'patient-000001.json'), 'utf8'));
  });

  it('writes a shared transaction bundle and one transaction bundle per patient, PUT at each id', async () => {
    const { dir, result } = await run({ patients: 3 });
    expect((await readdir(dir)).sort()).toEqual(['patient-000001.json', 'patient-000002.json', 'patient-000003.json', 'shared.json']);
    let total = 0;
    for (const name of await readdir(dir)) {
      const bundle = JSON.parse(await readFile(join(dir, name), 'utf8')) as Bundle;
      expect(bundle.type).toBe('transaction');
      for (const entry of bundle.entry ?? []) {
        const resource = entry.resource!;
        expect(entry.request).toEqual({ method: 'PUT', url: `${resource.resourceType}/${resource.id}` });
        total++;
      }
      if (name.startsWith('patient-')) expect(bundle.entry?.[0]?.resource?.resourceType).toBe('Patient');
    }
    expect(total).toBe(result.total);
    expect(result.counts.Patient).toBe(3);
  });

  it('writes one NDJSON file per resource type with the same resources as the bundles', async () => {
    const bundles = await run({ patients: 3, seed: 'formats' });
    const { dir, result } = await run({ patients: 3, seed: 'formats', format: 'ndjson' });
    expect(result).toEqual(bundles.result);
    const files = (await readdir(dir)).sort();
    expect(files).toEqual(Object.keys(result.counts).map((type) => `${type}.ndjson`).sort());
    for (const file of files) {
      const lines = (await readFile(join(dir, file), 'utf8')).trimEnd().split('\n');
      expect(lines).toHaveLength(result.counts[file.replace('.ndjson', '')]!);
      expect((JSON.parse(lines[0]!) as { resourceType: string }).resourceType).toBe(file.replace('.ndjson', ''));
    }
  });

  it('gives each patient a record of realistic size, about 300 resources on average', () => {
    const generator = createGenerator('sizes');
    const sizes = Array.from({ length: 30 }, (_, index) => generator.patient(index + 1).length);
    for (const size of sizes) {
      expect(size).toBeGreaterThanOrEqual(80);
      expect(size).toBeLessThanOrEqual(900);
    }
    const mean = sizes.reduce((sum, size) => sum + size, 0) / sizes.length;
    expect(mean).toBeGreaterThan(220);
    expect(mean).toBeLessThan(420);
  });

  it('generates a patient the same way whatever was generated before it', () => {
    const alone = createGenerator('order').patient(7);
    const generator = createGenerator('order');
    generator.patient(3);
    expect(generator.patient(7)).toEqual(alone);
  });

  it('gives every resource a deterministic id derived from the patient number', () => {
    const resources = createGenerator().patient(12);
    expect(resources[0]).toMatchObject({ resourceType: 'Patient', id: 'gen-p-000012' });
    const ids = resources.map((resource) => `${resource.resourceType}/${resource.id}`);
    expect(new Set(ids).size).toBe(ids.length);
    for (const resource of resources) expect(resource.id).toMatch(/^gen-p-000012(-[a-z]+-\d+)?$/);
  });
});
