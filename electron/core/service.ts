/**
 * The app service: implements every channel of the IPC contract on top of the core parts. The
 * Electron main process, the browser end-to-end tests and anything else that needs the app's
 * behaviour use this one object; it never imports Electron. The handlers live by area
 * (handlers/*.ts); this puts their parts together into the one table the contract types, and the
 * batch supervisor (batches/supervisor.ts) runs the batches.
 */
import type { Channel } from '../../shared/contract';
import { registeringSecrets } from './activity';
import { createSupervisor, type EventListener } from './batches/supervisor';
import type { SessionCredentials } from './credentials/session';
import type { Db } from './db/open';
import { describeError, isAppError } from './errors';
import { accountHandlers } from './handlers/accounts';
import { appHandlers } from './handlers/app';
import { batchHandlers } from './handlers/batches';
import type { HandlerContext, Handlers, ShellHooks } from './handlers/context';
import { historyHandlers } from './handlers/history';
import { importHandlers } from './handlers/import';
import { resultHandlers } from './handlers/results';
import { silentLog, type Log } from './log';
import type { Transport } from './providers/http';
import { DEFAULT_RUN_OPTIONS, type RunOptions } from './queue/runner';

export interface ServiceDeps extends ShellHooks {
  db: Db;
  credentials: SessionCredentials;
  transport: Transport;
  owner: string;
  now?: () => number;
  random?: () => number;
  runOptions?: Partial<RunOptions>;
  /** The app's log; nothing is logged without one. */
  log?: Log;
}

export type { EventListener, Handlers };

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
  const context: HandlerContext = {
    db,
    credentials,
    log,
    now,
    supervisor,
    transport: deps.transport,
    runOptions: { ...DEFAULT_RUN_OPTIONS, ...deps.runOptions },
    shell: deps,
  };
  const handlers: Handlers = {
    ...accountHandlers(context),
    ...importHandlers(context),
    ...batchHandlers(context),
    ...resultHandlers(context),
    ...historyHandlers(context),
    ...appHandlers(context),
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
