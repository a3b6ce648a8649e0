/**
 * Exports a clerk opens in a spreadsheet (BOM, quoting, formula-looking cells inert) or hands to a
 * script (the provider-style JSON array), the filters they follow, and the history: every batch,
 * where a reference went, and deleting a finished batch.
 */
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../electron/core/db/open';
import { deleteBatch, findReference, listBatches } from '../../electron/core/history';
import { createBatch } from '../../electron/core/queue/batch-writes';
import { claimItems, recordResults } from '../../electron/core/queue/store';
import { exportFile, listResults } from '../../electron/core/results';
import { tempDir } from '../support/fixtures';

let dir: ReturnType<typeof tempDir>;
let db: Db;
beforeEach(() => {
  dir = tempDir();
  db = openDatabase(dir.path);
  db.prepare(
    "INSERT INTO accounts (id, name, provider, base_url, created_at, updated_at) VALUES ('e', 'Electio UK', 'electio', 'https://x', 0, 0)",
  ).run();
  db.prepare(
    "INSERT INTO accounts (id, name, provider, base_url, created_at, updated_at) VALUES ('s', 'Sorted', 'sorted-pro', 'https://y', 0, 0)",
  ).run();
});
afterEach(() => {
  db.close();
  dir.remove();
});

function batch(refs: { reference: string; provider?: 'electio' | 'sorted-pro' }[], at: number, sourceName = 'list.csv') {
  return createBatch(db, {
    sourceName,
    action: 'cancel',
    createdBy: 'clerk',
    machine: 'pc-7',
    now: at,
    items: refs.map((r, i) => ({
      row: i + 2,
      reference: r.reference,
      provider: r.provider ?? 'electio',
      accountId: r.provider === 'sorted-pro' ? 's' : 'e',
      action: 'cancel',
      external: null,
    })),
  });
}

function settle(batchId: string, outcomes: Record<string, ['succeeded' | 'failed', string, string]>, at: number) {
  // A result is written only under the item's claim, as the runner writes it.
  const claims = claimItems(db, { batchId, owner: 'test', limit: 1_000, now: at, leaseMs: 1_000, excludeAccounts: [] });
  recordResults(
    db,
    claims.map(({ id, batchKey, claim, reference }) => {
      const [state, reason, message] = outcomes[reference] ?? ['succeeded', 'cancelled', 'Cancelled.'];
      return {
        itemId: id,
        batchKey,
        claim,
        state,
        reason: reason as 'cancelled',
        message,
        httpStatus: 200,
        apiLinks: null,
        nextAttemptAt: 0,
        completedAt: at,
        attempt: null,
      };
    }),
  );
}

describe('export', () => {
  it('CSV: UTF-8 BOM, RFC 4180 quoting, formula-looking cells inert; JSON: the provider-style array', () => {
    const crafted = '=HYPERLINK("http://evil.example","click")';
    const id = batch([{ reference: 'EC-000-000-001' }, { reference: 'EC-000-000-002' }], 1_000);
    settle(id, { 'EC-000-000-002': ['failed', 'not_found', crafted] }, 2_000);
    db.prepare("UPDATE items SET message = '+1 said \"no\", twice' WHERE reference = 'EC-000-000-001'").run();
    const rows = listResults(db, id);

    const csv = exportFile(rows, 'csv');
    expect(csv.startsWith('\uFEFFData,IsSuccess,Message,')).toBe(true);
    const parsed = Papa.parse<string[]>(csv.slice(1).trim()).data;
    expect(parsed[1]?.[2]).toBe(`'+1 said "no", twice`);
    expect(parsed[2]?.[2]).toBe(`'${crafted}`);
    expect(csv).toContain(`"'+1 said ""no"", twice"`);
    for (const cell of parsed.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);

    const json = JSON.parse(exportFile(rows, 'json')) as Record<string, unknown>[];
    expect(Object.keys(json[0] ?? {})).toEqual([
      'Data',
      'IsSuccess',
      'Message',
      'ApiLinks',
      'Reason',
      'State',
      'Provider',
      'Account',
      'Action',
      'HttpStatus',
      'Attempts',
      'CompletedAt',
    ]);
    expect(json[1]).toMatchObject({
      Data: 'EC-000-000-002',
      IsSuccess: false,
      Message: crafted,
      Reason: 'not_found',
      Account: 'Electio UK',
      CompletedAt: '1970-01-01T00:00:02.000Z',
    });
  });

  it('follows the filter the clerk set: state, reason, provider, account and free text', () => {
    const id = batch(
      [
        { reference: 'EC-000-000-001' },
        { reference: 'EC-000-000-002' },
        { reference: 'sp_00000000000000000000000000000001', provider: 'sorted-pro' },
      ],
      1_000,
    );
    settle(id, { 'EC-000-000-002': ['failed', 'too_late', 'Manifested already'] }, 2_000);
    const data = (filter: Parameters<typeof listResults>[2]) => listResults(db, id, filter).map((r) => r.Data);
    expect(data({ states: ['failed'] })).toEqual(['EC-000-000-002']);
    expect(data({ reasons: ['cancelled'] })).toEqual(['EC-000-000-001', 'sp_00000000000000000000000000000001']);
    expect(data({ providers: ['sorted-pro'] })).toEqual(['sp_00000000000000000000000000000001']);
    expect(data({ accounts: ['Electio UK'] })).toEqual(['EC-000-000-001', 'EC-000-000-002']);
    expect(data({ search: 'manifested' })).toEqual(['EC-000-000-002']);
    expect(data({ search: 'ec-000-000-001' })).toEqual(['EC-000-000-001']);
  });
});

describe('history', () => {
  it('lists every batch newest first with who, where, accounts, counts and state', () => {
    const old = batch([{ reference: 'EC-000-000-001' }], 1_000, 'monday.csv');
    settle(old, {}, 1_500);
    const recent = batch(
      [{ reference: 'EC-000-000-002' }, { reference: 'sp_00000000000000000000000000000009', provider: 'sorted-pro' }],
      5_000,
      'tuesday.csv',
    );
    const { batches, total } = listBatches(db);
    expect(total).toBe(2);
    expect(batches.map((b) => [b.sourceName, b.state, b.total])).toEqual([
      ['tuesday.csv', 'sending', 2],
      ['monday.csv', 'finished', 1],
    ]);
    expect(batches[0]).toMatchObject({
      createdBy: 'clerk',
      machine: 'pc-7',
      accounts: ['Electio UK', 'Sorted'],
      counts: { queued: 2 },
    });
    expect(listBatches(db, { reference: 'EC-000-000-001' }).batches.map((b) => b.id)).toEqual([old]);
    expect(recent).not.toBe(old);
  });

  it('finds a reference across batches, exactly (any case) or by its start', () => {
    const a = batch([{ reference: 'EC-000-000-001' }], 1_000);
    settle(a, { 'EC-000-000-001': ['failed', 'not_found', 'Unknown'] }, 1_100);
    const b = batch([{ reference: 'EC-000-000-001' }, { reference: 'EC-000-000-123' }], 2_000);
    settle(b, {}, 2_100);
    const hits = findReference(db, 'ec-000-000-001');
    expect(hits.map((h) => [h.batchId, h.state, h.account])).toEqual([
      [b, 'succeeded', 'Electio UK'],
      [a, 'failed', 'Electio UK'],
    ]);
    expect(findReference(db, 'EC-000-000-1').map((h) => h.reference)).toEqual(['EC-000-000-123']);
    expect(findReference(db, 'EC-999')).toEqual([]);
  });

  it('deletes a finished batch with its items and attempts; refuses while items wait', () => {
    const waiting = batch([{ reference: 'EC-000-000-001' }], 1_000);
    expect(() => deleteBatch(db, waiting)).toThrow(/still has 1 item/);
    settle(waiting, {}, 1_100);
    deleteBatch(db, waiting);
    expect(listBatches(db).total).toBe(0);
    expect(db.prepare('SELECT COUNT(*) AS n FROM items').get()).toEqual({ n: 0 });
    expect(() => deleteBatch(db, waiting)).toThrow(/does not exist/);
  });
});
