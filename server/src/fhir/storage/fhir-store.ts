import { QueryTypes, UniqueConstraintError, type Sequelize, type Transaction } from 'sequelize';
import { FhirError } from '../../http/errors.js';
import type { ExtractedIndex } from '../indexing/extract.js';
import { indexTables } from '../indexing/rows.js';
import { rawSql, sql, sqlList, type Sql } from './sql.js';

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

interface ResourceRow {
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


/** Rows per statement: well under SQLite's 32766 bound variables for the widest index table. */
const insertChunk = 500;

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

  constructor(readonly sequelize: Sequelize) {}

  /** Any query; flushes the transaction's pending index rows first so it sees its own writes. */
  async select<T extends object>(query: Sql, transaction?: Transaction): Promise<T[]> {
    if (transaction) await this.flush(transaction);
    return this.selectRows<T>(query, transaction);
  }

  /** Without flushing: for tables that are never deferred (fhir_aliases) and reads that check the deferred rows themselves. */
  private async selectRows<T extends object>(query: Sql, transaction?: Transaction): Promise<T[]> {
    return this.sequelize.query<T>(query.text, { replacements: [...query.values], type: QueryTypes.SELECT, transaction });
  }

  private async flush(transaction: Transaction): Promise<void> {
    const tables = this.pending.get(transaction);
    if (!tables?.size) return;
    this.pending.delete(transaction);
    this.pendingCurrent.delete(transaction);
    const qi = this.sequelize.getQueryInterface();
    for (const [table, rows] of tables) {
      for (let i = 0; i < rows.length; i += insertChunk) await qi.bulkInsert(table, rows.slice(i, i + insertChunk), { transaction });
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

  private async selectStored(query: Sql, transaction?: Transaction): Promise<StoredResource[]> {
    return (await this.select<ResourceRow>(query, transaction)).map(toStored);
  }

  /** The current version (deleted or not); locks the row on PostgreSQL so concurrent writers queue. */
  async current(resourceType: string, id: string, transaction?: Transaction): Promise<StoredResource | undefined> {
    const pending = transaction && this.pendingCurrent.get(transaction)?.get(`${resourceType}/${id}`);
    if (pending) return toStored(pending);
    const lock = transaction && this.sequelize.getDialect() === 'postgres' ? ' FOR UPDATE' : '';
    // deferred index rows cannot change this answer, so no flush (imports of resources with ids stay batched)
    const rows = await this.selectRows<ResourceRow>(
      sql`SELECT ${rawColumns()} FROM fhir_resources WHERE resource_type = ${resourceType} AND id = ${id}${rawSql(lock)}`,
      transaction,
    );
    return rows[0] && toStored(rows[0]);
  }

  async version(resourceType: string, id: string, versionId: number, transaction?: Transaction): Promise<StoredResource | undefined> {
    const rows = await this.selectStored(
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
    const owner = { resource_type: resourceType, resource_id: id };
    if (hadIndex) {
      // the resource's earlier rows, including ones written earlier in this transaction
      await this.flush(transaction);
      for (const table of indexTables) await this.run(sql`DELETE FROM ${rawSql(`fhir_idx_${table}`)} WHERE resource_type = ${resourceType} AND resource_id = ${id}`, transaction);
      await this.run(sql`DELETE FROM fhir_compartments WHERE resource_type = ${resourceType} AND resource_id = ${id}`, transaction);
    }
    if (!index) return;
    for (const table of indexTables) this.defer(transaction, `fhir_idx_${table}`, index.rows[table].map((row) => ({ ...owner, ...row })));
    this.defer(transaction, 'fhir_compartments', index.patients.map((patient_id) => ({ ...owner, patient_id })));
  }

  async alias(alias: string, transaction?: Transaction): Promise<{ resourceType: string; id: string } | undefined> {
    const rows = await this.selectRows<{ resource_type: string; resource_id: string }>(
      sql`SELECT resource_type, resource_id FROM fhir_aliases WHERE alias = ${alias}`,
      transaction,
    );
    const row = rows[0];
    return row && { resourceType: row.resource_type, id: row.resource_id };
  }

  async saveAlias(alias: string, resourceType: string, id: string, transaction: Transaction): Promise<void> {
    await this.run(sql`DELETE FROM fhir_aliases WHERE alias = ${alias}`, transaction);
    await this.run(sql`INSERT INTO fhir_aliases (alias, resource_type, resource_id) VALUES (${alias}, ${resourceType}, ${id})`, transaction);
  }
}

function rawColumns(): Sql {
  return rawSql(resourceColumns);
}
