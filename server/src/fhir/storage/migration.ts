import { DataTypes, type QueryInterface, type Transaction } from 'sequelize';
import type { Migration } from '../../db/migrate.js';

const { INTEGER, STRING, TEXT, BOOLEAN, DOUBLE } = DataTypes;

// Column names are snake_case so the search layer's raw SQL runs unquoted on SQLite and PostgreSQL.
const owner = {
  resource_type: { type: STRING(64), allowNull: false },
  resource_id: { type: STRING(64), allowNull: false },
  param: { type: STRING(100), allowNull: false },
};

async function createIndexTable(qi: QueryInterface, transaction: Transaction, name: string, columns: Record<string, object>, valueIndex: string[]): Promise<void> {
  await qi.createTable(name, { id: { type: INTEGER, primaryKey: true, autoIncrement: true }, ...owner, ...columns }, { transaction });
  await qi.addIndex(name, ['resource_type', 'param', ...valueIndex], { transaction });
  await qi.addIndex(name, ['resource_type', 'resource_id'], { transaction });
}

/** FHIR storage (DESIGN §6): current resources, their history, the search index and patient compartments. */
export const fhirStorageMigration: Migration = {
  name: '0002-fhir-storage',
  async up({ queryInterface: qi, transaction }) {
    const opts = { transaction };
    await qi.createTable('fhir_resources', {
      resource_type: { type: STRING(64), primaryKey: true },
      id: { type: STRING(64), primaryKey: true },
      version_id: { type: INTEGER, allowNull: false },
      last_updated: { type: STRING(30), allowNull: false },
      deleted: { type: BOOLEAN, allowNull: false },
      content: { type: TEXT, allowNull: false },
    }, opts);
    await qi.addIndex('fhir_resources', ['resource_type', 'last_updated'], opts);
    await qi.createTable('fhir_resource_versions', {
      resource_type: { type: STRING(64), primaryKey: true },
      id: { type: STRING(64), primaryKey: true },
      version_id: { type: INTEGER, primaryKey: true },
      last_updated: { type: STRING(30), allowNull: false },
      deleted: { type: BOOLEAN, allowNull: false },
      content: { type: TEXT, allowNull: false },
    }, opts);
    await qi.addIndex('fhir_resource_versions', ['resource_type', 'last_updated'], opts);
    await qi.addIndex('fhir_resource_versions', ['last_updated'], opts);

    await createIndexTable(qi, transaction, 'fhir_idx_token', { system: { type: STRING(512) }, code: { type: STRING(512) }, text: { type: STRING(512) } }, ['code']);
    await createIndexTable(qi, transaction, 'fhir_idx_string', { value: { type: STRING(512), allowNull: false }, exact: { type: TEXT, allowNull: false } }, ['value']);
    await createIndexTable(
      qi,
      transaction,
      'fhir_idx_reference',
      { target_type: { type: STRING(64) }, target_id: { type: STRING(64) }, url: { type: STRING(2048) } },
      ['target_id'],
    );
    await qi.addIndex('fhir_idx_reference', ['target_type', 'target_id'], opts);
    await createIndexTable(qi, transaction, 'fhir_idx_date', { low: { type: STRING(30), allowNull: false }, high: { type: STRING(30), allowNull: false } }, ['low', 'high']);
    await createIndexTable(qi, transaction, 'fhir_idx_number', { value: { type: DOUBLE, allowNull: false } }, ['value']);
    await createIndexTable(
      qi,
      transaction,
      'fhir_idx_quantity',
      { value: { type: DOUBLE, allowNull: false }, system: { type: STRING(512) }, code: { type: STRING(512) } },
      ['value'],
    );
    await createIndexTable(qi, transaction, 'fhir_idx_uri', { value: { type: STRING(2048), allowNull: false } }, ['value']);

    await qi.createTable('fhir_compartments', {
      resource_type: { type: STRING(64), primaryKey: true },
      resource_id: { type: STRING(64), primaryKey: true },
      patient_id: { type: STRING(64), primaryKey: true },
    }, opts);
    await qi.addIndex('fhir_compartments', ['patient_id', 'resource_type'], opts);

    // Bundle entry fullUrls (urn:uuid:…) kept so later Bundles can refer to resources created earlier (Synthea).
    await qi.createTable('fhir_aliases', {
      alias: { type: STRING(512), primaryKey: true },
      resource_type: { type: STRING(64), allowNull: false },
      resource_id: { type: STRING(64), allowNull: false },
    }, opts);
  },
};

/**
 * Searches with several criteria drive by the most selective one (say `patient=`) and check the
 * others per candidate resource (search/compile.ts). For tokens, the commonest second criterion
 * (`category`, `status`, `code`), that check reads only this index, never the table rows.
 */
export const coveringTokenIndexMigration: Migration = {
  name: '0008-covering-token-index',
  async up({ queryInterface: qi, transaction }) {
    await qi.addIndex('fhir_idx_token', ['resource_type', 'resource_id', 'param', 'code', 'system'], { name: 'fhir_idx_token_resource_param_code', transaction });
    await qi.removeIndex('fhir_idx_token', ['resource_type', 'resource_id'], { transaction });
  },
};

/** `_id` and `_lastUpdated` are searched on the resource's own columns now: their index rows go. */
export const columnParamsMigration: Migration = {
  name: '0009-column-search-params',
  async up({ queryInterface: qi, transaction }) {
    await qi.sequelize.query(`DELETE FROM fhir_idx_token WHERE param = '_id'`, { transaction });
    await qi.sequelize.query(`DELETE FROM fhir_idx_date WHERE param = '_lastUpdated'`, { transaction });
  },
};

/** Per type, what its stored index rows were built from, so an upgrade re-indexes what it indexes differently. */
export const indexStateMigration: Migration = {
  name: '0010-fhir-index-state',
  async up({ queryInterface: qi, transaction }) {
    await qi.createTable('fhir_index_state', { resource_type: { type: STRING(64), primaryKey: true }, signature: { type: STRING(64), allowNull: false } }, { transaction });
  },
};
