/**
 * Who sends an account's requests during a run: the account, its provider client (with the API key
 * from the keychain) and its pace. Made once per account, on its first request; a removed account
 * or a missing key is an error that holds the account for the clerk.
 */
import { getAccount, ratePerMinute, type Account } from '../accounts';
import type { CredentialStore } from '../credentials/store';
import type { Db } from '../db/open';
import { AppError } from '../errors';
import { PROVIDERS } from '../providers/catalog';
import { createClient, type ProviderClient } from '../providers/client';
import type { Http } from '../providers/http';
import { accountPace, type Pace } from './pace';
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
  options: Pick<RunOptions, 'pacing' | 'chunkSize'>;
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
    perMinute: options.pacing ? ratePerMinute(account) : Infinity,
    burst: PROVIDERS[account.provider].burst,
    now,
    sleep,
  });
  return { account, client: createClient(account, secret, { http, chunkSize: options.chunkSize, now }), pace };
}
