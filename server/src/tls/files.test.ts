import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTextIfPresent, writeFileAtomic } from './files.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(os.tmpdir(), 'inpracsys-tls-files-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temporary file behind', async () => {
    const path = join(dir, 'server.key');
    await writeFileAtomic(path, 'old\n', 0o600);
    await writeFileAtomic(path, 'new\n', 0o600);

    expect(await readFile(path, 'utf8')).toBe('new\n');
    expect(await readdir(dir)).toEqual(['server.key']);
  });

  it.skipIf(process.platform === 'win32')('creates the file with the requested mode', async () => {
    const path = join(dir, 'ca.key');
    await writeFileAtomic(path, 'secret\n', 0o600);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('removes its temporary file when the final rename fails', async () => {
    const path = join(dir, 'occupied');
    await mkdir(join(path, 'child'), { recursive: true }); // a file cannot be renamed over a directory

    await expect(writeFileAtomic(path, 'text', 0o600)).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['occupied']);
  });
});

describe('readTextIfPresent', () => {
  it('answers undefined for a missing file', async () => {
    expect(await readTextIfPresent(join(dir, 'absent.crt'))).toBeUndefined();
  });

  it('throws other errors instead of treating them as missing', async () => {
    await expect(readTextIfPresent(dir)).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
