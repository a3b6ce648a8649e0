/**
 * What a request's answers do to its items: each answer becomes the update written for its item
 * (a result, back to the queue with backoff and full jitter, or failed after the last attempt), and
 * the answers together say how long a 429 asked the account to wait.
 */
import { describeError } from '../errors';
import type { Answer, Outcome } from '../providers/outcome';
import type { RunOptions } from './run-options';
import type { ClaimedItem, ItemUpdate } from './store';

type Backoff = Pick<RunOptions, 'maxAttempts' | 'backoffBaseMs' | 'backoffCapMs' | 'retryAfterCapMs'>;

/** The updates for a request's items, in the request's order (each retry draws its jitter in turn). */
export function updatesFor(
  chunk: readonly ClaimedItem[],
  answers: ReadonlyMap<number, Answer>,
  options: Backoff,
  at: number,
  random: () => number,
): ItemUpdate[] {
  const updates: ItemUpdate[] = [];
  for (const item of chunk) {
    const answer = answers.get(item.id);
    if (answer) updates.push(toUpdate(item, answer, options, at, random));
  }
  return updates;
}

/** A bug or an unexpected answer shape must not leave items stuck in flight: they are retried. */
export function unexpectedProblem(chunk: readonly ClaimedItem[], error: unknown): Map<number, Answer> {
  const message = `Unexpected problem: ${describeError(error)}`;
  return new Map(
    chunk.map((item) => [
      item.id,
      { outcome: { kind: 'retry', reason: 'provider_error', message, httpStatus: null, maybeSent: true }, requests: [] },
    ]),
  );
}

/** The longest Retry-After of the rate-limited answers; 0 when none asked to wait. */
export function retryAfterMs(outcomes: readonly Outcome[]): number {
  return Math.max(
    0,
    ...outcomes.map((outcome) =>
      outcome.kind === 'retry' && outcome.reason === 'rate_limited' ? (outcome.retryAfterMs ?? 0) : 0,
    ),
  );
}

function toUpdate(item: ClaimedItem, answer: Answer, options: Backoff, at: number, random: () => number): ItemUpdate {
  const { outcome } = answer;
  if (outcome.kind === 'offline') {
    // Nothing reached the provider: the item waits for the connection and spends no attempt.
    return {
      itemId: item.id,
      batchKey: item.batchKey,
      claim: item.claim,
      state: 'queued',
      reason: 'network',
      message: outcome.message,
      httpStatus: null,
      apiLinks: null,
      nextAttemptAt: 0,
      completedAt: null,
      attempt: null,
      step: outcome.step,
    };
  }
  const attempt = {
    requests: answer.requests,
    outcome: outcome.kind === 'final' ? outcome.state : outcome.kind,
    reason: outcome.kind === 'account' ? null : outcome.reason,
  };
  const base = {
    itemId: item.id,
    batchKey: item.batchKey,
    claim: item.claim,
    message: outcome.message,
    httpStatus: outcome.httpStatus,
    attempt,
    step: outcome.step,
  };
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
    const reason = outcome.httpStatus === 401 || outcome.httpStatus === 403 ? 'unauthorized' : null;
    return { ...base, state: 'queued', reason, apiLinks: null, nextAttemptAt: 0, completedAt: null };
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
