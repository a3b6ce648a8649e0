/**
 * A new batch written to the queue: a batch and its items, in chunks of write transactions so a run in
 * another process is not held up by a long import, and the removal of a batch whose importer died
 * before its last chunk. Nothing is sent here; store.ts claims the items and records their results.
 */
import { randomUUID } from 'node:crypto';
import type { Action, ProviderId } from '../../../shared/domain';
import { withCheckpointAfter } from '../db/checkpoint';
import type { Db } from '../db/open';
import { preparedOnce } from '../db/statements';
import { AppError } from '../errors';
import { claimerName } from './claimer';
import { countMoves } from './counts';

export interface NewItem {
  row: number;
  reference: string;
  provider: ProviderId;
  accountId: string;
  action: Action;
  external: { orderId: string; shipmentId: string } | null;
}

export interface NewBatch {
  sourceName: string | null;
  action: Action;
  /** One item per reference: the importer has already collapsed duplicates. */
  items: readonly NewItem[];
  createdBy: string | null;
  machine: string | null;
  now: number;
}

const ITEM_COLUMNS = `INSERT INTO items (batch_key, seq, reference, source_row, provider, account_key, action, created_at,
  external_order_id, external_shipment_id, state) VALUES `;
const ITEM_VALUES = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued')";
const VALUES_PER_ROW = 10;
/** Items per insert statement: one call into SQLite for many rows costs far less than one call per row. */
const ROWS_PER_INSERT = 200;
const insertSql = (rows: number) => ITEM_COLUMNS + Array.from({ length: rows }, () => ITEM_VALUES).join(', ');
const FULL_INSERT = insertSql(ROWS_PER_INSERT);
/**
 * Items per write transaction of an import (a whole number of inserts): each commit holds the write
 * lock a fraction of a second, so a run in another process writes its results between two chunks
 * instead of waiting for the whole import.
 */
export const ROWS_PER_COMMIT = 100 * ROWS_PER_INSERT;

/**
 * Writes a batch and its items in chunks of ROWS_PER_COMMIT. The batch names its importer until its
 * last chunk is in, and no runner takes a batch so named; an import that fails is removed, and one
 * whose process died is removed when the file is next opened (discardUnfinishedImports).
 */
export function createBatch(db: Db, batch: NewBatch): string {
  const id = randomUUID();
  withCheckpointAfter(db, () => createBatchRows(db, id, batch));
  return id;
}

function createBatchRows(db: Db, id: string, batch: NewBatch): void {
  const { items } = batch;
  let batchKey: number | bigint | undefined;
  try {
    for (let start = 0; start === 0 || start < items.length; start += ROWS_PER_COMMIT) {
      db.transaction(() => {
        batchKey ??= db
          .prepare(
            'INSERT INTO batches (id, source_name, action, created_at, created_by, machine, importing) VALUES (?, ?, ?, ?, ?, ?, ?)',
          )
          .run(
            id,
            batch.sourceName,
            batch.action,
            batch.now,
            batch.createdBy,
            batch.machine,
            claimerName('import'),
          ).lastInsertRowid;
        const end = Math.min(items.length, start + ROWS_PER_COMMIT);
        insertItems(db, batchKey, batch, start, end);
        countMoves(db, batchKey, { waiting: end - start });
        if (start + ROWS_PER_COMMIT >= items.length)
          db.prepare('UPDATE batches SET importing = NULL WHERE key = ?').run(batchKey);
      }).immediate();
    }
  } catch (error) {
    if (batchKey !== undefined) {
      try {
        db.prepare('DELETE FROM batches WHERE key = ?').run(batchKey);
      } catch {
        // The database refuses writes (disk full): the batch still names its importer, and goes when the file is next opened.
      }
    }
    throw error;
  }
}

/** Inserts items `from` to `to` (exclusive) of the batch, many rows per statement. */
function insertItems(db: Db, batchKey: number | bigint, batch: NewBatch, from: number, to: number): void {
  const accountKeys = new Map<string, number>();
  const accountKey = (accountId: string): number => {
    let key = accountKeys.get(accountId);
    if (key === undefined) {
      key = preparedOnce(db, 'SELECT key FROM accounts WHERE id = ?').pluck().get(accountId) as number | undefined;
      if (key === undefined) throw new AppError('not_found', 'An account chosen for these items no longer exists.');
      accountKeys.set(accountId, key);
    }
    return key;
  };
  const { items } = batch;
  const values: unknown[] = [];
  for (let seq = from; seq < to; seq++) {
    const item = items[seq] as NewItem;
    const external = item.external;
    values.push(
      batchKey,
      seq,
      item.reference,
      item.row,
      item.provider,
      accountKey(item.accountId),
      item.action,
      batch.now,
      external ? external.orderId : null,
      external ? external.shipmentId : null,
    );
    const rows = values.length / VALUES_PER_ROW;
    if (rows === ROWS_PER_INSERT || seq === to - 1) {
      // The full-size statement is kept; a last, shorter one is used once.
      (rows === ROWS_PER_INSERT ? preparedOnce(db, FULL_INSERT) : db.prepare(insertSql(rows))).run(values);
      values.length = 0;
    }
  }
}

/**
 * Batches whose importer died before their last chunk: half written, never run; removed. A live
 * importer's batch (another process importing now) is left alone. `isAlive` answers for an importer's name.
 */
export function discardUnfinishedImports(db: Db, isAlive: (importer: string) => boolean): number {
  return db
    .transaction(() => {
      const unfinished = db.prepare('SELECT key, importing FROM batches WHERE importing IS NOT NULL').all() as {
        key: number;
        importing: string;
      }[];
      const discard = db.prepare('DELETE FROM batches WHERE key = ?');
      let discarded = 0;
      for (const batch of unfinished) if (!isAlive(batch.importing)) discarded += discard.run(batch.key).changes;
      return discarded;
    })
    .immediate();
}
