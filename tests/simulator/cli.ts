// Runs the carrier simulator standalone, for demos and manual testing against the app:
// `node --import tsx tests/simulator/cli.ts [--port N] [--latency MS] [--demo N] [--out DIR]`.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { seedDemoShipments } from './demo-data';
import { ELECTIO_DEFAULT_API_KEY } from './electio';
import {
  SENDCLOUD_DEFAULT_CLIENT_ID,
  SENDCLOUD_DEFAULT_CLIENT_SECRET,
  SENDCLOUD_DEFAULT_PUBLIC_KEY,
  SENDCLOUD_DEFAULT_SECRET_KEY,
} from './sendcloud';
import { startSimulator } from './server';
import { SORTED_DEFAULT_API_KEY } from './sorted-pro';

function wholeNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got "${value}"`);
  return n;
}

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    latency: { type: 'string' },
    demo: { type: 'string' },
    out: { type: 'string' },
  },
});
const demo = wholeNumber('demo', values.demo);
const simulator = await startSimulator({
  port: wholeNumber('port', values.port),
  latencyMs: wholeNumber('latency', values.latency),
});

let demoNote = '';
if (demo !== undefined) {
  const file = resolve(values.out ?? process.cwd(), 'demo-shipments.csv');
  await writeFile(file, seedDemoShipments(simulator, demo), 'utf8');
  demoNote = ` demo=${file}`;
}

console.log(
  `Carrier simulator url=${simulator.url} electio-key=${ELECTIO_DEFAULT_API_KEY} sorted-pro-key=${SORTED_DEFAULT_API_KEY}` +
    ` sendcloud-basic=${SENDCLOUD_DEFAULT_PUBLIC_KEY}:${SENDCLOUD_DEFAULT_SECRET_KEY}` +
    ` sendcloud-oauth2=${SENDCLOUD_DEFAULT_CLIENT_ID}:${SENDCLOUD_DEFAULT_CLIENT_SECRET} token-url=${simulator.url}/oauth2/token/` +
    demoNote,
);

const stop = (): void => void simulator.close();
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
