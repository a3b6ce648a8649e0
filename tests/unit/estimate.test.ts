/**
 * Time left for a mixed-provider batch, on a real SQLite file with an injected clock: three account
 * lanes drain at their own true speeds (Electio's lists fast, Sorted PRO slower than its pace allows,
 * Sendcloud below its 100 a minute), results written through the queue's own store; at 25%, 50% and
 * 75% of the run the estimate is within 20% of the time truly left, which the slowest lane decides.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batchLanes, timeLeftEstimator } from '../../electron/core/batches/estimate';
import { openDatabase, type Db } from '../../electron/core/db/open';
import { createBatch } from '../../electron/core/queue/batch-writes';
import { claimItems, recordResults } from '../../electron/core/queue/store';
import type { ProviderId } from '../../shared/domain';

/** Each lane: its account, its items, and the items a minute it truly finishes. */
const LANES: { id: string; provider: ProviderId; items: number; perMinute: number }[] = [
  { id: '11111111-aaaa-4aaa-8aaa-111111111111', provider: 'electio', items: 3000, perMinute: 6000 },
  { id: '22222222-bbbb-4bbb-8bbb-222222222222', provider: 'sorted-pro', items: 600, perMinute: 400 },
  { id: '33333333-cccc-4ccc-8ccc-333333333333', provider: 'sendcloud', items: 200, perMinute: 80 },
];
/** When the slowest lane (Sendcloud: 200 at 80 a minute) is done. */
const RUN_SECONDS = 150;
const CHUNK_SIZE = 100;

let dir: string;
let db: Db;
let batchId: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bulk-cancel-estimate-'));
  db = openDatabase(dir);
  const add = db.prepare(
    "INSERT INTO accounts (id, name, provider, base_url, settings, created_at, updated_at) VALUES (?, ?, ?, 'http://127.0.0.1:1', '{}', 1, 1)",
  );
  for (const lane of LANES) add.run(lane.id, lane.provider, lane.provider);
  // Interleaved as a mixed list would be.
  const items = LANES.flatMap((lane) => Array.from({ length: lane.items }, (_, n) => ({ n, lane }))).sort(
    (a, b) => a.n / a.lane.items - b.n / b.lane.items,
  );
  batchId = createBatch(db, {
    sourceName: 'mixed.csv',
    action: 'cancel',
    createdBy: null,
    machine: null,
    now: 0,
    items: items.map(({ n, lane }, i) => ({
      row: i + 2,
      reference: `${lane.provider}-${n}`,
      provider: lane.provider,
      accountId: lane.id,
      action: 'cancel',
      external: null,
    })),
  });
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Finishes `count` more items of one lane at `at` (epoch ms), through claim and result as a run does. */
function finish(laneId: string, count: number, at: number): void {
  if (count <= 0) return;
  const others = LANES.filter((lane) => lane.id !== laneId).map((lane) => lane.id);
  const claimed = claimItems(db, { batchId, owner: 'test', limit: count, now: at, leaseMs: 60_000, excludeAccounts: others });
  recordResults(
    db,
    claimed.map((item) => ({
      itemId: item.id,
      batchKey: item.batchKey,
      claim: item.claim,
      state: 'succeeded',
      reason: 'cancelled',
      message: 'Cancelled',
      httpStatus: 200,
      apiLinks: null,
      nextAttemptAt: 0,
      completedAt: at,
      attempt: null,
    })),
  );
}

describe('time left of a mixed-provider batch', () => {
  it('is within 20% of the true time left at 25%, 50% and 75% of the run, the slowest lane deciding', () => {
    const estimator = timeLeftEstimator();
    const done = new Map(LANES.map((lane) => [lane.id, 0]));
    const checks = new Map([0.25, 0.5, 0.75].map((share) => [Math.round(share * RUN_SECONDS * 2), share]));
    const seen: number[] = [];
    for (let tick = 1; tick <= RUN_SECONDS * 2; tick++) {
      const at = tick * 500; // the injected clock: half a second a tick
      for (const lane of LANES) {
        const target = Math.min(lane.items, Math.floor((lane.perMinute * at) / 60_000));
        finish(lane.id, target - (done.get(lane.id) ?? 0), at);
        done.set(lane.id, target);
      }
      const estimate = estimator.estimate(batchLanes(db, batchId, CHUNK_SIZE, true), at);
      const share = checks.get(tick);
      if (share === undefined) continue;
      const trulyLeft = RUN_SECONDS - at / 1000;
      expect(estimate, `an estimate at ${share * 100}%`).not.toBeNull();
      expect(Math.abs((estimate?.seconds ?? 0) - trulyLeft) / trulyLeft, `at ${share * 100}%`).toBeLessThanOrEqual(0.2);
      expect(estimate?.doneBy).toBe(new Date(at + (estimate?.seconds ?? 0) * 1000).toISOString());
      expect(estimate?.lanes.find((lane) => lane.seconds === estimate.seconds)?.provider).toBe('sendcloud');
      seen.push(share);
    }
    expect(seen).toEqual([0.25, 0.5, 0.75]);
  });

  it('uses an account’s pace before there is anything to measure, and never more than the pace', () => {
    const estimator = timeLeftEstimator();
    const first = estimator.estimate(batchLanes(db, batchId, CHUNK_SIZE, true), 0);
    // Sendcloud at its default 100 a minute: 200 items take two minutes; the whole list no less.
    expect(first?.seconds).toBe(120);
    expect(first?.lanes.map((lane) => [lane.provider, lane.seconds])).toEqual(
      expect.arrayContaining([
        ['electio', (3000 / (120 * CHUNK_SIZE)) * 60],
        ['sorted-pro', 60],
        ['sendcloud', 120],
      ]),
    );
  });
});
