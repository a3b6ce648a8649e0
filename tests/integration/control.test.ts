/**
 * The clerk's control over a batch, through the service as the window uses it: pause and resume,
 * stop (what was not sent is never sent), retry failed items only, and a restart that resumes a
 * batch left half-sent, taking back a dead process's claims at once.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BatchSummary } from '../../shared/contract';
import { withSessionFallback } from '../../electron/core/credentials/session';
import { dispatch } from '../../electron/core/dispatch';
import { createService, type AppService } from '../../electron/core/service';
import { SORTED_DEFAULT_API_KEY, sortedReference, startSimulator, type Simulator } from '../simulator';
import { runnerDeps, testService, testWorld, type TestWorld } from '../support/fixtures';
import { TRANSPORTS } from '../support/transports';

let sim: Simulator;
let world: TestWorld;
let service: AppService;
let n = 0;
beforeAll(async () => {
  sim = await startSimulator({ latencyMs: 20 });
});
afterAll(() => sim.close());
beforeEach(() => {
  world = testWorld();
  service = testService(world, 'control-test', TRANSPORTS.fetch, { runOptions: { pacing: false } });
});
afterEach(async () => {
  await service.close();
  await world.close();
});

async function call<T>(channel: string, payload: unknown, on = service): Promise<T> {
  const reply = await dispatch(on.handlers, channel, payload);
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.value as T;
}

async function queueSorted(
  count: number,
  state: 'created' | 'manifested' = 'created',
): Promise<{ batchId: string; refs: string[] }> {
  const refs = Array.from({ length: count }, () => sortedReference(80_000 + n++));
  sim.sortedPro.add(refs, state);
  const accounts = await call<{ id: string }[]>('accounts.list', {});
  if (accounts.length === 0)
    await call('accounts.add', { provider: 'sorted-pro', name: 'Sorted', baseUrl: sim.url, secret: SORTED_DEFAULT_API_KEY });
  const source = { kind: 'text', fileName: null, text: refs.join('\n') };
  const { draftId } = await call<{ draftId: string }>('import.preview', { source });
  const { batchId } = await call<{ batchId: string }>('import.confirm', { draftId, accounts: {} });
  return { batchId, refs };
}

async function until(batchId: string, done: (summary: BatchSummary) => boolean): Promise<BatchSummary> {
  for (let i = 0; i < 400; i++) {
    const summary = await call<BatchSummary>('batch.summary', { batchId });
    if (done(summary)) return summary;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the batch never got there');
}

describe('batch control', () => {
  it('pause stops sending (requests in flight finish); resume sends the rest', async () => {
    const { batchId } = await queueSorted(200);
    await call('batch.start', { batchId });
    await until(batchId, (s) => s.counts.succeeded >= 20);
    const paused = await call<BatchSummary>('batch.pause', { batchId });
    expect(paused).toMatchObject({ paused: true, running: false });
    expect(paused.counts.in_flight).toBe(0);
    expect(paused.counts.queued).toBeGreaterThan(0);
    const sentWhenPaused = sim.count({ method: 'PUT' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sim.count({ method: 'PUT' })).toBe(sentWhenPaused);

    await call('batch.resume', { batchId });
    const done = await until(batchId, (s) => !s.running && s.counts.queued === 0);
    expect(done.counts).toMatchObject({ succeeded: 200, queued: 0, in_flight: 0 });
  });

  it('stop: items not sent yet end "stopped" and are never sent', async () => {
    const { batchId, refs } = await queueSorted(200);
    await call('batch.start', { batchId });
    await until(batchId, (s) => s.counts.succeeded >= 10);
    const stopped = await call<BatchSummary>('batch.stop', { batchId });
    expect(stopped.counts.stopped).toBeGreaterThan(0);
    expect(stopped.counts.succeeded + stopped.counts.stopped).toBe(200);
    const { rows: stoppedRows } = await call<{ rows: { Data: string; Message: string }[] }>('results.page', {
      batchId,
      filter: { states: ['stopped'] },
      offset: 0,
      limit: 200,
    });
    expect(stoppedRows).toHaveLength(stopped.counts.stopped);
    for (const result of stoppedRows) {
      expect(result.Message).toMatch(/Stopped by the clerk before it was sent/);
      expect(sim.requests.some((r) => r.path.includes(result.Data))).toBe(false);
      expect(sim.sortedPro.state(result.Data)).toBe('created');
    }
    expect(refs).toHaveLength(200);
  });

  it('retry failed only: a new round for the failed items, the others untouched', async () => {
    const { batchId, refs } = await queueSorted(6);
    const bad = refs.slice(0, 2);
    sim.sortedPro.override(bad, { kind: 'rule-conflict', message: 'Locked for a moment' });
    await call('batch.start', { batchId });
    const first = await until(batchId, (s) => !s.running && s.counts.queued === 0);
    expect(first.counts).toMatchObject({ succeeded: 4, failed: 2 });

    sim.sortedPro.clearOverrides(bad);
    sim.clearLog();
    await call('batch.retryFailed', { batchId });
    const second = await until(batchId, (s) => !s.running && s.counts.queued === 0);
    expect(second.counts).toMatchObject({ succeeded: 6, failed: 0 });
    expect(sim.requests.map((r) => r.path.split('/')[2]).sort()).toEqual([...bad].sort());
    const { rows: results } = await call<{ rows: { id: number; Data: string; Attempts: number }[] }>('results.page', {
      batchId,
      offset: 0,
      limit: 100,
    });
    const retried = results.find((r) => r.Data === bad[0]);
    expect(retried?.Attempts).toBe(2);
    const attempts = await call<{ httpStatus: number; outcome: string }[]>('item.attempts', { itemId: retried?.id });
    expect(attempts.map((a) => [a.httpStatus, a.outcome])).toEqual([
      [429, 'failed'],
      [200, 'succeeded'],
    ]);
  });

  it('a restart takes back a dead process’s claims at once and resumes the batch by itself', async () => {
    const { batchId, refs } = await queueSorted(50);
    // A process that died mid-run: its claims are in the database, its pid is gone.
    world.db
      .prepare(
        "UPDATE items SET state = 'in_flight', claimed_by = 'cli:' || ? || ':999999:dead', lease_until = ? WHERE batch_key = (SELECT key FROM batches WHERE id = ?) AND seq < 10",
      )
      .run((await import('node:os')).hostname(), Date.now() + 3_600_000, batchId);
    await service.close();
    const restarted = createService({
      db: world.db,
      credentials: withSessionFallback(world.credentials),
      transport: TRANSPORTS.fetch,
      owner: 'control-test-2',
      runOptions: { pacing: false },
    });
    try {
      restarted.resumeWaiting();
      const done = await until(batchId, (s) => !s.running && s.counts.queued === 0 && s.counts.in_flight === 0);
      expect(done.counts.succeeded).toBe(50);
      expect(refs.every((ref) => sim.sortedPro.state(ref) === 'cancelled')).toBe(true);
    } finally {
      await restarted.close();
    }
  });

  it('flags references an earlier batch already cancelled, at preview', async () => {
    const { batchId, refs } = await queueSorted(3);
    await call('batch.start', { batchId });
    await until(batchId, (s) => !s.running && s.counts.succeeded === 3);
    const fresh = sortedReference(89_999);
    const preview = await call<{ alreadyDone: { total: number; items: { row: number; reference: string; batchId: string }[] } }>(
      'import.preview',
      {
        source: { kind: 'text', fileName: null, text: ['Reference', refs[1], fresh].join('\n') },
      },
    );
    expect(preview.alreadyDone.total).toBe(1);
    expect(preview.alreadyDone.items).toEqual([expect.objectContaining({ row: 2, reference: refs[1], batchId })]);
  });

  it('two processes on one database never send the same item twice', async () => {
    const { batchId, refs } = await queueSorted(300);
    const { openDatabase } = await import('../../electron/core/db/open');
    const { runBatch, DEFAULT_RUN_OPTIONS } = await import('../../electron/core/queue/runner');
    const second = openDatabase(world.dataDir); // its own connection, as the CLI beside the app has
    try {
      const options = { ...DEFAULT_RUN_OPTIONS, concurrency: 4, pacing: false };
      const run = (db: typeof world.db, owner: string) =>
        runBatch(runnerDeps({ db, credentials: world.credentials }, owner), batchId, options);
      sim.clearLog();
      await Promise.all([run(world.db, 'app-like'), run(second, 'cli-like')]);
      const sent = sim.requests.filter((r) => r.method === 'PUT').map((r) => r.path.split('/')[2]);
      expect(sent.sort()).toEqual([...refs].sort());
      const attempts = world.db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT endpoint) AS endpoints FROM attempts').get();
      expect(attempts).toEqual({ n: 300, endpoints: 300 }); // one recorded request per item
    } finally {
      second.close();
    }
  });
});
