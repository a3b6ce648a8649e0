// Figure 6: peak RSS growth while a 100,000-item batch runs, each phase in a fresh child process (see memory-child.ts).
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATABASE_FILE, openDatabase } from '../electron/core/db/open';
import { dbBreakdown, log } from './lib';
import type { SimHandle } from './sim';

interface Phase {
  baseMb: number;
  /** Peak RSS minus RSS before. */
  growthMb: number;
  /** JS heap still in use after the phase and a full GC, minus before: what it keeps, not what it passed through. */
  heldMb: number;
  ms: number;
  samples: number;
}

export interface MemoryFigures {
  items: number;
  latencyMs: number;
  run: Phase;
  import: Phase;
  /** The database after the run (items, results, attempts), folded out of the WAL. */
  dbBytesPerItem: number;
  dbBreakdown: { name: string; mb: number }[];
}

function child<T>(args: string[]): Promise<T> {
  const process = fork(fileURLToPath(new URL('./memory-child.ts', import.meta.url)), args, {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<T>((resolve, reject) => {
    process.once('message', (message) => resolve(message as T));
    process.once('exit', (code) => reject(new Error(`The memory child exited (${code}) without a report.`)));
  });
}

export async function benchMemory(sim: SimHandle, items = 100_000, latencyMs = 1): Promise<MemoryFigures> {
  const from = 1_100_000;
  const dir = mkdtempSync(join(tmpdir(), 'bulk-cancel-bench-'));
  try {
    await sim.call({ op: 'add', provider: 'electio', from, count: items });
    await sim.call({ op: 'latency', ms: latencyMs });
    await sim.call({ op: 'clear' });
    const imported = await child<Phase & { accountId: string; batchId: string }>([
      'import',
      dir,
      sim.url,
      String(from),
      String(items),
    ]);
    const run = await child<Phase & { succeeded: number }>(['run', dir, sim.url, '', '', imported.accountId, imported.batchId]);
    if (run.succeeded !== items) throw new Error(`The memory run cancelled ${run.succeeded} of ${items}.`);
    log(
      `memory: run +${run.growthMb.toFixed(1)} MB in ${run.ms.toFixed(0)} ms (${run.samples} samples); import +${imported.growthMb.toFixed(1)} MB`,
    );
    const db = openDatabase(dir);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const breakdown = dbBreakdown(db);
    const bytes = statSync(join(dir, DATABASE_FILE)).size;
    db.close();
    const { ms, samples, baseMb, growthMb, heldMb } = imported;
    return {
      items,
      latencyMs,
      run: { ms: run.ms, samples: run.samples, baseMb: run.baseMb, growthMb: run.growthMb, heldMb: run.heldMb },
      import: { ms, samples, baseMb, growthMb, heldMb },
      dbBytesPerItem: bytes / items,
      dbBreakdown: breakdown,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
