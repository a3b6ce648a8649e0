// Figure 15: cost as the work grows. `bulk-cancel import` and `bulk-cancel run` (Electio cancellist, 100 a request, no
// latency, so the command's own work shows) of 10,000, 100,000 and ~1,000,000 items, spawned and timed start to exit:
// time and peak memory per item, so growth that is not linear shows.
import { log } from './lib';
import type { SimHandle } from './sim';
import { bulkCancel } from './spawned';
import { cliWorld } from './cli';

export interface ScaleStep {
  items: number;
  importMs: number;
  runMs: number;
  importPeakMb: number;
  runPeakMb: number;
}

export interface ScaleFigures {
  steps: ScaleStep[];
  /** Peak memory of a command that reads the same data folder and sends nothing: what memory per item is measured above. */
  baseMb: number;
}

/** Just under the largest list an import takes (1,000,000 rows, header and last line break counted). */
export const SIZES = [10_000, 100_000, 999_990] as const;
const FROM = 20_000_000;

export async function benchScale(sim: SimHandle, sizes: readonly number[] = SIZES): Promise<ScaleFigures> {
  const world = await cliWorld(sim.url);
  try {
    await sim.call({ op: 'latency', ms: 0 });
    const steps: ScaleStep[] = [];
    let from = FROM;
    for (const items of sizes) {
      const file = world.list('electio', from, items);
      await sim.call({ op: 'add', provider: 'electio', from, count: items });
      const { batchId, run: imported } = await world.importList(file);
      const run = await bulkCancel(['run', '--batch', batchId, '--concurrency', '16', '--json'], world.env);
      const done = JSON.parse(run.stdout) as { succeeded: number };
      if (done.succeeded !== items) throw new Error(`bulk-cancel run succeeded ${done.succeeded} of ${items}.`);
      log(
        `scale ×${items}: import ${imported.ms.toFixed(0)} ms (${imported.peakRssMb.toFixed(0)} MiB), run ${run.ms.toFixed(0)} ms (${run.peakRssMb.toFixed(0)} MiB)`,
      );
      steps.push({ items, importMs: imported.ms, runMs: run.ms, importPeakMb: imported.peakRssMb, runPeakMb: run.peakRssMb });
      from += items;
    }
    const base = await bulkCancel(['status', '--json'], world.env);
    return { steps, baseMb: base.peakRssMb };
  } finally {
    await world.close();
  }
}
