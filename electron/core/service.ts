/**
 * The app service: implements every channel of the IPC contract on top of the core parts. The
 * Electron main process, the browser end-to-end tests and anything else that needs the app's
 * behaviour use this one object; it never imports Electron.
 */
import { writeFile } from 'node:fs/promises';
import type { AccountView, Channel, ImportPreview, Request, Response } from '../../shared/contract';
import { PROVIDER_IDS, type ProviderId } from '../../shared/domain';
import { addAccount, getAccount, listAccounts, removeAccount, updateAccount, viewAccount } from './accounts';
import { accountFacts, registeringSecrets } from './activity';
import { createSupervisor, type EventListener } from './batches/supervisor';
import type { SessionCredentials } from './credentials/session';
import type { ImportEntry } from './import/parse';
import type { Db } from './db/open';
import { diagnosticsText } from './diagnostics';
import { AppError, describeError, isAppError } from './errors';
import { batchOrigin } from './origin';
import { planImport, queueImport, readSource } from './import/source';
import { silentLog, type Log } from './log';
import type { Transport } from './providers/http';
import type { RunOptions } from './queue/runner';
import { alreadySucceeded, exportFile, listAttempts, listResults, pageResults, resultIds, resultsOverview } from './results';
import { deleteBatch, findReference, listBatches } from './history';
import { readSetting, writeSetting } from './settings';

export interface ServiceDeps {
  db: Db;
  credentials: SessionCredentials;
  transport: Transport;
  owner: string;
  now?: () => number;
  random?: () => number;
  runOptions?: Partial<RunOptions>;
  /** Asks the clerk where to save an export (the native save dialog in the app); null = cancelled. */
  chooseExportPath?: (suggestedName: string) => Promise<string | null>;
  /** The app's log; nothing is logged without one. */
  log?: Log;
  /** The app's version, for diagnostics. */
  appVersion?: string;
  /** Puts text on the clipboard (main does it, so the window never needs clipboard access). */
  copyText?: (text: string) => void | Promise<void>;
}

export type Handlers = { [C in Channel]: (request: Request<C>) => Promise<Response<C>> };
export type { EventListener };

export interface AppService {
  handlers: Handlers;
  onEvent(listener: EventListener): () => void;
  /** Starts every batch that still has items waiting and is not paused (after a restart or a crash). */
  resumeWaiting(): void;
  /** The machine woke up: offline accounts probe at once. */
  wake(): void;
  /** Items being sent right now, for a warning before quitting. */
  sendingCount(): number;
  /** Waits for every running batch to stop sending. */
  close(): Promise<void>;
}

const PREVIEW_LIMIT = 500;
const SAMPLE_LIMIT = 100;

export function createService(deps: ServiceDeps): AppService {
  const { db } = deps;
  const log = deps.log ?? silentLog();
  // Every key the service reads or saves is scrubbed from the log from then on.
  const credentials = registeringSecrets(deps.credentials, log);
  const now = deps.now ?? Date.now;
  const supervisor = createSupervisor({
    db,
    credentials,
    transport: deps.transport,
    owner: deps.owner,
    now,
    random: deps.random ?? Math.random,
    runOptions: deps.runOptions,
    log,
  });

  const handlers: Handlers = {
    'accounts.list': async () => Promise.all(listAccounts(db).map((account) => viewAccount(account, credentials))),
    'accounts.add': async (request) => {
      const account = await addAccount(db, credentials, request, now());
      log.info('account added', accountFacts(account));
      return viewAccount(account, credentials);
    },
    'accounts.update': async ({ id, ...changes }) => {
      const account = await updateAccount(db, credentials, id, changes, now());
      log.info('account changed', { ...accountFacts(account), keyReplaced: changes.secret !== undefined });
      return viewAccount(account, credentials);
    },
    'accounts.remove': async ({ id }) => {
      const account = getAccount(db, id);
      await removeAccount(db, credentials, id, now());
      if (account) log.info('account removed', accountFacts(account));
      return { removed: true };
    },
    'import.preview': async ({ source, action }) => {
      const accounts = await handlers['accounts.list']({});
      const plan = planImport(await readSource(source), { providers: providersWithAccounts(accounts), action });
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
        sheets: plan.sheets,
        alreadyDone: alreadySucceeded(db, plan.entries),
      };
    },
    'import.confirm': async ({ source, action = 'cancel', accounts: choices }) => {
      const plan = planImport(await readSource(source), { providers: providersWithAccounts(listAccounts(db)), action });
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
    'batch.start': async ({ batchId }) => supervisor.start(batchId),
    'batch.summary': async ({ batchId }) => supervisor.summary(batchId),
    'batch.pause': async ({ batchId }) => supervisor.pause(batchId),
    'batch.resume': async ({ batchId }) => supervisor.resume(batchId),
    'batch.stop': async ({ batchId }) => supervisor.stop(batchId),
    'batch.retryFailed': async ({ batchId }) => supervisor.retryFailed(batchId),
    'item.attempts': async ({ itemId }) => listAttempts(db, itemId),
    'results.overview': async ({ batchId }) => resultsOverview(db, batchId),
    'results.page': async ({ batchId, ...window }) => pageResults(db, batchId, window),
    'results.ids': async ({ batchId, ...window }) => resultIds(db, batchId, window),
    'results.export': async ({ batchId, format, filter }) => {
      const batch = supervisor.summary(batchId);
      if (!deps.chooseExportPath) throw new AppError('invalid_request', 'Saving files is not available here.');
      const rows = listResults(db, batchId, filter ?? {});
      const base = (batch.sourceName ?? 'batch').replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
      const path = await deps.chooseExportPath(`${base} results.${format}`);
      if (path === null) return { path: null, items: rows.length };
      try {
        await writeFile(path, exportFile(rows, format), 'utf8');
      } catch (error) {
        throw new AppError(
          'bad_input',
          `The export could not be saved to ${path} (${(error as NodeJS.ErrnoException).code ?? describeError(error)}). Choose another place.`,
        );
      }
      return { path, items: rows.length };
    },
    'history.list': async ({ reference, limit, offset }) => listBatches(db, { reference, limit, offset }),
    'history.findReference': async ({ reference }) => findReference(db, reference),
    'batch.delete': async ({ batchId }) => {
      if (supervisor.isRunning(batchId))
        throw new AppError('conflict', 'This batch is being sent right now. Stop it or let it finish, then delete its history.');
      deleteBatch(db, batchId);
      return { deleted: true };
    },
    'ui.state': async ({ lastScreen }) => {
      if (lastScreen !== undefined) writeSetting(db, 'ui.lastScreen', lastScreen);
      return { lastScreen: readSetting<string>(db, 'ui.lastScreen') ?? null };
    },
    'app.diagnostics': async () => {
      if (!deps.copyText) throw new AppError('invalid_request', 'Copying is not available here.');
      const text = await diagnosticsText({
        db,
        credentials,
        log,
        appVersion: deps.appVersion ?? 'dev',
        offline: supervisor.offlineAccounts(),
        sending: supervisor.sending(),
        now: now(),
      });
      await deps.copyText(text);
      log.info('diagnostics copied');
      return { copied: true };
    },
  };

  return {
    handlers: loggingFailures(handlers, log),
    onEvent: (listener) => supervisor.onEvent(listener),
    resumeWaiting: () => supervisor.resumeWaiting(),
    wake: () => supervisor.wake(),
    sendingCount: () => supervisor.sendingCount(),
    close: () => supervisor.close(),
  };
}

/** Every handler, with its failures logged: the clerk's sentence for expected ones, the full text for the rest. */
function loggingFailures(handlers: Handlers, log: Log): Handlers {
  const wrapped: Record<string, (request: never) => Promise<unknown>> = {};
  for (const [channel, handler] of Object.entries(handlers) as [Channel, (request: never) => Promise<unknown>][]) {
    wrapped[channel] = async (request) => {
      try {
        return await handler(request);
      } catch (error) {
        const expected = isAppError(error);
        log[expected ? 'warn' : 'error']('request failed', {
          channel,
          code: expected ? error.code : 'internal',
          message: describeError(error),
        });
        throw error;
      }
    };
  }
  return wrapped as unknown as Handlers;
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
