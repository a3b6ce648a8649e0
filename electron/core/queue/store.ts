/**
 * The queue's persistence: batches and their items in SQLite. Items are written before anything
 * is sent (batch-writes.ts); a claim marks items in flight under a lease, the claimer's name and a
 * new claim number; a result, written only under the item's current claim, is what takes an item
 * out of the queue. Every write here is one transaction for many items.
 */
import type { ApiLink, Action, ItemState, ProviderId, Reason } from '../../../shared/domain';
import { MAY_STILL_WORK, type RetryScope } from '../../../shared/domain';
import type { Db } from '../db/open';
import { preparedOnce } from '../db/statements';
import type { RequestRecord } from '../providers/outcome';
import { countMoves, type Moves } from './counts';

export interface ClaimedItem {
  id: number;
  /** Its batch's integer key (the batch's counts are kept by it, counts.ts). */
  batchKey: number;
  seq: number;
  reference: string;
  provider: ProviderId;
  accountId: string;
  action: Action;
  attempts: number;
  externalOrderId: string | null;
  externalShipmentId: string | null;
  /** The step a two-step action has already done (`cancelled` before a delete). */
  step: string | null;
  /** An earlier request for it may have reached the provider (a crash, a timeout). */
  maybeSent: boolean;
  /** This claim's number: only while the item is still in flight under it may its holder write or release it. */
  claim: number;
}

/** What names one claim of one item. */
export type ClaimToken = Pick<ClaimedItem, 'id' | 'claim'>;

export interface ClaimRequest {
  batchId: string;
  owner: string;
  limit: number;
  now: number;
  leaseMs: number;
  /** Accounts whose items must stay queued (e.g. their key was refused). */
  excludeAccounts: readonly string[];
}

/** Atomically moves up to `limit` due items to in_flight under a lease, in import order; none from a paused batch or one still being imported. */
export function claimItems(db: Db, request: ClaimRequest): ClaimedItem[] {
  const excluded = JSON.stringify(request.excludeAccounts);
  const rows = preparedOnce(
    db,
    `UPDATE items SET state = 'in_flight', lease_until = ?, claimed_by = ?, claim = claim + 1
       WHERE id IN (
         SELECT id FROM items
         WHERE batch_key = (SELECT key FROM batches WHERE id = ? AND paused = 0 AND importing IS NULL)
           AND state = 'queued' AND next_attempt_at <= ?
           AND account_key NOT IN (SELECT key FROM accounts WHERE id IN (SELECT value FROM json_each(?)))
         ORDER BY seq LIMIT ?)
       RETURNING id, batch_key AS batchKey, seq, reference, provider, (SELECT id FROM accounts WHERE key = account_key) AS accountId, action,
         attempts - round_start AS attempts,
         external_order_id AS externalOrderId, external_shipment_id AS externalShipmentId, step, maybe_sent AS maybeSent, claim`,
  ).all(request.now + request.leaseMs, request.owner, request.batchId, request.now, excluded, request.limit) as (Omit<
    ClaimedItem,
    'maybeSent'
  > & { maybeSent: number })[];
  return rows.map((row) => ({ ...row, maybeSent: row.maybeSent === 1 })).sort((a, b) => a.seq - b.seq);
}

/** Puts claimed items that were never sent back in the queue, as they were; a claim taken over since is left alone. */
export function releaseClaims(db: Db, claims: readonly ClaimToken[]): void {
  const release = preparedOnce(
    db,
    `UPDATE items SET state = 'queued', lease_until = NULL, claimed_by = NULL WHERE id = ? AND claim = ? AND state = 'in_flight'`,
  );
  db.transaction(() => {
    for (const { id, claim } of claims) release.run(id, claim);
  }).immediate();
}

/**
 * A claimer back from a long pause (a stopped process, a machine asleep) asks which of its claims it
 * still holds before sending: those get a new lease; the others were taken back, and are not its to send.
 */
export function renewClaims(db: Db, claims: readonly ClaimToken[], leaseUntil: number): Set<number> {
  const renew = preparedOnce(db, `UPDATE items SET lease_until = ? WHERE id = ? AND claim = ? AND state = 'in_flight'`);
  const held = new Set<number>();
  db.transaction(() => {
    for (const { id, claim } of claims) if (renew.run(leaseUntil, id, claim).changes > 0) held.add(id);
  }).immediate();
  return held;
}

/**
 * Claims whose lease ran out, or whose claimer's process is gone, belong to nobody: their items go
 * back to the queue at once, marked as maybe sent, since a request may have reached the provider
 * before its claimer died. `isAlive` answers for a claimer name (see claimer.ts). Their claim numbers
 * end here: the next claim numbers the item anew, so a claimer that was only stopped, not dead,
 * finds on waking that it holds nothing (see renewClaims and recordResults).
 */
export function releaseAbandonedClaims(db: Db, now: number, isAlive: (claimer: string) => boolean): number {
  const release = db.prepare(
    `UPDATE items SET state = 'queued', lease_until = NULL, claimed_by = NULL, maybe_sent = 1
     WHERE state = 'in_flight' AND claimed_by IS ?`,
  );
  return db
    .transaction(() => {
      const claimers = db
        .prepare(
          `SELECT claimed_by AS claimer, MAX(lease_until) AS lease FROM items WHERE state = 'in_flight' GROUP BY claimed_by`,
        )
        .all() as { claimer: string | null; lease: number | null }[];
      let released = 0;
      for (const { claimer, lease } of claimers) {
        if (claimer === null || (lease ?? 0) < now || !isAlive(claimer)) released += release.run(claimer).changes;
      }
      return released;
    })
    .immediate();
}

export function setPaused(db: Db, batchId: string, paused: boolean): void {
  db.prepare('UPDATE batches SET paused = ? WHERE id = ?').run(paused ? 1 : 0, batchId);
}

/** Asked after every finished request. */
export function isPaused(db: Db, batchId: string): boolean {
  return (
    (preparedOnce(db, 'SELECT paused FROM batches WHERE id = ?').get(batchId) as { paused: number } | undefined)?.paused === 1
  );
}

/** The clerk stops a batch: what has not been sent is never sent, and says so. */
export function stopQueued(db: Db, batchId: string, now: number): number {
  return moveItems(db, batchId, (key) => {
    const stopped = db
      .prepare(
        `UPDATE items SET state = 'stopped', reason = NULL, message = 'Stopped by the clerk before it was sent.', completed_at = ?
         WHERE batch_key = ? AND state = 'queued'`,
      )
      .run(now, key).changes;
    return { moved: stopped, moves: { waiting: -stopped, stopped } };
  });
}

/**
 * Failed items get a new round of attempts in the same batch; their earlier attempts stay recorded.
 * `may-work` sends again only those whose reason may still succeed (see MAY_STILL_WORK).
 */
export function requeueFailed(db: Db, batchId: string, scope: RetryScope = 'all'): number {
  const reasons = scope === 'all' ? '' : 'AND (reason IS NULL OR reason IN (SELECT value FROM json_each(?)))';
  const params = scope === 'all' ? [] : [JSON.stringify(MAY_STILL_WORK)];
  return moveItems(db, batchId, (key) => {
    const requeued = db
      .prepare(
        `UPDATE items SET state = 'queued', round_start = attempts, next_attempt_at = 0, reason = NULL, message = NULL,
           http_status = NULL, completed_at = NULL
         WHERE batch_key = ? AND state = 'failed' ${reasons}`,
      )
      .run(key, ...params).changes;
    return { moved: requeued, moves: { failed: -requeued, waiting: requeued } };
  });
}

/** Moves a batch's items (`move` gets its key) and counts the moves, in one transaction; how many moved. */
function moveItems(db: Db, batchId: string, move: (batchKey: number) => { moved: number; moves: Moves }): number {
  return db
    .transaction(() => {
      const key = db.prepare('SELECT key FROM batches WHERE id = ?').pluck().get(batchId) as number | undefined;
      if (key === undefined) return 0;
      const { moved, moves } = move(key);
      countMoves(db, key, moves);
      return moved;
    })
    .immediate();
}

/** One attempt: the requests it made (each recorded) and what it meant for the item. */
export interface AttemptRecord {
  requests: readonly RequestRecord[];
  outcome: string;
  reason: Reason | null;
}

export interface ItemUpdate {
  itemId: number;
  /** The item's batch (ClaimedItem.batchKey): an outcome it reaches is counted there. */
  batchKey: number;
  /** The claim the request was sent under: the update is kept only if it is still the item's current claim. */
  claim: number;
  state: Extract<ItemState, 'queued' | 'succeeded' | 'failed' | 'pending'>;
  reason: Reason | null;
  message: string;
  httpStatus: number | null;
  apiLinks: ApiLink[] | null;
  /** For a queued item, when it may be sent again. */
  nextAttemptAt: number;
  completedAt: number | null;
  /** The request this update comes from; null when no request counted as an attempt. */
  attempt: AttemptRecord | null;
  /** The step now done (a cancel before its delete); undefined leaves it as it was. */
  step?: string | undefined;
  /** The request may have reached the provider without an answer (timeout, reset). */
  maybeSent?: boolean | undefined;
}

/** An attempt answered under a claim that had ended: kept in the audit trail, never as the item's result. */
export const LATE_OUTCOME = 'late';

/**
 * Writes many results in one transaction: the group commit that keeps disk syncs per batch of items.
 * Only the holder of an item's current claim writes its result; a late answer (its claim was taken
 * back while its sender was stopped) is recorded as a `late` attempt and changes nothing else.
 */
export function recordResults(db: Db, updates: readonly ItemUpdate[]): void {
  const update = preparedOnce(
    db,
    `UPDATE items SET state = ?, reason = ?, message = ?, http_status = ?, api_links = ?, next_attempt_at = ?,
       completed_at = ?, attempts = attempts + ?, lease_until = NULL, claimed_by = NULL,
       step = COALESCE(?, step), maybe_sent = MAX(maybe_sent, ?)
     WHERE id = ? AND claim = ? AND state = 'in_flight'`,
  );
  const insertAttempt = preparedOnce(
    db,
    `INSERT INTO attempts (item_id, started_at, duration_ms, endpoint, http_status, outcome, reason, message)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    // The items that left `waiting`, by batch and outcome: one update per outcome of the group (counts.ts).
    const moved = new Map<number, Moves>();
    for (const u of updates) {
      const { changes } = update.run(
        u.state,
        u.reason,
        u.message,
        u.httpStatus,
        u.apiLinks ? JSON.stringify(u.apiLinks) : null,
        u.nextAttemptAt,
        u.completedAt,
        u.attempt ? 1 : 0,
        u.step ?? null,
        u.maybeSent ? 1 : 0,
        u.itemId,
        u.claim,
      );
      if (changes > 0 && u.state !== 'queued') {
        let moves = moved.get(u.batchKey);
        if (!moves) moved.set(u.batchKey, (moves = {}));
        moves.waiting = (moves.waiting ?? 0) - 1;
        moves[u.state] = (moves[u.state] ?? 0) + 1;
      }
      for (const request of u.attempt?.requests ?? []) {
        insertAttempt.run(
          u.itemId,
          request.startedAt,
          request.durationMs,
          request.endpoint,
          request.httpStatus,
          changes > 0 ? u.attempt?.outcome : LATE_OUTCOME,
          u.attempt?.reason,
          request.message,
        );
      }
    }
    for (const [batchKey, moves] of moved) countMoves(db, batchKey, moves);
  }).immediate();
}

/** When the next queued item of the batch becomes due, or null when none is queued (outside excluded accounts). */
export function nextDueAt(db: Db, batchId: string, excludeAccounts: readonly string[]): number | null {
  const row = db
    .prepare(
      `SELECT MIN(next_attempt_at) AS due FROM items
       WHERE batch_key = (SELECT key FROM batches WHERE id = ?) AND state = 'queued'
         AND account_key NOT IN (SELECT key FROM accounts WHERE id IN (SELECT value FROM json_each(?)))`,
    )
    .get(batchId, JSON.stringify(excludeAccounts)) as { due: number | null };
  return row.due;
}

/** Batches with items still waiting to be sent, not paused and wholly imported: what a restart resumes. */
export function batchesWaiting(db: Db): string[] {
  const rows = db
    .prepare(
      `SELECT id FROM batches b
       WHERE paused = 0 AND importing IS NULL AND EXISTS (SELECT 1 FROM items i WHERE i.batch_key = b.key AND i.state = 'queued') ORDER BY key`,
    )
    .all() as { id: string }[];
  return rows.map((row) => row.id);
}
