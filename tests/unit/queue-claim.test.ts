/**
 * claimItems on a real SQLite file: claims come in import order under a lease, name the item's
 * account by its public id, skip excluded accounts, and take nothing from a paused batch; a claim
 * taken back is fenced off: its old number writes, releases and renews nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../electron/core/db/open';
import { createBatch } from '../../electron/core/queue/batch-writes';
import {
  claimItems,
  LATE_OUTCOME,
  nextDueAt,
  recordResults,
  releaseAbandonedClaims,
  releaseClaims,
  renewClaims,
  setPaused,
  type ClaimedItem,
  type ClaimRequest,
  type ItemUpdate,
} from '../../electron/core/queue/store';

let dir: string;
let db: Db;
let batchId: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bulk-cancel-claim-'));
  db = openDatabase(dir);
  const addAccount = db.prepare(
    "INSERT INTO accounts (id, name, provider, base_url, created_at, updated_at) VALUES (?, ?, 'sorted-pro', 'http://127.0.0.1:1', 1, 1)",
  );
  addAccount.run('11111111-aaaa-4aaa-8aaa-111111111111', 'First');
  addAccount.run('22222222-bbbb-4bbb-8bbb-222222222222', 'Second');
  batchId = createBatch(db, {
    sourceName: null,
    action: 'cancel',
    createdBy: null,
    machine: null,
    now: 1,
    items: ['a', 'b', 'c', 'd'].map((reference, i) => ({
      row: i + 2,
      reference,
      provider: 'sorted-pro',
      accountId: i % 2 ? '22222222-bbbb-4bbb-8bbb-222222222222' : '11111111-aaaa-4aaa-8aaa-111111111111',
      action: 'cancel',
      external: null,
    })),
  });
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const request = (excludeAccounts: string[] = []): ClaimRequest => ({
  batchId,
  owner: 'test',
  limit: 10,
  now: 5,
  leaseMs: 1000,
  excludeAccounts,
});

describe('claimItems', () => {
  it('claims in import order, naming each account by its id, and skips excluded accounts', () => {
    const claimed = claimItems(db, request(['22222222-bbbb-4bbb-8bbb-222222222222']));
    expect(claimed.map((item) => [item.reference, item.accountId])).toEqual([
      ['a', '11111111-aaaa-4aaa-8aaa-111111111111'],
      ['c', '11111111-aaaa-4aaa-8aaa-111111111111'],
    ]);
    expect(nextDueAt(db, batchId, ['11111111-aaaa-4aaa-8aaa-111111111111'])).toBe(0);
    expect(nextDueAt(db, batchId, ['11111111-aaaa-4aaa-8aaa-111111111111', '22222222-bbbb-4bbb-8bbb-222222222222'])).toBeNull();
    expect(claimItems(db, request()).map((item) => item.reference)).toEqual(['b', 'd']);
  });

  it('takes nothing from a paused batch, and everything once it is resumed', () => {
    setPaused(db, batchId, true);
    expect(claimItems(db, request())).toEqual([]);
    setPaused(db, batchId, false);
    expect(claimItems(db, request()).map((item) => item.reference)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('claims nothing for a batch that does not exist', () => {
    expect(claimItems(db, { ...request(), batchId: 'no-such-batch' })).toEqual([]);
  });
});

describe('fenced claims', () => {
  it('a claim taken back and claimed anew cannot be written, released or renewed under its old number', () => {
    const [old] = claimItems(db, { ...request(), limit: 1 });
    if (!old) throw new Error('nothing claimed');
    expect(releaseAbandonedClaims(db, 5_000, () => true)).toBe(1);
    const [current] = claimItems(db, { ...request(), owner: 'second', now: 5_000, limit: 1 });
    expect(current?.id).toBe(old.id);
    expect(current?.claim).toBeGreaterThan(old.claim);

    const item = () => db.prepare('SELECT state, claimed_by, lease_until, message FROM items WHERE id = ?').get(old.id);
    const before = item();
    releaseClaims(db, [old]);
    expect(renewClaims(db, [old], 9_000)).toEqual(new Set());
    const sent = { startedAt: 1, durationMs: 1, endpoint: 'PUT /x', httpStatus: 200, message: '' };
    const late: ItemUpdate = {
      itemId: old.id,
      batchKey: old.batchKey,
      claim: old.claim,
      state: 'succeeded',
      reason: 'cancelled',
      message: 'late',
      httpStatus: 200,
      apiLinks: null,
      nextAttemptAt: 0,
      completedAt: 9,
      attempt: { requests: [sent], outcome: 'succeeded', reason: 'cancelled' },
    };
    recordResults(db, [late]);
    expect(item()).toEqual(before);
    expect(db.prepare('SELECT outcome FROM attempts WHERE item_id = ?').pluck().all(old.id)).toEqual([LATE_OUTCOME]);

    // The current holder still renews and writes.
    expect(renewClaims(db, [current as ClaimedItem], 9_000)).toEqual(new Set([old.id]));
    recordResults(db, [{ ...late, claim: (current as ClaimedItem).claim, message: 'mine' }]);
    expect(item()).toEqual({ state: 'succeeded', claimed_by: null, lease_until: null, message: 'mine' });
  });
});
