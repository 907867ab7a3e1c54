import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NdjsonWriter } from './ndjson-writer.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ndjson-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('NdjsonWriter', () => {
  it('starts a new file after the line limit and reports lines and bytes per file', async () => {
    const writer = new NdjsonWriter(dir, 'Observation', 2);
    for (const n of [1, 2, 3]) {
      await writer.write(JSON.stringify({ resourceType: 'Observation', id: `o${n}` }));
      await writer.flush();
    }
    const files = await writer.close();
    expect(files.map(({ path: name, count }) => ({ name, count }))).toEqual([
      { name: 'Observation-1.ndjson', count: 2 },
      { name: 'Observation-2.ndjson', count: 1 },
    ]);
    const first = await readFile(path.join(dir, 'Observation-1.ndjson'), 'utf8');
    expect(first).toBe('{"resourceType":"Observation","id":"o1"}\n{"resourceType":"Observation","id":"o2"}\n');
    expect(files[0]!.bytes).toBe(Buffer.byteLength(first));
  });

  it('writes no file for a type without resources', async () => {
    expect(await new NdjsonWriter(dir, 'Condition', 10).close()).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });
});
