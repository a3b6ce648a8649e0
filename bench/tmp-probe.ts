import { startSimulator, sortedReference } from '../tests/simulator';
import { cliWorld } from './cli';
import { timedNode, BULK_CANCEL } from './spawned';
const sim = await startSimulator({ latencyMs: 20 });
const world = await cliWorld(sim.url);
const N = Number(process.env.N ?? 2000);
try {
  const from = 40_000_000;
  const { batchId } = await world.importList(world.list('sorted-pro', from, N));
  sim.sortedPro.add(Array.from({ length: N }, (_, i) => sortedReference(from + i)));
  sim.clearLog();
  const t0 = Date.now();
  const args = process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/t17/prof-s', BULK_CANCEL] : [BULK_CANCEL];
  const run = await timedNode(args[0]!, [...args.slice(1), 'run', '--batch', batchId, '--concurrency', '16', '--json'], world.env);
  const first = Math.min(...sim.requests.map((r) => r.receivedAt)) - t0;
  const last = Math.max(...sim.requests.map((r) => r.answeredAt ?? 0)) - t0;
  console.log(`run ${N}: exit ${run.code} total ${run.ms.toFixed(0)} ms; first request at ${first} ms, last answer at ${last} ms; requests ${sim.requests.length}`);
} finally {
  await world.close();
  await sim.close();
}
