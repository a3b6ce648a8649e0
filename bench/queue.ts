// Figures 2–5: the real queue runner (SQLite, group commit, provider clients) against the simulator in its own process.
import type { ProviderId } from '../shared/domain';
import { claimerName } from '../electron/core/queue/claimer';
import { DEFAULT_RUN_OPTIONS, runBatch } from '../electron/core/queue/runner';
import type { RunnerDeps } from '../electron/core/queue/run-options';
import { createBatch } from '../electron/core/queue/batch-writes';
import { ELECTIO_DEFAULT_API_KEY, SORTED_DEFAULT_API_KEY, sortedReference } from '../tests/simulator';
import { request } from 'undici';
import { log, now, world, type World } from './lib';
import { BENCH_REFERENCE, type SimHandle } from './sim';
import { nodeTransport } from '../electron/core/providers/node-transport';

type BenchProvider = Extract<ProviderId, 'electio' | 'sorted-pro'>;

export interface RunSpec {
  provider: BenchProvider;
  /** First reference number and how many: the simulator gets them fresh (created) before the run. */
  from: number;
  count: number;
  latencyMs: number;
  concurrency: number;
  chunkSize?: number;
  synchronous?: 'FULL' | 'OFF';
}

export interface RunResult {
  ms: number;
  requests: number;
  itemsPerSecond: number;
  /** CPU time of this process (user + system) per item: the client's own cost, whatever the machine's load. */
  cpuMsPerItem: number;
  /** The latency the simulator delivered: its mean time from a request's arrival to the answer. */
  heldMs: number;
}

/** Wall time and this process's CPU time of some work. */
async function measured(work: () => Promise<void>): Promise<{ ms: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const start = now();
  await work();
  const used = process.cpuUsage(cpu);
  return { ms: now() - start, cpuMs: (used.user + used.system) / 1000 };
}

/**
 * Queues `count` fresh shipments from reference number `from` through one account, creates them at the
 * simulator, which answers after `latencyMs` with an empty request log; and the runner's dependencies.
 */
export async function queueFresh(
  w: World,
  sim: SimHandle,
  accountId: string,
  spec: { provider: keyof typeof BENCH_REFERENCE; from: number; count: number; latencyMs: number },
): Promise<{ batchId: string; deps: RunnerDeps }> {
  const items = Array.from({ length: spec.count }, (_, i) => ({
    row: i + 2,
    reference: BENCH_REFERENCE[spec.provider](spec.from + i),
    provider: spec.provider,
    accountId,
    action: 'cancel' as const,
    external: null,
  }));
  const batchId = createBatch(w.db, {
    sourceName: 'bench',
    action: 'cancel',
    items,
    createdBy: null,
    machine: null,
    now: Date.now(),
  });
  await sim.call({ op: 'add', provider: spec.provider, from: spec.from, count: spec.count });
  await sim.call({ op: 'latency', ms: spec.latencyMs });
  await sim.call({ op: 'clear' });
  const deps: RunnerDeps = {
    db: w.db,
    credentials: w.credentials,
    transport: nodeTransport,
    now: Date.now,
    random: Math.random,
    owner: claimerName('bench'),
  };
  return { batchId, deps };
}
const KEYS: Record<BenchProvider, string> = { electio: ELECTIO_DEFAULT_API_KEY, 'sorted-pro': SORTED_DEFAULT_API_KEY };

/** Queues the items in a fresh database and times `runBatch` from start to its last result stored. */
export async function timedRun(sim: SimHandle, spec: RunSpec): Promise<RunResult> {
  const w = world(spec.synchronous ?? 'FULL');
  try {
    const account = await w.account(spec.provider, sim.url, KEYS[spec.provider]);
    const { batchId, deps } = await queueFresh(w, sim, account.id, spec);
    const options = {
      ...DEFAULT_RUN_OPTIONS,
      pacing: false,
      concurrency: spec.concurrency,
      chunkSize: spec.chunkSize ?? DEFAULT_RUN_OPTIONS.chunkSize,
    };
    let report: Awaited<ReturnType<typeof runBatch>> | undefined;
    const { ms, cpuMs } = await measured(async () => {
      report = await runBatch(deps, batchId, options);
    });
    if (!report || report.counts.succeeded !== spec.count) {
      throw new Error(`Run ${JSON.stringify(spec)} ended with ${JSON.stringify(report?.counts)}, not ${spec.count} succeeded.`);
    }
    const requests = await sim.count();
    const heldMs = await sim.heldMs();
    log(
      `${spec.provider} ×${spec.count} L=${spec.latencyMs} C=${spec.concurrency} chunk=${options.chunkSize} ${spec.synchronous ?? 'FULL'}: ${ms.toFixed(0)} ms, ${requests} requests`,
    );
    return { ms, requests, itemsPerSecond: (spec.count / ms) * 1000, cpuMsPerItem: cpuMs / spec.count, heldMs };
  } finally {
    w.close();
  }
}

const SORTED_HEADERS = { 'x-api-key': SORTED_DEFAULT_API_KEY, 'x-api-version': '1.1', accept: 'application/json' };

/** One Sorted PRO cancel through undici's request, the library the runner sends with outside Electron; true when it succeeded. */
async function plainCancel(sim: SimHandle, n: number): Promise<boolean> {
  const answer = await request(`${sim.url}/shipments/${sortedReference(n)}/cancel`, { method: 'PUT', headers: SORTED_HEADERS });
  await answer.body.text();
  return answer.statusCode === 200;
}

/** The bare client: the same PUTs through the same HTTP library, `concurrency` at a time, nothing stored: this machine's floor right now. */
export async function bareClient(
  sim: SimHandle,
  from: number,
  count: number,
  latencyMs: number,
  concurrency: number,
): Promise<RunResult> {
  await sim.call({ op: 'add', provider: 'sorted-pro', from, count });
  await sim.call({ op: 'latency', ms: latencyMs });
  await sim.call({ op: 'clear' });
  let next = 0;
  let ok = 0;
  const { ms, cpuMs } = await measured(async () => {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) if (await plainCancel(sim, from + next++)) ok++;
      }),
    );
  });
  if (ok !== count) throw new Error(`The bare client cancelled ${ok} of ${count}.`);
  log(`bare client ×${count} L=${latencyMs} C=${concurrency}: ${ms.toFixed(0)} ms`);
  return {
    ms,
    requests: await sim.count(),
    itemsPerSecond: (count / ms) * 1000,
    cpuMsPerItem: cpuMs / count,
    heldMs: await sim.heldMs(),
  };
}

/** One request at a time, as a Postman collection run over a data file: the same PUTs, no queue, nothing stored. */
export const sequentialLoop = (sim: SimHandle, from: number, count: number, latencyMs: number) =>
  bareClient(sim, from, count, latencyMs, 1);

export interface QueueFigures {
  efficiency: {
    items: number;
    latencyMs: number;
    concurrency: number;
    idealMs: number;
    ms: number;
    ratio: number;
    bareMs: number;
    bareRatio: number;
    cpuMsPerItem: number;
    bareCpuMsPerItem: number;
    /** The latency the simulator delivered in the measured run (asked: latencyMs). */
    heldMs: number;
  };
  sequential: { items: number; sequentialMs: number; concurrentMs: number; speedUp: number; ideal: number };
  bulk: {
    items: number;
    bulkRequests: number;
    singleRequests: number;
    fewerRequests: number;
    bulkMs: number;
    singleMs: number;
    faster: number;
  };
  durability: {
    items: number;
    fullPerSecond: number;
    offPerSecond: number;
    ratio: number;
    atZeroLatency: { fullPerSecond: number; offPerSecond: number; ratio: number };
  };
}

/** Reference numbers: each figure gets its own range, so no run meets another's cancelled shipments. */
const RANGE = { efficiency: 0, bare: 40_000, warmUp: 80_000, sequential: 100_000, durability: 200_000, bulk: 1_000_000 };

/** The run of median time: one hiccup of a shared machine does not decide a figure. */
const medianRun = (runs: readonly RunResult[]): RunResult => [...runs].sort((a, b) => a.ms - b.ms)[runs.length >> 1]!;

async function medianOfThree(run: (round: number) => Promise<RunResult>): Promise<RunResult> {
  const runs: RunResult[] = [];
  for (let round = 0; round < 3; round++) runs.push(await run(round));
  return medianRun(runs);
}

export async function benchQueue(sim: SimHandle): Promise<QueueFigures> {
  // 2. Queue efficiency: N·L/C is the floor no client can beat at this concurrency.
  const N = 10_000;
  const L = 20;
  const C = 16;
  // Warm-up (JIT, sockets): the app runs all day, so steady state is what counts; the first 1,000 cost ~40% more CPU.
  await timedRun(sim, { provider: 'sorted-pro', from: RANGE.warmUp, count: 1_000, latencyMs: 0, concurrency: C });
  await bareClient(sim, RANGE.warmUp + 1_000, 1_000, 0, C);
  // Median of three, each runner run followed by a bare one, so both meet the machine's same moments.
  const bares: RunResult[] = [];
  const eff = await medianOfThree(async (round) => {
    const run = await timedRun(sim, {
      provider: 'sorted-pro',
      from: RANGE.efficiency + round * N,
      count: N,
      latencyMs: L,
      concurrency: C,
    });
    bares.push(await bareClient(sim, RANGE.bare + round * N, N, L, C));
    return run;
  });
  const bare = medianRun(bares);
  const idealMs = (N * L) / C;

  // 3. The same 1,000 shipments: our runner at C=16, then reset and sent one request at a time.
  const S = 1_000;
  const concurrent = await timedRun(sim, {
    provider: 'sorted-pro',
    from: RANGE.sequential,
    count: S,
    latencyMs: L,
    concurrency: C,
  });
  const sequential = await sequentialLoop(sim, RANGE.sequential, S, L);

  // 4. Electio: cancellist (100 a request) against the single-cancel endpoint, the same 5,000 consignments.
  const B = 5_000;
  // The bulk run lasts well under a second, so one hiccup of a busy machine weighs on it: median of three.
  const bulk = await medianOfThree(() =>
    timedRun(sim, { provider: 'electio', from: RANGE.bulk, count: B, latencyMs: L, concurrency: C, chunkSize: 100 }),
  );
  const single = await timedRun(sim, {
    provider: 'electio',
    from: RANGE.bulk,
    count: B,
    latencyMs: L,
    concurrency: C,
    chunkSize: 1,
  });

  // 5. Durability: synchronous=FULL against OFF, interleaved twice, best of each; then at zero latency, where the disk shows most.
  const D = 3_000;
  const pair = async (latencyMs: number, rounds: number) => {
    const full: number[] = [];
    const off: number[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const synchronous of ['FULL', 'OFF'] as const) {
        const run = await timedRun(sim, {
          provider: 'sorted-pro',
          from: RANGE.durability,
          count: D,
          latencyMs,
          concurrency: C,
          synchronous,
        });
        (synchronous === 'FULL' ? full : off).push(run.itemsPerSecond);
      }
    }
    const fullPerSecond = Math.max(...full);
    const offPerSecond = Math.max(...off);
    return { fullPerSecond, offPerSecond, ratio: fullPerSecond / offPerSecond };
  };
  const durable = await pair(L, 2);
  const atZeroLatency = await pair(0, 2);

  return {
    efficiency: {
      items: N,
      latencyMs: L,
      concurrency: C,
      idealMs,
      ms: eff.ms,
      ratio: idealMs / eff.ms,
      bareMs: bare.ms,
      bareRatio: idealMs / bare.ms,
      cpuMsPerItem: eff.cpuMsPerItem,
      bareCpuMsPerItem: bare.cpuMsPerItem,
      heldMs: eff.heldMs,
    },
    sequential: {
      items: S,
      sequentialMs: sequential.ms,
      concurrentMs: concurrent.ms,
      speedUp: sequential.ms / concurrent.ms,
      ideal: C,
    },
    bulk: {
      items: B,
      bulkRequests: bulk.requests,
      singleRequests: single.requests,
      fewerRequests: single.requests / bulk.requests,
      bulkMs: bulk.ms,
      singleMs: single.ms,
      faster: single.ms / bulk.ms,
    },
    durability: { items: D, ...durable, atZeroLatency },
  };
}
