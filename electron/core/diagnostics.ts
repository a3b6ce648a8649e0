/**
 * "Copy diagnostics for support": one plain text with what a support person asks first (versions,
 * folders, the database's size and schema, batches and items by state, the accounts with the kind
 * of credential each has, which are offline, and the last lines of the log). It names credentials
 * by kind only, never by value, and the whole text is redacted once more before it leaves.
 */
import { statSync } from 'node:fs';
import { arch, platform, release } from 'node:os';
import { dirname } from 'node:path';
import { PROVIDER_LABELS } from '../../shared/domain';
import { listAccounts, viewAccount, type Account } from './accounts';
import type { CredentialStore } from './credentials/store';
import type { Db } from './db/open';
import type { Log } from './log';
import { itemCounts } from './queue/counts';
import { batchStates } from './queue/summary';

export const DIAGNOSTIC_LOG_LINES = 200;

export interface DiagnosticsInput {
  db: Db;
  credentials: CredentialStore;
  log: Log;
  appVersion: string;
  /** Accounts that cannot reach their provider right now, by name. */
  offline: ReadonlyMap<string, { since: number; message: string }>;
  /** Whether a batch is being sent (else the accounts' connection is simply not known). */
  sending: boolean;
  now: number;
}

export async function diagnosticsText(input: DiagnosticsInput): Promise<string> {
  const { db, log } = input;
  const versions = [
    `Node ${process.versions.node}`,
    ...(process.versions.electron ? [`Electron ${process.versions.electron}`] : []),
    ...(process.versions.chrome ? [`Chrome ${process.versions.chrome}`] : []),
  ];
  const accounts = await Promise.all(listAccounts(db).map((account) => accountLine(account, input)));
  const logLines = await log.tail(DIAGNOSTIC_LOG_LINES);
  const text = [
    'Bulk Cancel diagnostics (for support: no keys, passwords or tokens are included)',
    `Created: ${new Date(input.now).toISOString()}`,
    `App: Bulk Cancel ${input.appVersion} (${versions.join(', ')})`,
    `System: ${platform()} ${release()} ${arch()}`,
    `Data folder: ${dirname(db.name)}`,
    `Log folder: ${log.dir ?? 'none (no log is kept)'}`,
    `Database: schema ${String(db.pragma('user_version', { simple: true }))}, ${databaseSize(db.name)}`,
    `Batches: ${batchLine(db)}`,
    `Items: ${itemLine(db)}`,
    '',
    `Accounts (${accounts.length}):`,
    ...(accounts.length ? accounts : ['  none']),
    '',
    `Last ${logLines.length} log line(s):`,
    ...logLines,
    '',
  ].join('\n');
  return log.redactText(text);
}

async function accountLine(account: Account, input: DiagnosticsInput): Promise<string> {
  const view = await viewAccount(account, input.credentials);
  const where = view.secretInMemory ? 'kept in memory until the app quits' : 'in the system keychain';
  const credential = view.hasSecret ? `${credentialKind(account)} ${where}` : `no ${credentialKind(account)} saved`;
  const offline = input.offline.get(account.name);
  const connection = offline
    ? `offline since ${new Date(offline.since).toISOString()} (${offline.message})`
    : input.sending
      ? 'online'
      : 'not sending now';
  const facts = [
    PROVIDER_LABELS[account.provider],
    account.baseUrl,
    credential,
    ...(account.settings.integrationId ? [`integration ${account.settings.integrationId}`] : []),
    ...(account.settings.tokenUrl ? [`token URL ${account.settings.tokenUrl}`] : []),
    connection,
  ];
  return `  "${account.name}": ${facts.join('; ')}`;
}

/** The kind of credential, never its value; worded so no redaction rule mistakes it for one. */
function credentialKind(account: Account): string {
  if (account.provider !== 'sendcloud') return 'API key';
  return account.settings.authKind === 'oauth2' ? 'OAuth2 client id and secret' : 'HTTP Basic (public and secret key)';
}

function databaseSize(file: string): string {
  const size = (path: string) => {
    try {
      return statSync(path).size;
    } catch {
      return 0;
    }
  };
  const main = size(file);
  const wal = size(`${file}-wal`);
  return `${(main / 1024 / 1024).toFixed(1)} MiB (${main} bytes, write-ahead log ${wal} bytes)`;
}

function batchLine(db: Db): string {
  const { total, waiting, paused } = batchStates(db);
  return `${total} (waiting or sending ${waiting - paused}, paused ${paused}, finished ${total - waiting})`;
}

function itemLine(db: Db): string {
  return Object.entries(itemCounts(db))
    .map(([state, n]) => `${state} ${n}`)
    .join(', ');
}
