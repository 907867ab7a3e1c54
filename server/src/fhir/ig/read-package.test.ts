import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { create } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConformancePackage } from './read-package.js';

let dir: string;
let archive: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'inpracsys-read-package-'));
  const folder = path.join(dir, 'package');
  await mkdir(folder);
  await writeFile(path.join(folder, 'package.json'), JSON.stringify({ name: 'example.ig', version: '1.0.0' }));
  const valueSet = { resourceType: 'ValueSet', url: 'http://example.org/ValueSet/big', status: 'active', description: 'x'.repeat(2 * 2 ** 20) };
  await writeFile(path.join(folder, 'ValueSet-big.json'), JSON.stringify(valueSet));
  await writeFile(path.join(folder, 'notes.bin'), Buffer.alloc(1024));
  archive = path.join(dir, 'package.tgz');
  await create({ gzip: true, file: archive, cwd: dir }, ['package']);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readConformancePackage', () => {
  it('reads the conformance resources and the package name of an archive', async () => {
    const contents = await readConformancePackage(archive);
    expect(contents.packageName).toBe('example.ig#1.0.0');
    expect(contents.resources.map((r) => r.url)).toEqual(['http://example.org/ValueSet/big']);
  });

  it('refuses an archive that unpacks beyond the limit (a small upload must not fill the disk)', async () => {
    await expect(readConformancePackage(archive, 2 ** 20)).rejects.toThrow('the package unpacks to more than 1 MB');
  });
});
