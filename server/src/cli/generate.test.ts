import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import type { CliIo } from './io.js';

function captureIo(): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { env: {}, lines, errors, out: (line) => lines.push(line), err: (line) => errors.push(line), readStdin: async () => '' };
}

describe('inpracsys generate', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes the patients as NDJSON and prints the counts', async () => {
    dir = await mkdtemp(join(tmpdir(), 'inpracsys-generate-cli-'));
    const io = captureIo();
    expect(await runCli(['generate', '--patients', '2', '--out', dir, '--seed', '7', '--format', 'ndjson'], io)).toBe(0);
    expect(await readdir(dir)).toContain('Patient.ndjson');
    expect(io.lines[0]).toBe('patients: 2');
    expect(io.lines).toContain('  Patient: 2');
    expect(io.lines.at(-1)).toMatch(/^total: \d+ resources in /);
  });

  it.each([
    [['--out', '/tmp/unused']],
    [['--patients', '0', '--out', '/tmp/unused']],
    [['--patients', '2.5', '--out', '/tmp/unused']],
    [['--patients', '3']],
    [['--patients', '3', '--out', '/tmp/unused', '--format', 'xml']],
    [['--patients', '3', '--out', '/tmp/unused', '--colour']],
  ])('refuses %j with exit code 2', async (args) => {
    const io = captureIo();
    expect(await runCli(['generate', ...args], io)).toBe(2);
    expect(io.errors[0]).toMatch(/^inpracsys generate: /);
  });
});
