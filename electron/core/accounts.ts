/**
 * Accounts: a named set of credentials for one provider. SQLite keeps the non-secret fields;
 * the secret goes straight to the credential store and only `hasSecret` ever leaves main.
 * A removed account stays in the table (hidden) so history still names it.
 */
import { randomUUID } from 'node:crypto';
import type { AccountSettings, AccountView } from '../../shared/contract';
import { PROVIDER_LABELS, type ProviderId } from '../../shared/domain';
import { MAX_INTEGRATION_ID, MAX_RATE_PER_MINUTE, PROVIDER_DEFAULTS } from '../../shared/provider-defaults';
import type { CredentialStore } from './credentials/store';
import type { SessionCredentials } from './credentials/session';
import type { Db } from './db/open';
import { AppError } from './errors';
import { splitSecret } from './providers/sendcloud-auth';
import { waitingItems } from './queue/summary';

export interface Account {
  id: string;
  name: string;
  provider: ProviderId;
  baseUrl: string;
  settings: AccountSettings;
}

interface AccountRow {
  id: string;
  name: string;
  provider: ProviderId;
  base_url: string;
  settings: string;
}

const COLUMNS = 'id, name, provider, base_url, settings';

const toAccount = (row: AccountRow): Account => ({
  id: row.id,
  name: row.name,
  provider: row.provider,
  baseUrl: row.base_url,
  settings: JSON.parse(row.settings) as AccountSettings,
});

export function listAccounts(db: Db): Account[] {
  const rows = db
    .prepare(`SELECT ${COLUMNS} FROM accounts WHERE removed_at IS NULL ORDER BY name COLLATE NOCASE`)
    .all() as AccountRow[];
  return rows.map(toAccount);
}

export function getAccount(db: Db, id: string): Account | undefined {
  const row = db.prepare(`SELECT ${COLUMNS} FROM accounts WHERE id = ? AND removed_at IS NULL`).get(id) as AccountRow | undefined;
  return row && toAccount(row);
}

/**
 * The one comparison of account names, wherever a name is looked up or must be unique: case is
 * ignored in every script (SQLite's NOCASE folds ASCII only, so `ÉA` and `éA` were two accounts),
 * and so are Unicode's several spellings of one letter (`É` as one code point or as `E` + accent).
 * Upper then lower case folds `ß` with `SS` and `ς` with `σ`, as full case folding does.
 */
export function accountNameKey(name: string): string {
  return name.trim().normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}

/** Accounts are few, so they are compared in JavaScript, where the fold is the same as everywhere else. */
export function findAccountByName(db: Db, name: string): Account | undefined {
  const key = accountNameKey(name);
  return listAccounts(db).find((account) => accountNameKey(account.name) === key);
}

export function ratePerMinute(account: Account): number {
  return account.settings.ratePerMinute ?? PROVIDER_DEFAULTS[account.provider].ratePerMinute;
}

export interface NewAccount {
  provider: ProviderId;
  name: string;
  baseUrl?: string | undefined;
  settings?: AccountSettings | undefined;
  secret: string;
  /** No keychain is reachable and the clerk agreed to keep the secret in memory until quitting. */
  keepInMemory?: boolean | undefined;
}

/** Adds an account: the secret is stored first, so no account exists without one. */
export async function addAccount(db: Db, credentials: CredentialStore, input: NewAccount, now: number): Promise<Account> {
  const name = checkName(db, input.name, null);
  const secret = checkSecret(input.provider, input.secret);
  const account: Account = {
    id: randomUUID(),
    name,
    provider: input.provider,
    baseUrl: checkBaseUrl(input.baseUrl ?? PROVIDER_DEFAULTS[input.provider].baseUrl),
    settings: await checkSettings(input.provider, input.settings ?? {}),
  };
  await storeSecret(credentials, account.id, secret, input.keepInMemory);
  try {
    // Checked again with the insert, in one write transaction: another process may have taken the name meanwhile.
    db.transaction(() => {
      checkName(db, name, null);
      db.prepare(
        'INSERT INTO accounts (id, name, provider, base_url, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(account.id, account.name, account.provider, account.baseUrl, JSON.stringify(account.settings), now, now);
    }).immediate();
  } catch (error) {
    await credentials.delete(account.id).catch(() => false);
    throw error;
  }
  return account;
}

export interface AccountChanges {
  name?: string | undefined;
  baseUrl?: string | undefined;
  settings?: AccountSettings | undefined;
  secret?: string | undefined;
  keepInMemory?: boolean | undefined;
}

/** Renames or edits an account; a new secret replaces the stored one, none keeps it. */
export async function updateAccount(
  db: Db,
  credentials: CredentialStore,
  id: string,
  changes: AccountChanges,
  now: number,
): Promise<Account> {
  const current = getAccount(db, id);
  if (!current) throw new AppError('not_found', 'That account no longer exists.');
  const updated: Account = {
    ...current,
    name: changes.name === undefined ? current.name : checkName(db, changes.name, id),
    baseUrl: changes.baseUrl === undefined ? current.baseUrl : checkBaseUrl(changes.baseUrl),
    settings: changes.settings === undefined ? current.settings : await checkSettings(current.provider, changes.settings),
  };
  if (changes.secret !== undefined)
    await storeSecret(credentials, id, checkSecret(current.provider, changes.secret), changes.keepInMemory);
  db.transaction(() => {
    if (changes.name !== undefined) checkName(db, updated.name, id);
    db.prepare('UPDATE accounts SET name = ?, base_url = ?, settings = ?, updated_at = ? WHERE id = ?').run(
      updated.name,
      updated.baseUrl,
      JSON.stringify(updated.settings),
      now,
      id,
    );
  }).immediate();
  return updated;
}

/** Removes an account and its secret; refused while it still has items waiting to be sent. */
export async function removeAccount(db: Db, credentials: CredentialStore, id: string, now: number): Promise<void> {
  const account = getAccount(db, id);
  if (!account) throw new AppError('not_found', 'That account no longer exists.');
  const waiting = waitingItems(db, { accountId: id });
  if (waiting > 0) {
    throw new AppError(
      'conflict',
      `Account "${account.name}" still has ${waiting} cancellation(s) waiting to be sent. Send them (or stop them) first.`,
    );
  }
  await credentials.delete(id);
  db.prepare('UPDATE accounts SET removed_at = ?, updated_at = ? WHERE id = ?').run(now, now, id);
}

export async function viewAccount(account: Account, credentials: CredentialStore | SessionCredentials): Promise<AccountView> {
  const secret = await credentials.get(account.id).catch(() => null);
  return {
    ...account,
    ratePerMinute: ratePerMinute(account),
    hasSecret: secret !== null && secret !== '',
    secretInMemory: 'inMemory' in credentials ? credentials.inMemory(account.id) : false,
  };
}

async function storeSecret(
  credentials: CredentialStore | SessionCredentials,
  id: string,
  secret: string,
  keepInMemory: boolean | undefined,
) {
  if (keepInMemory && 'keepForSession' in credentials) credentials.keepForSession(id, secret);
  else await credentials.set(id, secret);
}

function checkName(db: Db, raw: string, selfId: string | null): string {
  const name = raw.trim();
  if (!name) throw new AppError('bad_input', 'An account needs a name.');
  const existing = findAccountByName(db, name);
  if (existing && existing.id !== selfId)
    throw new AppError('conflict', `An account named "${name}" already exists. Choose another name.`);
  return name;
}

function checkSecret(provider: ProviderId, raw: string): string {
  const secret = raw.replace(/[\r\n]+$/, '');
  if (!secret) throw new AppError('bad_input', 'The API key is empty.');
  if (provider === 'sendcloud' && !splitSecret(secret)) {
    throw new AppError('bad_input', 'Give the Sendcloud key as PUBLIC_KEY:SECRET_KEY (or CLIENT_ID:CLIENT_SECRET for OAuth2).');
  }
  return secret;
}

/** The settings only Sendcloud accounts have, in the order they are named. */
const SENDCLOUD_SETTINGS = ['integrationId', 'authKind', 'tokenUrl'] as const;

/**
 * Which of the settings given (those not undefined) `provider`'s accounts do not have: Sendcloud's
 * own, for any other provider. The CLI asks this of its flags before it reads their values.
 */
export function settingsNotFor(
  provider: ProviderId,
  given: Partial<Record<keyof AccountSettings, unknown>>,
): (keyof AccountSettings)[] {
  return provider === 'sendcloud' ? [] : SENDCLOUD_SETTINGS.filter((field) => given[field] !== undefined);
}

async function checkSettings(provider: ProviderId, settings: AccountSettings): Promise<AccountSettings> {
  await checkLimits(settings);
  const { ratePerMinute: rate, paceCeilingPerMinute: ceiling, integrationId, authKind, tokenUrl } = settings;
  const pace = {
    ...(rate === undefined ? {} : { ratePerMinute: rate }),
    ...(ceiling === undefined ? {} : { paceCeilingPerMinute: ceiling }),
  };
  if (provider !== 'sendcloud') {
    if (settingsNotFor(provider, settings).length) {
      throw new AppError(
        'bad_input',
        `Integration id, auth kind and token URL are Sendcloud settings; ${PROVIDER_LABELS[provider]} has none.`,
      );
    }
    return pace;
  }
  return {
    ...(integrationId === undefined ? {} : { integrationId }),
    authKind: authKind ?? 'basic',
    ...(tokenUrl === undefined ? {} : { tokenUrl: checkTokenUrl(tokenUrl) }),
    ...pace,
  };
}

/**
 * The contract's limits, for every caller (a request from the window was checked already; the CLI's was
 * not). The contract's schemas are loaded here, when an account is added or changed, and not before: a
 * command that only reads or sends never needs them (they are most of its start-up otherwise).
 */
async function checkLimits(settings: AccountSettings): Promise<void> {
  const { AccountSettings: schema } = await import('../../shared/contract');
  const problem = schema.safeParse(settings).error?.issues[0];
  if (!problem) return;
  const field = problem.path[0];
  if (field === 'ratePerMinute' || field === 'paceCeilingPerMinute')
    throw new AppError(
      'bad_input',
      `Requests per minute must be a whole number from 1 to ${MAX_RATE_PER_MINUTE.toLocaleString('en')}.`,
    );
  if (field === 'integrationId')
    throw new AppError(
      'bad_input',
      `The integration id must be a whole number from 1 to ${MAX_INTEGRATION_ID.toLocaleString('en')}.`,
    );
  throw new AppError('bad_input', `The account setting ${String(field ?? '')} is not valid: ${problem.message}`);
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** The API root the provider's paths hang from, without a trailing slash. */
export function checkBaseUrl(raw: string): string {
  return checkUrl(raw, 'base URL').replace(/\/+$/, '');
}

/** Where Sendcloud's OAuth2 tokens come from (the slash at its end matters to Sendcloud). */
export function checkTokenUrl(raw: string): string {
  return checkUrl(raw, 'token URL');
}

/**
 * A URL a secret is sent to. Plain http would send it in clear, so it is accepted only for this
 * machine (a local simulator or proxy).
 */
function checkUrl(raw: string, what: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new AppError('bad_input', `"${raw}" is not a web address. Use the API root, e.g. https://api.electioapp.com.`);
  }
  if (url.username || url.password) throw new AppError('bad_input', `The ${what} must not contain a user name or password.`);
  if (url.search || url.hash) throw new AppError('bad_input', `The ${what} must not contain "?" or "#".`);
  const loopback = LOOPBACK.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new AppError(
      'bad_input',
      `The ${what} must start with https:// (http:// is accepted only for this computer, e.g. a local test server).`,
    );
  }
  return url.href;
}
