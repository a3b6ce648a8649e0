/**
 * The claims in a runner's hands, waiting for a request: claimed from the queue in blocks, taken a
 * request's worth at a time, checked again before sending when older than a heartbeat, and given
 * back to the queue when their account cannot be sent to or the run ends.
 */
import type { Db } from '../db/open';
import { PROVIDERS } from '../providers/catalog';
import type { RunOptions } from './run-options';
import { claimItems, releaseClaims, renewClaims, type ClaimedItem } from './store';
import type { ResultWriter } from './writer';

/** A claim in this runner's hands, and when (by `now()`) it was last known to be still its own. */
export interface Claim extends ClaimedItem {
  checkedAt: number;
}

export interface ClaimsBuffer {
  readonly size: number;
  /** Claims a block of due items, leaving out the accounts `excluded` names when the claim is written. */
  refill(): Promise<void>;
  /** The next request's items: same account, up to the chunk size where the provider takes lists, in import order. */
  nextChunk(): Claim[];
  /**
   * The claims of this chunk that are still this runner's, when one of them has not been checked for
   * a heartbeat: the buffer's claims are checked in the same write, and all that are held get a new lease.
   */
  stillMine(chunk: Claim[]): Promise<Claim[]>;
  /** Returns these claims to the queue, as they were. */
  release(claims: readonly Claim[]): Promise<void>;
  /** Takes this account's items out of the buffer and back to the queue, as they were. */
  giveBack(accountId: string): Promise<void>;
  /** At the end of the run, directly rather than through the writer (which may have failed). */
  releaseRest(): void;
}

export interface ClaimsParts {
  db: Db;
  writer: ResultWriter;
  batchId: string;
  owner: string;
  now: () => number;
  excluded: () => string[];
  options: Pick<RunOptions, 'concurrency' | 'chunkSize' | 'leaseMs' | 'heartbeatMs'>;
}

export function claimsBuffer(parts: ClaimsParts): ClaimsBuffer {
  const { db, writer, batchId, owner, now, excluded, options } = parts;
  let buffer: Claim[] = [];
  const limit = blockSize(db, batchId, options);
  const release = (claims: readonly Claim[]) => writer.writeWith(() => releaseClaims(db, claims));
  return {
    get size() {
      return buffer.length;
    },
    // A claim is a disk sync of its own: it goes with the results waiting to be written.
    async refill() {
      const at = now();
      const claimed = await writer.writeWith(() =>
        claimItems(db, { batchId, owner, limit, now: at, leaseMs: options.leaseMs, excludeAccounts: excluded() }),
      );
      for (const item of claimed) buffer.push({ ...item, checkedAt: at });
    },
    nextChunk() {
      const first = buffer[0];
      if (!first) return [];
      if (!PROVIDERS[first.provider].bulk) return [buffer.shift() as Claim];
      const chunk: Claim[] = [];
      const rest: Claim[] = [];
      for (const item of buffer) {
        if (chunk.length < options.chunkSize && item.accountId === first.accountId) chunk.push(item);
        else rest.push(item);
      }
      buffer = rest;
      return chunk;
    },
    async stillMine(chunk) {
      const at = now();
      if (chunk.every((item) => at - item.checkedAt <= options.heartbeatMs)) return chunk;
      const claims = [...chunk, ...buffer];
      const mine = await writer.writeWith(() => renewClaims(db, claims, at + options.leaseMs));
      for (const item of claims) item.checkedAt = at;
      // Only the claims this renewal asked about can be found lost: a refill during the write added others.
      const asked = new Set(claims.map((item) => item.id));
      buffer = buffer.filter((item) => !asked.has(item.id) || mine.has(item.id));
      return chunk.filter((item) => mine.has(item.id));
    },
    release,
    async giveBack(accountId) {
      const mine = buffer.filter((item) => item.accountId === accountId);
      buffer = buffer.filter((item) => item.accountId !== accountId);
      if (mine.length) await release(mine);
    },
    releaseRest() {
      try {
        if (buffer.length) releaseClaims(db, buffer);
      } catch {
        // The database refuses writes (disk full): these claims are released when the app next starts.
      }
      buffer = [];
    },
  };
}

/**
 * Claims go in blocks (one transaction for many items); a block fills Electio's lists when the
 * batch has Electio items, and is otherwise eight requests per slot: few syncs, and paced items
 * are not held long.
 */
function blockSize(db: Db, batchId: string, options: Pick<RunOptions, 'concurrency' | 'chunkSize'>): number {
  const hasBulk = db
    .prepare(
      `SELECT 1 FROM items WHERE batch_key = (SELECT key FROM batches WHERE id = ?) AND state = 'queued'
         AND provider IN (SELECT value FROM json_each(?)) LIMIT 1`,
    )
    .get(batchId, JSON.stringify(Object.entries(PROVIDERS).flatMap(([id, facts]) => (facts.bulk ? [id] : []))));
  return Math.max(32, options.concurrency * (hasBulk ? options.chunkSize : 8));
}
