import { DataTypes } from 'sequelize';
import type { Migration } from '../../db/migrate.js';

const { STRING, TEXT, DATE } = DataTypes;

/** Conformance resources installed with `inpracsys ig install` (DESIGN §6), one row per canonical URL. */
export const conformanceResourcesMigration: Migration = {
  name: '0005-conformance-resources',
  async up({ queryInterface: qi, transaction }) {
    const opts = { transaction };
    await qi.createTable('conformance_resources', {
      url: { type: STRING(500), primaryKey: true },
      resourceType: { type: STRING(64), allowNull: false },
      version: { type: STRING(64), allowNull: true },
      packageName: { type: STRING(200), allowNull: true },
      resource: { type: TEXT, allowNull: false },
      installedAt: { type: DATE, allowNull: false },
    }, opts);
    await qi.addIndex('conformance_resources', ['resourceType'], opts);
  },
};
