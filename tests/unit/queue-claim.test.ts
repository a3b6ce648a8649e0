/**
 * claimItems on a real SQLite file: claims come in import order under a lease, name the item's
 * account by its public id, skip excluded accounts, and take nothing from a paused batch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../electron/core/db/open';
import { claimItems, createBatch, nextDueAt, setPaused, type ClaimRequest } from '../../electron/core/queue/store';

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
