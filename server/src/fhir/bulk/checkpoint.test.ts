import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { restoreCheckpoint, type ExportCheckpoint } from './checkpoint.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'checkpoint-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = (type: string, n: number, count: number, bytes: number) => ({ id: `${type}-${n}`, type, path: `${type}-${n}.ndjson`, count, bytes });
const checkpoint: ExportCheckpoint = {
  types: ['Condition', 'Observation', 'Patient'],
  typeIndex: 1,
  afterId: 'o2',
  files: [file('Condition', 1, 1, 4), file('Observation', 1, 2, 8)],
};

describe('restoreCheckpoint', () => {
  it('cuts files back to their recorded size and deletes files begun after the checkpoint', async () => {
    await writeFile(path.join(dir, 'Condition-1.ndjson'), 'c1;\n');
    await writeFile(path.join(dir, 'Observation-1.ndjson'), 'o1;\no2;\no3;\no4');
    await writeFile(path.join(dir, 'Observation-2.ndjson'), 'o5;\n');
    await writeFile(path.join(dir, 'OperationOutcome-1.ndjson'), '{}\n');
    expect(await restoreCheckpoint(dir, checkpoint)).toEqual(checkpoint);
    expect((await readdir(dir)).sort()).toEqual(['Condition-1.ndjson', 'Observation-1.ndjson']);
    expect(await readFile(path.join(dir, 'Observation-1.ndjson'), 'utf8')).toBe('o1;\no2;\n');
  });

  it('starts a type again, with every later one, when a file of it is shorter than recorded', async () => {
    await writeFile(path.join(dir, 'Condition-1.ndjson'), 'c1;\n');
    await writeFile(path.join(dir, 'Observation-1.ndjson'), 'o1;\n');
    expect(await restoreCheckpoint(dir, checkpoint)).toEqual({ types: checkpoint.types, typeIndex: 1, files: [file('Condition', 1, 1, 4)] });
    expect(await readdir(dir)).toEqual(['Condition-1.ndjson']);
  });

  it('recreates a missing directory and starts the first type whose file is gone', async () => {
    const gone = path.join(dir, 'job');
    expect(await restoreCheckpoint(gone, checkpoint)).toEqual({ types: checkpoint.types, typeIndex: 0, files: [] });
    expect(await readdir(gone)).toEqual([]);
  });
});
