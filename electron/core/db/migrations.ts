/**
 * The schema, as numbered migrations. Each runs once, in its own transaction, and bumps
 * `PRAGMA user_version`; a migration is never edited after it has shipped, only followed by a new one.
 */
export interface Migration {
  readonly version: number;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        provider TEXT NOT NULL,
        base_url TEXT NOT NULL,
        settings TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX accounts_name ON accounts (name COLLATE NOCASE);

      CREATE TABLE batches (
        id TEXT PRIMARY KEY,
        source_name TEXT,
        action TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        created_by TEXT,
        machine TEXT
      );

      CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        batch_id TEXT NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        reference TEXT NOT NULL,
        source_row INTEGER,
        provider TEXT NOT NULL,
        account_id TEXT NOT NULL REFERENCES accounts (id),
        action TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'in_flight', 'succeeded', 'failed', 'stopped')),
        reason TEXT,
        message TEXT,
        http_status INTEGER,
        api_links TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL DEFAULT 0,
        lease_until INTEGER,
        claimed_by TEXT,
        created_at INTEGER NOT NULL,
        completed_at INTEGER,
        UNIQUE (batch_id, reference)
      );
      CREATE INDEX items_batch_state ON items (batch_id, state, seq);
      CREATE INDEX items_reference ON items (reference);
      CREATE INDEX items_account ON items (account_id, state);

      CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
        started_at INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        endpoint TEXT NOT NULL,
        http_status INTEGER,
        outcome TEXT NOT NULL,
        reason TEXT,
        message TEXT
      );
      CREATE INDEX attempts_item ON attempts (item_id);

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    // Three providers and their actions: the `pending` state (accepted, finished later), the step a
    // two-step action has done, Sendcloud's external id pair, a mark on items that may have reached
    // the provider before a crash, and accounts that are removed but still named in history.
    version: 2,
    sql: `
      CREATE TABLE items_v2 (
        id INTEGER PRIMARY KEY,
        batch_id TEXT NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        reference TEXT NOT NULL,
        source_row INTEGER,
        provider TEXT NOT NULL,
        account_id TEXT NOT NULL REFERENCES accounts (id),
        action TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'in_flight', 'succeeded', 'failed', 'pending', 'stopped')),
        reason TEXT,
        message TEXT,
        http_status INTEGER,
        api_links TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL DEFAULT 0,
        lease_until INTEGER,
        claimed_by TEXT,
        created_at INTEGER NOT NULL,
        completed_at INTEGER,
        external_order_id TEXT,
        external_shipment_id TEXT,
        step TEXT,
        maybe_sent INTEGER NOT NULL DEFAULT 0,
        UNIQUE (batch_id, reference)
      );
      INSERT INTO items_v2 (id, batch_id, seq, reference, source_row, provider, account_id, action, state, reason, message,
        http_status, api_links, attempts, next_attempt_at, lease_until, claimed_by, created_at, completed_at)
      SELECT id, batch_id, seq, reference, source_row, provider, account_id, action, state, reason, message,
        http_status, api_links, attempts, next_attempt_at, lease_until, claimed_by, created_at, completed_at FROM items;
      DROP TABLE items;
      ALTER TABLE items_v2 RENAME TO items;
      CREATE INDEX items_batch_state ON items (batch_id, state, seq);
      CREATE INDEX items_reference ON items (reference);
      CREATE INDEX items_account ON items (account_id, state);

      ALTER TABLE accounts ADD COLUMN removed_at INTEGER;
      DROP INDEX accounts_name;
      CREATE UNIQUE INDEX accounts_name ON accounts (name COLLATE NOCASE) WHERE removed_at IS NULL;
    `,
  },
  {
    // The queue under the clerk's control and shared between the app and the CLI: paused batches,
    // attempt rounds (retry failed items starts a new one), and each account's pace and hold
    // (a 429's Retry-After) kept where every process sees it.
    version: 3,
    sql: `
      ALTER TABLE batches ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE items ADD COLUMN round_start INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE account_pace (
        account_id TEXT PRIMARY KEY REFERENCES accounts (id),
        tokens REAL NOT NULL,
        updated_at INTEGER NOT NULL,
        hold_until INTEGER NOT NULL DEFAULT 0
      );
    `,
  },
  {
    // Lighter items for large imports: the importer already keeps one item per reference in a
    // batch, so the UNIQUE (batch_id, reference) index goes; and only items waiting or in flight
    // are indexed by account (what removing an account asks), not every finished item.
    version: 4,
    sql: `
      CREATE TABLE items_v4 (
        id INTEGER PRIMARY KEY,
        batch_id TEXT NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        reference TEXT NOT NULL,
        source_row INTEGER,
        provider TEXT NOT NULL,
        account_id TEXT NOT NULL REFERENCES accounts (id),
        action TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'in_flight', 'succeeded', 'failed', 'pending', 'stopped')),
        reason TEXT,
        message TEXT,
        http_status INTEGER,
        api_links TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL DEFAULT 0,
        lease_until INTEGER,
        claimed_by TEXT,
        created_at INTEGER NOT NULL,
        completed_at INTEGER,
        external_order_id TEXT,
        external_shipment_id TEXT,
        step TEXT,
        maybe_sent INTEGER NOT NULL DEFAULT 0,
        round_start INTEGER NOT NULL DEFAULT 0
      );
      INSERT INTO items_v4 (id, batch_id, seq, reference, source_row, provider, account_id, action, state, reason, message,
        http_status, api_links, attempts, next_attempt_at, lease_until, claimed_by, created_at, completed_at,
        external_order_id, external_shipment_id, step, maybe_sent, round_start)
      SELECT id, batch_id, seq, reference, source_row, provider, account_id, action, state, reason, message,
        http_status, api_links, attempts, next_attempt_at, lease_until, claimed_by, created_at, completed_at,
        external_order_id, external_shipment_id, step, maybe_sent, round_start FROM items;
      DROP TABLE items;
      ALTER TABLE items_v4 RENAME TO items;
      CREATE INDEX items_batch_state ON items (batch_id, state, seq);
      CREATE INDEX items_reference ON items (reference);
      CREATE INDEX items_account ON items (account_id) WHERE state IN ('queued', 'in_flight');
    `,
  },
  {
    // Smaller items for large imports: batches and accounts get an integer key, and items name
    // them by it instead of by their 36-character ids (a smaller row and smaller indexes). The
    // ids stay what the clerk, the CLI and exports see; the keys never leave the database.
    // Items look up their batch and account with a subquery, so a missing one fails the
    // migration (NOT NULL) rather than losing the item.
    version: 5,
    sql: `
      CREATE TABLE accounts_v5 (
        key INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        provider TEXT NOT NULL,
        base_url TEXT NOT NULL,
        settings TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        removed_at INTEGER
      );
      INSERT INTO accounts_v5 (id, name, provider, base_url, settings, created_at, updated_at, removed_at)
      SELECT id, name, provider, base_url, settings, created_at, updated_at, removed_at FROM accounts ORDER BY rowid;

      CREATE TABLE batches_v5 (
        key INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        source_name TEXT,
        action TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        created_by TEXT,
        machine TEXT,
        paused INTEGER NOT NULL DEFAULT 0
      );
      INSERT INTO batches_v5 (id, source_name, action, created_at, created_by, machine, paused)
      SELECT id, source_name, action, created_at, created_by, machine, paused FROM batches ORDER BY rowid;

      CREATE TABLE items_v5 (
        id INTEGER PRIMARY KEY,
        batch_key INTEGER NOT NULL REFERENCES batches (key) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        reference TEXT NOT NULL,
        source_row INTEGER,
        provider TEXT NOT NULL,
        account_key INTEGER NOT NULL REFERENCES accounts (key),
        action TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'in_flight', 'succeeded', 'failed', 'pending', 'stopped')),
        reason TEXT,
        message TEXT,
        http_status INTEGER,
        api_links TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL DEFAULT 0,
        lease_until INTEGER,
        claimed_by TEXT,
        created_at INTEGER NOT NULL,
        completed_at INTEGER,
        external_order_id TEXT,
        external_shipment_id TEXT,
        step TEXT,
        maybe_sent INTEGER NOT NULL DEFAULT 0,
        round_start INTEGER NOT NULL DEFAULT 0
      );
      INSERT INTO items_v5 (id, batch_key, seq, reference, source_row, provider, account_key, action, state, reason, message,
        http_status, api_links, attempts, next_attempt_at, lease_until, claimed_by, created_at, completed_at,
        external_order_id, external_shipment_id, step, maybe_sent, round_start)
      SELECT id, (SELECT key FROM batches_v5 b WHERE b.id = items.batch_id), seq, reference, source_row, provider,
        (SELECT key FROM accounts_v5 a WHERE a.id = items.account_id), action, state, reason, message,
        http_status, api_links, attempts, next_attempt_at, lease_until, claimed_by, created_at, completed_at,
        external_order_id, external_shipment_id, step, maybe_sent, round_start FROM items;

      DROP TABLE items;
      DROP TABLE batches;
      DROP TABLE accounts;
      ALTER TABLE accounts_v5 RENAME TO accounts;
      ALTER TABLE batches_v5 RENAME TO batches;
      ALTER TABLE items_v5 RENAME TO items;
      CREATE UNIQUE INDEX accounts_name ON accounts (name COLLATE NOCASE) WHERE removed_at IS NULL;
      CREATE INDEX items_batch_state ON items (batch_key, state, seq);
      CREATE INDEX items_reference ON items (reference);
      CREATE INDEX items_account ON items (account_key) WHERE state IN ('queued', 'in_flight');
    `,
  },
  {
    // Fenced claims and whole imports. Every claim of an item numbers it anew, and a result is kept
    // only under the item's current claim: a runner whose lease ran out while it was stopped cannot
    // overwrite the runner that took its items over. A batch names its importer until its last rows
    // are in: no runner takes it half written, and a crashed import is recognised and removed.
    version: 6,
    sql: `
      ALTER TABLE items ADD COLUMN claim INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE batches ADD COLUMN importing TEXT;
    `,
  },
  {
    // The automatic pace, shared by the app and the CLI: the pace an account sends at now (null:
    // its starting pace), the pace at which the carrier last pushed back (rises stop short of it),
    // and why and when the pace last changed, for the clerk.
    version: 7,
    sql: `
      ALTER TABLE account_pace ADD COLUMN per_minute REAL;
      ALTER TABLE account_pace ADD COLUMN pushback_per_minute REAL;
      ALTER TABLE account_pace ADD COLUMN reason TEXT;
      ALTER TABLE account_pace ADD COLUMN changed_at INTEGER;
    `,
  },
  {
    // Two questions asked at every run's start and at every progress tick read only the items they
    // are about, not every item waiting in the file. Which accounts of a batch still wait (the paces
    // shown beside it) seeks (account, batch) instead of scanning an account's waiting items of every
    // batch. Which claims are held, and by whom (abandoned claims at start, the items being sent), reads
    // an index of the items in flight: a few hundred entries, where a scan read every item.
    version: 8,
    sql: `
      DROP INDEX items_account;
      CREATE INDEX items_account ON items (account_key, batch_key) WHERE state IN ('queued', 'in_flight');
      CREATE INDEX items_in_flight ON items (batch_key, claimed_by) WHERE state = 'in_flight';
    `,
  },
  {
    // Each batch's items by outcome, kept by the writers that move them (queue/counts.ts), so a
    // batch's counts are read, not counted over its items at every progress tick. Queued and in
    // flight are one bucket, 'waiting'; the few in flight are counted from items_in_flight.
    version: 9,
    sql: `
      CREATE TABLE batch_counts (
        batch_key INTEGER NOT NULL REFERENCES batches (key) ON DELETE CASCADE,
        bucket TEXT NOT NULL CHECK (bucket IN ('waiting', 'succeeded', 'failed', 'pending', 'stopped')),
        n INTEGER NOT NULL,
        PRIMARY KEY (batch_key, bucket)
      ) WITHOUT ROWID;
      INSERT INTO batch_counts (batch_key, bucket, n)
        SELECT batch_key, CASE WHEN state IN ('queued', 'in_flight') THEN 'waiting' ELSE state END, COUNT(*)
        FROM items GROUP BY 1, 2;
    `,
  },
  {
    // Which references of a new list an earlier batch already cancelled (the import's warning)
    // seeks the succeeded items only: through the reference index it also read every queued or
    // failed item of each reference, so a list imported again cost more with every copy of it.
    version: 10,
    sql: `CREATE INDEX items_succeeded ON items (reference) WHERE state = 'succeeded';`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
