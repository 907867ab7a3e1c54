import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

function outdated(output, ...sources) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return sources.some((source) => existsSync(source) && newestSource(source) > built);
}

function run(script) {
  process.stderr.write(`Building (${script})…\n`);
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
}

/** Builds the server and the GUI when their sources are newer than the build (source checkouts only). */
export async function ensureBuilt() {
  const checkout = existsSync(path.join(root, 'tsconfig.server.json')) && existsSync(path.join(root, 'node_modules', 'typescript'));
  if (!checkout) return;
  if (outdated(path.join(root, 'build/server/src/cli.js'), path.join(root, 'server/src'), path.join(root, 'bench'))) run('build:server');
  if (outdated(path.join(root, 'build/renderer/index.html'), path.join(root, 'renderer'))) run('build:renderer');
}
