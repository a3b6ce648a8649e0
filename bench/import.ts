// Figure 1: a 100,000-row CSV decoded, parsed, validated and stored in SQLite, against papaparse alone on the same text.
import Papa from 'papaparse';
import { planImport, queueImport, readFile } from '../electron/core/import/source';
import { electioReference } from '../tests/simulator';
import { log, median, now, world } from './lib';

export interface ImportFigures {
  rows: number;
  endToEndMs: number;
  rowsPerSecond: number;
  papaparseMs: number;
  /** End to end ÷ papaparse alone: what validating and storing cost on top of the CSV library. */
  ratioToPapaparse: number;
  phases: { decodeMs: number; planMs: number; queueMs: number };
  /** The copy of the import's pages from the WAL into the database file, which the app runs when idle after an import. */
  checkpointMs: number;
}

/** A clerk's export: a header, the reference and an order number; one row in ten typed in lower case with spaces. */
export function electioCsv(rows: number, from: number): string {
  const lines = ['Consignment Reference,Order Number'];
  for (let i = 0; i < rows; i++) {
    const ref = electioReference(from + i);
    lines.push(`${i % 10 === 9 ? ` ${ref.toLowerCase()} ` : ref},ORD-${String(i).padStart(7, '0')}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

export async function benchImport(simUrl: string, rows = 100_000, runs = 3): Promise<ImportFigures> {
  const w = world();
  try {
    await w.account('electio', simUrl, 'sim-electio-key');
    const bytes = Buffer.from(electioCsv(rows, 3_000_000));
    const text = bytes.toString('utf8');
    const ends: number[] = [];
    const decodes: number[] = [];
    const plans: number[] = [];
    const queues: number[] = [];
    const papas: number[] = [];
    const checkpoints: number[] = [];
    for (let run = 0; run < runs; run++) {
      const t0 = now();
      const decoded = await readFile(bytes);
      const t1 = now();
      const plan = planImport(decoded, { providers: ['electio'], action: 'cancel' });
      const t2 = now();
      const queued = queueImport(w.db, plan, {
        sourceName: 'bench.csv',
        action: 'cancel',
        accounts: {},
        createdBy: null,
        machine: null,
        now: Date.now(),
      });
      const t3 = now();
      if (queued.items !== rows) throw new Error(`Import queued ${queued.items} of ${rows} rows.`);
      // What the app leaves for an idle moment (db/checkpoint.ts), timed here so it is seen, not hidden.
      const c0 = now();
      w.db.pragma('wal_checkpoint(PASSIVE)');
      checkpoints.push(now() - c0);
      ends.push(t3 - t0);
      decodes.push(t1 - t0);
      plans.push(t2 - t1);
      queues.push(t3 - t2);
      const p0 = now();
      const parsed = Papa.parse<string[]>(text, {});
      papas.push(now() - p0);
      if (parsed.data.length < rows) throw new Error('papaparse read fewer rows than the file has.');
      log(`import run ${run + 1}: ${(t3 - t0).toFixed(0)} ms end to end, papaparse ${papas.at(-1)?.toFixed(0)} ms`);
    }
    const endToEndMs = median(ends);
    const papaparseMs = median(papas);
    return {
      rows,
      endToEndMs,
      rowsPerSecond: (rows / endToEndMs) * 1000,
      papaparseMs,
      ratioToPapaparse: endToEndMs / papaparseMs,
      phases: { decodeMs: median(decodes), planMs: median(plans), queueMs: median(queues) },
      checkpointMs: median(checkpoints),
    };
  } finally {
    w.close();
  }
}
