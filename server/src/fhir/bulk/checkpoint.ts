import { mkdir, readdir, rm, stat, truncate } from 'node:fs/promises';
import path from 'node:path';
import type { ExportFile } from './ndjson-writer.js';

/**
 * How far a job has got, stored in its row after pages written (run-export.ts) and at the end of
 * each type, so a restarted server resumes it where it stopped. Up to the recorded sizes, the
 * files hold exactly the resources up to `afterId` of the current type (and all of the earlier
 * types), which is what makes every resource appear once.
 */
export interface ExportCheckpoint {
  /** The types to export, fixed when the job first ran (new types appearing later do not shift it). */
  types: string[];
  /** Index in `types` of the type being exported; the ones before it are done. */
  typeIndex: number;
  /** Keyset cursor: the last id of that type written. */
  afterId?: string;
  /** Every file written so far, with its lines and bytes as of this checkpoint. */
  files: ExportFile[];
}

export function parseCheckpoint(text: string | null): ExportCheckpoint | undefined {
  return text ? (JSON.parse(text) as ExportCheckpoint) : undefined;
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return -1;
  }
}

/**
 * Makes the job's directory match its checkpoint: lines written after it are cut off, files
 * started after it are deleted. A file shorter than recorded (the disk lost writes) cannot be
 * continued: its type and every later one start again.
 */
export async function restoreCheckpoint(dir: string, checkpoint: ExportCheckpoint): Promise<ExportCheckpoint> {
  await mkdir(dir, { recursive: true });
  let restored = checkpoint;
  for (const file of checkpoint.files) {
    if ((await sizeOf(path.join(dir, file.path))) >= file.bytes) continue;
    const typeIndex = checkpoint.types.indexOf(file.type);
    restored = { types: checkpoint.types, typeIndex, files: checkpoint.files.filter((kept) => checkpoint.types.indexOf(kept.type) < typeIndex) };
    break;
  }
  const kept = new Set(restored.files.map((file) => file.path));
  for (const name of await readdir(dir)) {
    if (!kept.has(name)) await rm(path.join(dir, name), { recursive: true, force: true });
  }
  for (const file of restored.files) await truncate(path.join(dir, file.path), file.bytes);
  return restored;
}
