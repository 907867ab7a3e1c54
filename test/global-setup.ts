// Vitest globalSetup: builds the admin GUI when its build is missing or older than its sources,
// so browser tests always run against the current renderer/ code; then the server, once, for the
// tests that run `bin/inpracsys.js` (two of them building at once would race).
import { execFileSync } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const rendererDir = join(repoRoot, 'renderer');
const builtIndex = join(repoRoot, 'build', 'renderer', 'index.html');

export default async function setup(): Promise<void> {
  await buildRenderer();
  execFileSync(process.execPath, ['--input-type=module', '-e', "const { ensureBuilt } = await import('./bin/ensure-built.js'); await ensureBuilt();"], { cwd: repoRoot, stdio: 'inherit' });
}

async function buildRenderer(): Promise<void> {
  const builtAt = await modifiedTime(builtIndex);
  if (builtAt !== undefined && (await newestSourceTime(rendererDir)) <= builtAt) {
    return;
  }
  // Vitest sets NODE_ENV=test, and Vite would honour it with a development build of React.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(rendererDir, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  } finally {
    if (nodeEnv === undefined) {
      delete process.env.NODE_ENV;
    } else {
      process.env.NODE_ENV = nodeEnv;
    }
  }
}

async function modifiedTime(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

async function newestSourceTime(dir: string): Promise<number> {
  let newest = (await stat(dir)).mtimeMs;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? await newestSourceTime(path) : (await stat(path)).mtimeMs;
    newest = Math.max(newest, time);
  }
  return newest;
}
