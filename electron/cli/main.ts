/**
 * `bulk-cancel`: the headless command over the same core as the app, for automation. Its
 * interface (commands, flags, JSON shapes and exit codes) is a public contract: extend it, never
 * change what it already promises.
 */
import { join } from 'node:path';
import type { AccountSettings, AccountView } from '../../shared/contract';
import {
  ACTIONS,
  Action,
  PROVIDER_IDS,
  PROVIDER_LABELS,
  ProviderId,
  actionDescription,
  emptyCounts,
  type ItemState,
} from '../../shared/domain';
import {
  addAccount,
  checkBaseUrl,
  findAccountByName,
  listAccounts,
  removeAccount,
  viewAccount,
  type Account,
} from '../core/accounts';
import { accountFacts, registeringSecrets, runLogging } from '../core/activity';
import { keychainStore, type CredentialStore } from '../core/credentials/store';
import { DATABASE_FILE, databaseError, openDatabase, type Db } from '../core/db/open';
import { diagnosticsText } from '../core/diagnostics';
import { AppError, describeError, isAppError } from '../core/errors';
import { planImport, queueImport, readFile, routeEntries, type AccountChoices, type Routing } from '../core/import/source';
import { openLog, type Log } from '../core/log';
import { batchOrigin } from '../core/origin';
import { LOG_FOLDER, defaultDataDir, defaultLogDir, fileSystemReason, makeDataFolder } from '../core/paths';
import { nodeTransport } from '../core/providers/node-transport';
import { DEFAULT_RUN_OPTIONS, runBatch } from '../core/queue/runner';
import { claimerName, isClaimerAlive } from '../core/queue/claimer';
import { batchCounts, releaseAbandonedClaims } from '../core/queue/store';
import { listResults, resultsToCsv, toRecords } from '../core/results';
import { HELP, parseCommandLine, positiveInteger, type CommandName, type ParsedCommand } from './args';
import { output, readInput, readSecretLine, type Output } from './io';

declare const BULK_CANCEL_VERSION: string;

export const EXIT = { done: 0, someFailed: 1, badInput: 2, attention: 3, database: 4 } as const;

interface Context {
  db: Db;
  credentials: CredentialStore;
  log: Log;
  out: Output;
  values: ParsedCommand['values'];
  positionals: string[];
}

const version = () => (typeof BULK_CANCEL_VERSION === 'string' ? BULK_CANCEL_VERSION : 'dev');

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
    // Before the log, which would make its folder inside with Node's recursive mkdir (endless under /proc).
    makeDataFolder(dataDir);
    // The log sits with the data it is about: in --data-dir's logs folder when one is given.
    log = openLog(typeof values['data-dir'] === 'string' ? join(dataDir, LOG_FOLDER) : defaultLogDir());
    log.info('cli', { command, version: version(), node: process.versions.node, platform: process.platform });
    db = openDatabase(dataDir);
    const credentials = registeringSecrets(keychainStore(), log);
    const context: Context = { db, credentials, log, out: output(json), values, positionals };
    switch (command) {
      case 'account add':
        return await accountAdd(context);
      case 'account list':
        return await accountList(context);
      case 'account remove':
        return await accountRemove(context);
      case 'import':
        return await importFile(context);
      case 'run':
        return await run(context);
      case 'results':
        return results(context);
      case 'status':
        return status(context);
      case 'diagnostics':
        return await diagnostics(context);
      default:
        return command satisfies never;
    }
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
function checkUsage(command: CommandName, positionals: readonly string[], values: ParsedCommand['values']): void {
  if (command === 'import') {
    if (positionals.length !== 1) throw new AppError('bad_input', 'Give exactly one FILE to import (or - for stdin).');
    providerOption(values.provider);
    actionOption(values.action);
  } else if (command === 'account remove') {
    if (positionals.length !== 1 || positionals[0]?.trim() === '')
      throw new AppError('bad_input', 'Give the NAME of the account to remove, e.g. bulk-cancel account remove "Electio main".');
  } else {
    noPositionals(positionals);
  }
  if (command === 'account add') {
    const provider = providerOption(values.provider);
    if (provider) accountSettings(provider, values);
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

function actionOption(value: string | boolean | undefined): Action {
  if (value === undefined) return 'cancel';
  const parsed = Action.safeParse(value);
  if (!parsed.success) throw new AppError('bad_input', `Unknown action "${String(value)}". Use one of: ${ACTIONS.join(', ')}.`);
  return parsed.data;
}

/** The largest integration id and request rate an account can hold (the app's own limits). */
const MAX_INTEGRATION_ID = 2 ** 31;
const MAX_RATE_PER_MINUTE = 100_000;

/** The provider fields given on the command line; Sendcloud's own fields are refused for other providers. */
function accountSettings(provider: ProviderId, values: ParsedCommand['values']): AccountSettings {
  const settings: AccountSettings = {};
  if (values.rate !== undefined) settings.ratePerMinute = positiveInteger(values.rate, 'rate', 0, MAX_RATE_PER_MINUTE);
  const sendcloudOnly = (['integration-id', 'auth', 'token-url'] as const).filter((flag) => values[flag] !== undefined);
  if (provider !== 'sendcloud') {
    if (sendcloudOnly.length) {
      throw new AppError(
        'bad_input',
        `${sendcloudOnly.map((flag) => `--${flag}`).join(', ')} ${sendcloudOnly.length > 1 ? 'are' : 'is'} only for Sendcloud accounts, not ${provider}.`,
      );
    }
    return settings;
  }
  if (values['integration-id'] !== undefined) {
    settings.integrationId = positiveInteger(values['integration-id'], 'integration-id', 0, MAX_INTEGRATION_ID);
  }
  const auth = values.auth ?? 'basic';
  if (auth !== 'basic' && auth !== 'oauth2') throw new AppError('bad_input', '--auth is basic or oauth2.');
  settings.authKind = auth;
  const tokenUrl = values['token-url'];
  if (tokenUrl !== undefined) {
    if (auth !== 'oauth2') throw new AppError('bad_input', '--token-url is used only with --auth oauth2.');
    if (typeof tokenUrl !== 'string' || tokenUrl.trim() === '')
      throw new AppError('bad_input', '--token-url needs a web address.');
    settings.tokenUrl = tokenUrl.trim();
  }
  return settings;
}

function secretPrompt(provider: ProviderId, settings: AccountSettings, name: string): string {
  if (provider !== 'sendcloud') return `API key for ${name}: `;
  return settings.authKind === 'oauth2'
    ? `Sendcloud CLIENT_ID:CLIENT_SECRET for ${name}: `
    : `Sendcloud PUBLIC_KEY:SECRET_KEY for ${name}: `;
}

/** The non-secret settings of an account, for plain-text output. */
function describeSettings(view: AccountView): string {
  const parts = [`${view.ratePerMinute} requests/min`];
  if (view.provider === 'sendcloud') {
    const { integrationId, authKind, tokenUrl } = view.settings;
    parts.push(integrationId === undefined ? 'no integration id' : `integration ${integrationId}`);
    parts.push(authKind === 'oauth2' ? `OAuth2${tokenUrl ? ` via ${tokenUrl}` : ''}` : 'HTTP Basic');
  }
  return parts.join(', ');
}

async function accountAdd({ db, credentials, log, out, values, positionals }: Context): Promise<number> {
  noPositionals(positionals);
  const provider = providerOption(requireString(values, 'provider')) as ProviderId;
  const name = requireString(values, 'name');
  const settings = accountSettings(provider, values);
  if (findAccountByName(db, name)) throw new AppError('bad_input', `An account named "${name.trim()}" already exists.`);
  const baseUrl = typeof values['base-url'] === 'string' ? values['base-url'] : undefined;
  if (baseUrl !== undefined) checkBaseUrl(baseUrl); // before asking for the key, not after
  const secret = await readSecretLine(secretPrompt(provider, settings, name));
  if (!secret) throw new AppError('bad_input', 'The API key is empty: give it as one line on stdin.');
  const account = await addAccount(db, credentials, { provider, name, baseUrl, settings, secret }, Date.now());
  log.info('account added', accountFacts(account));
  const view = await viewAccount(account, credentials);
  out.result({ name: view.name, provider: view.provider, baseUrl: view.baseUrl, hasSecret: view.hasSecret }, () => [
    `Added account "${view.name}" (${view.provider}, ${view.baseUrl}); its key is in the system keychain.`,
    `Settings: ${describeSettings(view)}.`,
    ...(provider === 'sendcloud' && settings.integrationId === undefined
      ? [
          'Without --integration-id this account can cancel labels (--action cancel-label) but cannot remove shop integration shipments.',
        ]
      : []),
  ]);
  return EXIT.done;
}

async function accountList({ db, credentials, out, positionals }: Context): Promise<number> {
  noPositionals(positionals);
  const accounts = await Promise.all(listAccounts(db).map((account) => viewAccount(account, credentials)));
  // Scripts depend on exactly these four keys; the plain text may show more.
  const document = accounts.map(({ name, provider, baseUrl, hasSecret }) => ({ name, provider, baseUrl, hasSecret }));
  out.result(document, () =>
    accounts.length
      ? accounts.map(
          (a) => `${a.name}\t${a.provider}\t${a.baseUrl}\t${a.hasSecret ? 'key saved' : 'NO KEY'}\t${describeSettings(a)}`,
        )
      : ['No accounts yet. Add one with: bulk-cancel account add --provider electio --name NAME'],
  );
  return EXIT.done;
}

async function accountRemove({ db, credentials, log, out, positionals }: Context): Promise<number> {
  const [name = ''] = positionals;
  const account = findAccountByName(db, name);
  if (!account) throw new AppError('bad_input', `There is no account named "${name.trim()}". See bulk-cancel account list.`);
  const waiting = db
    .prepare(
      `SELECT b.id AS batchId, COUNT(*) AS n FROM items i JOIN batches b ON b.key = i.batch_key
       WHERE i.account_key = (SELECT key FROM accounts WHERE id = ?) AND i.state IN ('queued', 'in_flight')
       GROUP BY i.batch_key ORDER BY MIN(i.id)`,
    )
    .all(account.id) as { batchId: string; n: number }[];
  if (waiting.length) {
    const total = waiting.reduce((sum, { n }) => sum + n, 0);
    const batches = waiting.map((w) => w.batchId);
    const shown = batches.length > 3 ? `${batches.slice(0, 3).join(', ')} and ${batches.length - 3} more` : batches.join(', ');
    throw new AppError(
      'bad_input',
      `Account "${account.name}" still has ${total} queued item(s) (batch ${shown}), so it was not removed: send them first with bulk-cancel run --batch ${batches[0]}.`,
    );
  }
  await removeAccount(db, credentials, account.id, Date.now());
  log.info('account removed', accountFacts(account));
  out.result({ removed: account.name }, () => [`Removed account "${account.name}" and its key.`]);
  return EXIT.done;
}

/**
 * The accounts named with --account, one per provider. Each must exist and, with --provider, be
 * of that provider.
 */
function chooseAccounts(db: Db, names: readonly string[], provider: ProviderId | undefined): AccountChoices {
  const choices: AccountChoices = {};
  const chosen = new Map<ProviderId, Account>();
  for (const name of names) {
    const account = findAccountByName(db, name);
    if (!account) throw new AppError('bad_input', `There is no account named "${name}". See bulk-cancel account list.`);
    if (provider && account.provider !== provider)
      throw new AppError('bad_input', `Account "${account.name}" is ${account.provider}, not ${provider}.`);
    const other = chosen.get(account.provider);
    if (other && other.id !== account.id) {
      throw new AppError(
        'bad_input',
        `"${other.name}" and "${account.name}" are both ${account.provider} accounts: give at most one --account per provider.`,
      );
    }
    chosen.set(account.provider, account);
    choices[account.provider] = account.id;
  }
  return choices;
}

/** Refuses, before anything is queued, a list that needs a choice of account or has no valid row. */
function checkRouting(routing: Routing): void {
  const [ambiguous] = routing.ambiguous;
  if (ambiguous) {
    throw new AppError(
      'bad_input',
      `Several ${ambiguous.provider} accounts fit (${ambiguous.accounts.map((a) => a.name).join(', ')}): choose one with --account NAME (one --account per provider), or name the account in an "account" column.`,
    );
  }
  if (routing.items.length === 0) {
    const [first] = routing.rejected;
    throw new AppError(
      'bad_input',
      `No valid reference to cancel was found in this list; nothing was queued.${first ? ` Row ${first.row}: ${first.error}` : ''}`,
    );
  }
}

async function importFile({ db, out, values, positionals }: Context): Promise<number> {
  const [file, ...extra] = positionals;
  if (!file || extra.length) throw new AppError('bad_input', 'Give exactly one FILE to import (or - for stdin).');
  const provider = providerOption(values.provider);
  const action = actionOption(values.action);
  const choices = chooseAccounts(db, values.account ?? [], provider);
  const accounts = listAccounts(db);
  if (accounts.length === 0) {
    throw new AppError('bad_input', 'No account exists yet. Add one with: bulk-cancel account add --provider ID --name NAME.');
  }
  const held = new Set(accounts.map((account) => account.provider));
  if (provider && !held.has(provider)) {
    throw new AppError(
      'bad_input',
      `No ${provider} account exists yet. Add one with: bulk-cancel account add --provider ${provider} --name NAME.`,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = await readInput(file);
  } catch (error) {
    if (isAppError(error)) throw error;
    throw new AppError('bad_input', `The file ${file} cannot be read: ${fileSystemReason(error)}.`);
  }
  // References are read only as providers that have an account (and only as --provider's, if given).
  const providers = PROVIDER_IDS.filter((id) => held.has(id) && (!provider || id === provider));
  const plan = planImport(await readFile(bytes), { providers, action });
  checkRouting(routeEntries(plan, accounts, choices, action));
  const queued = queueImport(db, plan, {
    sourceName: file === '-' ? null : file,
    action,
    accounts: choices,
    ...batchOrigin(),
    now: Date.now(),
  });
  const routes = queued.routes.map((route) => ({
    account: route.accountName,
    provider: route.provider,
    action: route.action,
    items: route.items,
  }));
  const withoutIntegration = queued.routes.filter(
    (route) =>
      route.provider === 'sendcloud' &&
      route.action === 'cancel' &&
      accounts.find((account) => account.id === route.accountId)?.settings.integrationId === undefined,
  );
  out.result(
    { batchId: queued.batchId, items: queued.items, duplicates: queued.duplicates, rejected: queued.rejected, routes },
    () => [
      `Queued batch ${queued.batchId}: ${queued.items} item(s); ${queued.duplicates} duplicate(s) collapsed; ${queued.rejected.length} row(s) rejected.`,
      ...routes.map(
        (route) =>
          `  ${route.items} item(s) for account "${route.account}" (${PROVIDER_LABELS[route.provider]}): ${actionDescription(route.action, route.provider)}.`,
      ),
      ...withoutIntegration.map(
        (route) =>
          `  Note: account "${route.accountName}" has no integration id, so its items cannot be removed from an integration; remove the account and add it again with --integration-id.`,
      ),
      ...queued.rejected.map((r) => `  row ${r.row}: ${r.error}`),
      `Send it with: bulk-cancel run --batch ${queued.batchId}`,
    ],
  );
  return EXIT.done;
}

async function run({ db, credentials, log, out, values, positionals }: Context): Promise<number> {
  noPositionals(positionals);
  const batchId = requireBatch(db, values);
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // --max-wait: how long to keep waiting while offline before giving up cleanly (items stay queued).
  const maxWaitMs = values['max-wait'] === undefined ? undefined : positiveInteger(values['max-wait'], 'max-wait', 0) * 1000;
  let gaveUp: NodeJS.Timeout | undefined;
  let gaveUpOffline = false;
  let wasOffline = false;
  let waitingForDatabase = false;
  const logging = runLogging(log, batchId);
  try {
    releaseAbandonedClaims(db, Date.now(), isClaimerAlive);
    log.info('batch started', { batch: batchId, ...batchCounts(db, batchId) });
    const report = await runBatch(
      {
        db,
        credentials,
        transport: nodeTransport,
        now: Date.now,
        random: Math.random,
        owner: claimerName('cli'),
        onAnswers: logging.onAnswers,
        onStatus: (status) => {
          logging.onStatus?.(status);
          const { offline, databaseBusySince } = status;
          if ((databaseBusySince !== undefined) !== waitingForDatabase) {
            waitingForDatabase = databaseBusySince !== undefined;
            process.stderr.write(
              waitingForDatabase
                ? 'Waiting: another program (an import?) is writing to the data file; sending goes on when it is done.\n'
                : 'The data file is free again: sending goes on.\n',
            );
          }
          // A change of the database's state alone says nothing about the connection.
          if (offline.length === 0 && !wasOffline) return;
          wasOffline = offline.length > 0;
          clearTimeout(gaveUp);
          if (offline.length === 0) {
            process.stderr.write('Back online: sending again.\n');
            return;
          }
          const queued = batchCounts(db, batchId).queued;
          for (const account of offline) {
            process.stderr.write(
              `Offline: account "${account.accountName}" cannot reach its provider (${account.message}) ${queued} item(s) queued; waiting and retrying by itself.\n`,
            );
          }
          if (maxWaitMs !== undefined) {
            gaveUp = setTimeout(() => {
              gaveUpOffline = true;
              abort.abort();
            }, maxWaitMs);
          }
        },
      },
      batchId,
      {
        ...DEFAULT_RUN_OPTIONS,
        concurrency: positiveInteger(values.concurrency, 'concurrency', DEFAULT_RUN_OPTIONS.concurrency),
        chunkSize: positiveInteger(values['chunk-size'], 'chunk-size', DEFAULT_RUN_OPTIONS.chunkSize),
        maxAttempts: positiveInteger(values['max-attempts'], 'max-attempts', DEFAULT_RUN_OPTIONS.maxAttempts),
        signal: abort.signal,
      },
    );
    const { counts } = report;
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    log.info(counts.queued + counts.in_flight === 0 ? 'batch finished' : 'batch stopped sending', {
      batch: batchId,
      ...counts,
      paused: report.paused,
      attention: report.attention.map((held) => held.message),
    });
    out.result({ batchId, succeeded: counts.succeeded, failed: counts.failed, total }, () => [
      `Batch ${batchId}: ${counts.succeeded} succeeded, ${counts.failed} failed, ${counts.pending} pending, ${counts.queued + counts.in_flight} still queued${counts.stopped ? `, ${counts.stopped} stopped` : ''}, of ${total}.`,
      ...(counts.pending
        ? [
            `${counts.pending} item(s) pending: the provider accepted the cancellation and finishes it later (not failed); see bulk-cancel results --batch ${batchId}.`,
          ]
        : []),
    ]);
    for (const held of report.attention) process.stderr.write(`${held.message}\n`);
    if (gaveUpOffline) {
      process.stderr.write(
        `Gave up after waiting ${maxWaitMs! / 1000} s offline; ${counts.queued} item(s) stay queued. Run again to continue.\n`,
      );
    }
    if (report.attention.length) return EXIT.attention;
    if (report.paused && counts.queued > 0)
      process.stderr.write('The batch is paused; its queued items wait until it is resumed.\n');
    if (abort.signal.aborted && counts.queued + counts.in_flight > 0) return EXIT.someFailed;
    return counts.failed > 0 ? EXIT.someFailed : EXIT.done;
  } finally {
    clearTimeout(gaveUp);
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

async function diagnostics({ db, credentials, log, out, positionals }: Context): Promise<number> {
  noPositionals(positionals);
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

function requireBatch(db: Db, values: ParsedCommand['values']): string {
  const batchId = requireString(values, 'batch');
  if (!db.prepare('SELECT 1 FROM batches WHERE id = ?').get(batchId))
    throw new AppError('bad_input', `There is no batch ${batchId}.`);
  return batchId;
}

function noPositionals(positionals: readonly string[]): void {
  if (positionals.length) throw new AppError('bad_input', `Unexpected "${positionals.join(' ')}". See bulk-cancel --help.`);
}
