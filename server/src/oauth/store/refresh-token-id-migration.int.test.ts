import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryTypes, UniqueConstraintError, type Sequelize } from 'sequelize';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, sqliteUrlFor } from '../../db/database.js';
import { oauthMigration } from '../../db/migrations/0003-oauth-server.js';
import { createLogger } from '../../log.js';
import { refreshTokenIdMigration } from './refresh-token-id-migration.js';

let dir: string;
let sequelize: Sequelize;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'inpracsys-migration-'));
  sequelize = await openDatabase(sqliteUrlFor(dir), createLogger('silent'));
  await sequelize.transaction((transaction) => oauthMigration.up({ queryInterface: sequelize.getQueryInterface(), sequelize, transaction }));
});

afterEach(async () => {
  await sequelize.close();
  await rm(dir, { recursive: true, force: true });
});

async function insertToken(hash: string): Promise<void> {
  await sequelize.query('INSERT INTO oauth_refresh_tokens ("tokenHash", "grantId", "clientId", scope, "expiresAt", "createdAt") VALUES (?, ?, ?, ?, ?, ?)', {
    replacements: [hash, 'grant-1', 'client-1', 'offline_access', '2030-01-01 00:00:00.000 +00:00', '2026-01-01 00:00:00.000 +00:00'],
  });
}

describe('migration 0006-refresh-token-ids', () => {
  it('gives every refresh token stored before it a distinct identifier, and keeps identifiers unique afterwards', async () => {
    for (const hash of ['a'.repeat(64), 'b'.repeat(64), 'c'.repeat(64)]) await insertToken(hash);
    await sequelize.transaction((transaction) => refreshTokenIdMigration.up({ queryInterface: sequelize.getQueryInterface(), sequelize, transaction }));

    const rows = await sequelize.query<{ tokenHash: string; id: string | null }>('SELECT "tokenHash", id FROM oauth_refresh_tokens', { type: QueryTypes.SELECT });
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(rows.map((row) => row.id)).size).toBe(3);

    await expect(sequelize.query('UPDATE oauth_refresh_tokens SET id = ? WHERE "tokenHash" = ?', { replacements: [rows[0]!.id, rows[1]!.tokenHash] })).rejects.toBeInstanceOf(UniqueConstraintError);
  });

  it('runs on an empty table', async () => {
    await sequelize.transaction((transaction) => refreshTokenIdMigration.up({ queryInterface: sequelize.getQueryInterface(), sequelize, transaction }));
    const columns = await sequelize.getQueryInterface().describeTable('oauth_refresh_tokens');
    expect(Object.keys(columns)).toContain('id');
  });
});
