/**
 * One request of a run: waits for the account's pace, checks that its claims are still this runner's,
 * sends them and hands the items' updates to the writer. The answers also say how the account is:
 * unreachable (offline, probed later), key refused (held for the clerk), or asked to slow down (a
 * 429's Retry-After holds the account's pace); and each request's answer and latency move the
 * account's automatic pace. Items of an offline or held account are given back.
 */
import { getAccount } from '../accounts';
import type { Db } from '../db/open';
import { describeError } from '../errors';
import type { Answer } from '../providers/outcome';
import type { Claim, ClaimsBuffer } from './claims-buffer';
import type { OfflineAccounts } from './offline';
import { paceSignal, type PaceSignal } from './pace-rule';
import type { AccountAttention, RunnerDeps, RunOptions } from './run-options';
import type { Sender } from './senders';
import { retryAfterMs, unexpectedProblem, updatesFor } from './updates';
import type { ResultWriter, WhileBusy } from './writer';

export interface RequestParts {
  db: Db;
  deps: Pick<RunnerDeps, 'now' | 'random' | 'onAnswers'>;
  options: RunOptions;
  senderFor: (accountId: string) => Promise<Sender>;
  claims: ClaimsBuffer;
  writer: ResultWriter;
  busy: WhileBusy;
  offline: OfflineAccounts;
  /** Accounts held for the clerk (key missing or refused): nothing more of theirs is sent in this run. */
  held: Map<string, AccountAttention>;
}

/** Sends one request's claims (one account's); what it cannot store it throws, and the run stops. */
export function requestSender(parts: RequestParts): (claimed: Claim[]) => Promise<void> {
  const { db, deps, options, senderFor, claims, writer, busy, offline, held } = parts;
  const { signal } = options;

  const hold = (accountId: string, accountName: string, message: string) => {
    if (!held.has(accountId)) held.set(accountId, { accountId, accountName, message });
    return claims.giveBack(accountId);
  };

  /** What the answers say about their account: gone offline or back, key refused, asked to wait or free to go faster. */
  const heed = async (sender: Sender, answers: ReadonlyMap<number, Answer>, sentAt: number, at: number) => {
    const { account } = sender;
    const outcomes = [...answers.values()].map((answer) => answer.outcome);
    const signal = paceSignal(outcomes);
    const why = pushbackPhrase(signal, retryAfterMs(outcomes));
    await busy(() => sender.pace.observe({ sentAt, at, signal, why }));
    const unreachable = outcomes.find((outcome) => outcome.kind === 'offline');
    if (unreachable) {
      offline.wentOffline(account, unreachable.message);
      await claims.giveBack(account.id);
    } else offline.cameBack(account.id);
    const refused = outcomes.find((outcome) => outcome.kind === 'account');
    if (refused) await hold(account.id, account.name, refused.message);
    const waitFor = retryAfterMs(outcomes);
    if (waitFor > 0) await busy(() => sender.pace.holdUntil(at + Math.min(waitFor, options.retryAfterCapMs)));
  };

  return async (claimed) => {
    const first = claimed[0];
    if (!first) return;
    let sender: Sender;
    try {
      sender = await senderFor(first.accountId);
    } catch (error) {
      const account = getAccount(db, first.accountId);
      await claims.release(claimed);
      await hold(first.accountId, account?.name ?? first.accountId, describeError(error));
      return;
    }
    await busy(() => sender.pace.take());
    if (signal?.aborted || held.has(sender.account.id)) {
      await claims.release(claimed);
      return;
    }
    const chunk = await claims.stillMine(claimed);
    if (chunk.length === 0) return;
    let answers: Map<number, Answer>;
    const sentAt = deps.now();
    try {
      answers = await sender.client.cancel(chunk);
    } catch (error) {
      answers = unexpectedProblem(chunk, error);
    }
    deps.onAnswers?.(sender.account, answers);
    const at = deps.now();
    writer.add(updatesFor(chunk, answers, options, at, deps.random));
    await heed(sender, answers, sentAt, at);
  };
}

/** Why the carrier's answer slowed the pace, in the clerk's words. */
function pushbackPhrase(signal: PaceSignal, waitMs: number): string {
  if (signal === 'rate_limited') return `the carrier answered 429 (too many requests), wait ${Math.ceil(waitMs / 1000)} s`;
  return signal === 'unavailable' ? 'the carrier answered 503 (unavailable)' : '';
}
