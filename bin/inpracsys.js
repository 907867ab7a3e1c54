#!/usr/bin/env node
// The `inpracsys` command. In a source checkout it first builds what is missing or out of date
// (the server with tsc, the admin GUI with Vite), so `npm ci && npm start` works on a fresh clone.
import { ensureBuilt } from './ensure-built.js';

await ensureBuilt();
const { runCli } = await import('../build/server/src/cli.js');
process.exitCode = await runCli(process.argv.slice(2));
