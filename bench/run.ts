// `npm run bench`: the figures of issues 7 and 17, measured in one run against the simulator on 127.0.0.1; prints a table, writes bench/results.json.
// The spawned commands (cli.ts, scale.ts) keep their accounts' keys in the keychain: package.json runs this under scripts/with-keychain.mjs.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { benchCli } from './cli';
import { benchHistory } from './history';
import { benchImport } from './import';
import { log, now } from './lib';
import { benchMemory } from './memory';
import { benchPace } from './pace';
import { benchQueue } from './queue';
import { benchRenderer } from './renderer';
import { rows, table, type Figures } from './report';
import { benchScale } from './scale';
import { startSimProcess } from './sim';

const LIMIT_MS = 900_000;
const started = now();
const figures: Figures = {};
const errors: Record<string, string> = {};

function finish(code: number): never {
  const list = rows(figures, errors);
  const report = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? '', node: process.version, loadAverageAtEnd: loadavg() },
    durationMs: Math.round(now() - started),
    table: list,
    figures,
    errors,
  };
  writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${table(list)}\n\nIn ${(report.durationMs / 1000).toFixed(0)} s; written to bench/results.json\n`);
  process.exit(code);
}

// Stops by itself: whatever is measured by then is reported.
setTimeout(() => {
  errors.timeout = `stopped after ${LIMIT_MS / 1000} s`;
  finish(2);
}, LIMIT_MS).unref();

const sim = await startSimProcess();
const steps: [keyof Figures, () => Promise<unknown>][] = [
  ['import', async () => (figures.import = await benchImport(sim.url))],
  ['history', async () => (figures.history = await benchHistory())],
  ['queue', async () => (figures.queue = await benchQueue(sim))],
  ['memory', async () => (figures.memory = await benchMemory(sim))],
  ['renderer', async () => (figures.renderer = await benchRenderer(sim))],
  ['cli', async () => (figures.cli = await benchCli(sim))],
  ['pace', async () => (figures.pace = await benchPace(sim))],
  ['scale', async () => (figures.scale = await benchScale(sim))],
];
// BENCH_ONLY=import,queue measures only those figures (while working on one of them).
const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim());
for (const [name, step] of steps) {
  if (only && !only.includes(name)) continue;
  log(`${name}…`);
  try {
    await step();
  } catch (error) {
    errors[name] = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    log(`${name} failed: ${errors[name]}`);
  }
}
await sim.close();
finish(Object.keys(errors).length ? 1 : 0);
