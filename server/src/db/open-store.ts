import { accessSync, constants, mkdirSync } from 'node:fs';
import type { Sequelize } from 'sequelize';
import { ConfigError } from '../config/load.js';
import type { ServerConfig } from '../config/types.js';
import type { Logger } from '../log.js';
import { openDatabase, sqliteUrlFor } from './database.js';
import { migrate } from './migrate.js';
import { defineFoundationModels, type FoundationModels } from './models/foundation.js';

export interface Store {
  sequelize: Sequelize;
  models: FoundationModels;
}

function ensureWritableDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch {
    throw new ConfigError(`the data dir ${dir} cannot be created or written`);
  }
}

/** Opens the data dir's database (or DATABASE_URL) and brings its schema up to date. */
export async function openStore(config: ServerConfig, log: Logger): Promise<Store> {
  ensureWritableDir(config.dataDir);
  const sequelize = await openDatabase(config.databaseUrl || sqliteUrlFor(config.dataDir), log);
  try {
    await migrate(sequelize, log);
  } catch (error) {
    await sequelize.close();
    throw error;
  }
  return { sequelize, models: defineFoundationModels(sequelize) };
}
