/**
 * Who sends an account's requests during a run: the account, its provider client (with the API key
 * from the keychain) and its pace. Made once per account, on its first request; a removed account
 * or a missing key is an error that holds the account for the clerk.
 */
import { PROVIDER_LABELS } from '../../../shared/domain';
import { getAccount, ratePerMinute, type Account } from '../accounts';
import type { CredentialStore } from '../credentials/store';
import type { Db } from '../db/open';
import { AppError } from '../errors';
import { PROVIDERS } from '../providers/catalog';
import { createClient, type ProviderClient } from '../providers/client';
import type { Http } from '../providers/http';
import { accountPace, type Pace } from './pace';
import type { PaceLimits } from './pace-rule';
import type { RunOptions } from './run-options';

export interface Sender {
  account: Account;
  client: ProviderClient;
  pace: Pace;
}

export interface SenderParts {
  db: Db;
  credentials: CredentialStore;
  http: Http;
  now: () => number;
  /** The run's sleep: a pace's wait ends early when the run is stopped. */
  sleep: (ms: number) => Promise<void>;
  options: Pick<RunOptions, 'pacing' | 'paceScale' | 'chunkSize'>;
}

/** The sender of each account, made on first use and kept for the run. */
export function senders(parts: SenderParts): (accountId: string) => Promise<Sender> {
  const made = new Map<string, Promise<Sender>>();
  return (accountId) => {
    let sender = made.get(accountId);
    if (!sender) {
      sender = makeSender(parts, accountId);
      made.set(accountId, sender);
    }
    return sender;
  };
}

async function makeSender(parts: SenderParts, accountId: string): Promise<Sender> {
  const { db, http, now, sleep, options } = parts;
  const account = getAccount(db, accountId);
  if (!account) throw new AppError('account_needs_attention', 'The account of these items was removed.');
  const secret = await parts.credentials.get(account.id);
  if (!secret) {
    throw new AppError(
      'account_needs_attention',
      `Account "${account.name}" has no API key saved. Add its key, then run the batch again.`,
    );
  }
  const pace = accountPace(db, account.id, {
    limits: options.pacing ? scaled(paceLimits(account), options.paceScale) : null,
    burst: paceBurst(account),
    now,
    sleep,
  });
  return { account, client: createClient(account, secret, { http, chunkSize: options.chunkSize, now }), pace };
}

/** How far an account's automatic pace may move: from its rate, up to its ceiling (10× the rate unless set) and any published limit. */
export function paceLimits(account: Account): PaceLimits {
  const start = ratePerMinute(account);
  const own = account.settings.paceCeilingPerMinute ?? start * CEILING_TIMES_START;
  // The carrier counts requests as they arrive, and the network bunches them: a margin under a published limit keeps its bucket from running dry.
  const published = (PROVIDERS[account.provider].publishedPerMinute ?? Infinity) * PUBLISHED_MARGIN;
  return {
    startPerMinute: start,
    ceilingPerMinute: Math.min(own, published),
    ceilingName: published <= own ? `just under ${PROVIDER_LABELS[account.provider]}’s published limit` : 'the account’s ceiling',
    // However often the carrier pushes back, a request still goes now and then to learn when it stops.
    floorPerMinute: Math.min(start, own, published, FLOOR_PER_MINUTE),
  };
}

/** How many requests go at once: a published burst with a margin, as for the published rate. */
export function paceBurst(account: Account): number {
  const { burst, publishedPerMinute } = PROVIDERS[account.provider];
  return publishedPerMinute === null ? burst : Math.max(1, Math.floor(burst * PUBLISHED_BURST_MARGIN));
}

/** The default ceiling of an automatic pace, in times its starting pace. */
export const CEILING_TIMES_START = 10;
const FLOOR_PER_MINUTE = 6;
const PUBLISHED_MARGIN = 0.97;
const PUBLISHED_BURST_MARGIN = 0.8;

/** Every pace of `limits` × `scale` (a bench measures the pace in seconds instead of minutes). */
function scaled(limits: PaceLimits, scale: number): PaceLimits {
  if (scale === 1) return limits;
  const { startPerMinute, ceilingPerMinute, floorPerMinute } = limits;
  return {
    ...limits,
    startPerMinute: startPerMinute * scale,
    ceilingPerMinute: ceilingPerMinute * scale,
    floorPerMinute: floorPerMinute * scale,
  };
}
