import { randomUUID } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** One NDJSON file of a job, as the checkpoint and bulk_files record it. */
export interface ExportFile {
  /** The download id (`Document/{id}/Binary`), fixed when the file starts. */
  id: string;
  /** A resource type, or OperationOutcome for the manifest's `error` entries. */
  type: string;
  /** File name inside the job's directory. */
  path: string;
  count: number;
  bytes: number;
}

/**
 * Appends one type's NDJSON lines to `<Type>-<n>.ndjson` files of at most `fileLimit` lines,
 * with one write per page and file, so memory stays at one page. Given the type's files of a
 * checkpoint (already cut back to their recorded size), it continues the last one.
 */
export class NdjsonWriter {
  private handle: FileHandle | undefined;

  constructor(
    private readonly dir: string,
    private readonly type: string,
    private readonly fileLimit: number,
    private readonly written: ExportFile[] = [],
  ) {}

  /** Appends lines (JSON without newlines), starting new files where the limit is reached. */
  async writePage(lines: readonly string[]): Promise<void> {
    let start = 0;
    while (start < lines.length) {
      const file = await this.fileWithRoom();
      const end = Math.min(lines.length, start + this.fileLimit - file.count);
      const chunk = Buffer.from(`${lines.slice(start, end).join('\n')}\n`);
      // appendFile loops until every byte is written, unlike a single write()
      await this.handle!.appendFile(chunk);
      file.count += end - start;
      file.bytes += chunk.length;
      start = end;
    }
  }

  /** The files so far, with their lines and bytes (a copy, for a checkpoint). */
  files(): ExportFile[] {
    return this.written.map((file) => ({ ...file }));
  }

  async close(): Promise<ExportFile[]> {
    await this.handle?.close();
    this.handle = undefined;
    return this.files();
  }

  private async fileWithRoom(): Promise<ExportFile> {
    const last = this.written.at(-1);
    if (last && last.count < this.fileLimit) {
      this.handle ??= await open(path.join(this.dir, last.path), 'a');
      return last;
    }
    await this.handle?.close();
    const file: ExportFile = { id: randomUUID(), type: this.type, path: `${this.type}-${this.written.length + 1}.ndjson`, count: 0, bytes: 0 };
    this.handle = await open(path.join(this.dir, file.path), 'w');
    this.written.push(file);
    return file;
  }
}
