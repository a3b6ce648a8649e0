/**
 * What the log says about the work, shared by the app's service and the CLI: one line per request
 * sent (provider, account, endpoint, HTTP status, duration, what it meant for its items), accounts
 * going offline and coming back, and the secrets to scrub, registered as they are read or saved.
 */
import type { Account } from './accounts';
import type { CredentialStore } from './credentials/store';
import type { Log } from './log';
import type { Answer, Outcome, RequestRecord } from './providers/outcome';
import { splitSecret } from './providers/sendcloud-auth';
import type { RunnerDeps, RunStatus } from './queue/runner';

/** The store, with every secret it reads or saves (and a Sendcloud key's two halves) registered with the log. */
export function registeringSecrets<T extends CredentialStore & { keepForSession?(accountId: string, secret: string): void }>(
  store: T,
  log: Log,
): T {
  const register = (secret: string | null) => {
    if (secret) for (const part of [secret, ...Object.values(splitSecret(secret) ?? {})]) log.addSecret(part);
  };
  const keepForSession = store.keepForSession?.bind(store);
  return {
    ...store,
    async get(accountId: string) {
      const secret = await store.get(accountId);
      register(secret);
      return secret;
    },
    set(accountId: string, secret: string) {
      register(secret);
      return store.set(accountId, secret);
    },
    ...(keepForSession && {
      keepForSession(accountId: string, secret: string) {
        register(secret);
        keepForSession(accountId, secret);
      },
    }),
  };
}

/** What the log says about an account: never its key. */
export function accountFacts(account: Account): Record<string, unknown> {
  return {
    name: account.name,
    provider: account.provider,
    baseUrl: account.baseUrl,
    auth: account.settings.authKind,
    integration: account.settings.integrationId,
  };
}

/** The runner's hooks that log a batch's requests and its accounts' connection. */
export function runLogging(log: Log, batchId: string): Pick<RunnerDeps, 'onAnswers' | 'onStatus'> {
  let offline = new Map<string, string>();
  return {
    onAnswers: (account, answers) => logAnswers(log, batchId, account, answers),
    onStatus: (status: RunStatus) => {
      const now = new Map(status.offline.map((entry) => [entry.accountId, entry.accountName]));
      for (const entry of status.offline) {
        if (!offline.has(entry.accountId))
          log.warn('offline', { batch: batchId, account: entry.accountName, message: entry.message });
      }
      for (const [accountId, accountName] of offline) {
        if (!now.has(accountId)) log.info('online', { batch: batchId, account: accountName });
      }
      offline = now;
    },
  };
}

/**
 * One line per request, however many items it carried (an Electio list is one request for up to
 * 100): the items' records of one request share its endpoint, start, duration and status.
 */
function logAnswers(log: Log, batchId: string, account: Account, answers: ReadonlyMap<number, Answer>): void {
  const requests = new Map<string, { record: RequestRecord; outcomes: Outcome[] }>();
  for (const { outcome, requests: records } of answers.values()) {
    for (const record of records) {
      const key = `${record.endpoint} ${record.startedAt} ${record.durationMs} ${record.httpStatus}`;
      const request = requests.get(key);
      if (request) request.outcomes.push(outcome);
      else requests.set(key, { record, outcomes: [outcome] });
    }
  }
  for (const { record, outcomes } of requests.values()) {
    const tally = new Map<string, number>();
    for (const outcome of outcomes) tally.set(label(outcome), (tally.get(label(outcome)) ?? 0) + 1);
    const trouble = outcomes.find((outcome) => outcome.kind !== 'final' || outcome.state === 'failed');
    const fields = {
      batch: batchId,
      provider: account.provider,
      account: account.name,
      endpoint: record.endpoint,
      status: record.httpStatus ?? 'none',
      ms: record.durationMs,
      items: outcomes.length,
      outcome: [...tally].map(([name, n]) => (tally.size === 1 ? name : `${name}×${n}`)).join(' '),
      message: trouble?.message || record.message || undefined,
    };
    if (trouble) log.warn('attempt', fields);
    else log.info('attempt', fields);
  }
}

function label(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'final':
      return `${outcome.state}:${outcome.reason}`;
    case 'retry':
      return `retry:${outcome.reason}`;
    case 'account':
      return 'account-held';
    case 'offline':
      return 'offline';
  }
}
