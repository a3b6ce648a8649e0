/**
 * The results table's questions to the database, on a real SQLite file: a window of the rows as
 * filtered and sorted on screen with the total, the ids of a window (selections), and the overview
 * counted with GROUP BY (the summary, the chart and the account filter).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channels, MAX_RESULTS_PAGE, type ResultFilter, type ResultSort } from '../../shared/contract';
import type { ItemState, Reason } from '../../shared/domain';
import { openDatabase, type Db } from '../../electron/core/db/open';
import { createBatch } from '../../electron/core/queue/batch-writes';
import { listResults, pageResults, resultIds, resultsOverview } from '../../electron/core/results';
import { tempDir } from '../support/fixtures';

let dir: ReturnType<typeof tempDir>;
let db: Db;
let batchId: string;

interface Item {
  reference: string;
  account: 'e' | 's' | 'c';
  state: ItemState;
  reason: Reason | null;
  message: string | null;
  http: number | null;
  attempts: number;
  completed: number | null;
}

// Import order is this order. Accounts: e = "Electio UK" (electio), s = "sorted north" (sorted-pro), c = "Shop" (sendcloud).
const ITEMS: Item[] = [
  {
    reference: 'EC-3',
    account: 'e',
    state: 'succeeded',
    reason: 'cancelled',
    message: 'Cancelled.',
    http: 200,
    attempts: 1,
    completed: 3_000,
  },
  {
    reference: 'EC-1',
    account: 'e',
    state: 'failed',
    reason: 'too_late',
    message: 'Manifested already',
    http: 409,
    attempts: 2,
    completed: 1_000,
  },
  {
    reference: 'sp_2',
    account: 's',
    state: 'succeeded',
    reason: 'already_cancelled',
    message: 'already Cancelled',
    http: 200,
    attempts: 1,
    completed: 2_000,
  },
  { reference: 'EC-2', account: 'e', state: 'queued', reason: null, message: null, http: null, attempts: 0, completed: null },
  {
    reference: '42',
    account: 'c',
    state: 'pending',
    reason: 'queued',
    message: 'Queued for cancellation',
    http: 202,
    attempts: 1,
    completed: 2_000,
  },
  {
    reference: 'EC-4',
    account: 'e',
    state: 'failed',
    reason: 'not_found',
    message: '',
    http: 404,
    attempts: 3,
    completed: 4_000,
  },
  {
    reference: 'sp_1',
    account: 's',
    state: 'stopped',
    reason: null,
    message: 'Stopped by the clerk',
    http: null,
    attempts: 0,
    completed: 5_000,
  },
];
const PROVIDER = { e: 'electio', s: 'sorted-pro', c: 'sendcloud' } as const;

beforeEach(() => {
  dir = tempDir();
  db = openDatabase(dir.path);
  const account = db.prepare(
    "INSERT INTO accounts (id, name, provider, base_url, created_at, updated_at) VALUES (?, ?, ?, 'https://x', 0, 0)",
  );
  account.run('e', 'Electio UK', 'electio');
  account.run('s', 'sorted north', 'sorted-pro');
  account.run('c', 'Shop', 'sendcloud');
  batchId = createBatch(db, {
    sourceName: 'list.csv',
    action: 'cancel',
    createdBy: 'clerk',
    machine: 'pc-7',
    now: 0,
    items: ITEMS.map((item, i) => ({
      row: i + 2,
      reference: item.reference,
      provider: PROVIDER[item.account],
      accountId: item.account,
      action: 'cancel',
      external: null,
    })),
  });
  const settle = db.prepare(
    'UPDATE items SET state = ?, reason = ?, message = ?, http_status = ?, attempts = ?, completed_at = ? WHERE batch_key = (SELECT key FROM batches WHERE id = ?) AND reference = ?',
  );
  for (const item of ITEMS) {
    settle.run(item.state, item.reason, item.message, item.http, item.attempts, item.completed, batchId, item.reference);
  }
  // Another batch in the same file: never part of these answers.
  createBatch(db, {
    sourceName: 'other.csv',
    action: 'cancel',
    createdBy: 'clerk',
    machine: 'pc-7',
    now: 0,
    items: [{ row: 2, reference: 'EC-1', provider: 'electio', accountId: 'e', action: 'cancel', external: null }],
  });
});
afterEach(() => {
  db.close();
  dir.remove();
});

const refs = (filter: ResultFilter = {}, sort?: ResultSort) =>
  pageResults(db, batchId, { filter, sort, offset: 0, limit: 100 }).rows.map((row) => row.Data);
const sorted = (key: ResultSort['key'], direction: ResultSort['direction'] = 'ascending') => refs({}, { key, direction });

describe('a page of results', () => {
  it('is the window asked for, in import order, with the total the filter selects', () => {
    expect(pageResults(db, batchId, { offset: 0, limit: 3 })).toMatchObject({
      rows: [{ Data: 'EC-3' }, { Data: 'EC-1' }, { Data: 'sp_2' }],
      total: 7,
    });
    const last = pageResults(db, batchId, { offset: 5, limit: 3 });
    expect(last.rows.map((row) => row.Data)).toEqual(['EC-4', 'sp_1']);
    expect(last.total).toBe(7);
    expect(pageResults(db, batchId, { offset: 50, limit: 3 })).toEqual({ rows: [], total: 7 });
    expect(pageResults(db, batchId, { offset: 0, limit: 1 }).rows[0]).toMatchObject({
      Data: 'EC-3',
      IsSuccess: true,
      State: 'succeeded',
      Reason: 'cancelled',
      Provider: 'electio',
      Account: 'Electio UK',
      HttpStatus: 200,
      Attempts: 1,
      CompletedAt: '1970-01-01T00:00:03.000Z',
    });
  });

  it('filters in the database: states, reasons, providers, accounts, text (any case) and ids, together', () => {
    expect(refs({ states: ['failed'] })).toEqual(['EC-1', 'EC-4']);
    expect(refs({ states: ['queued', 'in_flight'] })).toEqual(['EC-2']);
    expect(refs({ reasons: ['too_late', 'queued'] })).toEqual(['EC-1', '42']);
    expect(refs({ providers: ['sorted-pro'] })).toEqual(['sp_2', 'sp_1']);
    expect(refs({ accounts: ['Shop'] })).toEqual(['42']);
    expect(refs({ search: 'MANIFESTED' })).toEqual(['EC-1']);
    expect(refs({ search: 'north' })).toEqual(['sp_2', 'sp_1']);
    expect(refs({ search: '  ec-4 ' })).toEqual(['EC-4']);
    expect(refs({ states: ['succeeded'], providers: ['electio'] })).toEqual(['EC-3']);
    const ids = pageResults(db, batchId, { offset: 0, limit: 100 }).rows.map((row) => row.id);
    expect(refs({ ids: [ids[6] ?? 0, ids[1] ?? 0, ids[0] ?? 0], states: ['failed', 'stopped'] })).toEqual(['EC-1', 'sp_1']);
    expect(pageResults(db, batchId, { filter: { states: ['failed'] }, offset: 1, limit: 1 })).toMatchObject({
      rows: [{ Data: 'EC-4' }],
      total: 2,
    });
    expect(pageResults(db, batchId, { filter: { search: 'nothing like it' }, offset: 0, limit: 10 })).toEqual({
      rows: [],
      total: 0,
    });
  });

  it('sorts by what the clerk reads, empty values last either way, ties in import order', () => {
    expect(sorted('reference')).toEqual(['42', 'EC-1', 'EC-2', 'EC-3', 'EC-4', 'sp_1', 'sp_2']);
    expect(sorted('reference', 'descending')).toEqual(['sp_2', 'sp_1', 'EC-4', 'EC-3', 'EC-2', 'EC-1', '42']);
    // Provider names: Electio, Sendcloud, Sorted PRO.
    expect(sorted('provider')).toEqual(['EC-3', 'EC-1', 'EC-2', 'EC-4', '42', 'sp_2', 'sp_1']);
    // Account names without case: Electio UK, Shop, sorted north.
    expect(sorted('account')).toEqual(['EC-3', 'EC-1', 'EC-2', 'EC-4', '42', 'sp_2', 'sp_1']);
    // Outcome: succeeded, queued at the provider, failed, sending, waiting, stopped.
    expect(sorted('result')).toEqual(['EC-3', 'sp_2', '42', 'EC-1', 'EC-4', 'EC-2', 'sp_1']);
    // Reason labels: Already cancelled, Cancellation queued, Cancelled, Not found, Too late; none last.
    expect(sorted('reason')).toEqual(['sp_2', '42', 'EC-3', 'EC-4', 'EC-1', 'EC-2', 'sp_1']);
    expect(sorted('reason', 'descending')).toEqual(['EC-1', 'EC-4', 'EC-3', '42', 'sp_2', 'EC-2', 'sp_1']);
    // Messages without case; an empty message counts as none.
    expect(sorted('message')).toEqual(['sp_2', 'EC-3', 'EC-1', '42', 'sp_1', 'EC-2', 'EC-4']);
    expect(sorted('http', 'descending')).toEqual(['EC-1', 'EC-4', '42', 'EC-3', 'sp_2', 'EC-2', 'sp_1']);
    expect(sorted('attempts')).toEqual(['EC-2', 'sp_1', 'EC-3', 'sp_2', '42', 'EC-1', 'EC-4']);
    expect(sorted('completed')).toEqual(['EC-1', 'sp_2', '42', 'EC-3', 'EC-4', 'sp_1', 'EC-2']);
    expect(refs({ states: ['failed', 'succeeded'] }, { key: 'attempts', direction: 'descending' })).toEqual([
      'EC-4',
      'EC-1',
      'EC-3',
      'sp_2',
    ]);
  });

  it('gives the ids of a window in the same order, for Shift ranges and Ctrl+A', () => {
    const sort: ResultSort = { key: 'reference', direction: 'descending' };
    const filter: ResultFilter = { providers: ['electio'] };
    const page = pageResults(db, batchId, { filter, sort, offset: 1, limit: 2 });
    expect(resultIds(db, batchId, { filter, sort, offset: 1, limit: 2 })).toEqual(page.rows.map((row) => row.id));
    expect(resultIds(db, batchId, { offset: 0, limit: 100 })).toHaveLength(7);
  });

  it('exports and the CLI still read every row the filter selects in import order', () => {
    expect(listResults(db, batchId, { states: ['failed', 'stopped'] }).map((row) => row.Data)).toEqual(['EC-1', 'EC-4', 'sp_1']);
  });

  it('says so when the batch does not exist', () => {
    expect(() => pageResults(db, 'no-such-batch', { offset: 0, limit: 10 })).toThrow('That batch does not exist.');
    expect(() => resultIds(db, 'no-such-batch', { offset: 0, limit: 10 })).toThrow('That batch does not exist.');
    expect(() => resultsOverview(db, 'no-such-batch')).toThrow('That batch does not exist.');
  });
});

describe('the overview', () => {
  it('counts items per state and reason and names the accounts, without reading the rows out', () => {
    const overview = resultsOverview(db, batchId);
    expect(overview.total).toBe(7);
    expect(overview.accounts).toEqual(['Electio UK', 'Shop', 'sorted north']);
    const outcomes = Object.fromEntries(overview.outcomes.map((o) => [`${o.state}/${o.reason}`, o.count]));
    expect(outcomes).toEqual({
      'succeeded/cancelled': 1,
      'succeeded/already_cancelled': 1,
      'failed/too_late': 1,
      'failed/not_found': 1,
      'queued/null': 1,
      'pending/queued': 1,
      'stopped/null': 1,
    });
  });
});

describe('the contract', () => {
  it('keeps a page to sane limits', () => {
    const page = channels['results.page'].request;
    expect(page.safeParse({ batchId: 'b', offset: 0, limit: MAX_RESULTS_PAGE }).success).toBe(true);
    expect(page.safeParse({ batchId: 'b', offset: 0, limit: MAX_RESULTS_PAGE + 1 }).success).toBe(false);
    expect(page.safeParse({ batchId: 'b', offset: -1, limit: 10 }).success).toBe(false);
    expect(page.safeParse({ batchId: 'b', offset: 0, limit: 0 }).success).toBe(false);
    expect(page.safeParse({ batchId: 'b', offset: 0, limit: 10, sort: { key: 'secret', direction: 'ascending' } }).success).toBe(
      false,
    );
    expect(page.safeParse({ batchId: 'b', offset: 0, limit: 10, filter: { states: ['lost'] } }).success).toBe(false);
    expect(channels['results.ids'].request.safeParse({ batchId: 'b', offset: 0, limit: 100_000 }).success).toBe(true);
  });
});
