/**
 * A full disk, made real inside SQLite with `max_page_count` (the file may not grow): the clerk gets
 * a clear sentence, nothing already stored is lost, nothing is sent whose result could not be
 * stored, and after space is freed a restart finishes the work.
 */
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchSummary } from '../../shared/contract';
import { withSessionFallback } from '../../electron/core/credentials/session';
import { dispatch } from '../../electron/core/dispatch';
import { createService, type AppService } from '../../electron/core/service';
import { SORTED_DEFAULT_API_KEY, sortedReference, startSimulator, type Simulator } from '../simulator';
import { testWorld, type TestWorld } from '../support/fixtures';
import { TRANSPORTS } from '../support/transports';

let sim: Simulator;
let world: TestWorld;
beforeAll(async () => {
  sim = await startSimulator();
  world = testWorld();
});
afterAll(async () => {
  await sim.close();
  await world.close();
});

// The first service plays a process that then dies: its claims name a pid that is not running.
const DEAD_OWNER = `app:${hostname()}:999999:gone`;

async function call<T>(service: AppService, channel: string, payload: unknown) {
  return (await dispatch(service.handlers, channel, payload)) as
    { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
}

/** Previews a pasted list, then queues that preview's draft: the confirm's answer. */
async function queueText(service: AppService, text: string) {
  const preview = await call<{ draftId: string }>(service, 'import.preview', { source: { kind: 'text', fileName: null, text } });
  if (!preview.ok) return preview;
  return call<{ batchId: string }>(service, 'import.confirm', { draftId: preview.value.draftId, accounts: {} });
}

async function settle(service: AppService, batchId: string): Promise<BatchSummary> {
  for (let i = 0; i < 400; i++) {
    const reply = await call<BatchSummary>(service, 'batch.summary', { batchId });
    if (reply.ok && !reply.value.running) return reply.value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('still running');
}

describe('a full disk', () => {
  it('refuses new work with a clear message, loses nothing, and sends nothing it cannot record', async () => {
    const service = createService({
      db: world.db,
      credentials: withSessionFallback(world.credentials),
      transport: TRANSPORTS.fetch,
      owner: DEAD_OWNER,
      runOptions: { pacing: false },
    });
    await call(service, 'accounts.add', {
      provider: 'sorted-pro',
      name: 'Sorted',
      baseUrl: sim.url,
      secret: SORTED_DEFAULT_API_KEY,
    });
    const first = Array.from({ length: 20 }, (_, n) => sortedReference(90_000 + n));
    sim.sortedPro.add(first);
    const a = await queueText(service, first.join('\n'));
    if (!a.ok) throw new Error(a.error.message);
    await call(service, 'batch.start', { batchId: a.value.batchId });
    expect((await settle(service, a.value.batchId)).counts.succeeded).toBe(20);

    // A second batch is queued, then the disk fills up.
    const second = Array.from({ length: 300 }, (_, n) => sortedReference(91_000 + n));
    sim.sortedPro.add(second);
    const b = await queueText(service, second.join('\n'));
    if (!b.ok) throw new Error(b.error.message);
    world.db.pragma(`max_page_count = ${world.db.pragma('page_count', { simple: true }) as number}`);

    const refused = await queueText(service, Array.from({ length: 5000 }, (_, n) => sortedReference(95_000 + n)).join('\n'));
    expect(refused).toMatchObject({ ok: false, error: { code: 'database_unavailable', message: expect.stringMatching(/full/) } });

    sim.clearLog();
    await call(service, 'batch.start', { batchId: b.value.batchId });
    const stopped = await settle(service, b.value.batchId);
    expect(stopped.problem).toMatch(/full/);
    const recorded = stopped.counts.succeeded;
    // Sending stopped as soon as results could not be written: far fewer than the batch were sent.
    expect(sim.count({ method: 'PUT' })).toBeLessThan(300);
    await service.close();

    // Nothing stored was lost: the first batch is whole.
    const results = await call<{ rows: { State: string }[]; total: number }>(service, 'results.page', {
      batchId: a.value.batchId,
      offset: 0,
      limit: 10_000,
    });
    expect(
      results.ok && results.value.rows.length === results.value.total && results.value.rows.every((r) => r.State === 'succeeded'),
    ).toBe(true);

    // Space is freed and the app starts again: the dead process's claims come back, the batch finishes.
    world.db.pragma('max_page_count = 1073741823');
    const again = createService({
      db: world.db,
      credentials: withSessionFallback(world.credentials),
      transport: TRANSPORTS.fetch,
      owner: 'app-after-restart',
      runOptions: { pacing: false },
    });
    try {
      again.resumeWaiting();
      const done = await settle(again, b.value.batchId);
      expect(done.counts).toMatchObject({ succeeded: 300, failed: 0, queued: 0, in_flight: 0 });
      expect(recorded).toBeLessThan(300);
      expect(second.every((ref) => sim.sortedPro.state(ref) === 'cancelled')).toBe(true);
    } finally {
      await again.close();
    }
  });
});
