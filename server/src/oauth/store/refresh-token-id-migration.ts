import { randomUUID } from 'node:crypto';
import { DataTypes, QueryTypes } from 'sequelize';
import type { Migration } from '../../db/migrate.js';

/**
 * Gives every refresh token a public identifier, so administrators can list and revoke one
 * without the token or its hash ever leaving the server. Existing rows get a random one
 * (row by row: portable between SQLite and PostgreSQL).
 */
export const refreshTokenIdMigration: Migration = {
  name: '0006-refresh-token-ids',
  async up({ queryInterface: qi, sequelize, transaction }) {
    const opts = { transaction };
    await qi.addColumn('oauth_refresh_tokens', 'id', { type: DataTypes.STRING(36), allowNull: true }, opts);
    const rows = await sequelize.query<{ tokenHash: string }>('SELECT "tokenHash" FROM oauth_refresh_tokens', { type: QueryTypes.SELECT, transaction });
    for (const row of rows) {
      await sequelize.query('UPDATE oauth_refresh_tokens SET id = ? WHERE "tokenHash" = ?', { replacements: [randomUUID(), row.tokenHash], transaction });
    }
    await qi.addIndex('oauth_refresh_tokens', ['id'], { unique: true, transaction });
    // The admin list pages through one client's tokens, newest first.
    await qi.addIndex('oauth_refresh_tokens', ['clientId', 'createdAt', 'id'], opts);
  },
};
