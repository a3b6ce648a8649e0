// Figures 13–14: the automatic pace against carriers that limit their rate, with the real runner in this process and
// the limit in the simulator: Sendcloud's published limit (100 writes a minute in bursts of 15, time scaled ×60 so a
// minute lasts a second), and a hidden limit at 5× Sorted PRO's starting pace that answers 429 with Retry-After.
import { DEFAULT_RUN_OPTIONS, runBatch } from '../electron/core/queue/runner';
import { PROVIDER_DEFAULTS } from '../shared/provider-defaults';
import { SENDCLOUD_DEFAULT_PUBLIC_KEY, SENDCLOUD_DEFAULT_SECRET_KEY, SORTED_DEFAULT_API_KEY } from '../tests/simulator';
import { log, now, world } from './lib';
import { queueFresh } from './queue';
import { BENCH_INTEGRATION, type SimHandle } from './sim';

export interface PaceFigure {
  items: number;
  /** The carrier's limit, in requests a second. */
  limitPerSecond: number;
  ms: number;
  /** Items answered per second, first request to last answer ÷ the limit. */
  ratio: number;
  /** Requests answered 429 ÷ all requests. */
  refusedShare: number;
  refused: number;
}

export interface PaceFigures {
  published: PaceFigure;
  hidden: PaceFigure;
}

interface PacedRun {
  provider: 'sendcloud' | 'sorted-pro';
  from: number;
  count: number;
  limit: { perSecond: number; burst: number };
  paceScale: number;
}

async function pacedRun(sim: SimHandle, spec: PacedRun): Promise<PaceFigure> {
  const w = world();
  try {
    const account =
      spec.provider === 'sendcloud'
        ? await w.account('sendcloud', sim.url, `${SENDCLOUD_DEFAULT_PUBLIC_KEY}:${SENDCLOUD_DEFAULT_SECRET_KEY}`, 'Shop', {
            integrationId: BENCH_INTEGRATION,
          })
        : await w.account('sorted-pro', sim.url, SORTED_DEFAULT_API_KEY);
    const { batchId, deps } = await queueFresh(w, sim, account.id, { ...spec, latencyMs: 20 });
    await sim.call({ op: 'limit', limit: spec.limit });
    const started = now();
    const report = await runBatch(deps, batchId, { ...DEFAULT_RUN_OPTIONS, concurrency: 16, paceScale: spec.paceScale });
    const ms = now() - started;
    const refused = (await sim.call({ op: 'refused' })) as number;
    const requests = await sim.count();
    await sim.call({ op: 'limit', limit: undefined });
    if (report.counts.succeeded !== spec.count) throw new Error(`Paced run ended with ${JSON.stringify(report.counts)}.`);
    const ratio = ((spec.count / ms) * 1000) / spec.limit.perSecond;
    log(
      `paced ${spec.provider} ×${spec.count} under ${spec.limit.perSecond}/s: ${ms.toFixed(0)} ms, ${refused} of ${requests} answered 429`,
    );
    return { items: spec.count, limitPerSecond: spec.limit.perSecond, ms, ratio, refusedShare: refused / requests, refused };
  } finally {
    w.close();
  }
}

export async function benchPace(sim: SimHandle): Promise<PaceFigures> {
  // 13. Sendcloud's published limit, a minute lasting a second: 100 a second in bursts of 15.
  const published = await pacedRun(sim, {
    provider: 'sendcloud',
    from: 0,
    count: 1_500,
    limit: { perSecond: 100, burst: 15 },
    paceScale: 60,
  });
  // 14. A limit Sorted PRO does not publish, 5× its starting pace (600 a minute): 50 a second, a second's worth at once.
  const perSecond = (PROVIDER_DEFAULTS['sorted-pro'].ratePerMinute * 5) / 60;
  const hidden = await pacedRun(sim, {
    provider: 'sorted-pro',
    from: 9_000_000,
    count: 1_500,
    limit: { perSecond, burst: perSecond },
    paceScale: 1,
  });
  return { published, hidden };
}
