/**
 * The batch supervisor's `runToEnd`, the one way `bulk-cancel run` sends (the CLI is a thin caller of
 * it, as the window is of the handlers): it answers once the run's end is recorded and logged, gives
 * failed items a new round when asked, and hands a failure of the database to its caller as it is,
 * so the command can tell a full disk (exit 4) from a failed item.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSupervisor, type BatchSupervisor } from '../../electron/core/batches/supervisor';
import { addAccount } from '../../electron/core/accounts';
import { silentLog } from '../../electron/core/log';
import { SORTED_DEFAULT_API_KEY, sortedReference, startSimulator, type Simulator } from '../simulator';
import { queueList, testWorld, type TestWorld } from '../support/fixtures';
import { TRANSPORTS } from '../support/transports';

let sim: Simulator;
let world: TestWorld;
let supervisor: BatchSupervisor;

beforeEach(async () => {
  sim = await startSimulator();
  world = testWorld();
  supervisor = createSupervisor({
    db: world.db,
    credentials: world.credentials,
    transport: TRANSPORTS.undici,
    owner: 'run-to-end',
    now: Date.now,
    random: Math.random,
    runOptions: { pacing: false },
    log: silentLog(),
  });
  await addAccount(
    world.db,
    world.credentials,
    { provider: 'sorted-pro', name: 'Sorted', baseUrl: sim.url, secret: SORTED_DEFAULT_API_KEY },
    Date.now(),
  );
});
afterEach(async () => {
  await supervisor.close();
  await sim.close();
  await world.close();
});

function queueSorted(references: readonly string[]): string {
  const queued = queueList(world.db, references, 'cancel', {});
  if (!queued) throw new Error('nothing queued');
  return queued.batchId;
}

describe('runToEnd', () => {
  it('answers with the report once the batch has ended, and gives failed items a new round when asked', async () => {
    const known = Array.from({ length: 6 }, (_, n) => sortedReference(70_000 + n));
    const unknown = sortedReference(79_999);
    sim.sortedPro.add(known);
    const batchId = queueSorted([...known, unknown]);

    const first = await supervisor.runToEnd(batchId, {});
    expect(first.requeued).toBeUndefined();
    expect(first.report.counts).toMatchObject({ succeeded: 6, failed: 1, queued: 0, in_flight: 0 });
    expect(supervisor.isRunning(batchId)).toBe(false);
    expect(supervisor.summary(batchId)).toMatchObject({ running: false, problem: null });

    // The shipment appears at the carrier; the retried round finds it.
    sim.sortedPro.add([unknown]);
    const second = await supervisor.runToEnd(batchId, { requeueFailed: true });
    expect(second.requeued).toBe(1);
    expect(second.report.counts).toMatchObject({ succeeded: 7, failed: 0 });
  });

  it('stops claiming when its signal is aborted: nothing more is sent and the rest stays queued', async () => {
    const references = Array.from({ length: 30 }, (_, n) => sortedReference(71_000 + n));
    sim.sortedPro.add(references);
    const batchId = queueSorted(references);
    const abort = new AbortController();
    abort.abort();
    const { report } = await supervisor.runToEnd(batchId, { signal: abort.signal });
    expect(report.counts.queued).toBe(30);
    expect(sim.count({ method: 'PUT' })).toBe(0);
  });

  it('rejects with the database’s own error when results cannot be written (a full disk)', async () => {
    const references = Array.from({ length: 300 }, (_, n) => sortedReference(72_000 + n));
    sim.sortedPro.add(references);
    const batchId = queueSorted(references);
    world.db.pragma(`max_page_count = ${world.db.pragma('page_count', { simple: true }) as number}`);

    await expect(supervisor.runToEnd(batchId, {})).rejects.toMatchObject({ code: 'SQLITE_FULL' });
    expect(supervisor.isRunning(batchId)).toBe(false);
    expect(supervisor.summary(batchId).problem).toMatch(/full/);
  });
});
