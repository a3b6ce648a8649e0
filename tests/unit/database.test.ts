import Database from 'better-sqlite3';
import { closeSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, INTEGRITY_CHECK_EVERY_MS, openDatabase } from '../../electron/core/db/open';
import { MIGRATIONS, SCHEMA_VERSION } from '../../electron/core/db/migrations';
import { AppError } from '../../electron/core/errors';
import { batchCounts } from '../../electron/core/queue/counts';
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

  /** A file closed cleanly at `at`, then damaged on disk: a page of its last table overwritten. */
  function damagedAfterCleanClose(at: number): { dir: string; file: string } {
    const dir = fresh();
    const db = openDatabase(dir, { now: () => at });
    db.exec('CREATE TABLE filler (x TEXT)');
    const insert = db.prepare('INSERT INTO filler VALUES (?)');
    for (let i = 0; i < 2000; i++) insert.run('x'.repeat(400));
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    const file = join(dir, DATABASE_FILE);
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0xff), 0, pageSize, statSync(file).size - 2 * pageSize);
    closeSync(fd);
    return { dir, file };
  }

  it('checks the whole file after an end that was not clean, and refuses a damaged one', () => {
    const at = Date.now();
    const { dir, file } = damagedAfterCleanClose(at);
    writeFileSync(`${file}-wal`, ''); // what a process that died with the file open leaves behind
    expect(() => openDatabase(dir, { now: () => at + 1000 })).toThrow(/is damaged/);
  });

  it('after a clean end, checks the whole file again once a day, not at every start', () => {
    const at = Date.now();
    const { dir } = damagedAfterCleanClose(at);
    // Checked a second ago and closed cleanly since: this start does not read every page.
    openDatabase(dir, { now: () => at + 1000 }).close();
    expect(() => openDatabase(dir, { now: () => at + INTEGRITY_CHECK_EVERY_MS })).toThrow(/is damaged/);
  });

  it("counts each batch's items again with the whole-file check, mending counts a writer left wrong", () => {
    const at = Date.now();
    const dir = fresh();
    const db = openDatabase(dir, { now: () => at });
    db.prepare(
      "INSERT INTO accounts (id, name, provider, base_url, created_at, updated_at) VALUES ('a', 'A', 'electio', 'https://x', 0, 0)",
    ).run();
    db.prepare("INSERT INTO batches (id, action, created_at) VALUES ('b', 'cancel', 0)").run();
    // Items written as an app of schema 8 would: nothing counted.
    db.prepare(
      `INSERT INTO items (batch_key, seq, reference, provider, account_key, action, state, created_at)
       SELECT b.key, v.seq, v.ref, 'electio', a.key, 'cancel', v.state, 0 FROM batches b, accounts a,
         (SELECT 0 AS seq, 'EC-1' AS ref, 'queued' AS state UNION ALL SELECT 1, 'EC-2', 'succeeded') v`,
    ).run();
    expect(batchCounts(db, 'b')).toMatchObject({ queued: 0, succeeded: 0 });
    db.close();
    const sameDay = openDatabase(dir, { now: () => at + 1000 });
    expect(batchCounts(sameDay, 'b')).toMatchObject({ queued: 0, succeeded: 0 }); // no check, no recount
    sameDay.close();
    const nextDay = openDatabase(dir, { now: () => at + INTEGRITY_CHECK_EVERY_MS });
    expect(batchCounts(nextDay, 'b')).toMatchObject({ queued: 1, in_flight: 0, succeeded: 1 });
    nextDay.close();
  });

  it('says plainly when the file is not a database', async () => {
    const dir = fresh();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, DATABASE_FILE), 'this is not sqlite at all, just text '.repeat(200));
    expect(() => openDatabase(dir)).toThrow(/damaged or is not a Bulk Cancel database/);
  });

  it('indexes by account only the items still waiting or in flight, and answers "has it waiting items" from that index', () => {
    const db = openDatabase(fresh());
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT COUNT(*) FROM items WHERE account_key = ? AND state IN ('queued', 'in_flight')")
      .all('a') as { detail: string }[];
    expect(plan.map((step) => step.detail).join(' ')).toMatch(/USING COVERING INDEX items_account|USING INDEX items_account/);
    db.close();
  });

  it("reads a batch's waiting accounts and the claims held from indexes, not every item waiting in other batches", () => {
    const db = openDatabase(fresh());
    const plan = (sql: string, ...params: unknown[]) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((step) => step.detail).join(' | ');
    // batchPaces: does this account still have items of this batch waiting? One seek on (account, batch).
    expect(
      plan(`SELECT 1 FROM items i WHERE i.account_key = ? AND i.batch_key = ? AND i.state IN ('queued', 'in_flight')`, 1, 1),
    ).toMatch(/INDEX items_account \(account_key=\? AND batch_key=\?\)/);
    // releaseAbandonedClaims and sendingItems: only the items in flight are read.
    expect(plan(`SELECT claimed_by, MAX(lease_until) FROM items WHERE state = 'in_flight' GROUP BY claimed_by`)).toMatch(
      /INDEX items_in_flight/,
    );
    expect(plan(`SELECT COUNT(*) FROM items WHERE state = 'in_flight'`)).toMatch(/INDEX items_in_flight/);
    // alreadySucceeded: the succeeded items of each reference only, however many queued copies a list left behind.
    expect(
      plan(
        `SELECT reference, MAX(completed_at) FROM items WHERE state = 'succeeded' AND reference IN (SELECT value FROM json_each(?)) GROUP BY reference`,
        '[]',
      ),
    ).toMatch(/INDEX items_succeeded \(reference=\?\)/);
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
      // The batch's counts are taken from its items once (schema 9), then kept by the writers; they go with the batch.
      expect(db.prepare('SELECT bucket, n FROM batch_counts').all()).toEqual([{ bucket: 'failed', n: 1 }]);
      expect(batchCounts(db, 'b')).toMatchObject({ failed: 1, queued: 0, in_flight: 0 });
      db.prepare("UPDATE items SET state = 'pending' WHERE id = 7").run(); // the new state is allowed
      db.prepare('DELETE FROM batches').run();
      expect(db.prepare('SELECT COUNT(*) AS n FROM batch_counts').get()).toEqual({ n: 0 });
      db.close();
    } finally {
      dir.remove();
    }
  });
  /** Accounts (one removed), two batches (one paused), items in every state with every column used, attempts, pace, settings. */
  const fillSchema3or4 = (db: Database.Database) => {
    db.prepare(
      `INSERT INTO accounts (id, name, provider, base_url, created_at, updated_at, removed_at)
       VALUES ('a', 'A', 'electio', 'https://x', 0, 0, NULL), ('s', 'S', 'sendcloud', 'https://y', 0, 0, NULL),
              ('r', 'Gone', 'sorted-pro', 'https://z', 0, 5, 5)`,
    ).run();
    db.prepare(
      "INSERT INTO batches (id, source_name, action, created_at, created_by, machine, paused) VALUES ('b1', 'one.csv', 'cancel', 1, 'clerk', 'pc', 0), ('b2', NULL, 'cancel-label', 2, NULL, NULL, 1)",
    ).run();
    const insert = db.prepare(
      `INSERT INTO items (id, batch_id, seq, reference, source_row, provider, account_id, action, state, reason, message, http_status,
         api_links, attempts, next_attempt_at, lease_until, claimed_by, created_at, completed_at, external_order_id,
         external_shipment_id, step, maybe_sent, round_start)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const states = ['queued', 'in_flight', 'succeeded', 'failed', 'pending', 'stopped'];
    for (let i = 0; i < 60; i++) {
      const sendcloud = i % 3 === 0;
      const removed = !sendcloud && i % 5 === 2 && states[i % states.length] !== 'queued';
      insert.run(
        100 + i,
        i % 2 ? 'b2' : 'b1',
        i,
        sendcloud ? `o${i}/s${i}` : `EC-000-000-${String(i).padStart(3, '0')}`,
        i + 2,
        sendcloud ? 'sendcloud' : 'electio',
        sendcloud ? 's' : removed ? 'r' : 'a',
        i % 2 ? 'cancel-label' : 'cancel',
        states[i % states.length],
        i % 4 ? null : 'rate_limited',
        i % 4 ? null : 'Too many requests',
        i % 4 ? null : 429,
        i % 5 ? null : '[{"label":"x","url":"https://x"}]',
        i % 4,
        i * 10,
        i % 6 === 1 ? 99 : null,
        i % 6 === 1 ? 'cli:host:1:abc' : null,
        i,
        i % 6 === 2 ? i + 1 : null,
        sendcloud ? `o${i}` : null,
        sendcloud ? `s${i}` : null,
        i % 7 ? null : 'cancelled',
        i % 2,
        i % 3,
      );
    }
    db.prepare(
      "INSERT INTO attempts (item_id, started_at, duration_ms, endpoint, http_status, outcome, reason, message) SELECT id, id, 5, 'PUT x', 200, 'succeeded', NULL, 'ok' FROM items",
    ).run();
    db.prepare("INSERT INTO account_pace (account_id, tokens, updated_at, hold_until) VALUES ('a', 1.5, 10, 20)").run();
    db.prepare("INSERT INTO settings (key, value) VALUES ('concurrency', '8')").run();
  };
  const itemIndexes = (db: Database.Database) =>
    (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'items' ORDER BY name").all() as {
        name: string;
      }[]
    ).map((index) => index.name);

  it('upgrades a version-3 database to 4 keeping every batch, item (all its columns) and attempt, and the queue state', () => {
    const dir = tempDir();
    try {
      const v3 = openDatabase(dir.path, { migrations: MIGRATIONS.slice(0, 3) });
      fillSchema3or4(v3);
      const snapshot = (db: Database.Database) => ({
        batches: db.prepare('SELECT * FROM batches ORDER BY id').all(),
        items: db.prepare('SELECT * FROM items ORDER BY id').all(),
        attempts: db.prepare('SELECT * FROM attempts ORDER BY id').all(),
        pace: db.prepare('SELECT * FROM account_pace').all(),
      });
      const before = snapshot(v3);
      v3.close();

      const db = openDatabase(dir.path, { migrations: MIGRATIONS.slice(0, 4) });
      expect(db.pragma('user_version', { simple: true })).toBe(4);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(snapshot(db)).toEqual(before);
      expect(before.items).toHaveLength(60);
      expect(itemIndexes(db)).toEqual(['items_account', 'items_batch_state', 'items_reference']);
      // The links still hold: a batch's items and their attempts go with it.
      db.prepare("DELETE FROM batches WHERE id = 'b1'").run();
      expect(db.prepare('SELECT COUNT(*) AS n FROM items').get()).toEqual({ n: 30 });
      expect(db.prepare('SELECT COUNT(*) AS n FROM attempts').get()).toEqual({ n: 30 });
      db.close();
    } finally {
      dir.remove();
    }
  });

  it('upgrades a version-4 database to 5 (integer keys inside, the same ids outside) keeping every row', () => {
    const dir = tempDir();
    try {
      const v4 = openDatabase(dir.path, { migrations: MIGRATIONS.slice(0, 4) });
      fillSchema3or4(v4);
      const common = (db: Database.Database) => ({
        accounts: db
          .prepare('SELECT id, name, provider, base_url, settings, created_at, updated_at, removed_at FROM accounts ORDER BY id')
          .all(),
        batches: db
          .prepare('SELECT id, source_name, action, created_at, created_by, machine, paused FROM batches ORDER BY id')
          .all(),
        attempts: db.prepare('SELECT * FROM attempts ORDER BY id').all(),
        pace: db.prepare('SELECT * FROM account_pace').all(),
        settings: db.prepare('SELECT * FROM settings ORDER BY key').all(),
      });
      const before = { ...common(v4), items: v4.prepare('SELECT * FROM items ORDER BY id').all() };
      v4.close();

      const db = openDatabase(dir.path, { migrations: MIGRATIONS.slice(0, 5) });
      expect(db.pragma('user_version', { simple: true })).toBe(5);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      // Items name their batch and account by key; joined back, they are the items as they were.
      const items = (
        db
          .prepare(
            `SELECT i.*, b.id AS batch_id, a.id AS account_id FROM items i
             JOIN batches b ON b.key = i.batch_key JOIN accounts a ON a.key = i.account_key ORDER BY i.id`,
          )
          .all() as Record<string, unknown>[]
      ).map(({ batch_key: _batch, account_key: _account, ...item }) => item);
      expect({ ...common(db), items }).toEqual(before);
      expect(before.items).toHaveLength(60);
      expect(items.filter((item) => item.account_id === 'r').length).toBeGreaterThan(0);
      expect(typeof (db.prepare('SELECT batch_key FROM items LIMIT 1').get() as { batch_key: unknown }).batch_key).toBe('number');
      expect(itemIndexes(db)).toEqual(['items_account', 'items_batch_state', 'items_reference']);
      expect(db.pragma('foreign_key_check')).toEqual([]);
      // A removed account's name stays taken only while it is removed: a new account may use it.
      db.prepare(
        "INSERT INTO accounts (id, name, provider, base_url, created_at, updated_at) VALUES ('n', 'Gone', 'electio', 'https://x', 9, 9)",
      ).run();
      expect(() =>
        db
          .prepare(
            "INSERT INTO accounts (id, name, provider, base_url, created_at, updated_at) VALUES ('m', 'a', 'electio', 'https://x', 9, 9)",
          )
          .run(),
      ).toThrow(/UNIQUE/);
      // The links still hold: a batch's items and their attempts go with it; an account with items stays.
      db.prepare("DELETE FROM batches WHERE id = 'b1'").run();
      expect(db.prepare('SELECT COUNT(*) AS n FROM items').get()).toEqual({ n: 30 });
      expect(db.prepare('SELECT COUNT(*) AS n FROM attempts').get()).toEqual({ n: 30 });
      expect(() => db.prepare("DELETE FROM accounts WHERE id = 's'").run()).toThrow(/FOREIGN KEY/);
      expect(db.pragma('foreign_key_check')).toEqual([]);
      db.close();
    } finally {
      dir.remove();
    }
  });

  it('upgrades a version-5 database to 6: every item at claim 0, every batch complete (no importer)', () => {
    const dir = tempDir();
    try {
      const v4 = openDatabase(dir.path, { migrations: MIGRATIONS.slice(0, 4) });
      fillSchema3or4(v4);
      v4.close();
      const v5 = openDatabase(dir.path, { migrations: MIGRATIONS.slice(0, 5) });
      const before = {
        batches: v5.prepare('SELECT * FROM batches ORDER BY key').all(),
        items: v5.prepare('SELECT * FROM items ORDER BY id').all(),
      };
      v5.close();

      const db = openDatabase(dir.path, { migrations: MIGRATIONS.slice(0, 6) });
      expect(db.pragma('user_version', { simple: true })).toBe(6);
      expect(db.prepare('SELECT * FROM batches ORDER BY key').all()).toEqual(
        before.batches.map((batch) => ({ ...(batch as object), importing: null })),
      );
      expect(db.prepare('SELECT * FROM items ORDER BY id').all()).toEqual(
        before.items.map((item) => ({ ...(item as object), claim: 0 })),
      );
      expect(before.items).toHaveLength(60);
      db.close();
    } finally {
      dir.remove();
    }
  });
});
