/**
 * The promise under crashes: the CLI is killed with SIGKILL at three seeded moments of a 2,000-item
 * run (simulator latency on) and restarted each time. Every item ends succeeded; the simulator saw at
 * most one extra cancel for an item that was in flight at a kill, and none for any other item.
 */
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../electron/core/db/open';
import { SORTED_DEFAULT_API_KEY, sortedReference, startSimulator, type Simulator } from '../simulator';
import { tempDir } from '../support/fixtures';

let sim: Simulator;
let dir: ReturnType<typeof tempDir>;
beforeAll(async () => {
  sim = await startSimulator({ latencyMs: 15 });
  dir = tempDir();
});
afterAll(async () => {
  await sim.close();
  dir.remove();
});

interface Child {
  pid: number;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  kill(): void;
}

function start(args: string[], input = ''): Child {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, ['bin/bulk-cancel.mjs', '--data-dir', dir.path, ...args], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(input);
  return {
    pid: child.pid ?? 0,
    done: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))),
    kill: () => child.kill('SIGKILL'),
  };
}

function run(args: string[], input = '') {
  return start(args, input).done;
}

/** A small seeded generator, so the "random" moments are the same on every run of the test. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('crash safety', () => {
  it('three SIGKILLs mid-run: all 2,000 items succeed, at most one extra cancel per item in flight at a kill', async () => {
    const refs = Array.from({ length: 2000 }, (_, n) => sortedReference(60_000 + n));
    sim.sortedPro.add(refs, 'created');
    const added = await run(
      ['account', 'add', '--provider', 'sorted-pro', '--name', 'Sorted', '--base-url', sim.url, '--rate', '100000'],
      `${SORTED_DEFAULT_API_KEY}\n`,
    );
    expect(added.code, added.stderr).toBe(0);
    const imported = await run(['--json', 'import', '-'], ['Reference', ...refs].join('\n'));
    expect(imported.code, imported.stderr).toBe(0);
    const { batchId } = JSON.parse(imported.stdout) as { batchId: string };

    const random = mulberry32(20261123);
    const inFlightAtKill = new Map<string, number>();
    let kills = 0;
    for (let round = 0; round < 3; round++) {
      const child = start(['run', '--batch', batchId, '--concurrency', '4']);
      // The moment is counted in requests the simulator has seen from this run, not in time, so a slow
      // machine (the CLI starting late) still gets its kill mid-run.
      const killAfter = sim.requests.length + 20 + Math.floor(random() * 300);
      let exited = false;
      void child.done.then(() => (exited = true));
      while (!exited && sim.requests.length < killAfter) await new Promise((resolve) => setTimeout(resolve, 5));
      child.kill();
      const ended = await child.done;
      if (ended.signal !== 'SIGKILL') continue; // it finished before the kill came
      kills++;
      const db = new Database(join(dir.path, DATABASE_FILE), { readonly: true });
      const rows = db
        .prepare("SELECT reference FROM items WHERE batch_key = (SELECT key FROM batches WHERE id = ?) AND state = 'in_flight'")
        .all(batchId) as {
        reference: string;
      }[];
      db.close();
      for (const { reference } of rows) inFlightAtKill.set(reference, (inFlightAtKill.get(reference) ?? 0) + 1);
    }
    expect(kills).toBe(3);
    expect(inFlightAtKill.size).toBeGreaterThan(0); // the kills came mid-run, with requests in flight

    const last = await run(['--json', 'run', '--batch', batchId, '--concurrency', '4']);
    expect(last.code, last.stderr).toBe(0);
    expect(JSON.parse(last.stdout)).toEqual({ batchId, succeeded: 2000, failed: 0, total: 2000 });

    const results = JSON.parse((await run(['results', '--batch', batchId])).stdout) as {
      Data: string;
      State: string;
      Reason: string;
    }[];
    expect(results.every((r) => r.State === 'succeeded' && (r.Reason === 'cancelled' || r.Reason === 'already_cancelled'))).toBe(
      true,
    );
    expect(refs.every((ref) => sim.sortedPro.state(ref) === 'cancelled')).toBe(true);

    const cancels = new Map<string, number>();
    for (const request of sim.requests) {
      if (request.method !== 'PUT') continue;
      const ref = request.path.split('/')[2] ?? '';
      cancels.set(ref, (cancels.get(ref) ?? 0) + 1);
    }
    let extra = 0;
    for (const ref of refs) {
      const sent = cancels.get(ref) ?? 0;
      const allowed = 1 + (inFlightAtKill.get(ref) ?? 0);
      expect(sent, ref).toBeGreaterThanOrEqual(1);
      expect(sent, ref).toBeLessThanOrEqual(allowed);
      extra += sent - 1;
    }
    expect(extra).toBeLessThanOrEqual([...inFlightAtKill.values()].reduce((a, b) => a + b, 0));
  });
});
