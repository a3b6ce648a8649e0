/**
 * Opens the app's one SQLite file: durable pragmas (WAL, synchronous=FULL, foreign keys), then
 * the numbered migrations. A database written by a newer app is refused rather than guessed at.
 * An import left half written by a process that died is removed here, before anything reads it.
 * A damaged file is refused before anything is written to it: the whole-file check reads every page
 * (half a second for 400,000 items), so it runs after an end that was not clean, and otherwise once a
 * day; damage found in between by a read is still reported as such (`databaseError`). Each batch's
 * kept counts are counted again with that check (queue/counts.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AppError, describeError } from '../errors';
import { makeDataFolder } from '../paths';
import { isClaimerAlive } from '../queue/claimer';
import { recountBatches } from '../queue/counts';
import { discardUnfinishedImports } from '../queue/batch-writes';
import { readSetting, writeSetting } from '../settings';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export const DATABASE_FILE = 'bulk-cancel.sqlite';

export interface OpenOptions {
  /** better-sqlite3 built for another runtime (the Electron app passes its own build). */
  nativeBinding?: string;
  /** Only for tests of durability cost; the app always uses FULL. */
  synchronous?: 'FULL' | 'OFF';
  migrations?: readonly Migration[];
  /** The clock that says when the file was last checked whole (tests move it). */
  now?: () => number;
}

/** How long a whole-file check stands for a file that was closed cleanly since. */
export const INTEGRITY_CHECK_EVERY_MS = 24 * 60 * 60 * 1000;
const CHECKED_AT = 'integrityCheckedAt';

export function openDatabase(dataDir: string, options: OpenOptions = {}): Db {
  const file = join(dataDir, DATABASE_FILE);
  // A data folder that cannot be made is the clerk's choice of folder, not the database's fault.
  makeDataFolder(dataDir);
  // SQLite removes the write-ahead log when the last connection closes cleanly: one left behind means a
  // process died with the file open (or another one has it open now).
  const uncleanEnd = existsSync(`${file}-wal`);
  const now = options.now ?? Date.now;
  let db: Db;
  try {
    db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  } catch (error) {
    throw databaseError(file, error);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const checked = uncleanEnd || !checkedRecently(db, now());
    if (checked) checkWhole(db, file);
    const migrations = options.migrations ?? MIGRATIONS;
    migrate(db, migrations);
    if (checked && migrations === MIGRATIONS) {
      recountBatches(db);
      writeSetting(db, CHECKED_AT, now());
    }
    // Only the app's own schema has imports to look at (tests open older ones to upgrade them).
    if (migrations === MIGRATIONS) discardUnfinishedImports(db, isClaimerAlive);
    return db;
  } catch (error) {
    db.close();
    throw error instanceof AppError ? error : databaseError(file, error);
  }
}

function checkedRecently(db: Db, at: number): boolean {
  let checkedAt: unknown;
  try {
    checkedAt = readSetting<unknown>(db, CHECKED_AT);
  } catch {
    return false; // no settings table yet: a new or an old file
  }
  return typeof checkedAt === 'number' && at - checkedAt >= 0 && at - checkedAt < INTEGRITY_CHECK_EVERY_MS;
}

/** Reads every page; refuses a damaged file before anything is written to it. */
function checkWhole(db: Db, file: string): void {
  const check = db.pragma('quick_check', { simple: true });
  if (check !== 'ok') {
    throw new AppError(
      'database_unavailable',
      `The data file ${file} is damaged (${String(check)}). Nothing was changed; restore it from a backup or move it away to start afresh.`,
    );
  }
}

export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): void {
  const latest = migrations.at(-1)?.version ?? 0;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) {
    throw new AppError(
      'database_unavailable',
      `This data was written by a newer version of Bulk Cancel (schema ${current}; this version knows up to ${latest}). Update the app to open it.`,
    );
  }
  if (current === latest) return;
  // A migration may rebuild a table (SQLite cannot change a CHECK in place); with foreign keys on,
  // dropping the old table would cascade into its children. So keys are off while migrating and
  // checked before each migration commits, as SQLite's own procedure for schema changes says.
  db.pragma('foreign_keys = OFF');
  try {
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      db.transaction(() => {
        db.exec(migration.sql);
        if ((db.pragma('foreign_key_check') as unknown[]).length > 0) {
          throw new AppError(
            'database_unavailable',
            `Upgrading the data to schema ${migration.version} broke its links; nothing was changed.`,
          );
        }
        db.pragma(`user_version = ${migration.version}`);
      }).immediate();
    }
  } finally {
    db.pragma('foreign_keys = ON');
  }
}

export function databaseError(file: string, error: unknown): AppError {
  const detail = describeError(error);
  const code = (error as { code?: string }).code ?? '';
  if (code === 'SQLITE_FULL' || /disk is full|ENOSPC/i.test(detail)) {
    return new AppError(
      'database_unavailable',
      `The disk holding ${file} is full. Free some space and try again; nothing stored was lost.`,
    );
  }
  if (code === 'SQLITE_READONLY' || /readonly|EACCES|EROFS|permission/i.test(detail)) {
    return new AppError(
      'database_unavailable',
      `The data file ${file} cannot be written (read-only or no permission). Choose a writable data directory.`,
    );
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || /not a database|malformed/i.test(detail)) {
    return new AppError('database_unavailable', `The data file ${file} is damaged or is not a Bulk Cancel database.`);
  }
  return new AppError('database_unavailable', `The data file ${file} cannot be opened: ${detail}`);
}
