/**
 * The read model of batches and items beside the queue's own reads and writes (store.ts): whether a
 * batch exists and its summary, the items still waiting (of a batch or of an account), and the items
 * being sent. Each of these questions is asked here, and only here; the counts by state are kept and
 * read in counts.ts.
 */
import type { BatchSummary } from '../../../shared/contract';
import { totalCount, type Action } from '../../../shared/domain';
import type { Db } from '../db/open';
import { AppError } from '../errors';
import { batchPaces } from './pace';
import { batchCounts } from './counts';

/** Items still waiting: queued, or being sent right now (waitingCount in shared/domain.ts says the same of counts). */
const WAITING = "state IN ('queued', 'in_flight')";

/** What only the process sending a batch knows of it: whether it sends, who is offline or needs attention, why it stopped. */
export type LiveState = Pick<BatchSummary, 'running' | 'offline' | 'attention' | 'problem' | 'requestsInFlight' | 'timeLeft'>;

interface BatchRow {
  id: string;
  source_name: string | null;
  action: Action;
  created_at: number;
  paused: number;
}

/** The batch's row, or undefined when no batch has this id (wholly imported or not). */
function batchRow(db: Db, batchId: string): BatchRow | undefined {
  return db.prepare('SELECT id, source_name, action, created_at, paused FROM batches WHERE id = ?').get(batchId) as
    BatchRow | undefined;
}

/** Whether a batch with this id exists (wholly imported or not). */
export function batchExists(db: Db, batchId: string): boolean {
  return batchRow(db, batchId) !== undefined;
}

/** A batch as the clerk sees it: its file, its items by state, paused or not, and what `live` adds. */
export function batchSummary(db: Db, batchId: string, live: LiveState): BatchSummary {
  const row = batchRow(db, batchId);
  if (!row) throw new AppError('not_found', 'That batch does not exist.');
  const counts = batchCounts(db, batchId);
  return {
    id: row.id,
    sourceName: row.source_name,
    action: row.action,
    createdAt: new Date(row.created_at).toISOString(),
    total: totalCount(counts),
    counts,
    running: live.running,
    paused: row.paused === 1,
    offline: live.offline,
    attention: live.attention,
    problem: live.problem,
    requestsInFlight: live.requestsInFlight,
    timeLeft: live.timeLeft,
    paces: batchPaces(db, batchId),
  };
}

/** How many items of a batch, or of an account, still wait to be sent or are being sent. */
export function waitingItems(db: Db, of: { batchId: string } | { accountId: string }): number {
  const [column, table, id] =
    'batchId' in of ? (['batch_key', 'batches', of.batchId] as const) : (['account_key', 'accounts', of.accountId] as const);
  const row = db
    .prepare(`SELECT COUNT(*) AS waiting FROM items WHERE ${column} = (SELECT key FROM ${table} WHERE id = ?) AND ${WAITING}`)
    .get(id) as { waiting: number };
  return row.waiting;
}

/** An account's batches with items still waiting, oldest first, and how many each. */
export function batchesWaitingFor(db: Db, accountId: string): { batchId: string; waiting: number }[] {
  return db
    .prepare(
      `SELECT b.id AS batchId, COUNT(*) AS waiting FROM items i JOIN batches b ON b.key = i.batch_key
       WHERE i.account_key = (SELECT key FROM accounts WHERE id = ?) AND i.${WAITING}
       GROUP BY i.batch_key ORDER BY MIN(i.id)`,
    )
    .all(accountId) as { batchId: string; waiting: number }[];
}

/** Items being sent right now, by any process. */
export function sendingItems(db: Db): number {
  return (db.prepare("SELECT COUNT(*) AS n FROM items WHERE state = 'in_flight'").get() as { n: number }).n;
}

/** Every batch: how many, and how many still have items waiting, of which how many are paused. */
export function batchStates(db: Db): { total: number; waiting: number; paused: number } {
  const rows = db
    .prepare(
      `SELECT b.paused AS paused, EXISTS (SELECT 1 FROM items i WHERE i.batch_key = b.key AND i.${WAITING}) AS waiting FROM batches b`,
    )
    .all() as { paused: number; waiting: number }[];
  const waiting = rows.filter((row) => row.waiting === 1);
  return { total: rows.length, waiting: waiting.length, paused: waiting.filter((row) => row.paused === 1).length };
}
