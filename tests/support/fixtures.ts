/**
 * Test fixtures shared by the integration tests: a fresh data directory with a real SQLite file,
 * the real keychain, the carrier simulator, and an Electio account that points at it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addAccount, type Account } from '../../electron/core/accounts';
import { planImport, queueImport, type AccountChoices } from '../../electron/core/import/source';
import type { Action } from '../../shared/domain';
import { keychainStore, type CredentialStore } from '../../electron/core/credentials/store';
import { openDatabase, type Db } from '../../electron/core/db/open';
import { ELECTIO_DEFAULT_API_KEY } from '../simulator';
import type { Transport } from '../../electron/core/providers/http';
import type { SendItem } from '../../electron/core/providers/types';
import { nodeTransport } from '../../electron/core/providers/node-transport';
import type { RunnerDeps } from '../../electron/core/queue/runner';
import { withSessionFallback } from '../../electron/core/credentials/session';
import { createService, type AppService, type ServiceDeps } from '../../electron/core/service';

export function tempDir(prefix = 'bulk-cancel-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface TestWorld {
  dataDir: string;
  db: Db;
  credentials: CredentialStore;
  close(): Promise<void>;
}

/**
 * The batch counts kept as items move (electron/core/queue/counts.ts) must equal the items counted.
 * Every test world checks it as it closes, so every writer the tests drive (imports, claims, results,
 * stops, retries, deletes, crashed claims taken over) is held to it.
 */
export function checkCountsKept(db: Db): void {
  const kept = db.prepare('SELECT batch_key AS batch, bucket, n FROM batch_counts WHERE n <> 0 ORDER BY 1, 2').all();
  const counted = db
    .prepare(
      `SELECT batch_key AS batch, CASE WHEN state IN ('queued', 'in_flight') THEN 'waiting' ELSE state END AS bucket, COUNT(*) AS n
       FROM items GROUP BY 1, 2 ORDER BY 1, 2`,
    )
    .all();
  if (JSON.stringify(kept) !== JSON.stringify(counted)) {
    throw new Error(`The kept batch counts ${JSON.stringify(kept)} differ from the items counted ${JSON.stringify(counted)}.`);
  }
}

/** A fresh data directory and database, and the real keychain; `close` checks the kept counts and removes the secrets it stored. */
export function testWorld(): TestWorld {
  const dir = tempDir();
  const db = openDatabase(dir.path);
  const keychain = keychainStore();
  const stored = new Set<string>();
  const credentials: CredentialStore = {
    get: (id) => keychain.get(id),
    set: async (id, secret) => {
      stored.add(id);
      await keychain.set(id, secret);
    },
    delete: (id) => keychain.delete(id),
  };
  return {
    dataDir: dir.path,
    db,
    credentials,
    async close() {
      try {
        if (db.open) checkCountsKept(db);
      } finally {
        db.close();
        for (const id of stored) await keychain.delete(id).catch(() => false);
        dir.remove();
      }
    },
  };
}

export function electioAccount(
  world: TestWorld,
  baseUrl: string,
  name = 'Electio main',
  secret = ELECTIO_DEFAULT_API_KEY,
): Promise<Account> {
  return addAccount(world.db, world.credentials, { provider: 'electio', name, baseUrl, secret }, Date.now());
}

/** What runBatch needs in a test: a database and its keys, a transport (the CLI's unless said), the real clock. */
export function runnerDeps(
  world: Pick<TestWorld, 'db' | 'credentials'>,
  owner: string,
  transport: Transport = nodeTransport,
): RunnerDeps {
  return { db: world.db, credentials: world.credentials, transport, now: Date.now, random: Math.random, owner };
}

let nextItemId = 1;

/** An item as a provider client receives it: a plain cancel, never sent before, unless `extra` says otherwise. */
export function sendItem(reference: string, extra: Partial<SendItem> = {}): SendItem {
  return {
    id: nextItemId++,
    reference,
    action: 'cancel',
    externalOrderId: null,
    externalShipmentId: null,
    step: null,
    maybeSent: false,
    ...extra,
  };
}

/**
 * Imports a pasted list of references as a new batch with this action, each provider's items to the
 * account given for it; null when the list holds no valid reference (nothing is queued then).
 */
export function queueList(
  db: Db,
  references: readonly string[],
  action: Action,
  accounts: AccountChoices,
): { batchId: string; items: number } | null {
  const plan = planImport({ text: ['Reference', ...references].join('\n'), encoding: 'UTF-8', notes: [] }, { action });
  if (plan.entries.length === 0) return null;
  return queueImport(db, plan, { sourceName: null, action, accounts, createdBy: null, machine: null, now: Date.now() });
}

/** The app's service over a test world's database and real keychain, sending through `transport`. */
export function testService(
  world: Pick<TestWorld, 'db' | 'credentials'>,
  owner: string,
  transport: Transport,
  extra: Partial<ServiceDeps> = {},
): AppService {
  return createService({ db: world.db, credentials: withSessionFallback(world.credentials), transport, owner, ...extra });
}
