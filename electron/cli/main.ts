/**
 * `bulk-cancel`: the headless command over the same core as the app, for automation. Its
 * interface (commands, flags, JSON shapes and exit codes) is a public contract: extend it, never
 * change what it already promises.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { PROVIDER_IDS, ProviderId, type ItemState } from '../../shared/domain';
import { addAccount, checkBaseUrl, findAccountByName, listAccounts, viewAccount, type Account } from '../core/accounts';
import { keychainStore, type CredentialStore } from '../core/credentials/store';
import { DATABASE_FILE, databaseError, openDatabase, type Db } from '../core/db/open';
import { AppError, describeError, isAppError } from '../core/errors';
import { decodeBytes } from '../core/import/decode';
import { planImport, queueImport } from '../core/import/source';
import { batchOrigin } from '../core/origin';
import { defaultDataDir } from '../core/paths';
import { DEFAULT_RUN_OPTIONS, runBatch } from '../core/queue/runner';
import { batchCounts, releaseExpiredClaims } from '../core/queue/store';
import { listResults, resultsToCsv, toRecords } from '../core/results';
import { emptyCounts } from '../../shared/domain';
import { HELP, parseCommandLine, positiveInteger, type CommandName, type ParsedCommand } from './args';
import { output, readSecretLine, readStdin, type Output } from './io';

declare const BULK_CANCEL_VERSION: string;

export const EXIT = { done: 0, someFailed: 1, badInput: 2, attention: 3, database: 4 } as const;

interface Context {
  db: Db;
  credentials: CredentialStore;
  out: Output;
  values: ParsedCommand['values'];
  positionals: string[];
}

export async function main(argv: readonly string[]): Promise<number> {
  let db: Db | undefined;
  let dataDir: string | undefined;
  try {
    const { command, positionals, values } = parseCommandLine(argv);
    const json = values.json === true;
    if (values.version) {
      process.stdout.write(`${typeof BULK_CANCEL_VERSION === 'string' ? BULK_CANCEL_VERSION : 'dev'}\n`);
      return EXIT.done;
    }
    if (values.help) {
      process.stdout.write(HELP);
      return EXIT.done;
    }
    if (!command) {
      // Bad usage: stdout stays empty (with --json it may hold nothing but the one document).
      if (json) throw new AppError('bad_input', 'No command given. See bulk-cancel --help.');
      process.stderr.write(HELP);
      return EXIT.badInput;
    }
    checkUsage(command, positionals, values);
    if (values['data-dir'] !== undefined && String(values['data-dir']).trim() === '') {
      throw new AppError('bad_input', '--data-dir needs a folder.');
    }
    dataDir = typeof values['data-dir'] === 'string' ? values['data-dir'] : defaultDataDir();
    db = openDatabase(dataDir);
    const context: Context = { db, credentials: keychainStore(), out: output(json), values, positionals };
    switch (command) {
      case 'account add':
        return await accountAdd(context);
      case 'account list':
        return await accountList(context);
      case 'import':
        return await importFile(context);
      case 'run':
        return await run(context);
      case 'results':
        return results(context);
      case 'status':
        return status(context);
      default:
        return command satisfies never;
    }
  } catch (error) {
    return fail(sqliteError(error, dataDir));
  } finally {
    try {
      db?.close();
    } catch {
      // Closing can only fail when the database already failed, and that was reported.
    }
  }
}

/** Checks the usage before anything is opened or changed, so bad usage leaves no trace (exit 2). */
function checkUsage(command: CommandName, positionals: readonly string[], values: ParsedCommand['values']): void {
  if (command === 'import') {
    if (positionals.length !== 1) throw new AppError('bad_input', 'Give exactly one FILE to import (or - for stdin).');
  } else {
    noPositionals(positionals);
  }
  if (command === 'run') {
    positiveInteger(values.concurrency, 'concurrency', DEFAULT_RUN_OPTIONS.concurrency);
    positiveInteger(values['chunk-size'], 'chunk-size', DEFAULT_RUN_OPTIONS.chunkSize);
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

function requireString(values: ParsedCommand['values'], name: 'provider' | 'name' | 'batch'): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '')
    throw new AppError('bad_input', `--${name} is required. See bulk-cancel --help.`);
  return value;
}

function providerOption(value: string | boolean | undefined): ProviderId | undefined {
  if (value === undefined) return undefined;
  const parsed = ProviderId.safeParse(value);
  if (!parsed.success)
    throw new AppError('bad_input', `Unknown provider "${String(value)}". Use one of: ${PROVIDER_IDS.join(', ')}.`);
  return parsed.data;
}

async function accountAdd({ db, credentials, out, values, positionals }: Context): Promise<number> {
  noPositionals(positionals);
  const provider = providerOption(requireString(values, 'provider')) as ProviderId;
  const name = requireString(values, 'name');
  if (findAccountByName(db, name)) throw new AppError('bad_input', `An account named "${name.trim()}" already exists.`);
  const baseUrl = typeof values['base-url'] === 'string' ? values['base-url'] : undefined;
  if (baseUrl !== undefined) checkBaseUrl(baseUrl); // before asking for the key, not after
  const secret = await readSecretLine(`API key for ${name}: `);
  if (!secret) throw new AppError('bad_input', 'The API key is empty: give it as one line on stdin.');
  const account = await addAccount(db, credentials, { provider, name, baseUrl, secret }, Date.now());
  const view = await viewAccount(account, credentials);
  out.result({ name: view.name, provider: view.provider, baseUrl: view.baseUrl, hasSecret: view.hasSecret }, () => [
    `Added account "${view.name}" (${view.provider}, ${view.baseUrl}); its key is in the system keychain.`,
  ]);
  return EXIT.done;
}

async function accountList({ db, credentials, out, positionals }: Context): Promise<number> {
  noPositionals(positionals);
  const accounts = await Promise.all(listAccounts(db).map((account) => viewAccount(account, credentials)));
  const document = accounts.map(({ name, provider, baseUrl, hasSecret }) => ({ name, provider, baseUrl, hasSecret }));
  out.result(document, () =>
    accounts.length
      ? accounts.map((a) => `${a.name}\t${a.provider}\t${a.baseUrl}\t${a.hasSecret ? 'key saved' : 'NO KEY'}`)
      : ['No accounts yet. Add one with: bulk-cancel account add --provider electio --name NAME'],
  );
  return EXIT.done;
}

function chooseAccount(
  db: Db,
  name: string | boolean | undefined,
  provider: ProviderId | undefined,
  suggested: ProviderId | null,
): Account {
  if (typeof name === 'string') {
    const account = findAccountByName(db, name);
    if (!account) throw new AppError('bad_input', `There is no account named "${name}". See bulk-cancel account list.`);
    if (provider && account.provider !== provider)
      throw new AppError('bad_input', `Account "${account.name}" is ${account.provider}, not ${provider}.`);
    return account;
  }
  const wanted = provider ?? suggested;
  const fitting = listAccounts(db).filter((account) => !wanted || account.provider === wanted);
  const [only] = fitting;
  if (fitting.length === 1 && only) return only;
  if (fitting.length === 0) {
    throw new AppError(
      'bad_input',
      `No ${wanted ?? ''} account exists yet. Add one with: bulk-cancel account add.`.replace('  ', ' '),
    );
  }
  throw new AppError(
    'bad_input',
    `Several accounts fit (${fitting.map((a) => a.name).join(', ')}): choose one with --account NAME.`,
  );
}

async function importFile({ db, out, values, positionals }: Context): Promise<number> {
  const [file, ...extra] = positionals;
  if (!file || extra.length) throw new AppError('bad_input', 'Give exactly one FILE to import (or - for stdin).');
  const provider = providerOption(values.provider);
  let bytes: Uint8Array;
  try {
    bytes = file === '-' ? await readStdin() : readFileSync(file);
  } catch (error) {
    throw new AppError(
      'bad_input',
      `The file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? describeError(error)}).`,
    );
  }
  const plan = planImport(decodeBytes(bytes), provider);
  const account = chooseAccount(db, values.account, provider, plan.provider);
  const queued = queueImport(db, plan, account, {
    sourceName: file === '-' ? null : file,
    action: 'cancel',
    ...batchOrigin(),
    now: Date.now(),
  });
  out.result({ batchId: queued.batchId, items: queued.items, duplicates: queued.duplicates, rejected: queued.rejected }, () => [
    `Queued batch ${queued.batchId}: ${queued.items} item(s) for account "${account.name}"; ${queued.duplicates} duplicate(s) collapsed; ${queued.rejected.length} row(s) rejected.`,
    ...queued.rejected.map((r) => `  row ${r.row}: ${r.error}`),
    `Send it with: bulk-cancel run --batch ${queued.batchId}`,
  ]);
  return EXIT.done;
}

async function run({ db, credentials, out, values, positionals }: Context): Promise<number> {
  noPositionals(positionals);
  const batchId = requireBatch(db, values);
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    releaseExpiredClaims(db, Date.now());
    const report = await runBatch(
      { db, credentials, fetch: globalThis.fetch, now: Date.now, random: Math.random, owner: `cli:${hostname()}:${process.pid}` },
      batchId,
      {
        ...DEFAULT_RUN_OPTIONS,
        concurrency: positiveInteger(values.concurrency, 'concurrency', DEFAULT_RUN_OPTIONS.concurrency),
        chunkSize: positiveInteger(values['chunk-size'], 'chunk-size', DEFAULT_RUN_OPTIONS.chunkSize),
        signal: abort.signal,
      },
    );
    const { counts } = report;
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    out.result({ batchId, succeeded: counts.succeeded, failed: counts.failed, total }, () => [
      `Batch ${batchId}: ${counts.succeeded} succeeded, ${counts.failed} failed, ${counts.queued + counts.in_flight} still queued, of ${total}.`,
    ]);
    for (const held of report.attention) process.stderr.write(`${held.message}\n`);
    if (report.attention.length) return EXIT.attention;
    if (abort.signal.aborted && counts.queued + counts.in_flight > 0) return EXIT.someFailed;
    return counts.failed > 0 ? EXIT.someFailed : EXIT.done;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function results({ db, values, positionals }: Context): number {
  noPositionals(positionals);
  const batchId = requireBatch(db, values);
  const format = values.format ?? 'json';
  const states: ItemState[] | undefined = values.failed ? ['failed'] : undefined;
  const rows = listResults(db, batchId, { states });
  process.stdout.write(format === 'csv' ? resultsToCsv(rows) : `${JSON.stringify(toRecords(rows), null, 2)}\n`);
  return EXIT.done;
}

function status({ db, out, values, positionals }: Context): number {
  noPositionals(positionals);
  let counts = emptyCounts();
  if (values.batch !== undefined) {
    counts = batchCounts(db, requireBatch(db, values));
  } else {
    const rows = db.prepare('SELECT state, COUNT(*) AS n FROM items GROUP BY state').all() as { state: ItemState; n: number }[];
    for (const row of rows) counts[row.state] = row.n;
  }
  out.result(counts, () => Object.entries(counts).map(([state, n]) => `${state}\t${n}`));
  return EXIT.done;
}

function requireBatch(db: Db, values: ParsedCommand['values']): string {
  const batchId = requireString(values, 'batch');
  if (!db.prepare('SELECT 1 FROM batches WHERE id = ?').get(batchId))
    throw new AppError('bad_input', `There is no batch ${batchId}.`);
  return batchId;
}

function noPositionals(positionals: readonly string[]): void {
  if (positionals.length) throw new AppError('bad_input', `Unexpected "${positionals.join(' ')}". See bulk-cancel --help.`);
}
