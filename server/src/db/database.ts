import path from 'node:path';
import { Sequelize, Transaction } from 'sequelize';
import type { Logger } from '../log.js';
import { closeCommitStamp } from './commit-stamp.js';

export function sqliteUrlFor(dataDir: string): string {
  return `sqlite:${path.join(dataDir, 'inpracsys.sqlite')}`;
}

/**
 * Opens the database: SQLite (the default, a file in the data dir) or PostgreSQL (DATABASE_URL).
 * SQLite runs in WAL mode with foreign keys and a busy timeout on every connection, and write
 * transactions start IMMEDIATE so two writers queue instead of deadlocking.
 *
 * Sequelize runs without CLS: inside `sequelize.transaction(async (transaction) => …)` every query
 * must be given `{ transaction }` explicitly. On SQLite a query without it runs on another
 * connection and waits for the transaction's lock (SQLITE_BUSY).
 */
export async function openDatabase(url: string, log: Logger): Promise<Sequelize> {
  const logging = (sql: string) => log.trace({ sql }, 'sql');
  let sequelize: Sequelize;
  if (url.startsWith('sqlite:')) {
    sequelize = new Sequelize({
      dialect: 'sqlite',
      storage: url.slice('sqlite:'.length),
      logging,
      transactionType: Transaction.TYPES.IMMEDIATE,
    });
    configureSqliteConnections(sequelize);
    const close = sequelize.close.bind(sequelize);
    sequelize.close = () => {
      closeCommitStamp(sequelize);
      return close();
    };
  } else if (/^postgres(ql)?:/.test(url)) {
    sequelize = new Sequelize(url, { dialect: 'postgres', logging, pool: { max: 10 } });
  } else {
    throw new Error('DATABASE_URL must start with sqlite: or postgres://');
  }
  await sequelize.authenticate();
  return sequelize;
}

interface SqliteConnection {
  configure(option: 'busyTimeout', milliseconds: number): void;
  run(sql: string): void;
}

/**
 * Sequelize's SQLite dialect opens one connection per transaction and runs no connect hooks,
 * so the per-connection settings are applied where it hands connections out.
 */
function configureSqliteConnections(sequelize: Sequelize): void {
  const manager = sequelize.connectionManager as unknown as { getConnection(options?: unknown): Promise<SqliteConnection> };
  const getConnection = manager.getConnection.bind(manager);
  const configured = new WeakSet<SqliteConnection>();
  manager.getConnection = async (options) => {
    const connection = await getConnection(options);
    if (!configured.has(connection)) {
      connection.configure('busyTimeout', 5_000);
      connection.run('PRAGMA journal_mode = WAL');
      connection.run('PRAGMA synchronous = NORMAL');
      configured.add(connection);
    }
    return connection;
  };
}
