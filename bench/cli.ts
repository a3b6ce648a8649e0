// Figures 9–12: `bulk-cancel` as a user runs it, spawned and timed from start to exit, each paired in the same run with a
// bare process doing the same work (a bare client sending the same cancels, a bare parse of the same file), so the
// ratios hold on a busy machine.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ELECTIO_DEFAULT_API_KEY, SORTED_DEFAULT_API_KEY } from '../tests/simulator';
import { log, median } from './lib';
import { BENCH_REFERENCE, type SimHandle } from './sim';
import { BARE_CLIENT, BARE_PARSE, BULK_CANCEL, bulkCancel, timedNode, type Exited } from './spawned';

/** A data folder and a throwaway HOME for the spawned command, with one account per provider the figures use. */
export interface CliWorld {
  env: NodeJS.ProcessEnv;
  dir: string;
  /** Writes a list of references (a header, one per line) and returns its path. */
  list(provider: 'electio' | 'sorted-pro', from: number, count: number): string;
  /** Imports a list (untimed unless the caller times it) and returns the batch id. */
  importList(file: string): Promise<{ batchId: string; run: Exited }>;
  close(): Promise<void>;
}

export async function cliWorld(simUrl: string): Promise<CliWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'bulk-cancel-bench-cli-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir, BULK_CANCEL_DATA_DIR: join(dir, 'data') };
  delete env.NODE_OPTIONS; // tsx's loader is the bench's business, not the command's
  // The highest rate an account may set: these figures measure the command, not the carrier's pace (see pace.ts).
  const add = (provider: string, name: string, key: string) =>
    bulkCancel(
      ['account', 'add', '--provider', provider, '--name', name, '--base-url', simUrl, '--rate', '100000'],
      env,
      `${key}\n`,
    );
  await add('sorted-pro', 'Sorted', SORTED_DEFAULT_API_KEY);
  await add('electio', 'Electio', ELECTIO_DEFAULT_API_KEY);
  const batches: string[] = [];
  return {
    env,
    dir,
    list(provider, from, count) {
      const file = join(dir, `${provider}-${from}-${count}.csv`);
      const lines = ['reference'];
      for (let i = 0; i < count; i++) lines.push(BENCH_REFERENCE[provider](from + i));
      writeFileSync(file, `${lines.join('\n')}\n`);
      return file;
    },
    async importList(file) {
      const run = await bulkCancel(['import', file, '--json'], env);
      const { batchId } = JSON.parse(run.stdout) as { batchId: string };
      batches.push(batchId);
      return { batchId, run };
    },
    async close() {
      // The accounts' keys leave the keychain: stop what was only imported, then remove the accounts.
      try {
        for (const batchId of batches) await timedNode(BULK_CANCEL, ['stop', '--batch', batchId], env);
        for (const name of ['Sorted', 'Electio']) await bulkCancel(['account', 'remove', name], env);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export interface CliFigures {
  startup: { ms: number; nodeMs: number; runs: number };
  import: { rows: number; ms: number; rowsPerSecond: number; bareParseMs: number; peakRssMb: number };
  runs: { items: number; latencyMs: number; concurrency: number; ms: number; bareMs: number; ratio: number; idealMs: number }[];
  /** bareMs, bareSpeedUp: the bare client at the command's concurrency, the ceiling of the figure here. */
  speedUp: {
    items: number;
    latencyMs: number;
    sequentialMs: number;
    ms: number;
    speedUp: number;
    bareMs: number;
    bareSpeedUp: number;
  };
}

/** Reference numbers of these figures, apart from every other figure's. */
const RANGE = { import: 5_000_000, runs: 6_000_000, bare: 7_000_000, sequential: 8_000_000 };
const L = 20;
const C = 16;

/** `bulk-cancel run` of `count` fresh Sorted PRO shipments, then the bare client on as many others; both start to exit. */
async function pairedRun(sim: SimHandle, world: CliWorld, from: number, count: number, concurrency = C) {
  const { batchId } = await world.importList(world.list('sorted-pro', RANGE.runs + from, count));
  await sim.call({ op: 'add', provider: 'sorted-pro', from: RANGE.runs + from, count });
  await sim.call({ op: 'latency', ms: L });
  const run = await bulkCancel(['run', '--batch', batchId, '--concurrency', String(concurrency), '--json'], world.env);
  const done = JSON.parse(run.stdout) as { succeeded: number };
  if (done.succeeded !== count) throw new Error(`bulk-cancel run succeeded ${done.succeeded} of ${count}.`);
  const bareList = world.list('sorted-pro', RANGE.bare + from, count);
  await sim.call({ op: 'add', provider: 'sorted-pro', from: RANGE.bare + from, count });
  const bare = await bareRun(sim, world, bareList, C);
  log(`cli run ×${count} C=${concurrency}: ${run.ms.toFixed(0)} ms; bare client ${bare.ms.toFixed(0)} ms`);
  return { run, bare };
}

async function bareRun(sim: SimHandle, world: CliWorld, list: string, concurrency: number): Promise<Exited> {
  const bare = await timedNode(BARE_CLIENT, [list, sim.url, SORTED_DEFAULT_API_KEY, String(concurrency)], world.env);
  if (bare.code !== 0) throw new Error(`The bare client failed: ${bare.stderr.trim()}`);
  return bare;
}

export async function benchCli(sim: SimHandle): Promise<CliFigures> {
  const world = await cliWorld(sim.url);
  try {
    await sim.call({ op: 'latency', ms: 0 });
    // 10. Import: 100,000 rows start to exit, against papaparse alone in a process of its own on the same file.
    const rows = 100_000;
    const file = world.list('sorted-pro', RANGE.import, rows);
    const imports: Exited[] = [];
    const parses: Exited[] = [];
    for (let round = 0; round < 3; round++) {
      imports.push((await world.importList(file)).run);
      parses.push(await timedNode(BARE_PARSE, [file], world.env));
    }
    const importMs = median(imports.map((run) => run.ms));
    log(`cli import ×${rows}: ${importMs.toFixed(0)} ms; bare parse ${median(parses.map((p) => p.ms)).toFixed(0)} ms`);

    // 11. Start-up: a command that reads the existing data folder, against Node starting and doing nothing.
    const starts: number[] = [];
    const nodes: number[] = [];
    for (let round = 0; round < 7; round++) {
      starts.push((await bulkCancel(['status', '--json'], world.env)).ms);
      nodes.push((await timedNode('-e', ['0'], world.env)).ms);
    }

    // 9. Runs of 2,000 (median of 3) and 10,000 items.
    const runs: CliFigures['runs'] = [];
    for (const [count, rounds] of [
      [2_000, 3],
      [10_000, 1],
    ] as const) {
      const pairs = [];
      for (let round = 0; round < rounds; round++) pairs.push(await pairedRun(sim, world, count * 10 + round * count, count));
      const ms = median(pairs.map((pair) => pair.run.ms));
      const bareMs = median(pairs.map((pair) => pair.bare.ms));
      runs.push({ items: count, latencyMs: L, concurrency: C, ms, bareMs, ratio: bareMs / ms, idealMs: (count * L) / C });
    }

    // 12. Speed-up: the command at C=16 against the bare client one request at a time, 400 items.
    const S = 400;
    const { run, bare } = await pairedRun(sim, world, 500_000, S);
    const sequentialList = world.list('sorted-pro', RANGE.sequential, S);
    await sim.call({ op: 'add', provider: 'sorted-pro', from: RANGE.sequential, count: S });
    const sequential = await bareRun(sim, world, sequentialList, 1);
    await sim.call({ op: 'latency', ms: 0 });
    return {
      startup: { ms: median(starts), nodeMs: median(nodes), runs: starts.length },
      import: {
        rows,
        ms: importMs,
        rowsPerSecond: (rows / importMs) * 1000,
        bareParseMs: median(parses.map((parse) => parse.ms)),
        peakRssMb: Math.max(...imports.map((i) => i.peakRssMb)),
      },
      runs,
      speedUp: {
        items: S,
        latencyMs: L,
        sequentialMs: sequential.ms,
        ms: run.ms,
        speedUp: sequential.ms / run.ms,
        bareMs: bare.ms,
        bareSpeedUp: sequential.ms / bare.ms,
      },
    };
  } finally {
    await world.close();
  }
}
