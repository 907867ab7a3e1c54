import { DataTypes } from 'sequelize';
import type { Migration } from '../../db/migrate.js';

const { INTEGER, STRING, TEXT, DATE, BIGINT } = DataTypes;

/** Bulk Data export jobs and the NDJSON files they wrote (DESIGN §6). */
export const bulkExportMigration: Migration = {
  name: '0004-bulk-export',
  async up({ queryInterface: qi, transaction }) {
    const opts = { transaction };
    await qi.createTable('bulk_jobs', {
      id: { type: STRING(36), primaryKey: true },
      clientId: { type: STRING(100), allowNull: false },
      subject: { type: STRING(200), allowNull: false },
      kind: { type: STRING(10), allowNull: false },
      groupId: { type: STRING(64), allowNull: true },
      requestUrl: { type: TEXT, allowNull: false },
      params: { type: TEXT, allowNull: false },
      transactionTime: { type: STRING(30), allowNull: false },
      state: { type: STRING(12), allowNull: false },
      progress: { type: INTEGER, allowNull: false, defaultValue: 0 },
      error: { type: TEXT, allowNull: true },
      outputs: { type: TEXT, allowNull: true },
      createdAt: { type: DATE, allowNull: false },
      completedAt: { type: DATE, allowNull: true },
      expiresAt: { type: DATE, allowNull: false },
    }, opts);
    await qi.addIndex('bulk_jobs', ['clientId', 'state'], opts);
    await qi.addIndex('bulk_jobs', ['state', 'createdAt'], opts);
    await qi.createTable('bulk_files', {
      id: { type: STRING(36), primaryKey: true },
      jobId: { type: STRING(36), allowNull: false, references: { model: 'bulk_jobs', key: 'id' }, onDelete: 'CASCADE' },
      type: { type: STRING(64), allowNull: false },
      path: { type: STRING(300), allowNull: false },
      count: { type: INTEGER, allowNull: false },
      bytes: { type: BIGINT, allowNull: false },
    }, opts);
    await qi.addIndex('bulk_files', ['jobId'], opts);
  },
};

/** Where a running job has got to (checkpoint.ts), so a restarted server resumes it instead of starting over. */
export const bulkExportCheckpointMigration: Migration = {
  name: '0007-bulk-export-checkpoint',
  async up({ queryInterface: qi, transaction }) {
    await qi.addColumn('bulk_jobs', 'checkpoint', { type: TEXT, allowNull: true }, { transaction });
  },
};
