/**
 * `bulk-cancel`: the headless command over the same core as the app, for automation. Its
 * interface (commands, flags, JSON shapes and exit codes) is a public contract: extend it, never
 * change what it already promises.
 */
import { join } from 'node:path';
import type { ItemState } from '../../shared/domain';
import { registeringSecrets } from '../core/activity';
import { keychainStore } from '../core/credentials/store';
import { DATABASE_FILE, databaseError, openDatabase, type Db } from '../core/db/open';
import { AppError, describeError, isAppError } from '../core/errors';
import { openLog, type Log } from '../core/log';
import { LOG_FOLDER, defaultDataDir, defaultLogDir, makeDataFolder } from '../core/paths';
import { DEFAULT_RUN_OPTIONS } from '../core/queue/run-options';
import { batchCounts, itemCounts } from '../core/queue/counts';
import { actionOption, parseCommandLine, positiveInteger, providerOption, type CommandName, type ParsedCommand } from './args';
import { EXIT, noPositionals, requireBatch, version, type Context } from './context';
import { HELP } from './help';
import { output } from './io';

type Command = (context: Context) => number | Promise<number>;

/**
 * Each command's code, loaded when it runs: a command loads only what it needs (`status` neither
 * the HTTP client, nor the CSV reader, nor the account checks), which is most of a start-up.
 */
const COMMANDS: Record<CommandName, () => Promise<Command>> = {
  'account add': async () => (await import('./commands/accounts')).accountAdd,
  'account list': async () => (await import('./commands/accounts')).accountList,
  'account remove': async () => (await import('./commands/accounts')).accountRemove,
  'account set-key': async () => (await import('./commands/account-key')).accountSetKey,
  'account check': async () => (await import('./commands/account-key')).accountCheck,
  import: async () => (await import('./commands/import')).importFile,
  run: async () => (await import('./commands/run')).run,
  results: async () => results,
  status: async () => status,
  stop: async () => (await import('./commands/batches')).stop,
  batches: async () => (await import('./commands/batches')).batches,
  diagnostics: async () => diagnostics,
};

export async function main(argv: readonly string[]): Promise<number> {
  let db: Db | undefined;
  let dataDir: string | undefined;
  let log: Log | undefined;
  let command: CommandName | null = null;
  try {
    const parsed = parseCommandLine(argv);
    const { positionals, values } = parsed;
    command = parsed.command;
    const json = values.json === true;
    if (values.version) {
      process.stdout.write(`${version()}\n`);
      return EXIT.done;
    }
    if (parsed.help !== undefined) {
      process.stdout.write(parsed.help);
      return EXIT.done;
    }
    if (!command) {
      // Bad usage: stdout stays empty (with --json it may hold nothing but the one document).
      if (json) throw new AppError('bad_input', 'No command given. See bulk-cancel --help.');
      process.stderr.write(HELP);
      return EXIT.badInput;
    }
    await checkUsage(command, positionals, values);
    if (values['data-dir'] !== undefined && String(values['data-dir']).trim() === '') {
      throw new AppError('bad_input', '--data-dir needs a folder.');
    }
    dataDir = typeof values['data-dir'] === 'string' ? values['data-dir'] : defaultDataDir();
    // Before the log, which would make its folder inside with Node's recursive mkdir (endless under /proc).
    makeDataFolder(dataDir);
    // The log sits with the data it is about: in --data-dir's logs folder when one is given.
    log = openLog(typeof values['data-dir'] === 'string' ? join(dataDir, LOG_FOLDER) : defaultLogDir());
    log.info('cli', { command, version: version(), node: process.versions.node, platform: process.platform });
    db = openDatabase(dataDir);
    const credentials = registeringSecrets(keychainStore(), log);
    const context: Context = { db, credentials, log, out: output(json), values, positionals };
    return await (
      await COMMANDS[command]()
    )(context);
  } catch (error) {
    const problem = sqliteError(error, dataDir);
    log?.[isAppError(problem) ? 'warn' : 'error']('command failed', { command, message: describeError(problem) });
    return fail(problem);
  } finally {
    try {
      db?.close();
    } catch {
      // Closing can only fail when the database already failed, and that was reported.
    }
    await log?.flush();
  }
}

/** Checks the usage before anything is opened or changed, so bad usage leaves no trace (exit 2). */
async function checkUsage(command: CommandName, positionals: readonly string[], values: ParsedCommand['values']): Promise<void> {
  if (command === 'import') {
    if (positionals.length !== 1) throw new AppError('bad_input', 'Give exactly one FILE to import (or - for stdin).');
    providerOption(values.provider);
    actionOption(values.action);
  } else if (command === 'account remove' || command === 'account set-key' || command === 'account check') {
    if (positionals.length !== 1 || positionals[0]?.trim() === '')
      throw new AppError('bad_input', `Give the NAME of the account, e.g. bulk-cancel ${command} "Electio main".`);
  } else {
    noPositionals(positionals);
  }
  if (command === 'account add') {
    const provider = providerOption(values.provider);
    if (provider) (await import('./commands/accounts')).accountSettings(provider, values);
  }
  if (command === 'run') {
    positiveInteger(values.concurrency, 'concurrency', DEFAULT_RUN_OPTIONS.concurrency);
    positiveInteger(values['chunk-size'], 'chunk-size', DEFAULT_RUN_OPTIONS.chunkSize);
    positiveInteger(values['max-attempts'], 'max-attempts', DEFAULT_RUN_OPTIONS.maxAttempts);
    positiveInteger(values['max-wait'], 'max-wait', 0);
  }
  if (command === 'results') {
    const format = values.format ?? 'json';
    if (format !== 'json' && format !== 'csv') throw new AppError('bad_input', '--format is json or csv.');
    if (format === 'csv' && values.json) {
      throw new AppError('bad_input', '--json prints one JSON document, so it cannot be combined with --format csv.');
    }
  }
}

/** A SQLite failure met after opening (disk full, read-only, damaged file) is the database's (exit 4), not a crash. */
function sqliteError(error: unknown, dataDir: string | undefined): unknown {
  if (isAppError(error) || dataDir === undefined) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('SQLITE_')) return databaseError(join(dataDir, DATABASE_FILE), error);
  return error;
}

function fail(error: unknown): number {
  const message = isAppError(error) ? error.message : `Unexpected problem: ${describeError(error)}`;
  process.stderr.write(`${message.replace(/\s*\n\s*/g, ' ')}\n`);
  if (!isAppError(error)) return EXIT.someFailed;
  switch (error.code) {
    case 'account_needs_attention':
    case 'keychain_unavailable':
      return EXIT.attention;
    case 'database_unavailable':
      return EXIT.database;
    case 'internal':
      return EXIT.someFailed;
    default:
      return EXIT.badInput;
  }
}

async function results({ db, values, positionals }: Context): Promise<number> {
  noPositionals(positionals);
  const { listResults, resultsToCsv, toRecords } = await import('../core/results');
  const batchId = requireBatch(db, values);
  const format = values.format ?? 'json';
  const states: ItemState[] | undefined = values.failed ? ['failed'] : undefined;
  const rows = listResults(db, batchId, { states });
  process.stdout.write(format === 'csv' ? resultsToCsv(rows) : `${JSON.stringify(toRecords(rows), null, 2)}\n`);
  return EXIT.done;
}

function status({ db, out, values, positionals }: Context): number {
  noPositionals(positionals);
  const counts = values.batch === undefined ? itemCounts(db) : batchCounts(db, requireBatch(db, values));
  out.result(counts, () => Object.entries(counts).map(([state, n]) => `${state}\t${n}`));
  return EXIT.done;
}

async function diagnostics({ db, credentials, log, out, positionals }: Context): Promise<number> {
  noPositionals(positionals);
  const { diagnosticsText } = await import('../core/diagnostics');
  const text = await diagnosticsText({
    db,
    credentials,
    log,
    appVersion: version(),
    offline: new Map(),
    sending: false,
    now: Date.now(),
  });
  out.result({ diagnostics: text }, () => [text.trimEnd()]);
  return EXIT.done;
}
