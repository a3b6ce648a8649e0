// Small helpers the benchmarks share: temp data dirs with a real SQLite file, an in-memory key store, stats, timing.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addAccount, type Account } from '../electron/core/accounts';
import type { CredentialStore } from '../electron/core/credentials/store';
import { DATABASE_FILE, openDatabase, type Db } from '../electron/core/db/open';
import type { AccountSettings } from '../shared/contract';
import type { ProviderId } from '../shared/domain';

/** Keeps secrets in a Map: benchmarks must not depend on, or write to, the OS keychain. */
export function memoryCredentials(): CredentialStore {
  const secrets = new Map<string, string>();
  return {
    get: async (id) => secrets.get(id) ?? null,
    set: async (id, secret) => void secrets.set(id, secret),
    delete: async (id) => secrets.delete(id),
  };
}

export interface World {
  dir: string;
  db: Db;
  credentials: CredentialStore;
  account(provider: ProviderId, baseUrl: string, secret: string, name?: string, settings?: AccountSettings): Promise<Account>;
  /** Size of the database file after a checkpoint folds the WAL into it. */
  bytes(): number;
  close(): void;
}

/** A fresh data directory on the real disk (os.tmpdir() is not tmpfs here), so fsync costs what it costs. */
export function world(synchronous: 'FULL' | 'OFF' = 'FULL'): World {
  const dir = mkdtempSync(join(tmpdir(), 'bulk-cancel-bench-'));
  const db = openDatabase(dir, { synchronous });
  const credentials = memoryCredentials();
  return {
    dir,
    db,
    credentials,
    account: (provider, baseUrl, secret, name = `${provider} bench`, settings = {}) =>
      addAccount(db, credentials, { provider, name, baseUrl, secret, settings }, Date.now()),
    bytes() {
      db.pragma('wal_checkpoint(TRUNCATE)');
      return statSync(join(dir, DATABASE_FILE)).size;
    },
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Bytes per table and index (SQLite's dbstat), largest first, in MiB. */
export function dbBreakdown(db: Db, top = 6): { name: string; mb: number }[] {
  const rows = db.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT ?').all(top) as {
    name: string;
    bytes: number;
  }[];
  return rows.map(({ name, bytes }) => ({ name, mb: bytes / 2 ** 20 }));
}

export const now = (): number => performance.now();

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0–100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? NaN;
}

export function log(message: string): void {
  process.stderr.write(`[bench ${process.uptime().toFixed(1)}s] ${message}\n`);
}
