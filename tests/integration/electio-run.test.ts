import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { planImport, queueImport } from '../../electron/core/import/source';
import { DEFAULT_RUN_OPTIONS, runBatch } from '../../electron/core/queue/runner';
import { listResults } from '../../electron/core/results';
import { ELECTIO_DEFAULT_API_KEY, electioReference, startSimulator, type Simulator } from '../simulator';
import { electioAccount, runnerDeps, testWorld, type TestWorld } from '../support/fixtures';

/** 1,000 references: most cancellable, some manifested, some already cancelled, some unknown. */
function seedMixed(sim: Simulator) {
  const expected = new Map<string, { state: 'succeeded' | 'failed'; reason: string }>();
  for (let n = 0; n < 1000; n++) {
    const ref = electioReference(n);
    if (n % 20 === 5) {
      sim.electio.add([ref], 'manifested');
      expected.set(ref, { state: 'failed', reason: 'too_late' });
    } else if (n % 20 === 10) {
      sim.electio.add([ref], 'cancelled');
      expected.set(ref, { state: 'succeeded', reason: 'already_cancelled' });
    } else if (n % 20 === 15) {
      expected.set(ref, { state: 'failed', reason: 'not_found' });
    } else {
      sim.electio.add([ref], 'created');
      expected.set(ref, { state: 'succeeded', reason: 'cancelled' });
    }
  }
  return expected;
}

describe('Electio: 1,000 references imported, queued and cancelled against the simulator', () => {
  let sim: Simulator;
  let world: TestWorld;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    world = testWorld();
    sim.clearLog();
  });
  afterEach(() => world.close());

  for (const chunkSize of [100, 1]) {
    it(`ends every item with the simulator's outcome (chunk size ${chunkSize})`, async () => {
      const expected = seedMixed(sim);
      const account = await electioAccount(world, sim.url);
      const csv = ['Consignment Reference,Order', ...[...expected.keys()].map((ref, i) => `${ref.toLowerCase()},ORD-${i}`)].join(
        '\r\n',
      );
      const plan = planImport({ text: csv, encoding: 'UTF-8', notes: [] });
      const queued = queueImport(world.db, plan, {
        accounts: { electio: account.id },
        sourceName: 'mixed.csv',
        action: 'cancel',
        createdBy: null,
        machine: null,
        now: Date.now(),
      });
      expect(queued.items).toBe(1000);
      expect(sim.requests).toHaveLength(0); // importing sends nothing

      const report = await runBatch(runnerDeps(world, 'test'), queued.batchId, {
        ...DEFAULT_RUN_OPTIONS,
        chunkSize,
        concurrency: 4,
        pacing: false,
      });
      expect(report.attention).toEqual([]);
      expect(report.counts).toMatchObject({ queued: 0, in_flight: 0, succeeded: 900, failed: 100 });

      const results = listResults(world.db, queued.batchId);
      expect(results).toHaveLength(1000);
      for (const result of results) {
        const want = expected.get(result.Data);
        expect(want, result.Data).toBeDefined();
        expect({ ref: result.Data, state: result.State, reason: result.Reason }).toEqual({ ref: result.Data, ...want });
        expect(result.IsSuccess).toBe(want?.state === 'succeeded');
        expect(result.Message).not.toBe('');
        expect(result.Attempts).toBe(1);
        expect(result.HttpStatus).not.toBeNull();
        expect(result.CompletedAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
      }
      for (const [ref, want] of expected) {
        if (want.reason === 'cancelled') expect(sim.electio.state(ref)).toBe('cancelled');
      }

      // Exactly the requests the seed describes, and no others.
      const puts = sim.requests.filter((r) => r.method === 'PUT');
      expect(puts).toHaveLength(sim.requests.length);
      for (const request of sim.requests) {
        expect(request.headers['ocp-apim-subscription-key']).toBe(ELECTIO_DEFAULT_API_KEY);
        expect(request.headers['electio-api-version']).toBe('1.1');
        expect(request.headers['accept']).toBe('application/json');
        expect(request.headers['content-type']).toBe('application/json');
      }
      if (chunkSize === 100) {
        expect(sim.requests).toHaveLength(10);
        const sent = sim.requests.flatMap((r) => {
          expect(r.path).toBe('/consignments/cancellist');
          const body = JSON.parse(r.body) as string[];
          expect(body.length).toBe(100);
          return body;
        });
        expect(sent.sort()).toEqual([...expected.keys()].sort());
      } else {
        expect(sim.requests).toHaveLength(1000);
        const paths = sim.requests.map((r) => r.path).sort();
        expect(paths).toEqual([...expected.keys()].map((ref) => `/consignments/${ref}/cancel`).sort());
        expect(sim.requests.every((r) => r.body === '')).toBe(true);
      }
    });
  }

  it('a refused key holds the account: nothing fails, everything stays queued', async () => {
    sim.electio.add([electioReference(5000), electioReference(5001)]);
    const account = await electioAccount(world, sim.url, 'Wrong key', 'not-the-key');
    const plan = planImport({ text: `${electioReference(5000)}\n${electioReference(5001)}`, encoding: 'UTF-8', notes: [] });
    const { batchId } = queueImport(world.db, plan, {
      accounts: { electio: account.id },
      sourceName: null,
      action: 'cancel',
      createdBy: null,
      machine: null,
      now: Date.now(),
    });
    const report = await runBatch(runnerDeps(world, 'test'), batchId);
    expect(report.attention).toHaveLength(1);
    expect(report.attention[0]?.message).toMatch(/refused the account's credentials \(HTTP 401\)/);
    expect(report.counts).toMatchObject({ queued: 2, failed: 0, succeeded: 0, in_flight: 0 });
    expect(sim.electio.state(electioReference(5000))).toBe('created');
  });
});
