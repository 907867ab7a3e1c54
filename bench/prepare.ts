import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ndjsonChunks } from '../server/src/fhir/import/import-files.js';
import { PreparePool } from '../server/src/fhir/import/prepare-pool.js';

/**
 * The import's work before any write: structural validation and index extraction of every
 * resource of the NDJSON files in `dir`, in the import's chunks on the import's worker pool (its
 * start-up counted too), and nothing written. No import on the same machine can go faster.
 */
export async function prepareRate(dir: string, workers: number): Promise<{ resources: number; perSecond: number }> {
  const started = performance.now();
  const pool = new PreparePool(workers);
  let resources = 0;
  try {
    for (const name of (await readdir(dir)).filter((file) => file.endsWith('.ndjson'))) {
      const chunks = ndjsonChunks(await readFile(path.join(dir, name), 'utf8'));
      for (const found of await Promise.all(chunks.map(({ lines }) => pool.prepare(lines)))) resources += found.size;
    }
  } finally {
    await pool.close();
  }
  return { resources, perSecond: resources / ((performance.now() - started) / 1000) };
}
