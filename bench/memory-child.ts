// Child process for figure 6, one phase per process: `import` queues a 100,000-row CSV into a data dir, `run` sends it;
// a worker thread samples RSS every 50 ms, so neither phase inherits the other's heap and no synchronous step hides a peak.
import { Worker } from 'node:worker_threads';
import { openDatabase } from '../electron/core/db/open';
import { planImport, queueImport, readFile } from '../electron/core/import/source';
import { claimerName } from '../electron/core/queue/claimer';
import { DEFAULT_RUN_OPTIONS, runBatch } from '../electron/core/queue/runner';
import { addAccount } from '../electron/core/accounts';
import { ELECTIO_DEFAULT_API_KEY } from '../tests/simulator';
import { electioCsv } from './import';
import { memoryCredentials, now } from './lib';
import { nodeTransport } from '../electron/core/providers/node-transport';

const [mode = '', dir = '', simUrl = '', fromText = '0', countText = '0', accountId = '', batchId = ''] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

const sampler = new Worker(
  `const { parentPort } = require('node:worker_threads');
   let peak = process.memoryUsage.rss(), samples = 0;
   setInterval(() => { const rss = process.memoryUsage.rss(); if (rss > peak) peak = rss; samples++; }, 50);
   parentPort.on('message', (m) => {
     if (m === 'reset') { peak = process.memoryUsage.rss(); samples = 0; parentPort.postMessage(null); }
     else parentPort.postMessage({ peak: Math.max(peak, process.memoryUsage.rss()), samples });
   });`,
  { eval: true },
);
const ask = <T>(message: 'reset' | 'read') =>
  new Promise<T>((resolve) => {
    sampler.once('message', resolve);
    sampler.postMessage(message);
  });

const MB = 2 ** 20;

/** RSS just before the work (after a full GC), its peak during it, the time, and the JS heap still held after a GC. */
async function phase(work: () => Promise<void>) {
  gc();
  await ask('reset');
  const base = process.memoryUsage();
  const start = now();
  await work();
  const ms = now() - start;
  const { peak, samples } = await ask<{ peak: number; samples: number }>('read');
  gc();
  const heldMb = (process.memoryUsage().heapUsed - base.heapUsed) / MB;
  return { baseMb: base.rss / MB, growthMb: (peak - base.rss) / MB, heldMb, ms, samples };
}

const db = openDatabase(dir);
const credentials = memoryCredentials();
let report: Record<string, unknown>;
if (mode === 'import') {
  const account = await addAccount(
    db,
    credentials,
    { provider: 'electio', name: 'Electio', baseUrl: simUrl, secret: ELECTIO_DEFAULT_API_KEY },
    Date.now(),
  );
  const bytes = Buffer.from(electioCsv(Number(countText), Number(fromText)));
  let queued = '';
  const measured = await phase(async () => {
    const plan = planImport(await readFile(bytes), { providers: ['electio'], action: 'cancel' });
    queued = queueImport(db, plan, {
      sourceName: 'memory.csv',
      action: 'cancel',
      accounts: {},
      createdBy: null,
      machine: null,
      now: Date.now(),
    }).batchId;
  });
  report = { ...measured, accountId: account.id, batchId: queued };
} else {
  await credentials.set(accountId, ELECTIO_DEFAULT_API_KEY);
  let succeeded = 0;
  const measured = await phase(async () => {
    const deps = { db, credentials, transport: nodeTransport, now: Date.now, random: Math.random, owner: claimerName('bench') };
    const result = await runBatch(deps, batchId, { ...DEFAULT_RUN_OPTIONS, pacing: false, concurrency: 16, chunkSize: 100 });
    succeeded = result.counts.succeeded;
  });
  report = { ...measured, succeeded };
}
db.close();
process.send?.(report);
await sampler.terminate();
process.disconnect?.();
