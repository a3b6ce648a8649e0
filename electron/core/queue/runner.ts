/**
 * Drains a batch: claims due items in blocks, sends them with bounded concurrency through each
 * account's provider client, and hands every answer to the group-commit writer. Retryable answers
 * go back to the queue with exponential backoff and full jitter (honouring Retry-After); an account
 * whose key is missing or refused is held, its items left queued, and reported for the clerk.
 */
import { getAccount, type Account } from '../accounts';
import type { CredentialStore } from '../credentials/store';
import type { Db } from '../db/open';
import { AppError, describeError } from '../errors';
import { createClient, type ProviderClient } from '../providers/client';
import { createHttp, type FetchLike } from '../providers/http';
import type { Answer } from '../providers/outcome';
import { batchCounts, claimItems, nextDueAt, releaseClaims, type ClaimedItem, type ItemUpdate } from './store';
import { resultWriter } from './writer';
import type { StateCounts } from '../../../shared/domain';

export interface RunnerDeps {
  db: Db;
  credentials: CredentialStore;
  fetch: FetchLike;
  now: () => number;
  random: () => number;
  /** Who claims: written with every claim so a crashed owner's items can be recognised. */
  owner: string;
  onProgress?: () => void;
}

export interface RunOptions {
  /** Requests in flight at once. */
  concurrency: number;
  /** Items per request where the provider has a bulk endpoint (Electio `cancellist`). */
  chunkSize: number;
  maxAttempts: number;
  /** Overall deadline of one request. */
  timeoutMs: number;
  /** A claim's lease; longer than any request's deadline so a live claim never expires. */
  leaseMs: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  retryAfterCapMs: number;
  signal?: AbortSignal;
}

export const DEFAULT_RUN_OPTIONS: RunOptions = {
  concurrency: 4,
  chunkSize: 100,
  maxAttempts: 5,
  timeoutMs: 30_000,
  leaseMs: 5 * 60_000,
  backoffBaseMs: 1_000,
  backoffCapMs: 60_000,
  retryAfterCapMs: 10 * 60_000,
};

export interface AccountAttention {
  accountId: string;
  accountName: string;
  message: string;
}

export interface RunReport {
  counts: StateCounts;
  /** Accounts whose items were left queued because their key is missing or was refused. */
  attention: AccountAttention[];
}

interface Sender {
  account: Account;
  client: ProviderClient;
}

export async function runBatch(deps: RunnerDeps, batchId: string, options: RunOptions = DEFAULT_RUN_OPTIONS): Promise<RunReport> {
  const { db, now, owner, signal } = { ...deps, signal: options.signal };
  const http = createHttp(deps.fetch, options.timeoutMs);
  const writer = resultWriter(db, () => deps.onProgress?.());
  const senders = new Map<string, Promise<Sender>>();
  const held = new Map<string, AccountAttention>();
  let buffer: ClaimedItem[] = [];
  const inFlight = new Set<Promise<void>>();

  const hold = (accountId: string, accountName: string, message: string) => {
    if (!held.has(accountId)) held.set(accountId, { accountId, accountName, message });
    const mine = buffer.filter((item) => item.accountId === accountId);
    buffer = buffer.filter((item) => item.accountId !== accountId);
    if (mine.length)
      releaseClaims(
        db,
        mine.map((item) => item.id),
        owner,
      );
  };

  const senderFor = (accountId: string): Promise<Sender> => {
    let sender = senders.get(accountId);
    if (!sender) {
      sender = (async () => {
        const account = getAccount(db, accountId);
        if (!account) throw new AppError('account_needs_attention', 'The account of these items was removed.');
        const secret = await deps.credentials.get(account.id);
        if (!secret) {
          throw new AppError(
            'account_needs_attention',
            `Account "${account.name}" has no API key saved. Add its key, then run the batch again.`,
          );
        }
        return { account, client: createClient(account, secret, { http, chunkSize: options.chunkSize, now }) };
      })();
      senders.set(accountId, sender);
    }
    return sender;
  };

  const refill = () => {
    const block = claimItems(db, {
      batchId,
      owner,
      limit: Math.max(options.concurrency * options.chunkSize, 32),
      now: now(),
      leaseMs: options.leaseMs,
      excludeAccounts: [...held.keys()],
    });
    buffer.push(...block);
  };

  /** The next request's items: same account, up to the chunk size, in import order. */
  const nextChunk = (limit: number): ClaimedItem[] => {
    const first = buffer[0];
    if (!first) return [];
    const chunk: ClaimedItem[] = [];
    const rest: ClaimedItem[] = [];
    for (const item of buffer) {
      if (chunk.length < limit && item.accountId === first.accountId) chunk.push(item);
      else rest.push(item);
    }
    buffer = rest;
    return chunk;
  };

  const send = async (chunk: ClaimedItem[]) => {
    const first = chunk[0];
    if (!first) return;
    let sender: Sender;
    try {
      sender = await senderFor(first.accountId);
    } catch (error) {
      const account = getAccount(db, first.accountId);
      releaseClaims(
        db,
        chunk.map((item) => item.id),
        owner,
      );
      hold(first.accountId, account?.name ?? first.accountId, describeError(error));
      return;
    }
    let answers: Map<number, Answer>;
    try {
      answers = await sender.client.cancel(chunk);
    } catch (error) {
      // A bug or an unexpected answer shape must not leave items stuck in flight.
      const at = now();
      answers = new Map(
        chunk.map((item) => [
          item.id,
          {
            outcome: {
              kind: 'retry',
              reason: 'provider_error',
              message: `Unexpected problem: ${describeError(error)}`,
              httpStatus: null,
            },
            endpoint: 'internal',
            startedAt: at,
            durationMs: 0,
          },
        ]),
      );
    }
    const updates: ItemUpdate[] = [];
    for (const item of chunk) {
      const answer = answers.get(item.id);
      if (answer) updates.push(toUpdate(item, answer, options, now(), deps.random));
    }
    const refused = [...answers.values()].find((answer) => answer.outcome.kind === 'auth');
    if (refused && refused.outcome.kind === 'auth') hold(sender.account.id, sender.account.name, refused.outcome.message);
    writer.add(updates);
  };

  while (!signal?.aborted) {
    while (inFlight.size < options.concurrency && !signal?.aborted) {
      if (buffer.length === 0) refill();
      const chunk = nextChunk(options.chunkSize);
      if (chunk.length === 0) break;
      const request: Promise<void> = send(chunk).finally(() => inFlight.delete(request));
      inFlight.add(request);
    }
    if (inFlight.size > 0) {
      await Promise.race(inFlight);
      continue;
    }
    writer.flush();
    const due = nextDueAt(db, batchId, [...held.keys()]);
    if (due === null) break;
    await sleep(Math.max(0, due - now()), signal);
  }
  await Promise.all(inFlight);
  if (buffer.length)
    releaseClaims(
      db,
      buffer.map((item) => item.id),
      owner,
    );
  buffer = [];
  writer.flush();
  return { counts: batchCounts(db, batchId), attention: [...held.values()] };
}

function toUpdate(item: ClaimedItem, answer: Answer, options: RunOptions, at: number, random: () => number): ItemUpdate {
  const { outcome } = answer;
  const attempt = {
    startedAt: answer.startedAt,
    durationMs: answer.durationMs,
    endpoint: answer.endpoint,
    httpStatus: outcome.httpStatus,
    outcome: outcome.kind === 'final' ? outcome.state : outcome.kind,
    reason: outcome.kind === 'auth' ? ('unauthorized' as const) : outcome.reason,
    message: outcome.message,
  };
  const base = { itemId: item.id, message: outcome.message, httpStatus: outcome.httpStatus, attempt };
  if (outcome.kind === 'final') {
    return {
      ...base,
      state: outcome.state,
      reason: outcome.reason,
      apiLinks: outcome.apiLinks,
      nextAttemptAt: 0,
      completedAt: at,
    };
  }
  if (outcome.kind === 'auth') {
    // The key was refused: the item waits in the queue for the clerk to fix the key.
    return { ...base, state: 'queued', reason: 'unauthorized', apiLinks: null, nextAttemptAt: 0, completedAt: null };
  }
  if (item.attempts + 1 >= options.maxAttempts) {
    const message = `${outcome.message} (gave up after ${item.attempts + 1} attempts)`;
    return { ...base, message, state: 'failed', reason: outcome.reason, apiLinks: null, nextAttemptAt: 0, completedAt: at };
  }
  const backoff = random() * Math.min(options.backoffCapMs, options.backoffBaseMs * 2 ** item.attempts);
  const wait = Math.max(backoff, Math.min(outcome.retryAfterMs ?? 0, options.retryAfterCapMs));
  return { ...base, state: 'queued', reason: outcome.reason, apiLinks: null, nextAttemptAt: at + wait, completedAt: null };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
