/**
 * Drains a batch: claims due items in blocks, sends them with bounded concurrency through each
 * account's provider client at the account's pace, and hands every answer to the group-commit
 * writer. Retryable answers go back to the queue with exponential backoff and full jitter (a 429's
 * Retry-After holds the whole account); an offline account waits without spending attempts and
 * probes with backoff; an account whose key is missing or refused is held, its items left queued,
 * and reported for the clerk. A paused batch stops claiming and lets its requests in flight finish.
 * Claims are fenced: after a pause longer than a heartbeat (a stopped process, a machine asleep) a
 * claim is checked before it is sent, and a result is kept only under the item's current claim.
 * Every write waits out another process's write lock (a large import) for a bounded, reported time.
 */
import { getAccount, type Account } from '../accounts';
import { describeError } from '../errors';
import { PROVIDERS } from '../providers/catalog';
import { createHttp } from '../providers/http';
import type { Answer } from '../providers/outcome';
import { offlineAccounts } from './offline';
import { DEFAULT_RUN_OPTIONS, type AccountAttention, type RunnerDeps, type RunOptions, type RunReport } from './run-options';
import { senders, type Sender } from './senders';
import { batchCounts, claimItems, isPaused, nextDueAt, releaseClaims, renewClaims, type ClaimedItem } from './store';
import { retryAfterMs, unexpectedProblem, updatesFor } from './updates';
import { resultWriter, whileBusy } from './writer';

export {
  DEFAULT_RUN_OPTIONS,
  type AccountAttention,
  type OfflineAccount,
  type RunnerDeps,
  type RunOptions,
  type RunReport,
  type RunStatus,
} from './run-options';

/** How stale the pause flag may be: the clerk sees no difference, and a busy queue skips a read per request. */
const PAUSE_CHECK_MS = 50;

/** A claim in this runner's hands, and when (by `now()`) it was last known to be still its own. */
interface Claim extends ClaimedItem {
  checkedAt: number;
}

export async function runBatch(deps: RunnerDeps, batchId: string, options: RunOptions = DEFAULT_RUN_OPTIONS): Promise<RunReport> {
  const { db, now, owner } = deps;
  const { signal } = options;
  const http = createHttp(deps.transport, options.timeoutMs);
  let databaseBusySince: number | null = null;
  const busy = whileBusy({
    limitMs: options.busyLimitMs,
    now,
    onChange: (since) => {
      databaseBusySince = since;
      report();
    },
  });
  const writer = resultWriter(db, busy, () => deps.onProgress?.());
  const held = new Map<string, AccountAttention>();
  const offline = offlineAccounts(options, now, () => report());
  const inFlight = new Set<Promise<void>>();
  /** Wakes the loop when a request ends (a slot is free). */
  let slotFreed: (() => void) | null = null;
  /** What made a request fail (the database refused a write): the run stops with the first one. */
  const failures: unknown[] = [];
  let buffer: Claim[] = [];
  let paused = false;
  let interrupt: (() => void) | null = null;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        interrupt = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      interrupt = done;
    });
  const unsubscribe = deps.onWake?.(() => {
    offline.probeAllNow();
    interrupt?.();
  });

  const report = () => deps.onStatus?.({ offline: offline.list(), ...(databaseBusySince === null ? {} : { databaseBusySince }) });

  const release = (claims: readonly Claim[]) => writer.writeWith(() => releaseClaims(db, claims));

  /** Takes this account's items out of the local buffer and back to the queue, as they were. */
  const giveBack = async (accountId: string) => {
    const mine = buffer.filter((item) => item.accountId === accountId);
    buffer = buffer.filter((item) => item.accountId !== accountId);
    if (mine.length) await release(mine);
  };

  const hold = (accountId: string, accountName: string, message: string) => {
    if (!held.has(accountId)) held.set(accountId, { accountId, accountName, message });
    return giveBack(accountId);
  };

  const wentOffline = async (account: Account, message: string) => {
    offline.wentOffline(account, message);
    await giveBack(account.id);
  };

  const senderFor = senders({ db, credentials: deps.credentials, http, now, sleep, options });

  const excluded = () => {
    const at = now();
    return [...held.keys(), ...offline.waiting(at)];
  };

  // Claims go in blocks (one transaction for many items); a block fills Electio's lists when the
  // batch has Electio items, and is otherwise eight requests per slot: few syncs, and paced items
  // are not held long.
  const hasBulk = db
    .prepare(
      `SELECT 1 FROM items WHERE batch_key = (SELECT key FROM batches WHERE id = ?) AND state = 'queued'
         AND provider IN (SELECT value FROM json_each(?)) LIMIT 1`,
    )
    .get(batchId, JSON.stringify(Object.entries(PROVIDERS).flatMap(([id, facts]) => (facts.bulk ? [id] : []))));
  const blockSize = Math.max(32, options.concurrency * (hasBulk ? options.chunkSize : 8));
  // A claim is a disk sync of its own: it goes with the results waiting to be written.
  const refill = async () => {
    const at = now();
    const claimed = await writer.writeWith(() =>
      claimItems(db, { batchId, owner, limit: blockSize, now: at, leaseMs: options.leaseMs, excludeAccounts: excluded() }),
    );
    for (const item of claimed) buffer.push({ ...item, checkedAt: at });
  };

  /**
   * The claims of this chunk that are still this runner's, when one of them has not been checked for
   * a heartbeat: the buffer's claims are checked in the same write, and all that are held get a new lease.
   */
  const stillMine = async (chunk: Claim[]): Promise<Claim[]> => {
    const at = now();
    if (chunk.every((item) => at - item.checkedAt <= options.heartbeatMs)) return chunk;
    const claims = [...chunk, ...buffer];
    const mine = await writer.writeWith(() => renewClaims(db, claims, at + options.leaseMs));
    for (const item of claims) item.checkedAt = at;
    buffer = buffer.filter((item) => mine.has(item.id));
    return chunk.filter((item) => mine.has(item.id));
  };

  /** The next request's items: same account, up to the chunk size where the provider takes lists, in import order. */
  const nextChunk = (): Claim[] => {
    const first = buffer[0];
    if (!first) return [];
    if (!PROVIDERS[first.provider].bulk) return [buffer.shift() as Claim];
    const limit = options.chunkSize;
    const chunk: Claim[] = [];
    const rest: Claim[] = [];
    for (const item of buffer) {
      if (chunk.length < limit && item.accountId === first.accountId) chunk.push(item);
      else rest.push(item);
    }
    buffer = rest;
    return chunk;
  };

  const send = async (claimed: Claim[]) => {
    const first = claimed[0];
    if (!first) return;
    let sender: Sender;
    try {
      sender = await senderFor(first.accountId);
    } catch (error) {
      const account = getAccount(db, first.accountId);
      await release(claimed);
      await hold(first.accountId, account?.name ?? first.accountId, describeError(error));
      return;
    }
    await busy(() => sender.pace.take());
    if (signal?.aborted || held.has(sender.account.id)) {
      await release(claimed);
      return;
    }
    const chunk = await stillMine(claimed);
    if (chunk.length === 0) return;
    let answers: Map<number, Answer>;
    try {
      answers = await sender.client.cancel(chunk);
    } catch (error) {
      answers = unexpectedProblem(chunk, error);
    }
    deps.onAnswers?.(sender.account, answers);
    const at = now();
    writer.add(updatesFor(chunk, answers, options, at, deps.random));
    const outcomes = [...answers.values()].map((answer) => answer.outcome);
    const unreachable = outcomes.find((outcome) => outcome.kind === 'offline');
    if (unreachable) await wentOffline(sender.account, unreachable.message);
    else offline.cameBack(sender.account.id);
    const refused = outcomes.find((outcome) => outcome.kind === 'account');
    if (refused) await hold(sender.account.id, sender.account.name, refused.message);
    const waitFor = retryAfterMs(outcomes);
    if (waitFor > 0) await busy(() => sender.pace.holdUntil(at + Math.min(waitFor, options.retryAfterCapMs)));
  };

  // The pause flag lives in the database (the app and the CLI share it). Reading it is a read
  // transaction, so it is read at most every PAUSE_CHECK_MS, not on every request.
  let pauseCheckedAt = -Infinity;
  const pausedNow = () => {
    const at = performance.now();
    if (at - pauseCheckedAt < PAUSE_CHECK_MS) return false;
    pauseCheckedAt = at;
    return isPaused(db, batchId);
  };

  try {
    while (!signal?.aborted) {
      writer.check();
      if (pausedNow()) {
        paused = true;
        break;
      }
      while (inFlight.size < options.concurrency && !signal?.aborted) {
        if (buffer.length === 0) await refill();
        const chunk = nextChunk();
        if (chunk.length === 0) break;
        const request: Promise<void> = send(chunk)
          .catch((error: unknown) => void failures.push(error))
          .finally(() => {
            inFlight.delete(request);
            const wake = slotFreed;
            slotFreed = null;
            wake?.();
          });
        inFlight.add(request);
      }
      if (inFlight.size > 0) {
        await new Promise<void>((resolve) => (slotFreed = resolve));
        if (failures.length) throw failures[0];
        continue;
      }
      await writer.flush();
      const due = [nextDueAt(db, batchId, [...held.keys(), ...offline.accountIds()]), ...offline.probeTimes()].filter(
        (at): at is number => at !== null,
      );
      if (due.length === 0) break;
      await sleep(Math.max(0, Math.min(...due) - now()));
    }
    await Promise.all(inFlight);
    if (failures.length) throw failures[0];
  } finally {
    unsubscribe?.();
    await Promise.allSettled(inFlight);
    try {
      if (buffer.length) releaseClaims(db, buffer);
    } catch {
      // The database refuses writes (disk full): these claims are released when the app next starts.
    }
    buffer = [];
  }
  await writer.flush();
  return { counts: batchCounts(db, batchId), attention: [...held.values()], paused };
}
