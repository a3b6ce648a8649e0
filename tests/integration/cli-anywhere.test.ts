/**
 * `bulk-cancel` run the way a script runs it: from a folder outside the project (no package.json
 * above it), on a fresh data folder. Its exit codes, its log and its error sentences must not depend
 * on where it is started, and a bad data folder or a missing desktop session is told in plain words.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_FILE } from '../../electron/core/log';
import { ELECTIO_DEFAULT_API_KEY, electioReference, startSimulator, type Simulator } from '../simulator';
import { runCli, type CliInput, type CliOptions, type CliRun } from '../support/cli';
import { tempDir } from '../support/fixtures';

let outside: { path: string; remove: () => void };
let sim: Simulator;

beforeAll(async () => {
  outside = tempDir('bulk-cancel-elsewhere-');
  sim = await startSimulator();
});
afterAll(async () => {
  await sim?.close();
  outside?.remove();
});

/** The command started in a folder that is not the project's, nor below it. */
const cli = (args: readonly string[], input?: CliInput, options: Omit<CliOptions, 'cwd'> = {}) =>
  runCli(args, input, { ...options, cwd: outside.path });

/** A data folder that does not exist yet, so the command creates it. */
function freshDataDir(): string {
  const parent = tempDir('bulk-cancel-anywhere-');
  return join(parent.path, 'data');
}

/** Exit `code`, nothing on stdout, one plain sentence on stderr without a stack trace or an errno word. */
function expectRefusal(run: CliRun, code: number, pattern: RegExp): void {
  expect({ code: run.code, signal: run.signal, stdout: run.stdout }, run.stderr).toEqual({ code, signal: null, stdout: '' });
  expect(run.stderr).toMatch(/^[^\n]+\.\n$/);
  expect(run.stderr).not.toMatch(/\bat .*:\d+:\d+|Error:|node:internal|\bE[A-Z]{3,}\b/);
  expect(run.stderr).toMatch(pattern);
}

/** Adds an Electio account on the simulator; the caller removes it again so its key leaves the keychain. */
async function addAccount(dataDir: string, name = 'Electio main'): Promise<void> {
  const run = await cli(
    ['--data-dir', dataDir, 'account', 'add', '--provider', 'electio', '--name', name, '--base-url', sim.url],
    `${ELECTIO_DEFAULT_API_KEY}\n`,
  );
  expect(run.code, run.stderr).toBe(0);
}

async function removeAccount(dataDir: string, name = 'Electio main'): Promise<void> {
  const run = await cli(['--data-dir', dataDir, 'account', 'remove', name]);
  expect(run.code, run.stderr).toBe(0);
}

describe('bulk-cancel from a folder outside the project', () => {
  it('status answers and exits 0', async () => {
    const run = await cli(['--data-dir', freshDataDir(), 'status', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ queued: 0, failed: 0 });
  });

  it('an unknown batch is bad input (exit 2), not a failure', async () => {
    expectRefusal(await cli(['--data-dir', freshDataDir(), 'run', '--batch', 'nope']), 2, /There is no batch nope\./);
  });

  it('a fully successful run exits 0 and writes its log in the data folder', async () => {
    const dataDir = freshDataDir();
    await addAccount(dataDir);
    try {
      const refs = [electioReference(900_001), electioReference(900_002)];
      sim.electio.add(refs, 'created');
      const imported = await cli(['--data-dir', dataDir, '--json', 'import', '-'], `${refs.join('\n')}\n`);
      expect(imported.code, imported.stderr).toBe(0);
      const { batchId } = JSON.parse(imported.stdout) as { batchId: string };
      const run = await cli(['--data-dir', dataDir, '--json', 'run', '--batch', batchId]);
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual({ batchId, succeeded: 2, failed: 0, total: 2 });
      const log = readFileSync(join(dataDir, 'logs', LOG_FILE), 'utf8');
      expect(log).toMatch(/batch finished/);
    } finally {
      await removeAccount(dataDir);
    }
  });

  it('diagnostics prints the support text with its log lines', async () => {
    const dataDir = freshDataDir();
    expect((await cli(['--data-dir', dataDir, 'status'])).code).toBe(0);
    const run = await cli(['--data-dir', dataDir, 'diagnostics']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/command=status/);
    expect(existsSync(join(dataDir, 'logs', LOG_FILE))).toBe(true);
  });
});

describe('bulk-cancel tells a bad file or data folder in plain words', () => {
  it('an import file that does not exist, or is a folder', async () => {
    const dataDir = freshDataDir();
    await addAccount(dataDir);
    try {
      expectRefusal(
        await cli(['--data-dir', dataDir, 'import', join(outside.path, 'missing.csv')]),
        2,
        /missing\.csv cannot be read: it does not exist\./,
      );
      expectRefusal(
        await cli(['--data-dir', dataDir, 'import', outside.path]),
        2,
        /cannot be read: it is a folder, not a file\./,
      );
    } finally {
      await removeAccount(dataDir);
    }
  });

  it('--data-dir naming a file, or a folder inside a file, is bad usage (exit 2)', async () => {
    const file = join(outside.path, 'not-a-folder');
    writeFileSync(file, 'x');
    expectRefusal(await cli(['--data-dir', file, 'status']), 2, /not-a-folder is a file, not a folder/);
    expectRefusal(await cli(['--data-dir', join(file, 'data'), 'status']), 2, /not-a-folder is a file, not a folder/);
  });

  it('--data-dir where no folder can be made (/proc) exits 2 at once', async () => {
    // Node's recursive mkdir spins for ever there; the guard only ends a command that would never end.
    const guard = { signal: AbortSignal.timeout(20_000) };
    expectRefusal(await cli(['--data-dir', '/proc/nope', 'status'], '', guard), 2, /\/proc\/nope cannot be created/);
    expectRefusal(await cli(['--data-dir', '/proc/nope/deeper', 'status'], '', guard), 2, /\/proc\/nope cannot be created/);
  });

  it('without a desktop session: start a D-Bus session (GNOME Keyring is installed), or install a keyring where none is', async () => {
    const noSession = { DBUS_SESSION_BUS_ADDRESS: undefined, DISPLAY: undefined };
    const add = (env: CliOptions['env']) =>
      cli(['--data-dir', freshDataDir(), 'account', 'add', '--provider', 'electio', '--name', 'X'], 'probe-key-123\n', { env });
    // The tests' own machine has GNOME Keyring (README: Prerequisites).
    const installed = await add(noSession);
    expectRefusal(
      installed,
      3,
      /GNOME Keyring is installed.*no D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is not set.*dbus-run-session/,
    );
    expect(installed.stderr).not.toMatch(/apt install/);
    // A PATH with nothing on it: no keyring program can be found.
    const none = await add({ ...noSession, PATH: tempDir('bulk-cancel-empty-path-').path });
    expectRefusal(none, 3, /install .*gnome-keyring/);
    expect(none.stderr).not.toMatch(/dbus-run-session/);
  });
});
