import type { Sequelize } from 'sequelize';
import { commitStampOf, type CommitStamp } from '../../db/commit-stamp.js';
import type { ResourceRow } from './fhir-store.js';

/** Bounds: stored JSON characters and entries (a missing id is an entry too); the oldest go first. */
const maxChars = 32 * 1024 * 1024;
const maxEntries = 100_000;

/**
 * Current versions read by id, answered again without a query for as long as nothing has been
 * committed to the database since they were read. Any commit, by this server or by another process
 * on the same file (`inpracsys import`), changes the commit stamp and empties the cache, so a read
 * never answers older data than the database holds. `null` remembers an id that is not stored.
 * Access is still checked on every read: this only spares the query for the row.
 */
export class CurrentVersionCache {
  private readonly rows = new Map<string, ResourceRow | null>();
  private chars = 0;
  private generation = 0;

  constructor(private readonly stamp: Pick<CommitStamp, 'current'>) {}

  /** The generation a query starting now reads in; what it finds is kept only if that is still current. */
  begin(): number {
    const generation = this.stamp.current();
    if (generation !== this.generation) {
      this.rows.clear();
      this.chars = 0;
      this.generation = generation;
    }
    return generation;
  }

  /** The row, null when known not to be stored, undefined when the database must be asked. */
  get(key: string): ResourceRow | null | undefined {
    this.begin();
    return this.rows.get(key);
  }

  keep(generation: number, found: Iterable<[string, ResourceRow | null]>): void {
    if (this.begin() !== generation) return;
    for (const [key, row] of found) {
      if (this.rows.has(key)) continue;
      this.rows.set(key, row);
      this.chars += row?.content.length ?? 0;
    }
    for (const [key, row] of this.rows) {
      if (this.chars <= maxChars && this.rows.size <= maxEntries) break;
      this.rows.delete(key);
      this.chars -= row?.content.length ?? 0;
    }
  }
}

const caches = new WeakMap<Sequelize, CurrentVersionCache | null>();

/** The database's cache, shared by its stores; none without a commit stamp (PostgreSQL, memory, Windows). */
export function currentVersionCacheOf(sequelize: Sequelize): CurrentVersionCache | undefined {
  let cache = caches.get(sequelize);
  if (cache === undefined) {
    const stamp = commitStampOf(sequelize);
    cache = stamp ? new CurrentVersionCache(stamp) : null;
    caches.set(sequelize, cache);
  }
  return cache ?? undefined;
}
