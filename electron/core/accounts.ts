/**
 * Accounts: a named set of credentials for one provider. SQLite keeps the non-secret fields;
 * the secret goes straight to the credential store and only `hasSecret` ever leaves main.
 */
import { randomUUID } from 'node:crypto';
import type { AccountView } from '../../shared/contract';
import type { ProviderId } from '../../shared/domain';
import type { CredentialStore } from './credentials/store';
import type { Db } from './db/open';
import { AppError } from './errors';
import { PROVIDERS } from './providers/catalog';

export interface Account {
  id: string;
  name: string;
  provider: ProviderId;
  baseUrl: string;
}

interface AccountRow {
  id: string;
  name: string;
  provider: ProviderId;
  base_url: string;
}

const toAccount = (row: AccountRow): Account => ({
  id: row.id,
  name: row.name,
  provider: row.provider,
  baseUrl: row.base_url,
});

export function listAccounts(db: Db): Account[] {
  const rows = db.prepare('SELECT id, name, provider, base_url FROM accounts ORDER BY name COLLATE NOCASE').all() as AccountRow[];
  return rows.map(toAccount);
}

export function getAccount(db: Db, id: string): Account | undefined {
  const row = db.prepare('SELECT id, name, provider, base_url FROM accounts WHERE id = ?').get(id) as AccountRow | undefined;
  return row && toAccount(row);
}

export function findAccountByName(db: Db, name: string): Account | undefined {
  const row = db.prepare('SELECT id, name, provider, base_url FROM accounts WHERE name = ? COLLATE NOCASE').get(name.trim()) as
    AccountRow | undefined;
  return row && toAccount(row);
}

export interface NewAccount {
  provider: ProviderId;
  name: string;
  baseUrl?: string | undefined;
  secret: string;
}

/** Adds an account: the secret is stored in the keychain first, so no account exists without one. */
export async function addAccount(db: Db, credentials: CredentialStore, input: NewAccount, now: number): Promise<Account> {
  const name = input.name.trim();
  if (!name) throw new AppError('bad_input', 'An account needs a name.');
  if (findAccountByName(db, name))
    throw new AppError('conflict', `An account named "${name}" already exists. Choose another name.`);
  const secret = input.secret.replace(/[\r\n]+$/, '');
  if (!secret) throw new AppError('bad_input', 'The API key is empty.');
  const baseUrl = checkBaseUrl(input.baseUrl ?? PROVIDERS[input.provider].defaultBaseUrl);
  const account: Account = { id: randomUUID(), name, provider: input.provider, baseUrl };
  await credentials.set(account.id, secret);
  try {
    db.prepare('INSERT INTO accounts (id, name, provider, base_url, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      account.id,
      account.name,
      account.provider,
      account.baseUrl,
      now,
      now,
    );
  } catch (error) {
    await credentials.delete(account.id).catch(() => false);
    throw error;
  }
  return account;
}

export async function viewAccount(account: Account, credentials: CredentialStore): Promise<AccountView> {
  const secret = await credentials.get(account.id).catch(() => null);
  return { ...account, hasSecret: secret !== null && secret !== '' };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * The API root the provider's paths hang from. Plain http would send the key in clear, so it is
 * accepted only for this machine (a local simulator or proxy).
 */
export function checkBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new AppError('bad_input', `"${raw}" is not a web address. Use the API root, e.g. https://api.electioapp.com.`);
  }
  if (url.username || url.password) throw new AppError('bad_input', 'The base URL must not contain a user name or password.');
  if (url.search || url.hash) throw new AppError('bad_input', 'The base URL must not contain "?" or "#".');
  const loopback = LOOPBACK.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new AppError(
      'bad_input',
      'The base URL must start with https:// (http:// is accepted only for this computer, e.g. a local test server).',
    );
  }
  return url.href.replace(/\/+$/, '');
}
