/**
 * The CLI keeps the same log as the app (in the data folder's `logs` when one is given) and prints
 * the support text with `bulk-cancel diagnostics`: the facts are there, the key never is.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_FILE } from '../../electron/core/log';
import { ELECTIO_DEFAULT_API_KEY, electioReference, startSimulator, type Simulator } from '../simulator';
import { tempDir } from '../support/fixtures';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'bulk-cancel.mjs');

function cli(
  args: readonly string[],
  input = '',
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const home = tempDir();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: home.path, HOME: home.path, ...env };
  if (!env.BULK_CANCEL_DATA_DIR) delete childEnv.BULK_CANCEL_DATA_DIR;
  delete childEnv.NODE_OPTIONS;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      home.remove();
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

describe('the CLI log and diagnostics', () => {
  let sim: Simulator;
  const data = tempDir();
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(async () => {
    await sim.close();
    data.remove();
  });

  it('logs a run without the key, and prints a support text with the account and the recent log', async () => {
    const dir = ['--data-dir', data.path];
    const added = await cli(
      [...dir, 'account', 'add', '--provider', 'electio', '--name', 'Warehouse', '--base-url', sim.url],
      `${ELECTIO_DEFAULT_API_KEY}\n`,
    );
    expect(added.code, added.stderr).toBe(0);
    const refs = [electioReference(901), electioReference(902)];
    sim.electio.add(refs);
    const imported = await cli([...dir, '--json', 'import', '-'], `${refs.join('\n')}\n`);
    const { batchId } = JSON.parse(imported.stdout) as { batchId: string };
    expect((await cli([...dir, 'run', '--batch', batchId])).code).toBe(0);

    const shown = await cli([...dir, 'diagnostics']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stderr).toBe('');
    expect(shown.stdout).toMatch(/^Bulk Cancel diagnostics/);
    expect(shown.stdout).toContain(`Log folder: ${join(data.path, 'logs')}`);
    expect(shown.stdout).toMatch(
      /"Warehouse": Electio \(Sorted PRO v1\); http:\/\/127\.0\.0\.1:\d+; API key in the system keychain; not sending now/,
    );
    expect(shown.stdout).toContain('Items: queued 0, in_flight 0, succeeded 2, failed 0, pending 0, stopped 0');
    const json = await cli([...dir, '--json', 'diagnostics']);
    expect((JSON.parse(json.stdout) as { diagnostics: string }).diagnostics).toMatch(/Last \d+ log line\(s\):/);

    const removed = await cli([...dir, 'account', 'remove', 'Warehouse']);
    expect(removed.code, removed.stderr).toBe(0);
    const logged = readFileSync(join(data.path, 'logs', LOG_FILE), 'utf8');
    expect(logged).toMatch(/INFO {2}cli command=run version=\S+ node=\S+ platform=\S+/);
    expect(logged).toContain('account added name=Warehouse provider=electio');
    expect(logged).toContain(`batch started batch=${batchId} queued=2`);
    expect(logged).toMatch(
      new RegExp(
        `attempt batch=${batchId} provider=electio account=Warehouse endpoint="PUT /consignments/cancellist" status=200 ms=\\d+ items=2 outcome=succeeded:cancelled`,
      ),
    );
    expect(logged).toContain(`batch finished batch=${batchId} queued=0 in_flight=0 succeeded=2`);
    expect(logged).toContain('account removed name=Warehouse');
    for (const text of [logged, shown.stdout, json.stdout]) {
      for (const form of [ELECTIO_DEFAULT_API_KEY, Buffer.from(ELECTIO_DEFAULT_API_KEY).toString('base64')])
        expect(text).not.toContain(form);
    }
  });

  it('writes the log into $BULK_CANCEL_DATA_DIR/logs when no --data-dir is given', async () => {
    const env = tempDir();
    try {
      expect((await cli(['status'], '', { BULK_CANCEL_DATA_DIR: env.path })).code).toBe(0);
      expect(readFileSync(join(env.path, 'logs', LOG_FILE), 'utf8')).toMatch(/cli command=status/);
      // Bad usage leaves no trace, not even a log.
      const other = tempDir();
      expect((await cli(['--data-dir', other.path, 'status', '--bogus'])).code).toBe(2);
      expect(existsSync(join(other.path, 'logs'))).toBe(false);
      other.remove();
    } finally {
      env.remove();
    }
  });
});
