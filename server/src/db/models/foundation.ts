import {
  DataTypes,
  type CreationOptional,
  type ModelStatic,
  type Sequelize,
} from 'sequelize';
import type { Row } from './row.js';

const { INTEGER, STRING, TEXT, DATE, BOOLEAN } = DataTypes;

export type StaffRole = 'admin' | 'clinician';

export type SettingRow = Row<{ key: string; value: string; updatedAt: CreationOptional<Date> }>;

export type UserRow = Row<{
  id: CreationOptional<number>;
  username: string;
  displayName: string;
  role: StaffRole;
  passwordHash: string;
  practitionerId: CreationOptional<string | null>;
  disabled: CreationOptional<boolean>;
  createdAt: CreationOptional<Date>;
  updatedAt: CreationOptional<Date>;
}>;

export type AdminSessionRow = Row<{
  idHash: string;
  userId: number;
  csrfToken: string;
  createdAt: CreationOptional<Date>;
  lastSeenAt: Date;
}>;

export type SigningKeyRow = Row<{
  kid: string;
  alg: string;
  publicJwk: string;
  privateJwk: string;
  createdAt: CreationOptional<Date>;
  retiredAt: CreationOptional<Date | null>;
}>;

export type AuditEventRow = Row<{
  id: CreationOptional<number>;
  recorded: Date;
  type: string;
  outcome: 'success' | 'failure';
  actor: CreationOptional<string | null>;
  clientId: CreationOptional<string | null>;
  patientId: CreationOptional<string | null>;
  ip: CreationOptional<string | null>;
  detail: CreationOptional<string | null>;
}>;

export interface FoundationModels {
  Setting: ModelStatic<SettingRow>;
  User: ModelStatic<UserRow>;
  AdminSession: ModelStatic<AdminSessionRow>;
  SigningKey: ModelStatic<SigningKeyRow>;
  AuditEvent: ModelStatic<AuditEventRow>;
}

/**
 * Binds the foundation models to one database. Models are per database (not module globals),
 * so two servers in one process never share state. The migrations own the schema.
 */
export function defineFoundationModels(sequelize: Sequelize): FoundationModels {
  const Setting = sequelize.define<SettingRow>(
    'Setting',
    { key: { type: STRING, primaryKey: true }, value: { type: TEXT, allowNull: false }, updatedAt: DATE },
    { tableName: 'settings', createdAt: false },
  );
  const User = sequelize.define<UserRow>(
    'User',
    {
      id: { type: INTEGER, primaryKey: true, autoIncrement: true },
      username: { type: STRING, allowNull: false, unique: true },
      displayName: { type: STRING, allowNull: false },
      role: { type: STRING, allowNull: false },
      passwordHash: { type: STRING, allowNull: false },
      practitionerId: { type: STRING, allowNull: true },
      disabled: { type: BOOLEAN, allowNull: false, defaultValue: false },
      createdAt: DATE,
      updatedAt: DATE,
    },
    { tableName: 'users' },
  );
  const AdminSession = sequelize.define<AdminSessionRow>(
    'AdminSession',
    {
      idHash: { type: STRING, primaryKey: true },
      userId: { type: INTEGER, allowNull: false },
      csrfToken: { type: STRING, allowNull: false },
      createdAt: DATE,
      lastSeenAt: { type: DATE, allowNull: false },
    },
    { tableName: 'admin_sessions', updatedAt: false },
  );
  AdminSession.belongsTo(User, { foreignKey: 'userId', onDelete: 'CASCADE' });
  const SigningKey = sequelize.define<SigningKeyRow>(
    'SigningKey',
    {
      kid: { type: STRING, primaryKey: true },
      alg: { type: STRING, allowNull: false },
      publicJwk: { type: TEXT, allowNull: false },
      privateJwk: { type: TEXT, allowNull: false },
      createdAt: DATE,
      retiredAt: { type: DATE, allowNull: true },
    },
    { tableName: 'signing_keys', updatedAt: false },
  );
  const AuditEvent = sequelize.define<AuditEventRow>(
    'AuditEvent',
    {
      id: { type: INTEGER, primaryKey: true, autoIncrement: true },
      recorded: { type: DATE, allowNull: false },
      type: { type: STRING, allowNull: false },
      outcome: { type: STRING, allowNull: false },
      actor: STRING,
      clientId: STRING,
      patientId: STRING,
      ip: STRING,
      detail: TEXT,
    },
    { tableName: 'audit_events', timestamps: false },
  );
  return { Setting, User, AdminSession, SigningKey, AuditEvent };
}
