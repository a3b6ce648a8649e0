/**
 * A provider having a bad day, deterministic from a seed: 20% server errors, 10% 429 with
 * Retry-After: 1, 5% connection resets, 2% hangs past the deadline, 1% malformed bodies. Every
 * cancellable item must end succeeded, no item may be sent again before its Retry-After, and every
 * attempt must be recorded. Then the simulator goes offline mid-run: no attempts are spent while it
 * is, and the run finishes by itself when it comes back.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addAccount } from '../../electron/core/accounts';
import { planImport, queueImport } from '../../electron/core/import/source';
import { DEFAULT_RUN_OPTIONS, runBatch, type RunStatus } from '../../electron/core/queue/runner';
import { listResults } from '../../electron/core/results';
import { SORTED_DEFAULT_API_KEY, sortedReference, startSimulator, type Simulator } from '../simulator';
import { runnerDeps, testWorld, type TestWorld } from '../support/fixtures';
import { TRANSPORT_NAMES, TRANSPORTS } from '../support/transports';
import type { Transport } from '../../electron/core/providers/http';

let sim: Simulator;
let world: TestWorld;
beforeAll(async () => {
  sim = await startSimulator({ latencyMs: 5 });
});
afterAll(() => sim.close());
beforeEach(() => {
  world = testWorld();
  sim.clearLog();
  sim.faults.clear();
});
afterEach(() => world.close());

async function queue(refs: string[]) {
  const account = await addAccount(
    world.db,
    world.credentials,
    { provider: 'sorted-pro', name: 'Sorted', baseUrl: sim.url, secret: SORTED_DEFAULT_API_KEY },
    Date.now(),
  );
  const plan = planImport({ text: refs.join('\n'), encoding: 'UTF-8', notes: [] });
  return queueImport(world.db, plan, {
    sourceName: null,
    action: 'cancel',
    accounts: { 'sorted-pro': account.id },
    createdBy: null,
    machine: null,
    now: Date.now(),
  }).batchId;
}

const deps = (transport: Transport, onStatus?: (status: RunStatus) => void) => ({
  ...runnerDeps(world, 'fault-test', transport),
  ...(onStatus ? { onStatus } : {}),
});

// Over both transports: the app's (a Fetch API) and the CLI's (undici), each with its own references.
describe.each(TRANSPORT_NAMES.map((name, i) => ({ name, offset: i * 1000 })))('faults over $name', ({ name, offset }) => {
  it('5xx, 429 + Retry-After, resets, hangs and malformed bodies: every item ends succeeded, none sent early', async () => {
    const refs = Array.from({ length: 150 }, (_, n) => sortedReference(120_000 + offset + n));
    sim.sortedPro.add(refs);
    const batchId = await queue(refs);
    sim.faults.set({
      seed: 42,
      rules: [
        {
          method: 'PUT',
          path: '/shipments/',
          serverError: 0.2,
          rateLimited: 0.1,
          retryAfterSeconds: 1,
          reset: 0.05,
          hang: 0.02,
          hangMaxMs: 3000,
          malformed: 0.01,
        },
      ],
    });
    const report = await runBatch(deps(TRANSPORTS[name]), batchId, {
      ...DEFAULT_RUN_OPTIONS,
      concurrency: 8,
      pacing: false,
      maxAttempts: 25,
      timeoutMs: 1000,
      backoffBaseMs: 50,
      backoffCapMs: 1000,
    });
    sim.faults.clear();
    const counts = sim.faults.counts();
    expect(counts.serverError).toBeGreaterThan(0);
    expect(counts.rateLimited).toBeGreaterThan(0);
    expect(counts.reset).toBeGreaterThan(0);
    expect(counts.hang).toBeGreaterThan(0);
    expect(report.counts).toMatchObject({ succeeded: 150, failed: 0, queued: 0, in_flight: 0 });
    expect(refs.every((ref) => sim.sortedPro.state(ref) === 'cancelled')).toBe(true);

    // Nothing went out for an item before the Retry-After it was given.
    const byRef = new Map<string, typeof sim.requests>();
    for (const request of sim.requests) {
      const ref = request.path.split('/')[2] ?? '';
      byRef.set(ref, [...(byRef.get(ref) ?? []), request]);
    }
    let checked = 0;
    for (const requests of byRef.values()) {
      requests.forEach((request, i) => {
        const next = requests[i + 1];
        if (request.fault === 'rateLimited' && next) {
          expect(next.receivedAt - request.receivedAt).toBeGreaterThanOrEqual(1000);
          checked++;
        }
      });
    }
    expect(checked).toBeGreaterThan(0);

    // Every attempt is recorded: one row per request the simulator answered or lost.
    const results = listResults(world.db, batchId);
    const recorded = (world.db.prepare('SELECT COUNT(*) AS n FROM attempts').get() as { n: number }).n;
    expect(recorded).toBe(sim.requests.length);
    expect(results.reduce((sum, r) => sum + r.Attempts, 0)).toBe(sim.requests.length);
    expect(results.some((r) => r.Attempts > 1)).toBe(true);
    // Each answered attempt says what the answer said: the carrier's words, else its status's name.
    const unexplained = world.db
      .prepare("SELECT http_status AS status, message FROM attempts WHERE http_status IN (429, 500, 502, 503) AND message = ''")
      .all();
    expect(unexplained).toEqual([]);
    const busy = world.db.prepare('SELECT DISTINCT http_status AS status FROM attempts WHERE http_status >= 429').all();
    expect(busy.length).toBeGreaterThan(0);
  });

  it('offline mid-run: no attempts spent while offline, the run completes when the provider is back', async () => {
    const refs = Array.from({ length: 200 }, (_, n) => sortedReference(130_000 + offset + n));
    sim.sortedPro.add(refs);
    const batchId = await queue(refs);
    const statuses: RunStatus[] = [];
    let wentOffline = false;
    const running = runBatch(
      deps(TRANSPORTS[name], (status) => statuses.push(status)),
      batchId,
      { ...DEFAULT_RUN_OPTIONS, concurrency: 4, pacing: false, probeBaseMs: 200, probeCapMs: 1000 },
    );
    // Take the provider away once some items are through, for a few seconds.
    for (let i = 0; i < 200 && !wentOffline; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const done = (world.db.prepare("SELECT COUNT(*) AS n FROM items WHERE state = 'succeeded'").get() as { n: number }).n;
      if (done >= 40) {
        await sim.goOffline();
        wentOffline = true;
      }
    }
    expect(wentOffline).toBe(true);
    const offlineAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const attemptsWhileOffline = (
      world.db.prepare('SELECT COUNT(*) AS n FROM attempts WHERE started_at >= ?').get(offlineAt + 100) as { n: number }
    ).n;
    await sim.goOnline();
    const report = await running;

    expect(report.counts).toMatchObject({ succeeded: 200, failed: 0, queued: 0 });
    expect(attemptsWhileOffline).toBe(0);
    expect(statuses.some((s) => s.offline.length === 1 && s.offline[0]?.accountName === 'Sorted')).toBe(true);
    expect(statuses.at(-1)?.offline).toEqual([]);
    // Only requests cut off as the provider vanished may have cost an extra attempt: each was sent
    // before the cut (it may have reached the provider) and is recorded as a network retry.
    const retries = world.db.prepare("SELECT reason, started_at AS startedAt FROM attempts WHERE outcome = 'retry'").all() as {
      reason: string;
      startedAt: number;
    }[];
    const extra = listResults(world.db, batchId).reduce((sum, r) => sum + r.Attempts - 1, 0);
    expect(retries).toHaveLength(extra);
    for (const retry of retries) {
      expect(retry.reason).toBe('network');
      expect(retry.startedAt).toBeLessThan(offlineAt + 100);
    }
    expect(refs.every((ref) => sim.sortedPro.state(ref) === 'cancelled')).toBe(true);
  });
});
