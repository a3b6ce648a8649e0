/**
 * requeueFailed on a real SQLite file: "retry failed" sends again either every failed item or only
 * those that may still work (network, provider error, rate limited, key refused, no reason); too late,
 * not found, invalid and gone stay failed, since sending them again gets the same answer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../electron/core/db/open';
import { createBatch } from '../../electron/core/queue/batch-writes';
import { claimItems, recordResults, requeueFailed } from '../../electron/core/queue/store';
import { REASONS, mayStillWork, type Reason } from '../../shared/domain';

const ACCOUNT = '11111111-aaaa-4aaa-8aaa-111111111111';
/** Every reason an item can fail with, and one failure with none. */
const FAILURES: (Reason | null)[] = [...REASONS, null];

let dir: string;
let db: Db;
let batchId: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bulk-cancel-retry-'));
  db = openDatabase(dir);
  db.prepare(
    "INSERT INTO accounts (id, name, provider, base_url, created_at, updated_at) VALUES (?, 'Sorted', 'sorted-pro', 'http://127.0.0.1:1', 1, 1)",
  ).run(ACCOUNT);
  batchId = createBatch(db, {
    sourceName: null,
    action: 'cancel',
    createdBy: null,
    machine: null,
    now: 1,
    items: FAILURES.map((reason, i) => ({
      row: i + 2,
      reference: reason ?? 'no-reason',
      provider: 'sorted-pro',
      accountId: ACCOUNT,
      action: 'cancel',
      external: null,
    })),
  });
  const claimed = claimItems(db, { batchId, owner: 'test', limit: 100, now: 5, leaseMs: 1000, excludeAccounts: [] });
  recordResults(
    db,
    claimed.map((item) => {
      const reason = item.reference === 'no-reason' ? null : (item.reference as Reason);
      return {
        itemId: item.id,
        batchKey: item.batchKey,
        claim: item.claim,
        state: 'failed',
        reason,
        message: 'failed',
        httpStatus: 400,
        apiLinks: null,
        nextAttemptAt: 0,
        completedAt: 6,
        attempt: null,
      };
    }),
  );
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function queuedReferences(): string[] {
  return db.prepare("SELECT reference FROM items WHERE state = 'queued' ORDER BY seq").pluck().all() as string[];
}

describe('retry failed', () => {
  it('may-work sends again network, provider, rate and key failures and those without a reason; the final ones stay failed', () => {
    expect(requeueFailed(db, batchId, 'may-work')).toBe(5);
    expect(queuedReferences().sort()).toEqual(['network', 'no-reason', 'provider_error', 'rate_limited', 'unauthorized'].sort());
    const stillFailed = db.prepare("SELECT reference FROM items WHERE state = 'failed'").pluck().all();
    expect(stillFailed).toEqual(expect.arrayContaining(['too_late', 'not_found', 'invalid_reference', 'gone']));
    expect(mayStillWork('gone')).toBe(false);
  });

  it('all sends every failed item again (what the CLI’s --retry-failed does)', () => {
    expect(requeueFailed(db, batchId)).toBe(FAILURES.length);
    expect(queuedReferences()).toHaveLength(FAILURES.length);
  });
});
