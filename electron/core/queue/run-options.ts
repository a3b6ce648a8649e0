/**
 * What a run of the queue is given (its dependencies and options) and what it reports back (offline
 * accounts, accounts held for the clerk, the counts at the end). Kept apart from the runner so its
 * parts can share these types without importing the runner.
 */
import type { StateCounts } from '../../../shared/domain';
import type { Account } from '../accounts';
import type { CredentialStore } from '../credentials/store';
import type { Db } from '../db/open';
import type { Transport } from '../providers/http';
import type { Answer } from '../providers/outcome';

export interface OfflineAccount {
  accountId: string;
  accountName: string;
  /** When the account was first found unreachable (epoch ms). */
  since: number;
  message: string;
}

export interface RunStatus {
  offline: OfflineAccount[];
  /** Since when (epoch ms) the run's writes wait for another program's lock on the data file; absent when they do not. */
  databaseBusySince?: number;
}

export interface RunnerDeps {
  db: Db;
  credentials: CredentialStore;
  transport: Transport;
  now: () => number;
  random: () => number;
  /** Who claims: written with every claim so a crashed owner's items can be recognised. */
  owner: string;
  onProgress?: () => void;
  /** Called when an account goes offline or comes back. */
  onStatus?: (status: RunStatus) => void;
  /** Subscribes to "probe now" (the machine woke from sleep); returns an unsubscribe function. */
  onWake?: (listener: () => void) => () => void;
  /** Every request's answers, as they come back (the log's line per attempt). */
  onAnswers?: (account: Account, answers: ReadonlyMap<number, Answer>) => void;
}

export interface RunOptions {
  /** Requests in flight at once. */
  concurrency: number;
  /** Items per request where the provider has a bulk endpoint (Electio `cancellist`). */
  chunkSize: number;
  /** Attempts per item and round before it fails with the last reason. */
  maxAttempts: number;
  /** Overall deadline of one request. */
  timeoutMs: number;
  /** A claim's lease; longer than any request's deadline so a live claim never expires. */
  leaseMs: number;
  /**
   * A claim not checked for this long is checked (and its lease renewed) before it is sent: the
   * process may have been stopped past its lease, and another runner may have taken the item over.
   */
  heartbeatMs: number;
  /** How long writes may wait for another program's lock on the data file before the run stops. */
  busyLimitMs: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  retryAfterCapMs: number;
  /** First and longest wait between probes of an offline account. */
  probeBaseMs: number;
  probeCapMs: number;
  /** Keep each account inside its request rate (off only to measure the app's own speed). */
  pacing: boolean;
  /** Every pace × this (1 but in benchmarks, which measure in seconds a pace meant for minutes). */
  paceScale: number;
  signal?: AbortSignal;
}

export const DEFAULT_RUN_OPTIONS: RunOptions = {
  concurrency: 4,
  chunkSize: 100,
  maxAttempts: 5,
  timeoutMs: 30_000,
  // Long enough for a block of claims waiting for a slow account's pace; a dead claimer is found by its pid.
  leaseMs: 15 * 60_000,
  heartbeatMs: 60_000,
  busyLimitMs: 5 * 60_000,
  backoffBaseMs: 1_000,
  backoffCapMs: 60_000,
  retryAfterCapMs: 10 * 60_000,
  probeBaseMs: 1_000,
  probeCapMs: 30_000,
  pacing: true,
  paceScale: 1,
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
  /** The batch was paused: its remaining items wait in the queue. */
  paused: boolean;
}
