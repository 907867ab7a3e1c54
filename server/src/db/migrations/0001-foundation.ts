import { DataTypes } from 'sequelize';
import type { Migration } from '../migrate.js';

const { INTEGER, STRING, TEXT, DATE, BOOLEAN } = DataTypes;

export const foundation: Migration = {
  name: '0001-foundation',
  async up({ queryInterface, transaction }) {
    await queryInterface.createTable('settings', {
      key: { type: STRING(100), primaryKey: true },
      value: { type: TEXT, allowNull: false },
      updatedAt: { type: DATE, allowNull: false },
    }, { transaction });
    await queryInterface.createTable('users', {
      id: { type: INTEGER, primaryKey: true, autoIncrement: true },
      username: { type: STRING(100), allowNull: false, unique: true },
      displayName: { type: STRING(200), allowNull: false },
      role: { type: STRING(20), allowNull: false },
      passwordHash: { type: STRING(300), allowNull: false },
      practitionerId: { type: STRING(64), allowNull: true },
      disabled: { type: BOOLEAN, allowNull: false, defaultValue: false },
      createdAt: { type: DATE, allowNull: false },
      updatedAt: { type: DATE, allowNull: false },
    }, { transaction });
    await queryInterface.createTable('admin_sessions', {
      idHash: { type: STRING(64), primaryKey: true },
      userId: { type: INTEGER, allowNull: false, references: { model: 'users', key: 'id' }, onDelete: 'CASCADE' },
      csrfToken: { type: STRING(64), allowNull: false },
      createdAt: { type: DATE, allowNull: false },
      lastSeenAt: { type: DATE, allowNull: false },
    }, { transaction });
    await queryInterface.createTable('signing_keys', {
      kid: { type: STRING(64), primaryKey: true },
      alg: { type: STRING(10), allowNull: false },
      publicJwk: { type: TEXT, allowNull: false },
      privateJwk: { type: TEXT, allowNull: false },
      createdAt: { type: DATE, allowNull: false },
      retiredAt: { type: DATE, allowNull: true },
    }, { transaction });
    await queryInterface.createTable('audit_events', {
      id: { type: INTEGER, primaryKey: true, autoIncrement: true },
      recorded: { type: DATE, allowNull: false },
      type: { type: STRING(60), allowNull: false },
      outcome: { type: STRING(10), allowNull: false },
      actor: { type: STRING(200), allowNull: true },
      clientId: { type: STRING(100), allowNull: true },
      patientId: { type: STRING(64), allowNull: true },
      ip: { type: STRING(64), allowNull: true },
      detail: { type: TEXT, allowNull: true },
    }, { transaction });
    await queryInterface.addIndex('audit_events', ['recorded'], { transaction });
    await queryInterface.addIndex('audit_events', ['type', 'recorded'], { transaction });
  },
};
