import { QueryTypes, UniqueConstraintError, type Sequelize, type Transaction } from 'sequelize';
import { FhirError } from '../../http/errors.js';
import type { ExtractedIndex } from '../indexing/extract.js';
import { indexTables } from '../indexing/rows.js';
import { currentVersionCacheOf, type CurrentVersionCache } from './current-cache.js';
import { joinSql, listSql, rawSql, sql, sqlList, type Sql } from './sql.js';

export type FhirJson = Record<string, unknown> & { resourceType: string; id?: string };

/** One stored version of a resource. */
export interface StoredResource {
  resourceType: string;
  id: string;
  versionId: number;
  lastUpdated: string;
  deleted: boolean;
  resource: FhirJson;
  /** The stored JSON text, when read from the database: a read answers it without re-serializing. */
  json?: string;
}

export interface ResourceRow {
  resource_type: string;
  id: string;
  version_id: number | string;
  last_updated: string;
  deleted: boolean | number;
  content: string;
}

export function toStored(row: ResourceRow): StoredResource {
  let parsed: FhirJson | undefined;
  return {
    resourceType: row.resource_type,
    id: row.id,
    versionId: Number(row.version_id),
    lastUpdated: row.last_updated,
    deleted: Boolean(row.deleted),
    json: row.content,
    // parsed on first use: a plain read sends `json` as it is
    get resource(): FhirJson {
      parsed ??= JSON.parse(row.content) as FhirJson;
      return parsed;
    },
    set resource(value: FhirJson) {
      parsed = value;
    },
  };
}

export const resourceColumns = 'resource_type, id, version_id, last_updated, deleted, content';


/** Bound parameters per multi-row INSERT: under SQLite's 32,766 (and PostgreSQL's 65,535). */
const maxInsertParameters = 30_000;
/** Rows per INSERT statement at most, whatever the width. */
const maxInsertRows = 2_000;

/** The FHIR tables (storage/migration.ts) behind a small interface; every write takes the caller's transaction. */
export class FhirStore {
  /**
   * Rows of new resources and index rows written in a transaction but not yet inserted, so a
   * Bundle's rows go in a few statements per table. Flushed before any query of the transaction
   * (it must see its own writes), before an update or delete, and before commit.
   */
  private readonly pending = new WeakMap<Transaction, Map<string, Record<string, unknown>[]>>();

  /** The deferred `fhir_resources` rows by `Type/id`, so reads of the current version need no flush. */
  private readonly pendingCurrent = new WeakMap<Transaction, Map<string, ResourceRow>>();

  /**
   * Current versions loaded ahead for a transaction (`prefetchCurrent`), by `Type/id`; null when
   * there is none. A write of the resource drops its entry, so `current` never answers a stale row.
   */
  private readonly prefetched = new WeakMap<Transaction, Map<string, ResourceRow | null>>();

  constructor(readonly sequelize: Sequelize) {}

  /** Any query; flushes the transaction's pending index rows first so it sees its own writes. */
  async select<T extends object>(query: Sql, transaction?: Transaction): Promise<T[]> {
    if (transaction) await this.flush(transaction);
    return this.selectRows<T>(query, transaction);
  }

  /** Without flushing: for tables that are never deferred (fhir_aliases) and reads that check the deferred rows themselves. */
  private async selectRows<T extends object>(query: Sql, transaction?: Transaction): Promise<T[]> {
    if (!transaction && this.sequelize.getDialect() === 'sqlite' && query.values.every(isDriverValue)) return this.selectOutsideTransaction<T>(query);
    return this.sequelize.query<T>(query.text, { replacements: [...query.values], type: QueryTypes.SELECT, transaction });
  }

  private async flush(transaction: Transaction): Promise<void> {
    const tables = this.pending.get(transaction);
    if (!tables?.size) return;
    this.pending.delete(transaction);
    this.pendingCurrent.delete(transaction);
    for (const [table, rows] of tables) await this.insertRows(table, rows, transaction);
  }

  /** Multi-row INSERTs with bound parameters (no escaping of values into the SQL text). */
  private async insertRows(table: string, rows: Record<string, unknown>[], transaction: Transaction): Promise<void> {
    if (!rows.length) return;
    const columnSet = new Set<string>();
    for (const row of rows) for (const column of Object.keys(row)) columnSet.add(column);
    const columns = [...columnSet];
    const perStatement = Math.max(1, Math.min(maxInsertRows, Math.floor(maxInsertParameters / columns.length)));
    const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
    const sqlite = sqliteConnection(this.sequelize, transaction);
    for (let start = 0; start < rows.length; start += perStatement) {
      const chunk = rows.slice(start, start + perStatement);
      const bind: unknown[] = [];
      const tuples: string[] = [];
      for (const row of chunk) {
        const placeholders: string[] = [];
        for (const column of columns) {
          bind.push(row[column] ?? null);
          placeholders.push(sqlite ? '?' : `$${bind.length}`);
        }
        tuples.push(`(${placeholders.join(', ')})`);
      }
      const text = head + tuples.join(', ');
      if (sqlite) await sqliteRun(sqlite, text, bind);
      else await this.sequelize.query(text, { bind, type: QueryTypes.INSERT, transaction });
    }
  }

  private async run(query: Sql, transaction: Transaction): Promise<void> {
    await this.sequelize.query(query.text, { replacements: [...query.values], transaction });
  }

  transaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    return this.sequelize
      .transaction(async (transaction) => {
        const result = await work(transaction);
        await this.flush(transaction);
        return result;
      })
      .catch((error: unknown) => {
        // two writers creating the same id at once (PostgreSQL; SQLite queues writers)
        if (error instanceof UniqueConstraintError) throw new FhirError(409, 'the resource was created concurrently; retry', 'conflict');
        throw error;
      });
  }

  async selectResources(query: Sql, transaction?: Transaction): Promise<StoredResource[]> {
    return (await this.select<ResourceRow>(query, transaction)).map(toStored);
  }

  /** The current version (deleted or not); locks the row on PostgreSQL so concurrent writers queue. */
  async current(resourceType: string, id: string, transaction?: Transaction): Promise<StoredResource | undefined> {
    const pending = transaction && this.pendingCurrent.get(transaction)?.get(`${resourceType}/${id}`);
    if (pending) return toStored(pending);
    const prefetched = transaction && this.prefetched.get(transaction);
    if (prefetched?.has(`${resourceType}/${id}`)) {
      const row = prefetched.get(`${resourceType}/${id}`);
      return row ? toStored(row) : undefined;
    }
    if (!transaction) return this.currentOutsideTransaction(resourceType, id);
    const lock = this.sequelize.getDialect() === 'postgres' ? ' FOR UPDATE' : '';
    // deferred index rows cannot change this answer, so no flush (imports of resources with ids stay batched)
    const rows = await this.selectRows<ResourceRow>(
      sql`SELECT ${rawColumns()} FROM fhir_resources WHERE resource_type = ${resourceType} AND id = ${id}${rawSql(lock)}`,
      transaction,
    );
    return rows[0] && toStored(rows[0]);
  }

  /**
   * Reads outside a transaction (reads by id) share queries: while one is running, the reads asked
   * for meanwhile wait and then go in one query together. Each read is answered by a query that
   * started after it was asked, so it sees every write committed before; under load this spares
   * a database round trip per request (SQLite runs a connection's queries one after another).
   * On SQLite, what they found is kept until the next commit (current-cache.ts), once a first
   * query has opened the connection that keeps the commit stamp's file in place.
   */
  private cache: CurrentVersionCache | null | undefined;
  private readQueue: { key: string; resourceType: string; id: string; resolve: (row: ResourceRow | undefined) => void; reject: (error: unknown) => void }[] = [];
  private reading = false;

  private currentOutsideTransaction(resourceType: string, id: string): Promise<StoredResource | undefined> {
    const key = `${resourceType}\u0000${id}`;
    const cached = this.cache?.get(key);
    if (cached !== undefined) return Promise.resolve(cached ? toStored(cached) : undefined);
    return new Promise<ResourceRow | undefined>((resolve, reject) => {
      this.readQueue.push({ key, resourceType, id, resolve, reject });
      if (!this.reading) void this.readQueued();
    }).then((row) => row && toStored(row));
  }

  private async readQueued(): Promise<void> {
    this.reading = true;
    try {
      while (this.readQueue.length) {
        const batch = this.readQueue.splice(0, 200);
        try {
          const byType = new Map<string, Set<string>>();
          for (const { resourceType, id } of batch) {
            let ids = byType.get(resourceType);
            if (!ids) {
              ids = new Set();
              byType.set(resourceType, ids);
            }
            ids.add(id);
          }
          const where = joinSql([...byType].map(([resourceType, ids]) => sql`resource_type = ${resourceType} AND id IN ${sqlList([...ids])}`), ' OR ');
          const generation = this.cache?.begin();
          const rows = await this.selectRows<ResourceRow>(sql`SELECT ${rawColumns()} FROM fhir_resources WHERE ${where}`);
          const found = new Map(rows.map((row) => [`${row.resource_type}\u0000${row.id}`, row]));
          for (const waiter of batch) waiter.resolve(found.get(waiter.key));
          if (generation !== undefined) this.cache?.keep(generation, batch.map(({ key }) => [key, found.get(key) ?? null]));
          this.cache ??= currentVersionCacheOf(this.sequelize) ?? null;
        } catch (error) {
          for (const waiter of batch) waiter.reject(error);
        }
      }
    } finally {
      this.reading = false;
    }
  }

  /**
   * A read outside any transaction on SQLite, straight to the driver on the connection Sequelize
   * uses for such reads: Sequelize's query machinery costs more than a read by id itself.
   */
  private async selectOutsideTransaction<T extends object>(query: Sql): Promise<T[]> {
    const manager = this.sequelize.connectionManager as unknown as { getConnection(options: object): Promise<SqliteReader> };
    const connection = await manager.getConnection({});
    const values = query.values.map((value) => (typeof value === 'boolean' ? Number(value) : value));
    return new Promise((resolve, reject) => connection.all(query.text, values, (error, rows) => (error ? reject(error) : resolve(rows as T[]))));
  }

  /**
   * Loads the current versions of many resources in a few queries, for the `current` calls that
   * follow in the same transaction (a Bundle's PUTs and DELETEs); locks the rows on PostgreSQL as
   * `current` does. Like `current`, it needs no flush: deferred rows are answered from memory.
   */
  async prefetchCurrent(targets: readonly { resourceType: string; id: string }[], transaction: Transaction): Promise<void> {
    let prefetched = this.prefetched.get(transaction);
    if (!prefetched) {
      prefetched = new Map();
      this.prefetched.set(transaction, prefetched);
    }
    const byType = new Map<string, Set<string>>();
    for (const { resourceType, id } of targets) {
      const key = `${resourceType}/${id}`;
      if (prefetched.has(key) || this.pendingCurrent.get(transaction)?.has(key)) continue;
      let ids = byType.get(resourceType);
      if (!ids) {
        ids = new Set();
        byType.set(resourceType, ids);
      }
      ids.add(id);
    }
    const lock = this.sequelize.getDialect() === 'postgres' ? ' FOR UPDATE' : '';
    for (const [resourceType, idSet] of byType) {
      const ids = [...idSet];
      for (let start = 0; start < ids.length; start += 500) {
        const chunk = ids.slice(start, start + 500);
        const rows = await this.selectRows<ResourceRow>(
          sql`SELECT ${rawColumns()} FROM fhir_resources WHERE resource_type = ${resourceType} AND id IN ${sqlList(chunk)}${rawSql(lock)}`,
          transaction,
        );
        const found = new Map(rows.map((row) => [row.id, row]));
        for (const id of chunk) prefetched.set(`${resourceType}/${id}`, found.get(id) ?? null);
      }
    }
  }

  async version(resourceType: string, id: string, versionId: number, transaction?: Transaction): Promise<StoredResource | undefined> {
    const rows = await this.selectResources(
      sql`SELECT ${rawColumns()} FROM fhir_resource_versions WHERE resource_type = ${resourceType} AND id = ${id} AND version_id = ${versionId}`,
      transaction,
    );
    return rows[0];
  }

  async byIds(resourceType: string, ids: readonly string[], transaction?: Transaction): Promise<StoredResource[]> {
    if (ids.length === 0) return [];
    return this.selectResources(
      sql`SELECT ${rawColumns()} FROM fhir_resources WHERE resource_type = ${resourceType} AND deleted = ${false} AND id IN ${sqlList(ids)}`,
      transaction,
    );
  }

  /** Records a new version and makes it current; a new resource's rows are deferred to the flush like index rows. */
  async writeVersion(version: StoredResource, isNew: boolean, transaction: Transaction): Promise<void> {
    const { resourceType, id, versionId, lastUpdated, deleted } = version;
    const row = { resource_type: resourceType, id, version_id: versionId, last_updated: lastUpdated, deleted, content: JSON.stringify(version.resource) };
    this.prefetched.get(transaction)?.delete(`${resourceType}/${id}`);
    if (isNew) {
      this.defer(transaction, 'fhir_resource_versions', [row]);
      this.defer(transaction, 'fhir_resources', [row]);
      let current = this.pendingCurrent.get(transaction);
      if (!current) {
        current = new Map();
        this.pendingCurrent.set(transaction, current);
      }
      current.set(`${resourceType}/${id}`, row);
      return;
    }
    await this.flush(transaction);
    await this.run(
      sql`INSERT INTO fhir_resource_versions (${rawColumns()}) VALUES (${resourceType}, ${id}, ${versionId}, ${lastUpdated}, ${deleted}, ${row.content})`,
      transaction,
    );
    await this.run(
      sql`UPDATE fhir_resources SET version_id = ${versionId}, last_updated = ${lastUpdated}, deleted = ${deleted}, content = ${row.content} WHERE resource_type = ${resourceType} AND id = ${id}`,
      transaction,
    );
  }

  private defer(transaction: Transaction, table: string, rows: Record<string, unknown>[]): void {
    if (!rows.length) return;
    let tables = this.pending.get(transaction);
    if (!tables) {
      tables = new Map();
      this.pending.set(transaction, tables);
    }
    const list = tables.get(table) ?? [];
    for (const row of rows) list.push(row);
    tables.set(table, list);
  }

  /** Replaces the search index and compartment rows of a resource (none for a deleted one); inserts are deferred to the flush. */
  async replaceIndex(resourceType: string, id: string, index: ExtractedIndex | undefined, hadIndex: boolean, transaction: Transaction): Promise<void> {
    if (hadIndex) {
      // the resource's earlier rows, including ones written earlier in this transaction
      await this.flush(transaction);
      for (const table of indexTables) await this.run(sql`DELETE FROM ${rawSql(`fhir_idx_${table}`)} WHERE resource_type = ${resourceType} AND resource_id = ${id}`, transaction);
      await this.run(sql`DELETE FROM fhir_compartments WHERE resource_type = ${resourceType} AND resource_id = ${id}`, transaction);
    }
    if (!index) return;
    // Object.assign onto a literal: V8 spreads two objects (`{ ...owner, ...row }`) some fifty times slower
    for (const table of indexTables) this.defer(transaction, `fhir_idx_${table}`, index.rows[table].map((row) => Object.assign({ resource_type: resourceType, resource_id: id }, row)));
    this.defer(transaction, 'fhir_compartments', index.patients.map((patient_id) => ({ resource_type: resourceType, resource_id: id, patient_id })));
  }

  /** Re-indexes stored resources of one type (after new SearchParameters were installed): one DELETE per table for the lot. */
  async reindex(resourceType: string, indexes: ReadonlyMap<string, ExtractedIndex>, transaction: Transaction): Promise<void> {
    if (!indexes.size) return;
    await this.flush(transaction);
    const ids = sqlList([...indexes.keys()]);
    for (const table of [...indexTables.map((t) => `fhir_idx_${t}`), 'fhir_compartments']) {
      await this.run(sql`DELETE FROM ${rawSql(table)} WHERE resource_type = ${resourceType} AND resource_id IN ${ids}`, transaction);
    }
    for (const [id, index] of indexes) await this.replaceIndex(resourceType, id, index, false, transaction);
  }

  async alias(alias: string, transaction?: Transaction): Promise<{ resourceType: string; id: string } | undefined> {
    const rows = await this.selectRows<{ resource_type: string; resource_id: string }>(
      sql`SELECT resource_type, resource_id FROM fhir_aliases WHERE alias = ${alias}`,
      transaction,
    );
    const row = rows[0];
    return row && { resourceType: row.resource_type, id: row.resource_id };
  }

  /** What types' stored index rows were built from (indexing/index-state.ts), by type. */
  async replaceIndexSignatures(signatures: ReadonlyMap<string, string>, transaction: Transaction): Promise<void> {
    if (!signatures.size) return;
    await this.run(sql`DELETE FROM fhir_index_state WHERE resource_type IN ${sqlList([...signatures.keys()])}`, transaction);
    const rows = [...signatures].map(([type, signature]) => sql`(${type}, ${signature})`);
    await this.run(sql`INSERT INTO fhir_index_state (resource_type, signature) VALUES ${listSql(rows)}`, transaction);
  }

  async saveAlias(alias: string, resourceType: string, id: string, transaction: Transaction): Promise<void> {
    await this.run(sql`DELETE FROM fhir_aliases WHERE alias = ${alias}`, transaction);
    await this.run(sql`INSERT INTO fhir_aliases (alias, resource_type, resource_id) VALUES (${alias}, ${resourceType}, ${id})`, transaction);
  }
}

interface SqliteConnection {
  run(sql: string, parameters: unknown[], callback: (error: Error | null) => void): void;
}

/** Values node-sqlite3 binds as Sequelize would escape them (a Date, for one, it would not). */
function isDriverValue(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean', 'bigint'].includes(typeof value);
}

interface SqliteReader {
  all(sql: string, parameters: unknown[], callback: (error: Error | null, rows: unknown[]) => void): void;
}

/**
 * The transaction's own node-sqlite3 connection: positional `?` parameters bind in one pass there,
 * where Sequelize turns a bind array into named `$n` parameters (each looked up by name, quadratic
 * for a multi-row INSERT) or escapes every value into the SQL text.
 */
function sqliteConnection(sequelize: Sequelize, transaction: Transaction): SqliteConnection | undefined {
  if (sequelize.getDialect() !== 'sqlite') return undefined;
  const connection = (transaction as unknown as { connection?: Partial<SqliteConnection> }).connection;
  return typeof connection?.run === 'function' ? (connection as SqliteConnection) : undefined;
}

function sqliteRun(connection: SqliteConnection, text: string, parameters: unknown[]): Promise<void> {
  return new Promise((resolve, reject) => {
    connection.run(text, parameters, (error) => {
      if (!error) return resolve();
      // as Sequelize reports it, so callers (FhirStore.transaction) see the same error classes
      const code = (error as Error & { code?: string }).code;
      reject(code === 'SQLITE_CONSTRAINT' && /UNIQUE/.test(error.message) ? new UniqueConstraintError({ parent: Object.assign(error, { sql: text }), message: error.message }) : error);
    });
  });
}

function rawColumns(): Sql {
  return rawSql(resourceColumns);
}
