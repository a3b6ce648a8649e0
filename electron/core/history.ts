/**
 * The history of every batch: who ran it, where, through which accounts, and how it ended; where a
 * reference went across all batches; and deleting a finished batch's history.
 */
import type { HistoryBatch, ReferenceHit } from '../../shared/contract';
import { totalCount, waitingCount, type Action, type ItemState, type ProviderId, type Reason } from '../../shared/domain';
import type { Db } from './db/open';
import { AppError } from './errors';
import { batchCounts } from './queue/counts';
import { waitingItems } from './queue/summary';

interface BatchRow {
  key: number;
  id: string;
  source_name: string | null;
  created_at: number;
  created_by: string | null;
  machine: string | null;
  action: Action;
  paused: number;
}

export function listBatches(
  db: Db,
  options: { reference?: string | undefined; limit?: number | undefined; offset?: number | undefined } = {},
): { batches: HistoryBatch[]; total: number } {
  const limit = options.limit ?? 100;
  const offset = options.offset ?? 0;
  const ids = options.reference ? batchesHolding(db, options.reference) : null;
  // A batch another process is still importing is not history yet: its counts would be partial.
  const where = `WHERE importing IS NULL${ids ? ' AND id IN (SELECT value FROM json_each(?))' : ''}`;
  const args = ids ? [JSON.stringify(ids)] : [];
  const { total } = db.prepare(`SELECT COUNT(*) AS total FROM batches ${where}`).get(...args) as { total: number };
  const rows = db
    .prepare(
      `SELECT key, id, source_name, created_at, created_by, machine, action, paused FROM batches ${where} ORDER BY created_at DESC, id LIMIT ? OFFSET ?`,
    )
    .all(...args, limit, offset) as BatchRow[];
  const accountsOf = db.prepare(
    'SELECT DISTINCT a.name FROM items i JOIN accounts a ON a.key = i.account_key WHERE i.batch_key = ? ORDER BY a.name COLLATE NOCASE',
  );
  const batches = rows.map((row): HistoryBatch => {
    const counts = batchCounts(db, row.id);
    return {
      id: row.id,
      sourceName: row.source_name,
      createdAt: new Date(row.created_at).toISOString(),
      createdBy: row.created_by,
      machine: row.machine,
      accounts: (accountsOf.all(row.key) as { name: string }[]).map((a) => a.name),
      action: row.action,
      total: totalCount(counts),
      counts,
      state: waitingCount(counts) === 0 ? 'finished' : row.paused ? 'paused' : 'sending',
    };
  });
  return { batches, total };
}

/** The spellings a clerk may type for a stored reference (Electio is stored upper-case, the others lower). */
function spellings(reference: string): string[] {
  const trimmed = reference.trim();
  return [...new Set([trimmed, trimmed.toUpperCase(), trimmed.toLowerCase()])];
}

function batchesHolding(db: Db, reference: string): string[] {
  return [...new Set(findReference(db, reference).map((hit) => hit.batchId))];
}

/** Every item of that reference, newest first: exact matches, or else those starting with it. Uses the reference index. */
export function findReference(db: Db, reference: string, limit = 200): ReferenceHit[] {
  const select = `SELECT i.id, b.id AS batch_id, b.source_name, b.created_at, i.reference, i.provider, a.name AS account, i.state, i.reason,
                         i.message, i.completed_at
                  FROM items i JOIN batches b ON b.key = i.batch_key LEFT JOIN accounts a ON a.key = i.account_key`;
  const exact = db.prepare(`${select} WHERE i.reference IN (SELECT value FROM json_each(?)) ORDER BY b.created_at DESC LIMIT ?`);
  let rows = exact.all(JSON.stringify(spellings(reference)), limit) as HitRow[];
  if (rows.length === 0) {
    const prefix = db.prepare(
      `${select} WHERE i.reference >= ? AND i.reference < ? ORDER BY i.reference, b.created_at DESC LIMIT ?`,
    );
    rows = spellings(reference)
      .flatMap((start) => prefix.all(start, `${start}\uffff`, limit) as HitRow[])
      .slice(0, limit);
  }
  return rows.map((row) => ({
    batchId: row.batch_id,
    sourceName: row.source_name,
    createdAt: new Date(row.created_at).toISOString(),
    itemId: row.id,
    reference: row.reference,
    provider: row.provider,
    account: row.account ?? '(removed account)',
    state: row.state,
    reason: row.reason,
    message: row.message ?? '',
    completedAt: row.completed_at === null ? null : new Date(row.completed_at).toISOString(),
  }));
}

interface HitRow {
  id: number;
  batch_id: string;
  source_name: string | null;
  created_at: number;
  reference: string;
  provider: ProviderId;
  account: string | null;
  state: ItemState;
  reason: Reason | null;
  message: string | null;
  completed_at: number | null;
}

/** Deletes a batch's items and attempts, only once none of them waits or is being sent. */
export function deleteBatch(db: Db, batchId: string): void {
  db.transaction(() => {
    const waiting = waitingItems(db, { batchId });
    if (waiting > 0) {
      throw new AppError(
        'conflict',
        `This batch still has ${waiting} item(s) waiting to be sent. Stop it or let it finish, then delete its history.`,
      );
    }
    if (db.prepare('DELETE FROM batches WHERE id = ?').run(batchId).changes === 0)
      throw new AppError('not_found', 'That batch does not exist.');
  }).immediate();
}
