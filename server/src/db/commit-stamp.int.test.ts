import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sequelize } from 'sequelize';
import { removeDir, tempDataDir } from '../../../test/helpers/server.js';
import { createLogger } from '../log.js';
import { commitStampOf } from './commit-stamp.js';
import { openDatabase } from './database.js';

// Two Sequelize instances on one file stand for two processes: neither sees the other's connections.
let dir: string;
let reader: Sequelize;
let writer: Sequelize;

beforeAll(async () => {
  dir = await tempDataDir();
  const url = `sqlite:${path.join(dir, 'stamp.sqlite')}`;
  reader = await openDatabase(url, createLogger('silent'));
  writer = await openDatabase(url, createLogger('silent'));
  await writer.query('CREATE TABLE notes (text TEXT)');
  await reader.query('SELECT COUNT(*) FROM notes');
});

afterAll(async () => {
  await reader?.close();
  await writer?.close();
  if (dir) await removeDir(dir);
});

describe.skipIf(process.platform === 'win32')('commit stamp', () => {
  it('stays the same while only reads happen, and changes with every commit of another connection', async () => {
    const stamp = commitStampOf(reader)!;
    const before = stamp.current();
    await reader.query('SELECT * FROM notes');
    expect(stamp.current()).toBe(before);
    await writer.query("INSERT INTO notes VALUES ('one')");
    const afterOne = stamp.current();
    expect(afterOne).not.toBe(before);
    expect(stamp.current()).toBe(afterOne);
    await writer.transaction(async (transaction) => writer.query("INSERT INTO notes VALUES ('two')", { transaction }));
    expect(stamp.current()).not.toBe(afterOne);
  });

  it('changes with a commit after a checkpoint restarts the log', async () => {
    const stamp = commitStampOf(reader)!;
    await writer.query('PRAGMA wal_checkpoint(TRUNCATE)');
    const before = stamp.current();
    await writer.query("INSERT INTO notes VALUES ('three')");
    expect(stamp.current()).not.toBe(before);
  });

  it('is closed with its database, and there is none for an in-memory one', async () => {
    const memory = await openDatabase('sqlite::memory:', createLogger('silent'));
    expect(commitStampOf(memory)).toBeUndefined();
    await memory.close();
    const own = await openDatabase(`sqlite:${path.join(dir, 'stamp.sqlite')}`, createLogger('silent'));
    await own.query('SELECT 1');
    const stamp = commitStampOf(own)!;
    await own.close();
    expect(commitStampOf(own)).toBeUndefined();
    // a closed stamp no longer vouches for anything: every look is a change
    expect(stamp.current()).not.toBe(stamp.current());
  });
});
