/**
 * The app service: implements every channel of the IPC contract on top of the core parts. The
 * Electron main process, the browser end-to-end tests and anything else that needs the app's
 * behaviour use this one object; it never imports Electron.
 */
import type {
  AccountView,
  BatchSummary,
  Channel,
  EventName,
  EventPayload,
  ImportPreview,
  Request,
  Response,
} from '../../shared/contract';
import { PROVIDER_IDS, type Action, type ProviderId } from '../../shared/domain';
import { addAccount, listAccounts, removeAccount, updateAccount, viewAccount } from './accounts';
import type { SessionCredentials } from './credentials/session';
import type { ImportEntry } from './import/parse';
import type { Db } from './db/open';
import { AppError } from './errors';
import { batchOrigin } from './origin';
import { planImport, queueImport, readSource } from './import/source';
import type { FetchLike } from './providers/http';
import { DEFAULT_RUN_OPTIONS, runBatch, type RunOptions } from './queue/runner';
import { batchCounts, releaseExpiredClaims } from './queue/store';
import { listResults } from './results';

export interface ServiceDeps {
  db: Db;
  credentials: SessionCredentials;
  fetch: FetchLike;
  owner: string;
  now?: () => number;
  random?: () => number;
  runOptions?: Partial<RunOptions>;
}

export type Handlers = { [C in Channel]: (request: Request<C>) => Promise<Response<C>> };
export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface AppService {
  handlers: Handlers;
  onEvent(listener: EventListener): () => void;
  /** Waits for every running batch to stop sending. */
  close(): Promise<void>;
}

const PREVIEW_LIMIT = 500;
const SAMPLE_LIMIT = 100;

export function createService(deps: ServiceDeps): AppService {
  const { db, credentials } = deps;
  const now = deps.now ?? Date.now;
  const listeners = new Set<EventListener>();
  const running = new Map<string, { done: Promise<void>; abort: AbortController }>();
  const emit: EventListener = (event, payload) => {
    for (const listener of listeners) listener(event, payload);
  };
  releaseExpiredClaims(db, now());

  const summary = (batchId: string): BatchSummary => {
    const row = db.prepare('SELECT id, source_name, action, created_at FROM batches WHERE id = ?').get(batchId) as
      { id: string; source_name: string | null; action: Action; created_at: number } | undefined;
    if (!row) throw new AppError('not_found', 'That batch does not exist.');
    const counts = batchCounts(db, batchId);
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    return {
      id: row.id,
      sourceName: row.source_name,
      action: row.action,
      createdAt: new Date(row.created_at).toISOString(),
      total,
      counts,
      running: running.has(batchId),
    };
  };

  const startRun = (batchId: string) => {
    if (running.has(batchId)) return;
    const abort = new AbortController();
    let last = 0;
    const progress = () => {
      if (now() - last < 100) return;
      last = now();
      emit('batch.progress', summary(batchId));
    };
    const done = runBatch(
      { db, credentials, fetch: deps.fetch, now, random: deps.random ?? Math.random, owner: deps.owner, onProgress: progress },
      batchId,
      { ...DEFAULT_RUN_OPTIONS, ...deps.runOptions, signal: abort.signal },
    )
      .catch(() => undefined)
      .then(() => {
        running.delete(batchId);
        emit('batch.progress', summary(batchId));
      });
    running.set(batchId, { done, abort });
  };

  const handlers: Handlers = {
    'accounts.list': async () => Promise.all(listAccounts(db).map((account) => viewAccount(account, credentials))),
    'accounts.add': async (request) => viewAccount(await addAccount(db, credentials, request, now()), credentials),
    'accounts.update': async ({ id, ...changes }) =>
      viewAccount(await updateAccount(db, credentials, id, changes, now()), credentials),
    'accounts.remove': async ({ id }) => {
      await removeAccount(db, credentials, id, now());
      return { removed: true };
    },
    'import.preview': async ({ source, action }) => {
      const accounts = await handlers['accounts.list']({});
      const plan = planImport(readSource(source), { providers: providersWithAccounts(accounts), action });
      return {
        fileName: source.fileName,
        encoding: plan.encoding,
        delimiter: plan.delimiter,
        hasHeader: plan.hasHeader,
        column: plan.column,
        items: plan.entries.length,
        duplicates: plan.duplicates,
        rejected: plan.rejected.slice(0, PREVIEW_LIMIT),
        rejectedTotal: plan.rejected.length,
        sample: plan.entries.slice(0, SAMPLE_LIMIT).map(({ row, reference }) => ({ row, reference })),
        provider: plan.provider,
        groups: groupsOf(plan.entries, accounts),
        notes: plan.notes,
      };
    },
    'import.confirm': async ({ source, action = 'cancel', accounts: choices }) => {
      const plan = planImport(readSource(source), { providers: providersWithAccounts(listAccounts(db)), action });
      const queued = queueImport(db, plan, {
        sourceName: source.fileName,
        action,
        accounts: choices,
        ...batchOrigin(),
        now: now(),
      });
      return {
        batchId: queued.batchId,
        items: queued.items,
        duplicates: queued.duplicates,
        rejected: queued.rejected.length,
        routes: queued.routes,
      };
    },
    'batch.start': async ({ batchId }) => {
      summary(batchId);
      startRun(batchId);
      return summary(batchId);
    },
    'batch.summary': async ({ batchId }) => summary(batchId),
    'batch.results': async ({ batchId, states, reasons }) => {
      summary(batchId);
      return listResults(db, batchId, { states, reasons });
    },
  };

  return {
    handlers,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      for (const run of running.values()) run.abort.abort();
      await Promise.all([...running.values()].map((run) => run.done));
    },
  };
}

/**
 * The providers a reference may be read as: those the clerk has accounts for (so a UUID counts as
 * Sendcloud only where a Sendcloud account exists), or all of them before any account exists.
 */
function providersWithAccounts(accounts: readonly { provider: ProviderId }[]): ProviderId[] {
  const having = PROVIDER_IDS.filter((id) => accounts.some((account) => account.provider === id));
  return having.length ? having : [...PROVIDER_IDS];
}

function groupsOf(entries: readonly ImportEntry[], accounts: readonly AccountView[]): ImportPreview['groups'] {
  return PROVIDER_IDS.flatMap((provider) => {
    const mine = entries.filter((entry) => entry.provider === provider);
    if (mine.length === 0) return [];
    const named = new Map<string, number>();
    for (const entry of mine) if (entry.accountName) named.set(entry.accountName, (named.get(entry.accountName) ?? 0) + 1);
    return [
      {
        provider,
        items: mine.length,
        named: [...named].map(([accountName, items]) => ({ accountName, items })),
        accounts: accounts.filter((account) => account.provider === provider),
      },
    ];
  });
}
