import { DataTypes, type CreationOptional, type ModelStatic, type Sequelize } from 'sequelize';
import type { Row } from '../../db/models/row.js';

export type BulkJobKind = 'system' | 'patient' | 'group';
export type BulkJobState = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

export type BulkJobRow = Row<{
  id: string;
  clientId: string;
  subject: string;
  kind: BulkJobKind;
  groupId: string | null;
  requestUrl: string;
  /** JSON of ExportParams (params.ts). */
  params: string;
  transactionTime: string;
  state: BulkJobState;
  /** Percent of the types done. */
  progress: CreationOptional<number>;
  error: CreationOptional<string | null>;
  /** JSON summary `[{type, count, files}]` for the admin list; the manifest reads bulk_files. */
  outputs: CreationOptional<string | null>;
  /** JSON of ExportCheckpoint (checkpoint.ts) while the job is unfinished; null before it starts and once it ends. */
  checkpoint: CreationOptional<string | null>;
  createdAt: Date;
  completedAt: CreationOptional<Date | null>;
  expiresAt: Date;
}>;

export type BulkFileRow = Row<{
  id: string;
  jobId: string;
  /** A resource type, or OperationOutcome for the manifest's `error` entries. */
  type: string;
  /** File name inside the job's directory. */
  path: string;
  count: number;
  bytes: number;
}>;

export interface BulkModels {
  BulkJob: ModelStatic<BulkJobRow>;
  BulkFile: ModelStatic<BulkFileRow>;
}

const { INTEGER, STRING, TEXT, DATE, BIGINT } = DataTypes;
const byDatabase = new WeakMap<Sequelize, BulkModels>();

/** The bulk tables (migration.ts) as models, defined once per database. */
export function bulkModels(sequelize: Sequelize): BulkModels {
  let models = byDatabase.get(sequelize);
  if (models) return models;
  const BulkJob = sequelize.define<BulkJobRow>(
    'BulkJob',
    {
      id: { type: STRING, primaryKey: true },
      clientId: { type: STRING, allowNull: false },
      subject: { type: STRING, allowNull: false },
      kind: { type: STRING, allowNull: false },
      groupId: { type: STRING, allowNull: true },
      requestUrl: { type: TEXT, allowNull: false },
      params: { type: TEXT, allowNull: false },
      transactionTime: { type: STRING, allowNull: false },
      state: { type: STRING, allowNull: false },
      progress: { type: INTEGER, allowNull: false, defaultValue: 0 },
      error: { type: TEXT, allowNull: true },
      outputs: { type: TEXT, allowNull: true },
      checkpoint: { type: TEXT, allowNull: true },
      createdAt: { type: DATE, allowNull: false },
      completedAt: { type: DATE, allowNull: true },
      expiresAt: { type: DATE, allowNull: false },
    },
    { tableName: 'bulk_jobs', timestamps: false },
  );
  const BulkFile = sequelize.define<BulkFileRow>(
    'BulkFile',
    {
      id: { type: STRING, primaryKey: true },
      jobId: { type: STRING, allowNull: false },
      type: { type: STRING, allowNull: false },
      path: { type: STRING, allowNull: false },
      count: { type: INTEGER, allowNull: false },
      bytes: { type: BIGINT, allowNull: false },
    },
    { tableName: 'bulk_files', timestamps: false },
  );
  models = { BulkJob, BulkFile };
  byDatabase.set(sequelize, models);
  return models;
}
