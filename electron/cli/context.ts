/**
 * What every command of `bulk-cancel` is handed (the open database, the keychain, the log, the
 * output and its arguments), its exit codes, and the checks of arguments that several commands share.
 */
import type { CredentialStore } from '../core/credentials/store';
import type { Db } from '../core/db/open';
import { AppError } from '../core/errors';
import type { Log } from '../core/log';
import { batchExists } from '../core/queue/summary';
import type { ParsedCommand } from './args';
import type { Output } from './io';

declare const BULK_CANCEL_VERSION: string;

export const EXIT = { done: 0, someFailed: 1, badInput: 2, attention: 3, database: 4 } as const;

export interface Context {
  db: Db;
  credentials: CredentialStore;
  log: Log;
  out: Output;
  values: ParsedCommand['values'];
  positionals: string[];
}

export const version = () => (typeof BULK_CANCEL_VERSION === 'string' ? BULK_CANCEL_VERSION : 'dev');

export function requireString(values: ParsedCommand['values'], name: 'provider' | 'name' | 'batch'): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '')
    throw new AppError('bad_input', `--${name} is required. See bulk-cancel --help.`);
  return value;
}

export function requireBatch(db: Db, values: ParsedCommand['values']): string {
  const batchId = requireString(values, 'batch');
  if (!batchExists(db, batchId)) throw new AppError('bad_input', `There is no batch ${batchId}.`);
  return batchId;
}

export function noPositionals(positionals: readonly string[]): void {
  if (positionals.length) throw new AppError('bad_input', `Unexpected "${positionals.join(' ')}". See bulk-cancel --help.`);
}
