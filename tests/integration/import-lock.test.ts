/**
 * Readers and writers share the data file without failing (issue 13, observation 6): a run goes on
 * while another connection holds the write lock longer than the busy timeout (a large import in
 * another process), and an import commits in chunks without ever showing a half-written batch to a
 * runner, nor leaving one behind when its process dies. Real SQLite files, real HTTP to the simulator.
 */
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { listBatches } from '../../electron/core/history';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAccount, type Account } from '../../electron/core/accounts';
import { openDatabase, type Db } from '../../electron/core/db/open';
import { claimerName } from '../../electron/core/queue/claimer';
import { DEFAULT_RUN_OPTIONS, runBatch, type RunStatus } from '../../electron/core/queue/runner';
import { createBatch, ROWS_PER_COMMIT, type NewItem } from '../../electron/core/queue/batch-writes';
import { batchesWaiting, claimItems } from '../../electron/core/queue/store';
import { SORTED_DEFAULT_API_KEY, sortedReference, startSimulator, type Simulator } from '../simulator';
import { runnerDeps, testWorld, type TestWorld } from '../support/fixtures';

let sim: Simulator;
let world: TestWorld;
let other: Db;
let account: Account;

beforeAll(async () => {
  sim = await startSimulator();
  world = testWorld();
  // The other program (an import, the app beside the CLI): a second connection to the same file.
  other = openDatabase(world.dataDir);
  account = await addAccount(
    world.db,
    world.credentials,
    { provider: 'sorted-pro', name: 'Sorted', baseUrl: sim.url, secret: SORTED_DEFAULT_API_KEY },
    Date.now(),
  );
});

afterAll(async () => {
  other.close();
  await world.close();
  await sim.close();
});

const items = (refs: readonly string[], accountId = account.id): NewItem[] =>
  refs.map((reference, i) => ({ row: i + 2, reference, provider: 'sorted-pro', accountId, action: 'cancel', external: null }));

const newBatch = (db: Db, list: NewItem[]) =>
  createBatch(db, { sourceName: null, action: 'cancel', createdBy: null, machine: null, now: Date.now(), items: list });

const claimAll = (db: Db, batchId: string) =>
  claimItems(db, { batchId, owner: 'test', limit: 1_000, now: Date.now(), leaseMs: 60_000, excludeAccounts: [] });

describe('a run beside another connection holding the write lock', () => {
  it('waits the lock out, says so, and finishes every item', async () => {
    const refs = Array.from({ length: 20 }, (_, n) => sortedReference(8_000 + n));
    sim.sortedPro.add(refs, 'created');
    const batchId = newBatch(world.db, items(refs));
    // A short busy timeout on the run's connection: the lock is held past it without the test waiting 5 s per try.
    world.db.pragma('busy_timeout = 100');
    other.exec('BEGIN IMMEDIATE');
    let heldLock = true;
    try {
      const statuses: RunStatus[] = [];
      let waiting!: () => void;
      const seen = new Promise<void>((resolve) => (waiting = resolve));
      const run = runBatch(
        {
          ...runnerDeps(world, 'runner'),
          onStatus: (status) => {
            statuses.push(status);
            if (status.databaseBusySince !== undefined) waiting();
          },
        },
        batchId,
        { ...DEFAULT_RUN_OPTIONS, pacing: false },
      );
      // The run reports that it waits for the lock (before this fix it died with "database is locked").
      await Promise.race([seen, run]);
      other.exec('COMMIT');
      heldLock = false;
      const report = await run;
      expect(report.counts).toMatchObject({ succeeded: 20, in_flight: 0, queued: 0 });
      expect(statuses.at(-1)?.databaseBusySince).toBeUndefined();
      expect(sim.count({ method: 'PUT' })).toBe(20);
    } finally {
      if (heldLock) other.exec('ROLLBACK');
      world.db.pragma('busy_timeout = 5000');
    }
  });
});

describe('an import in chunks', () => {
  it('is not runnable while another live process is still writing it', () => {
    const batchId = newBatch(world.db, items(['LIVE-1', 'LIVE-2']));
    other.prepare('UPDATE batches SET importing = ? WHERE id = ?').run(claimerName('import'), batchId);
    expect(claimAll(world.db, batchId)).toEqual([]);
    expect(batchesWaiting(world.db)).not.toContain(batchId);
    expect(listBatches(world.db).batches.map((batch) => batch.id)).not.toContain(batchId);
    // Opening the file again leaves a live importer's batch alone.
    openDatabase(world.dataDir).close();
    expect(world.db.prepare('SELECT COUNT(*) FROM items WHERE reference LIKE ?').pluck().get('LIVE-%')).toBe(2);
  });

  it('left half written by a process that died is removed when the file is next opened', () => {
    const batchId = newBatch(world.db, items(['HALF-1', 'HALF-2']));
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    other.prepare('UPDATE batches SET importing = ? WHERE id = ?').run(`import:${hostname()}:${dead}:00000000`, batchId);
    expect(claimAll(world.db, batchId)).toEqual([]);
    openDatabase(world.dataDir).close();
    expect(world.db.prepare('SELECT COUNT(*) FROM batches WHERE id = ?').pluck().get(batchId)).toBe(0);
    expect(world.db.prepare('SELECT COUNT(*) FROM items WHERE reference LIKE ?').pluck().get('HALF-%')).toBe(0);
  });

  it('that fails after its first commits leaves nothing behind; a complete one is runnable at once', () => {
    const batches = () => world.db.prepare('SELECT COUNT(*) FROM batches').pluck().get();
    const before = batches();
    const refs = Array.from({ length: ROWS_PER_COMMIT + 1 }, (_, n) => `CHUNK-${n}`);
    const list = items(refs);
    // The last row names an account that is gone: its chunk fails after the first one committed.
    list.push(...items(['CHUNK-LAST'], 'no-such-account'));
    expect(() => newBatch(world.db, list)).toThrow(/no longer exists/);
    expect(batches()).toBe(before);
    expect(world.db.prepare('SELECT COUNT(*) FROM items WHERE reference LIKE ?').pluck().get('CHUNK-%')).toBe(0);

    const batchId = newBatch(world.db, items(refs));
    expect(batchesWaiting(world.db)).toContain(batchId);
    expect(claimAll(world.db, batchId)).toHaveLength(1_000);
  });
});
