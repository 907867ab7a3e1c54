import { parseArgs } from 'node:util';
import { generate, type OutputFormat } from '../../../bench/generator/index.js';
import { UsageError, type CliIo } from './io.js';

const usage = 'usage: inpracsys generate --patients N --out DIR [--seed S] [--format bundle|ndjson]';
const formats: readonly OutputFormat[] = ['bundle', 'ndjson'];

/** `inpracsys generate`: deterministic synthetic US Core 7 patients for tests and benchmarks. */
export async function generateCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: { patients: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' }, format: { type: 'string' } },
  });
  const patients = Number(values.patients);
  if (!values.patients || !/^\d+$/.test(values.patients) || patients < 1 || patients > 10_000_000) throw new UsageError(`--patients must be a whole number from 1 (${usage})`);
  if (!values.out) throw new UsageError(`--out DIR is required (${usage})`);
  const format = values.format ?? 'bundle';
  if (!formats.includes(format as OutputFormat)) throw new UsageError(`--format must be bundle or ndjson (${usage})`);

  const started = performance.now();
  const result = await generate({ patients, out: values.out, seed: values.seed, format: format as OutputFormat });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  io.out(`patients: ${result.patients}`);
  for (const [type, count] of Object.entries(result.counts)) io.out(`  ${type}: ${count}`);
  io.out(`total: ${result.total} resources in ${seconds} s (${format}, seed ${values.seed ?? '1'}) -> ${values.out}`);
  return 0;
}
