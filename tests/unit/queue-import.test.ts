/**
 * queueImport on a real SQLite file: a checked list becomes one batch of queued items in import
 * order, and a list with no valid row is refused with nothing written. The account row is inserted
 * directly, so these tests need no keychain.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account } from '../../electron/core/accounts';
import { DATABASE_FILE, openDatabase, type Db } from '../../electron/core/db/open';
import { planImport, queueImport, type QueueRequest } from '../../electron/core/import/source';
import { createBatch } from '../../electron/core/queue/batch-writes';
import { expectAppError } from './helpers';

const A = 'EC-000-05D-1NS';
const B = 'EC-ABC-DEF-123';
const C = 'EC-9Z9-Z9Z-000';

let dir: string;
let db: Db;
let account: Account;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bulk-cancel-import-'));
  db = openDatabase(dir);
  account = { id: 'acct-1', name: 'Electio main', provider: 'electio', baseUrl: 'http://127.0.0.1:1', settings: {} };
  db.prepare('INSERT INTO accounts (id, name, provider, base_url, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    account.id,
    account.name,
    account.provider,
    account.baseUrl,
    1,
    1,
  );
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const meta = (now = 1_700_000_000_000): QueueRequest => ({
  sourceName: 'list.csv',
  action: 'cancel',
  accounts: {},
  createdBy: 'clerk',
  machine: 'pc-1',
  now,
});
const plan = (text: string) => planImport({ text, encoding: 'UTF-8', notes: [] });
const count = (table: 'batches' | 'items') => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('queueImport', () => {
  it('queues every valid reference once, in import order, with its source row', () => {
    const text = ['Name,Reference', `a,${B.toLowerCase()}`, 'b,bad', 'c,1.23E+15', `d,${A}`, `e,${B}`, '', `f,${C}`].join('\r\n');
    const queued = queueImport(db, plan(text), meta());
    expect(queued.items).toBe(3);
    expect(queued.duplicates).toBe(1);
    expect(queued.rejected.map((row) => [row.row, row.value])).toEqual([
      [3, 'bad'],
      [4, '1.23E+15'],
    ]);

    const items = db
      .prepare(
        `SELECT seq, reference, source_row, provider, (SELECT id FROM accounts WHERE key = account_key) AS account_id, action, state, attempts
         FROM items WHERE batch_key = (SELECT key FROM batches WHERE id = ?) ORDER BY seq`,
      )
      .all(queued.batchId);
    expect(items).toEqual([
      {
        seq: 0,
        reference: B,
        source_row: 2,
        provider: 'electio',
        account_id: 'acct-1',
        action: 'cancel',
        state: 'queued',
        attempts: 0,
      },
      {
        seq: 1,
        reference: A,
        source_row: 5,
        provider: 'electio',
        account_id: 'acct-1',
        action: 'cancel',
        state: 'queued',
        attempts: 0,
      },
      {
        seq: 2,
        reference: C,
        source_row: 8,
        provider: 'electio',
        account_id: 'acct-1',
        action: 'cancel',
        state: 'queued',
        attempts: 0,
      },
    ]);
    expect(
      db.prepare('SELECT source_name, action, created_at, created_by, machine FROM batches WHERE id = ?').get(queued.batchId),
    ).toEqual({
      source_name: 'list.csv',
      action: 'cancel',
      created_at: 1_700_000_000_000,
      created_by: 'clerk',
      machine: 'pc-1',
    });
  });

  it('refuses a list with no valid row with bad_input and writes nothing', () => {
    const bad = plan(['Reference', 'nope', '1.23E+15', '', 'EC-12'].join('\n'));
    expect(bad.entries).toEqual([]);
    expectAppError(() => queueImport(db, bad, meta()), 'bad_input', /No valid reference.*nothing was queued/);
    expect(count('batches')).toBe(0);
    expect(count('items')).toBe(0);
  });

  it('refuses a file with only a header and writes nothing', () => {
    expectAppError(() => queueImport(db, plan('Consignment Reference\r\n'), meta()), 'bad_input');
    expect(count('batches')).toBe(0);
    expect(count('items')).toBe(0);
  });

  it('refuses items for an account that is gone, writing nothing', () => {
    const items = [
      { row: 2, reference: A, provider: 'electio' as const, accountId: 'gone', action: 'cancel' as const, external: null },
    ];
    expectAppError(() => createBatch(db, { ...meta(), items }), 'not_found', /account .* no longer exists/);
    expect(count('batches')).toBe(0);
    expect(count('items')).toBe(0);
  });

  it('makes a new batch for each import of the same list', () => {
    const first = queueImport(db, plan(`${A}\n${B}`), meta(1));
    const second = queueImport(db, plan(`${A}\n${B}`), meta(2));
    expect(second.batchId).not.toBe(first.batchId);
    expect(count('batches')).toBe(2);
    expect(count('items')).toBe(4);
  });

  it('queues a large list in one batch', () => {
    const refs = Array.from(
      { length: 20_345 },
      (_, i) =>
        `EC-${String(i)
          .padStart(9, '0')
          .replace(/(\d{3})(\d{3})(\d{3})/, '$1-$2-$3')}`,
    );
    const queued = queueImport(db, plan(['Reference', ...refs].join('\n')), meta());
    expect(queued.items).toBe(20_345);
    expect(count('items')).toBe(20_345);
    expect(db.prepare('SELECT COUNT(DISTINCT seq) AS n, MAX(seq) AS last FROM items').get()).toEqual({ n: 20_345, last: 20_344 });
    expect(db.prepare('SELECT reference, source_row FROM items WHERE seq = 20344').get()).toEqual({
      reference: 'EC-000-020-344',
      source_row: 20_346,
    });
  });
  it('copies a large import into the database file after it returns, not inside it, and keeps the checkpoint threshold', async () => {
    const file = join(dir, DATABASE_FILE);
    const before = statSync(file).size;
    const items = Array.from({ length: 60_000 }, (_, n) => ({
      row: n + 2,
      reference: `EC-${String(n)
        .padStart(9, '0')
        .replace(/(\d{3})(\d{3})(\d{3})/, '$1-$2-$3')}`,
      provider: 'electio' as const,
      accountId: account.id,
      action: 'cancel' as const,
      external: null,
    }));
    const batchId = createBatch(db, { sourceName: null, action: 'cancel', items, createdBy: null, machine: null, now: 1 });
    // Committed (in the synced WAL) and readable at once, but not yet copied into the file.
    expect(db.prepare('SELECT COUNT(*) FROM items').pluck().get()).toBe(60_000);
    expect(statSync(file).size).toBe(before);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(statSync(file).size).toBeGreaterThan(before + 60_000 * 50);
    // The copy lost nothing: a fresh connection reads every item from the file and the WAL.
    const other = openDatabase(dir);
    try {
      expect(
        other.prepare('SELECT COUNT(*) FROM items i JOIN batches b ON b.key = i.batch_key WHERE b.id = ?').pluck().get(batchId),
      ).toBe(60_000);
    } finally {
      other.close();
    }
  });
});
