import { closeSync, openSync, readSync } from 'node:fs';
import type { Sequelize } from 'sequelize';

/** The WAL-index header, kept twice at the start of the `-shm` file; the first copy is enough. */
const headerBytes = 48;

/**
 * Tells without a query whether anything was committed to a SQLite database in WAL mode: every
 * commit, by any connection of any process, rewrites the WAL-index header at the start of the
 * `-shm` file (its change counter, last frame and salts; https://sqlite.org/walformat.html §2.1).
 * Reading it is one 48-byte pread, where a query costs a round trip to SQLite's thread.
 */
export class CommitStamp {
  private readonly seen = Buffer.alloc(headerBytes);
  private readonly next = Buffer.alloc(headerBytes);
  private generation = 0;

  private constructor(private fd: number | undefined) {}

  /**
   * The stamp of a database file whose connections are open (they keep the `-shm` file in place).
   * None off Linux and macOS: Windows does not promise that reading a file sees the writes other
   * processes make through a mapping of it.
   */
  static open(databaseFile: string): CommitStamp | undefined {
    if (process.platform !== 'linux' && process.platform !== 'darwin') return undefined;
    try {
      const stamp = new CommitStamp(openSync(`${databaseFile}-shm`, 'r'));
      stamp.current();
      return stamp;
    } catch {
      return undefined;
    }
  }

  /** A number that changes whenever a commit has become visible since the last call. */
  current(): number {
    if (!this.readHeader()) return ++this.generation;
    if (!this.next.equals(this.seen)) {
      this.next.copy(this.seen);
      this.generation++;
    }
    return this.generation;
  }

  private readHeader(): boolean {
    try {
      return this.fd !== undefined && readSync(this.fd, this.next, 0, headerBytes, 0) === headerBytes;
    } catch {
      return false;
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

const stamps = new WeakMap<Sequelize, CommitStamp | null>();

/**
 * The stamp of the SQLite file behind `sequelize`, opened on first use; none for PostgreSQL or an
 * in-memory database. Ask only once a query has run, so the file exists; closed with the database.
 */
export function commitStampOf(sequelize: Sequelize): CommitStamp | undefined {
  let stamp = stamps.get(sequelize);
  if (stamp === undefined) {
    const file = sequelize.getDialect() === 'sqlite' ? (sequelize as unknown as { options: { storage?: string } }).options.storage : undefined;
    stamp = (file && file !== ':memory:' ? CommitStamp.open(file) : undefined) ?? null;
    stamps.set(sequelize, stamp);
  }
  return stamp ?? undefined;
}

export function closeCommitStamp(sequelize: Sequelize): void {
  stamps.get(sequelize)?.close();
  stamps.set(sequelize, null);
}
