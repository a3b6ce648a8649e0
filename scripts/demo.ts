/**
 * `npm run demo`: the carrier simulator on 127.0.0.1 with demo shipments, a demo data directory
 * with an Electio account pointing at it, and then either the app (where the Electron binary is
 * installed) or, with `--cli` or without Electron, a full CLI run printed step by step.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { ELECTIO_DEFAULT_API_KEY, seedDemoShipments, startSimulator } from '../tests/simulator';

const dataDir = resolve('.cache', 'demo');
rmSync(dataDir, { recursive: true, force: true }); // a fresh demo each time
mkdirSync(dataDir, { recursive: true });
const simulator = await startSimulator({ latencyMs: 30 });
const csvFile = join(dataDir, 'demo-shipments.csv');
writeFileSync(csvFile, seedDemoShipments(simulator, 500));
const env = { ...process.env, BULK_CANCEL_DATA_DIR: dataDir };
const cli = (args: string[], input?: string) =>
  spawn(process.execPath, ['bin/bulk-cancel.mjs', ...args], {
    env,
    stdio: [input === undefined ? 'inherit' : 'pipe', 'inherit', 'inherit'],
  });
const finished = (child: ReturnType<typeof cli>) => new Promise<number>((done) => child.on('close', (code) => done(code ?? 1)));

const accountName = 'Demo Electio';
const add = cli(['account', 'add', '--provider', 'electio', '--name', accountName, '--base-url', simulator.url], '');
add.stdin?.end(`${ELECTIO_DEFAULT_API_KEY}\n`);
if ((await finished(add)) !== 0) process.exit(1);

function electronInstalled(): boolean {
  try {
    return existsSync(createRequire(import.meta.url)('electron') as string);
  } catch {
    return false;
  }
}

console.log(`\nSimulator: ${simulator.url}   demo list: ${csvFile}   data: ${dataDir}\n`);
if (!process.argv.includes('--cli') && electronInstalled()) {
  console.log(`Opening the app: import ${csvFile} and choose "${accountName}".`);
  const app = spawn('npm', ['start'], { env, stdio: 'inherit', shell: process.platform === 'win32' });
  await finished(app);
} else {
  const imported = spawnSync(process.execPath, ['bin/bulk-cancel.mjs', 'import', csvFile, '--account', accountName, '--json'], {
    env,
    encoding: 'utf8',
  });
  process.stderr.write(imported.stderr);
  const { batchId } = JSON.parse(imported.stdout) as { batchId: string };
  console.log(`$ bulk-cancel import ${csvFile} --account "${accountName}"\n${imported.stdout}`);
  console.log(`$ bulk-cancel run --batch ${batchId}`);
  await finished(cli(['run', '--batch', batchId]));
  console.log(`$ bulk-cancel results --batch ${batchId} --failed --format csv`);
  await finished(cli(['results', '--batch', batchId, '--failed', '--format', 'csv']));
}
await simulator.close();
