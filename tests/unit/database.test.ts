import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, openDatabase } from '../../electron/core/db/open';
import { MIGRATIONS, SCHEMA_VERSION } from '../../electron/core/db/migrations';
import { AppError } from '../../electron/core/errors';
import { tempDir } from '../support/fixtures';

describe('the database file', () => {
  const dirs: { remove(): void }[] = [];
  const fresh = () => {
    const dir = tempDir();
    dirs.push(dir);
    return dir.path;
  };
  afterEach(() => dirs.splice(0).forEach((dir) => dir.remove()));

  it('is one file in the data directory, durable: WAL, synchronous=FULL, foreign keys on', () => {
    const dir = fresh();
    const db = openDatabase(join(dir, 'nested', 'data'));
    expect(db.name).toBe(join(dir, 'nested', 'data', DATABASE_FILE));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]
    ).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['accounts', 'attempts', 'batches', 'items', 'settings']));
    db.close();
  });

  it('applies migrations once: reopening changes nothing', () => {
    const dir = fresh();
    openDatabase(dir).close();
    const db = openDatabase(dir);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('runs each migration in its own transaction: a failing one leaves the earlier version intact', () => {
    const dir = fresh();
    const broken = [...MIGRATIONS, { version: SCHEMA_VERSION + 1, sql: 'CREATE TABLE extra (x); SELECT * FROM no_such_table;' }];
    expect(() => openDatabase(dir, { migrations: broken })).toThrow(AppError);
    const raw = new Database(join(dir, DATABASE_FILE));
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'extra'").get()).toBeUndefined();
    raw.close();
  });

  it('refuses a database written by a newer app, with a clear message, and leaves it untouched', () => {
    const dir = fresh();
    const raw = new Database(join(dir, DATABASE_FILE));
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openDatabase(dir)).toThrow(/newer version of Bulk Cancel/);
    try {
      openDatabase(dir);
    } catch (error) {
      expect((error as AppError).code).toBe('database_unavailable');
    }
    const after = new Database(join(dir, DATABASE_FILE));
    expect(after.pragma('user_version', { simple: true })).toBe(999);
    after.close();
  });

  it('says plainly when the file is not a database', async () => {
    const dir = fresh();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, DATABASE_FILE), 'this is not sqlite at all, just text '.repeat(200));
    expect(() => openDatabase(dir)).toThrow(/damaged or is not a Bulk Cancel database/);
  });

  it('keeps each reference once per batch', () => {
    const db = openDatabase(fresh());
    db.prepare(
      "INSERT INTO accounts (id, name, provider, base_url, created_at, updated_at) VALUES ('a', 'A', 'electio', 'https://x', 0, 0)",
    ).run();
    db.prepare("INSERT INTO batches (id, action, created_at) VALUES ('b', 'cancel', 0)").run();
    const insert = db.prepare(
      "INSERT INTO items (batch_id, seq, reference, provider, account_id, action, state, created_at) VALUES ('b', ?, 'EC-000-05D-1NS', 'electio', 'a', 'cancel', 'queued', 0)",
    );
    insert.run(0);
    expect(() => insert.run(1)).toThrow(/UNIQUE/);
    db.close();
  });
});

describe('migrations from every earlier schema version', () => {
  it('upgrades a version-1 database with its data, keeping items and their attempts', () => {
    const dir = tempDir();
    try {
      const v1 = openDatabase(dir.path, { migrations: MIGRATIONS.slice(0, 1) });
      v1.prepare(
        "INSERT INTO accounts (id, name, provider, base_url, created_at, updated_at) VALUES ('a', 'A', 'electio', 'https://x', 0, 0)",
      ).run();
      v1.prepare("INSERT INTO batches (id, action, created_at) VALUES ('b', 'cancel', 0)").run();
      v1.prepare(
        "INSERT INTO items (id, batch_id, seq, reference, provider, account_id, action, state, reason, message, attempts, created_at) VALUES (7, 'b', 0, 'EC-000-05D-1NS', 'electio', 'a', 'cancel', 'failed', 'too_late', 'manifested', 1, 0)",
      ).run();
      v1.prepare(
        "INSERT INTO attempts (item_id, started_at, duration_ms, endpoint, outcome) VALUES (7, 0, 5, 'PUT x', 'failed')",
      ).run();
      v1.close();

      const db = openDatabase(dir.path);
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.prepare('SELECT state, reason, message, attempts, maybe_sent FROM items WHERE id = 7').get()).toEqual({
        state: 'failed',
        reason: 'too_late',
        message: 'manifested',
        attempts: 1,
        maybe_sent: 0,
      });
      expect(db.prepare('SELECT COUNT(*) AS n FROM attempts WHERE item_id = 7').get()).toEqual({ n: 1 });
      db.prepare("UPDATE items SET state = 'pending' WHERE id = 7").run(); // the new state is allowed
      db.close();
    } finally {
      dir.remove();
    }
  });
});
