/**
 * Each batch's items by outcome, kept as they change (schema 9), so the counts the clerk sees (a
 * batch's summary at every progress tick, History, `status`) are read rather than counted over every
 * item. Queued and in flight are one bucket, `waiting`: a claim moves an item inside it and costs
 * nothing here, and the few items in flight are counted from their own index when asked.
 *
 * Every writer that moves items into or out of `waiting`, or between outcomes, adds its moves here in
 * its own transaction: the import (its chunk's items), the results (one update per outcome of a group,
 * not one per item: a trigger per item cost the queue's figure 2 one to two per cent), the clerk's stop
 * and retry. Deleting a batch deletes its counts (ON DELETE CASCADE). Every test world checks, as it closes,
 * that the counts kept equal the items counted (tests/support/fixtures.ts), and the whole-file check
 * at open counts them again (recountBatches).
 */
import { emptyCounts, type ItemState, type StateCounts } from '../../../shared/domain';
import type { Db } from '../db/open';
import { preparedOnce } from '../db/statements';

/** Queued or in flight: one bucket (see above). */
export type Bucket = 'waiting' | Exclude<ItemState, 'queued' | 'in_flight'>;

/** Items moved into (positive) or out of (negative) each bucket of one batch. */
export type Moves = Partial<Record<Bucket, number>>;

/** Adds a batch's moves to its counts; call it inside the transaction that moved the items. */
export function countMoves(db: Db, batchKey: number | bigint, moves: Moves): void {
  // Most moves add to a bucket that exists: an update is cheaper than an insert that conflicts.
  const add = preparedOnce(db, 'UPDATE batch_counts SET n = n + ? WHERE batch_key = ? AND bucket = ?');
  const insert = preparedOnce(db, 'INSERT INTO batch_counts (batch_key, bucket, n) VALUES (?, ?, ?)');
  for (const bucket in moves) {
    const n = moves[bucket as Bucket];
    if (n && add.run(n, batchKey, bucket).changes === 0) insert.run(batchKey, bucket, n);
  }
}

/**
 * Counts every batch's items again from the items themselves. The whole-file check at open runs it
 * (after an unclean end, or once a day), so counts left wrong by a writer that predates them (an
 * older app still running when the file was upgraded) or by a hand-made change do not stay wrong.
 */
export function recountBatches(db: Db): void {
  db.transaction(() => {
    db.exec(`
      DELETE FROM batch_counts;
      INSERT INTO batch_counts (batch_key, bucket, n)
        SELECT batch_key, CASE WHEN state IN ('queued', 'in_flight') THEN 'waiting' ELSE state END, COUNT(*)
        FROM items GROUP BY 1, 2;
    `);
  }).immediate();
}

/** A batch's items by state; all zero for a batch that does not exist. */
export function batchCounts(db: Db, batchId: string): StateCounts {
  // One read transaction: another process's claims between the two reads would split waiting wrongly.
  return db.transaction(() => {
    const key = preparedOnce(db, 'SELECT key FROM batches WHERE id = ?').pluck().get(batchId) as number | undefined;
    if (key === undefined) return emptyCounts();
    const buckets = preparedOnce(db, 'SELECT bucket, n FROM batch_counts WHERE batch_key = ?').all(key) as BucketRow[];
    const inFlight = preparedOnce(db, "SELECT COUNT(*) FROM items WHERE batch_key = ? AND state = 'in_flight'").pluck().get(key);
    return countsOf(buckets, inFlight as number);
  })();
}

/** Every item of the database by state. */
export function itemCounts(db: Db): StateCounts {
  return db.transaction(() => {
    const buckets = db.prepare('SELECT bucket, SUM(n) AS n FROM batch_counts GROUP BY bucket').all() as BucketRow[];
    const inFlight = db.prepare("SELECT COUNT(*) FROM items WHERE state = 'in_flight'").pluck().get() as number;
    return countsOf(buckets, inFlight);
  })();
}

interface BucketRow {
  bucket: Bucket;
  n: number;
}

function countsOf(buckets: readonly BucketRow[], inFlight: number): StateCounts {
  const counts = emptyCounts();
  for (const { bucket, n } of buckets) {
    if (bucket === 'waiting') counts.queued = n - inFlight;
    else counts[bucket] = n;
  }
  counts.in_flight = inFlight;
  return counts;
}
