/**
 * Drains a batch: claims due items in blocks, sends them with bounded concurrency through each
 * account's provider client, and hands every answer to the group-commit writer. Retryable answers
 * go back to the queue with exponential backoff and full jitter (honouring Retry-After); an account
 * whose key is missing or refused is held, its items left queued, and reported for the clerk.
 */
import { getAccount, ratePerMinute, type Account } from '../accounts';
import type { CredentialStore } from '../credentials/store';
import type { Db } from '../db/open';
import { AppError, describeError } from '../errors';
import { PROVIDERS } from '../providers/catalog';
import { createClient, type ProviderClient } from '../providers/client';
import { createHttp, type FetchLike } from '../providers/http';
import type { Answer } from '../providers/outcome';
import { tokenBucket, type Pace } from './pace';
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
  /** Keep each account inside its request rate (off only to measure the app's own speed). */
  pacing: boolean;
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
  pacing: true,
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
  pace: Pace | null;
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
        const pace = options.pacing
          ? tokenBucket(ratePerMinute(account), PROVIDERS[account.provider].burst, now, (ms) => sleep(ms, signal))
          : null;
        return { account, client: createClient(account, secret, { http, chunkSize: options.chunkSize, now }), pace };
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
    if (sender.pace) await sender.pace.take();
    if (signal?.aborted) {
      releaseClaims(
        db,
        chunk.map((item) => item.id),
        owner,
      );
      return;
    }
    let answers: Map<number, Answer>;
    try {
      answers = await sender.client.cancel(chunk);
    } catch (error) {
      // A bug or an unexpected answer shape must not leave items stuck in flight.
      const message = `Unexpected problem: ${describeError(error)}`;
      answers = new Map(
        chunk.map((item) => [
          item.id,
          { outcome: { kind: 'retry', reason: 'provider_error', message, httpStatus: null, maybeSent: true }, requests: [] },
        ]),
      );
    }
    const updates: ItemUpdate[] = [];
    for (const item of chunk) {
      const answer = answers.get(item.id);
      if (answer) updates.push(toUpdate(item, answer, options, now(), deps.random));
    }
    const held = [...answers.values()].find((answer) => answer.outcome.kind === 'account');
    if (held) hold(sender.account.id, sender.account.name, held.outcome.message);
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
    requests: answer.requests,
    outcome: outcome.kind === 'final' ? outcome.state : outcome.kind,
    reason: outcome.kind === 'account' ? null : outcome.reason,
  };
  const base = { itemId: item.id, message: outcome.message, httpStatus: outcome.httpStatus, attempt, step: outcome.step };
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
  if (outcome.kind === 'account') {
    // The account needs the clerk (key refused, integration unknown): the item waits in the queue.
    return {
      ...base,
      state: 'queued',
      reason: outcome.httpStatus === 401 || outcome.httpStatus === 403 ? 'unauthorized' : null,
      apiLinks: null,
      nextAttemptAt: 0,
      completedAt: null,
    };
  }
  const maybeSent = outcome.maybeSent ?? false;
  if (item.attempts + 1 >= options.maxAttempts) {
    const message = `${outcome.message} (gave up after ${item.attempts + 1} attempts)`;
    return {
      ...base,
      message,
      maybeSent,
      state: 'failed',
      reason: outcome.reason,
      apiLinks: null,
      nextAttemptAt: 0,
      completedAt: at,
    };
  }
  const backoff = random() * Math.min(options.backoffCapMs, options.backoffBaseMs * 2 ** item.attempts);
  const wait = Math.max(backoff, Math.min(outcome.retryAfterMs ?? 0, options.retryAfterCapMs));
  return {
    ...base,
    maybeSent,
    state: 'queued',
    reason: outcome.reason,
    apiLinks: null,
    nextAttemptAt: at + wait,
    completedAt: null,
  };
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
