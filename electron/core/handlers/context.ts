/**
 * What the handlers of every area share: the `Handlers` table the IPC contract types (each area
 * builds its part of it, service.ts puts them together) and the context they run in.
 */
import type { Channel, Request, Response } from '../../../shared/contract';
import type { BatchSupervisor } from '../batches/supervisor';
import type { SessionCredentials } from '../credentials/session';
import type { Db } from '../db/open';
import type { Log } from '../log';
import type { Transport } from '../providers/http';
import type { RunOptions } from '../queue/runner';

export type Handlers = { [C in Channel]: (request: Request<C>) => Promise<Response<C>> };

/** One area's part of the table. */
export type AreaHandlers<C extends Channel> = Pick<Handlers, C>;

/** What only the shell around the core can do; each is missing where that shell cannot (the CLI, a test). */
export interface ShellHooks {
  /** Asks the clerk where to save an export (the native save dialog in the app); null = cancelled. */
  chooseExportPath?: (suggestedName: string) => Promise<string | null>;
  /** The app's version, for diagnostics. */
  appVersion?: string;
  /** Puts text on the clipboard (main does it, so the window never needs clipboard access). */
  copyText?: (text: string) => void | Promise<void>;
}

export interface HandlerContext {
  db: Db;
  /** The credential store whose every key is scrubbed from the log once read or saved. */
  credentials: SessionCredentials;
  log: Log;
  now: () => number;
  supervisor: BatchSupervisor;
  /** How requests reach the carriers (Electron's net.fetch in the app, undici elsewhere). */
  transport: Transport;
  /** How batches are sent here (the defaults, with what the caller changed). */
  runOptions: RunOptions;
  shell: ShellHooks;
}
