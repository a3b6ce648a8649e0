// Figure 8: exact and prefix reference search over 1,000,000 stored items, and what a million items weigh on disk.
import { randomUUID } from 'node:crypto';
import { findReference } from '../electron/core/history';
import { ELECTIO_CANCEL_SUCCESS, electioReference } from '../tests/simulator';
import { dbBreakdown, log, median, now, world } from './lib';

export interface HistoryFigures {
  items: number;
  insertMs: number;
  exactMs: number;
  prefixMs: number;
  missMs: number;
  /** Per query kind: the median and what was searched. */
  queries: { kind: string; query: string; hits: number; medianMs: number }[];
  dbBytes: number;
  /** Bytes per table and index (SQLite's dbstat), largest first. */
  breakdown: { name: string; mb: number }[];
}

export async function benchHistory(items = 1_000_000, perBatch = 10_000, runs = 9): Promise<HistoryFigures> {
  const w = world();
  try {
    const account = await w.account('electio', 'http://127.0.0.1:9', 'sim-electio-key');
    const addBatch = w.db.prepare(
      'INSERT INTO batches (id, source_name, action, created_at, created_by, machine) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const accountKey = w.db.prepare('SELECT key FROM accounts WHERE id = ?').pluck().get(account.id) as number;
    const addItem = w.db.prepare(
      `INSERT INTO items (batch_key, seq, reference, source_row, provider, account_key, action, state, reason, message, http_status,
         attempts, created_at, completed_at)
       VALUES (?, ?, ?, ?, 'electio', ?, 'cancel', 'succeeded', 'cancelled', ?, 200, 1, ?, ?)`,
    );
    const day = 86_400_000;
    const start = now();
    w.db
      .transaction(() => {
        for (let b = 0; b * perBatch < items; b++) {
          const at = Date.now() - (items / perBatch - b) * day;
          const batchKey = addBatch.run(randomUUID(), `day-${b}.csv`, 'cancel', at, 'clerk', 'bench').lastInsertRowid;
          for (let seq = 0; seq < perBatch && b * perBatch + seq < items; seq++) {
            addItem.run(
              batchKey,
              seq,
              electioReference(b * perBatch + seq),
              seq + 2,
              accountKey,
              ELECTIO_CANCEL_SUCCESS,
              at,
              at + 1000,
            );
          }
        }
      })
      .immediate();
    const insertMs = now() - start;
    log(`history: ${items} items stored in ${insertMs.toFixed(0)} ms`);

    const middle = electioReference(Math.floor(items / 2) + 123);
    const cases = [
      { kind: 'exact', query: middle },
      { kind: 'exact', query: ` ${middle.toLowerCase()} ` },
      { kind: 'prefix', query: middle.slice(0, -1) },
      { kind: 'prefix', query: middle.slice(0, -4) },
      { kind: 'prefix', query: 'ec-000-' },
      { kind: 'miss', query: 'EC-ZZZ-ZZZ-ZZZ' },
    ];
    const queries = cases.map(({ kind, query }) => {
      const hits = findReference(w.db, query).length;
      const times: number[] = [];
      for (let run = 0; run < runs; run++) {
        const t = now();
        findReference(w.db, query);
        times.push(now() - t);
      }
      return { kind, query, hits, medianMs: median(times) };
    });
    const worst = (kind: string) => Math.max(...queries.filter((q) => q.kind === kind).map((q) => q.medianMs));
    const breakdown = dbBreakdown(w.db);
    return {
      items,
      insertMs,
      exactMs: worst('exact'),
      prefixMs: worst('prefix'),
      missMs: worst('miss'),
      queries,
      dbBytes: w.bytes(),
      breakdown,
    };
  } finally {
    w.close();
  }
}
