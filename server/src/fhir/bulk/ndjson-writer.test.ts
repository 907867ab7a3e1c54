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

const line = (id: string) => JSON.stringify({ resourceType: 'Observation', id });

describe('NdjsonWriter', () => {
  it('starts a new file after the line limit, also inside a page, and reports lines and bytes per file', async () => {
    const writer = new NdjsonWriter(dir, 'Observation', 2);
    await writer.writePage([line('o1')]);
    await writer.writePage([line('o2'), line('o3'), line('o4'), line('o5')]);
    const files = await writer.close();
    expect(files.map(({ path: name, count }) => ({ name, count }))).toEqual([
      { name: 'Observation-1.ndjson', count: 2 },
      { name: 'Observation-2.ndjson', count: 2 },
      { name: 'Observation-3.ndjson', count: 1 },
    ]);
    const first = await readFile(path.join(dir, 'Observation-1.ndjson'), 'utf8');
    expect(first).toBe(`${line('o1')}\n${line('o2')}\n`);
    expect(files[0]!.bytes).toBe(Buffer.byteLength(first));
    expect(new Set(files.map((file) => file.id)).size).toBe(3);
  });

  it('continues the last file of a checkpoint until it is full', async () => {
    const first = new NdjsonWriter(dir, 'Observation', 3);
    await first.writePage([line('o1'), line('o2')]);
    const recorded = await first.close();
    const resumed = new NdjsonWriter(dir, 'Observation', 3, recorded);
    await resumed.writePage([line('o3'), line('o4')]);
    const files = await resumed.close();
    expect(files.map((file) => [file.id, file.count])).toEqual([
      [recorded[0]!.id, 3],
      [expect.any(String), 1],
    ]);
    expect(await readFile(path.join(dir, 'Observation-1.ndjson'), 'utf8')).toBe(`${line('o1')}\n${line('o2')}\n${line('o3')}\n`);
    expect(await readFile(path.join(dir, 'Observation-2.ndjson'), 'utf8')).toBe(`${line('o4')}\n`);
  });

  it('writes no file for a type without resources', async () => {
    const writer = new NdjsonWriter(dir, 'Condition', 10);
    await writer.writePage([]);
    expect(await writer.close()).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });
});
