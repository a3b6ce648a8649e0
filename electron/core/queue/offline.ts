/**
 * Accounts found unreachable during a run (connection refused, DNS failure, no route). Their items
 * wait in the queue without spending attempts; the account is probed with backoff (nothing of it is
 * claimed until its probe is due, and its next request is the probe) and is back with its first
 * answer. Waking from sleep probes every offline account at once.
 */
import type { Account } from '../accounts';
import type { OfflineAccount, RunOptions } from './run-options';

interface Offline extends OfflineAccount {
  probeAt: number;
  backoffMs: number;
}

export interface OfflineAccounts {
  /** The account did not answer: its next probe waits twice as long as the last, up to the cap. */
  wentOffline(account: Account, message: string): void;
  /** The account answered. */
  cameBack(accountId: string): void;
  /** Probes every offline account now (the machine woke from sleep). */
  probeAllNow(): void;
  /** The accounts whose probe is not due at `at`: none of their items is claimed. */
  waiting(at: number): string[];
  /** Every offline account: their items are not due, only their probes. */
  accountIds(): string[];
  probeTimes(): number[];
  /** What the clerk is shown. */
  list(): OfflineAccount[];
}

/** `onChange` is told when an account goes offline or comes back, not when a probe fails again. */
export function offlineAccounts(
  options: Pick<RunOptions, 'probeBaseMs' | 'probeCapMs'>,
  now: () => number,
  onChange: () => void,
): OfflineAccounts {
  const offline = new Map<string, Offline>();
  return {
    wentOffline(account, message) {
      const at = now();
      const known = offline.get(account.id);
      const backoffMs = known ? Math.min(options.probeCapMs, known.backoffMs * 2) : options.probeBaseMs;
      offline.set(account.id, {
        accountId: account.id,
        accountName: account.name,
        since: known?.since ?? at,
        message,
        backoffMs,
        probeAt: at + backoffMs,
      });
      if (!known) onChange();
    },
    cameBack(accountId) {
      if (offline.delete(accountId)) onChange();
    },
    probeAllNow() {
      for (const account of offline.values()) account.probeAt = now();
    },
    waiting(at) {
      return [...offline.values()].filter((account) => account.probeAt > at).map((account) => account.accountId);
    },
    accountIds: () => [...offline.keys()],
    probeTimes: () => [...offline.values()].map((account) => account.probeAt),
    list: () =>
      [...offline.values()].map(({ accountId, accountName, since, message }) => ({ accountId, accountName, since, message })),
  };
}
