import type { QueryInterface, Sequelize, Transaction } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import type { Logger } from '../log.js';
import { migrations } from './migrations/index.js';

export interface Migration {
  name: string;
  /** Pass `{ transaction }` to every call: Sequelize does not pick the transaction up by itself. */
  up(context: { queryInterface: QueryInterface; sequelize: Sequelize; transaction: Transaction }): Promise<void>;
}

/** Runs the pending migrations in order, each in a transaction; applied ones are recorded in `schema_migrations`. */
export async function migrate(sequelize: Sequelize, log: Logger): Promise<void> {
  const umzug = new Umzug({
    migrations: migrations.map((migration) => ({
      name: migration.name,
      up: () => sequelize.transaction((transaction) => migration.up({ queryInterface: sequelize.getQueryInterface(), sequelize, transaction })),
    })),
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger: undefined,
  });
  const applied = await umzug.up();
  for (const migration of applied) log.info({ migration: migration.name }, 'migration applied');
}
