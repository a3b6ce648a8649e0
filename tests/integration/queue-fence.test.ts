/**
 * Fenced claims (issue 13, observation 5): a runner stopped past its lease (SIGSTOP, a closed lid)
 * while a second runner took its items over must not, once it resumes, replace the second runner's
 * results nor send its stale claims again. Its late answer stays in the audit trail as an attempt.
 * Two runners on one real SQLite file, real HTTP to the simulator through a 127.0.0.1 relay that
 * holds the first runner's answer for as long as the test says (the process "stopped" mid-request).
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAccount } from '../../electron/core/accounts';
import { openDatabase, type Db } from '../../electron/core/db/open';
import { isClaimerAlive } from '../../electron/core/queue/claimer';
import { DEFAULT_RUN_OPTIONS, runBatch, type RunOptions } from '../../electron/core/queue/runner';
import { createBatch } from '../../electron/core/queue/batch-writes';
import { LATE_OUTCOME, releaseAbandonedClaims } from '../../electron/core/queue/store';
import { SORTED_DEFAULT_API_KEY, sortedReference, startSimulator, type Simulator } from '../simulator';
import { runnerDeps, testWorld, type TestWorld } from '../support/fixtures';

/** Forwards every request to the simulator; the answer to the next cancel is held until released. */
interface HoldingRelay {
  url: string;
  /** Holds the next cancel's answer; `held` resolves once the simulator has handled it. */
  holdNext(): { held: Promise<void>; release: () => void };
  close(): Promise<void>;
}

async function holdingRelay(target: string): Promise<HoldingRelay> {
  let next: { arrived: () => void; released: Promise<void> } | null = null;
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const gate = incoming.method === 'PUT' ? next : null;
    if (gate) next = null;
    const forward = request(
      `${target}${incoming.url ?? '/'}`,
      { method: incoming.method, headers: incoming.headers },
      (answer) => {
        gate?.arrived();
        void (gate?.released ?? Promise.resolve()).then(() => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        });
      },
    );
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    holdNext() {
      let arrived!: () => void;
      let release!: () => void;
      const held = new Promise<void>((resolve) => (arrived = resolve));
      next = { arrived, released: new Promise<void>((resolve) => (release = resolve)) };
      return { held, release };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let sim: Simulator;
let relay: HoldingRelay;
let world: TestWorld;
let second: Db;

beforeAll(async () => {
  sim = await startSimulator();
  relay = await holdingRelay(sim.url);
  world = testWorld();
  second = openDatabase(world.dataDir);
});

afterAll(async () => {
  second.close();
  await world.close();
  await relay.close();
  await sim.close();
});

const results = (db: Db) =>
  db
    .prepare('SELECT id, reference, state, reason, message, http_status, attempts, completed_at FROM items ORDER BY seq')
    .all() as { id: number; reference: string }[];

describe('fenced claims: two runners on one database file', () => {
  it('a runner resuming after its lease ran out writes no result over the new holder’s and sends nothing more', async () => {
    const account = await addAccount(
      world.db,
      world.credentials,
      { provider: 'sorted-pro', name: 'Sorted', baseUrl: relay.url, secret: SORTED_DEFAULT_API_KEY },
      Date.now(),
    );
    const refs = [1, 2, 3].map((n) => sortedReference(7_000 + n));
    sim.sortedPro.add(refs, 'created');
    const batchId = createBatch(world.db, {
      sourceName: null,
      action: 'cancel',
      createdBy: null,
      machine: null,
      now: Date.now(),
      items: refs.map((reference, i) => ({
        row: i + 2,
        reference,
        provider: 'sorted-pro',
        accountId: account.id,
        action: 'cancel',
        external: null,
      })),
    });
    // One clock for both runners, as on one machine: the stopped runner's clock jumps when it resumes.
    let skew = 0;
    const now = () => Date.now() + skew;
    const options: RunOptions = { ...DEFAULT_RUN_OPTIONS, concurrency: 1, pacing: false };

    // Runner A claims all three items and sends the first; its answer is held: A is "stopped".
    const { held, release } = relay.holdNext();
    const stale = runBatch({ ...runnerDeps(world, 'runner-a'), now }, batchId, options);
    await held;

    // An hour later (far past A's lease) runner B finds A's claims abandoned and does the whole batch.
    skew += 60 * 60_000;
    expect(releaseAbandonedClaims(second, now(), isClaimerAlive)).toBe(3);
    const report = await runBatch(
      { ...runnerDeps({ db: second, credentials: world.credentials }, 'runner-b'), now },
      batchId,
      options,
    );
    expect(report.counts.succeeded).toBe(3);
    const final = results(second);

    // A resumes: its held answer arrives, and it goes on with the claims it still has in memory.
    release();
    await stale;

    expect(results(world.db)).toEqual(final);
    const cancels = (reference: string) => sim.count({ method: 'PUT', pathPrefix: `/shipments/${reference}` });
    expect(refs.map(cancels)).toEqual([2, 1, 1]);
    // A's late answer is in the audit trail, marked as late, beside B's attempts for the same item.
    const attempts = world.db.prepare('SELECT item_id AS itemId, outcome FROM attempts ORDER BY id').all() as {
      itemId: number;
      outcome: string;
    }[];
    const late = attempts.filter((attempt) => attempt.outcome === LATE_OUTCOME);
    expect(late.map((attempt) => attempt.itemId)).toEqual([final[0]?.id]);
    expect(attempts.filter((attempt) => attempt.itemId === final[0]?.id).length).toBeGreaterThan(1);
  });
});
