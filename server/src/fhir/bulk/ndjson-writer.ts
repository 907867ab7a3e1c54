import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

export interface WrittenFile {
  type: string;
  /** File name inside the job's directory. */
  path: string;
  count: number;
  bytes: number;
}

/**
 * Writes one type's NDJSON lines into `<Type>-<n>.ndjson` files of at most `fileLimit` lines.
 * Lines are buffered per page and appended with one write, so memory stays at one page.
 */
export class NdjsonWriter {
  private readonly files: WrittenFile[] = [];
  private handle: FileHandle | undefined;
  private buffer: string[] = [];

  constructor(
    private readonly dir: string,
    private readonly type: string,
    private readonly fileLimit: number,
  ) {}

  /** Adds one line (JSON without newlines). */
  async write(json: string): Promise<void> {
    let current = this.files.at(-1);
    if (!current || current.count >= this.fileLimit) {
      await this.flush();
      await this.handle?.close();
      current = { type: this.type, path: `${this.type}-${this.files.length + 1}.ndjson`, count: 0, bytes: 0 };
      this.files.push(current);
      this.handle = await open(path.join(this.dir, current.path), 'w');
    }
    this.buffer.push(json);
    current.count += 1;
    current.bytes += Buffer.byteLength(json) + 1;
  }

  /** Appends the buffered lines to the current file. */
  async flush(): Promise<void> {
    if (!this.buffer.length || !this.handle) return;
    const text = `${this.buffer.join('\n')}\n`;
    this.buffer = [];
    await this.handle.write(text);
  }

  /** Flushes and closes; answers the files written (none when there was no line). */
  async close(): Promise<WrittenFile[]> {
    await this.flush();
    await this.handle?.close();
    this.handle = undefined;
    return this.files;
  }
}
