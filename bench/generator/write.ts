/** Streaming output: one transaction Bundle per patient, or one NDJSON file per resource type. */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Bundle, Resource } from '@medplum/fhirtypes';

export type OutputFormat = 'bundle' | 'ndjson';

/** Where generated resources go; patients arrive one at a time and are not kept. */
export interface RecordSink {
  writeShared(resources: readonly Resource[]): Promise<void>;
  writePatient(index: number, resources: readonly Resource[]): Promise<void>;
  close(): Promise<void>;
}

export async function openSink(format: OutputFormat, dir: string): Promise<RecordSink> {
  await mkdir(dir, { recursive: true });
  return format === 'bundle' ? new BundleSink(dir) : new NdjsonSink(dir);
}

/** A transaction that PUTs every resource at its own id, so loading it twice changes nothing. */
export function transactionBundle(resources: readonly Resource[]): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: resources.map((resource) => ({
      resource,
      request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` },
    })),
  };
}

/** `shared.json` (load it first), then `patient-000001.json`, …; a few files are written while the next patient is generated. */
class BundleSink implements RecordSink {
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown;

  constructor(private readonly dir: string) {}

  writeShared(resources: readonly Resource[]): Promise<void> {
    return this.put('shared.json', resources);
  }

  writePatient(index: number, resources: readonly Resource[]): Promise<void> {
    return this.put(`patient-${String(index).padStart(6, '0')}.json`, resources);
  }

  async close(): Promise<void> {
    await Promise.all(this.inFlight);
    this.throwIfFailed();
  }

  private async put(name: string, resources: readonly Resource[]): Promise<void> {
    // A Buffer, not a string: fs.promises.writeFile writes strings much more slowly.
    const data = Buffer.from(`${JSON.stringify(transactionBundle(resources))}\n`);
    const write: Promise<void> = writeFile(join(this.dir, name), data)
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => this.inFlight.delete(write));
    this.inFlight.add(write);
    if (this.inFlight.size >= maxFilesInFlight) await Promise.race(this.inFlight);
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}

const maxFilesInFlight = 4;
const flushBytes = 1 << 20;

interface NdjsonFile {
  stream: WriteStream;
  /** Encoded lines not yet handed to the stream (encoding per line is cheaper than joining strings). */
  pending: Buffer[];
  size: number;
}

/** `<Type>.ndjson`, one resource a line, written in large chunks and respecting back-pressure. */
class NdjsonSink implements RecordSink {
  private readonly files = new Map<string, NdjsonFile>();

  constructor(private readonly dir: string) {}

  writeShared(resources: readonly Resource[]): Promise<void> {
    return this.append(resources);
  }

  writePatient(_index: number, resources: readonly Resource[]): Promise<void> {
    return this.append(resources);
  }

  async close(): Promise<void> {
    for (const file of this.files.values()) {
      await this.flush(file);
      file.stream.end();
      await once(file.stream, 'finish');
    }
  }

  private async append(resources: readonly Resource[]): Promise<void> {
    for (const resource of resources) {
      let file = this.files.get(resource.resourceType);
      if (!file) {
        file = { stream: createWriteStream(join(this.dir, `${resource.resourceType}.ndjson`)), pending: [], size: 0 };
        this.files.set(resource.resourceType, file);
      }
      const line = Buffer.from(`${JSON.stringify(resource)}\n`);
      file.pending.push(line);
      file.size += line.length;
      if (file.size >= flushBytes) await this.flush(file);
    }
  }

  private async flush(file: NdjsonFile): Promise<void> {
    if (file.size === 0) return;
    const chunk = Buffer.concat(file.pending, file.size);
    file.pending = [];
    file.size = 0;
    if (!file.stream.write(chunk)) await once(file.stream, 'drain');
  }
}
