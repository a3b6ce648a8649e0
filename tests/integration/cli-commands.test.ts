/**
 * The commands `bulk-cancel` gained for issue 14, run as scripts run them (a child process started
 * outside the project, a fresh data folder, the real keychain and the carrier simulator): each
 * command's own help, `account set-key`, `account check`, `batches`, `stop`, `run --retry-failed`, and `import`
 * telling which references an earlier batch already cancelled.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ELECTIO_DEFAULT_API_KEY, electioReference, startSimulator, type Simulator } from '../simulator';
import { runCli, type CliInput, type CliRun } from '../support/cli';
import { tempDir } from '../support/fixtures';

let outside: { path: string; remove: () => void };
let sim: Simulator;
let nextRef = 910_000;

beforeAll(async () => {
  outside = tempDir('bulk-cancel-elsewhere-');
  sim = await startSimulator();
});
afterAll(async () => {
  await sim?.close();
  outside?.remove();
});

const cli = (args: readonly string[], input?: CliInput) => runCli(args, input, { cwd: outside.path });

/** References no other test has touched, known to the simulator as cancellable. */
function cancellable(count: number): string[] {
  const refs = Array.from({ length: count }, () => electioReference(nextRef++));
  sim.electio.add(refs, 'created');
  return refs;
}

/** With --json: the one document on stdout, and nothing on stderr. */
function jsonOf<T>(run: CliRun, code = 0): T {
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code, stderr: '' });
  return JSON.parse(run.stdout) as T;
}

/**
 * A fresh data folder with one Electio account on the simulator (keyed `key`), handed to `body`;
 * afterwards its batches are stopped and the account removed, so its key leaves the keychain.
 */
async function withAccount(body: (dataDir: string) => Promise<void>, key = ELECTIO_DEFAULT_API_KEY): Promise<void> {
  const dataDir = join(tempDir('bulk-cancel-commands-').path, 'data');
  const add = await cli(
    ['--data-dir', dataDir, 'account', 'add', '--provider', 'electio', '--name', 'Electio main', '--base-url', sim.url],
    `${key}\n`,
  );
  expect(add.code, add.stderr).toBe(0);
  try {
    await body(dataDir);
  } finally {
    // An account with queued items is not removed: stop them first.
    const listed = jsonOf<BatchRecord[]>(await cli(['--data-dir', dataDir, '--json', 'batches']));
    for (const { batchId } of listed) await cli(['--data-dir', dataDir, 'stop', '--batch', batchId]);
    const removed = await cli(['--data-dir', dataDir, 'account', 'remove', 'Electio main']);
    expect(removed.code, removed.stderr).toBe(0);
  }
}

async function importRefs(dataDir: string, refs: readonly string[]): Promise<ImportRecord> {
  return jsonOf<ImportRecord>(await cli(['--data-dir', dataDir, '--json', 'import', '-'], `${refs.join('\n')}\n`));
}

interface ImportRecord {
  batchId: string;
  items: number;
  alreadyDone?: { total: number; items: { row: number; reference: string; batchId: string; completedAt: string | null }[] };
}

describe('help for one command', () => {
  it('help COMMAND and COMMAND --help print only that command, exit 0', async () => {
    for (const args of [
      ['help', 'import'],
      ['import', '--help'],
    ]) {
      const run = await cli(args);
      expect({ code: run.code, stderr: run.stderr }, args.join(' ')).toEqual({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(/^Usage: bulk-cancel \[--data-dir DIR\] \[--json\] import FILE/);
      expect(run.stdout).toMatch(/cancel-label/);
      expect(run.stdout).toMatch(/Exit codes/);
      expect(run.stdout).not.toMatch(/account add|run --batch|results --batch/);
    }
  });

  it('account --help and help account list every account command and nothing else', async () => {
    for (const args of [
      ['account', '--help'],
      ['help', 'account'],
    ]) {
      const run = await cli(args);
      expect({ code: run.code, stderr: run.stderr }, args.join(' ')).toEqual({ code: 0, stderr: '' });
      for (const command of ['account add', 'account list', 'account remove NAME', 'account set-key NAME'])
        expect(run.stdout).toContain(command);
      expect(run.stdout).not.toMatch(/import FILE|run --batch/);
    }
    const one = await cli(['help', 'account', 'set-key']);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^Usage: bulk-cancel \[--data-dir DIR\] \[--json\] account set-key NAME/);
    expect(one.stdout).not.toMatch(/account add --provider|account remove/);
  });

  it('help alone is the whole usage; help for no such command is bad usage (exit 2)', async () => {
    const all = await cli(['help']);
    expect(all.code).toBe(0);
    for (const command of ['account set-key', 'import FILE', 'stop --batch', 'batches', '--retry-failed'])
      expect(all.stdout).toContain(command);
    const unknown = await cli(['help', 'frobnicate']);
    expect({ code: unknown.code, stdout: unknown.stdout, stderr: unknown.stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: 'There is no command "frobnicate". See bulk-cancel --help.\n',
    });
  });
});

describe('account set-key', () => {
  it('replaces a refused key, after which the batch is sent', async () => {
    await withAccount(async (dataDir) => {
      const refs = cancellable(2);
      const { batchId } = await importRefs(dataDir, refs);
      const refused = await cli(['--data-dir', dataDir, 'run', '--batch', batchId]);
      expect(refused.code, refused.stderr).toBe(3);

      const set = await cli(
        ['--data-dir', dataDir, '--json', 'account', 'set-key', 'Electio main'],
        `${ELECTIO_DEFAULT_API_KEY}\n`,
      );
      expect(jsonOf(set)).toEqual({ name: 'Electio main', provider: 'electio', hasSecret: true });
      const sent = await cli(['--data-dir', dataDir, '--json', 'run', '--batch', batchId]);
      expect(jsonOf(sent)).toEqual({ batchId, succeeded: 2, failed: 0, total: 2 });
      for (const ref of refs) expect(sim.electio.state(ref)).toBe('cancelled');
    }, 'not-the-right-key');
  });

  it('refuses an unknown account, a missing NAME and an empty key (exit 2)', async () => {
    await withAccount(async (dataDir) => {
      const unknown = await cli(['--data-dir', dataDir, 'account', 'set-key', 'Nobody'], 'some-key-123\n');
      expect({ code: unknown.code, stderr: unknown.stderr }).toEqual({
        code: 2,
        stderr: 'There is no account named "Nobody". See bulk-cancel account list.\n',
      });
      expect((await cli(['--data-dir', dataDir, 'account', 'set-key'])).code).toBe(2);
      const empty = await cli(['--data-dir', dataDir, 'account', 'set-key', 'Electio main'], '\n');
      expect({ code: empty.code, stderr: empty.stderr }).toEqual({
        code: 2,
        stderr: 'The API key is empty: give it as one line on stdin.\n',
      });
    });
  });
});

interface BatchRecord {
  batchId: string;
  createdAt: string;
  sourceName: string | null;
  action: string;
  accounts: string[];
  state: string;
  total: number;
  counts: Record<string, number>;
}

describe('account check', () => {
  it('tells a refused key (exit 3) from a good one (exit 0), changing nothing at the carrier', async () => {
    await withAccount(async (dataDir) => {
      const refused = await cli(['--data-dir', dataDir, 'account', 'check', 'Electio main']);
      expect(refused.code, refused.stderr).toBe(3);
      expect(refused.stdout).toMatch(/key of account "Electio main" was refused: .*account set-key "Electio main"/);
      await cli(['--data-dir', dataDir, 'account', 'set-key', 'Electio main'], `${ELECTIO_DEFAULT_API_KEY}\n`);
      sim.clearLog();
      const accepted = await cli(['--data-dir', dataDir, '--json', 'account', 'check', 'Electio main']);
      expect(jsonOf(accepted)).toEqual({ name: 'Electio main', provider: 'electio', key: 'accepted' });
      expect(sim.requests.map((r) => r.method)).toEqual(['GET']);
    }, 'not-the-right-key');
  });

  it('says when no answer tells (the carrier cannot be reached): exit 1', async () => {
    const dataDir = join(tempDir('bulk-cancel-commands-').path, 'data');
    const add = await cli(
      [
        '--data-dir',
        dataDir,
        'account',
        'add',
        '--provider',
        'sorted-pro',
        '--name',
        'Nowhere',
        '--base-url',
        'http://127.0.0.1:9',
      ],
      'some-key\n',
    );
    expect(add.code, add.stderr).toBe(0);
    const check = await cli(['--data-dir', dataDir, 'account', 'check', 'Nowhere']);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/Could not check the key of account "Nowhere": .*cannot be reached/);
    expect((await cli(['--data-dir', dataDir, 'account', 'remove', 'Nowhere'])).code).toBe(0);
  });
});

describe('batches, stop and run --retry-failed', () => {
  it('batches lists every batch newest first with its items per state', async () => {
    await withAccount(async (dataDir) => {
      expect(jsonOf(await cli(['--data-dir', dataDir, '--json', 'batches']))).toEqual([]);
      const none = await cli(['--data-dir', dataDir, 'batches']);
      expect(none.stdout).toMatch(/No batches yet/);

      const first = await importRefs(dataDir, cancellable(2));
      expect((await cli(['--data-dir', dataDir, 'run', '--batch', first.batchId])).code).toBe(0);
      const second = await importRefs(dataDir, cancellable(3));

      const listed = jsonOf<BatchRecord[]>(await cli(['--data-dir', dataDir, '--json', 'batches']));
      expect(listed).toEqual([
        {
          batchId: second.batchId,
          createdAt: expect.any(String),
          sourceName: null,
          action: 'cancel',
          accounts: ['Electio main'],
          state: 'sending',
          total: 3,
          counts: { queued: 3, in_flight: 0, succeeded: 0, failed: 0, pending: 0, stopped: 0 },
        },
        {
          batchId: first.batchId,
          createdAt: expect.any(String),
          sourceName: null,
          action: 'cancel',
          accounts: ['Electio main'],
          state: 'finished',
          total: 2,
          counts: { queued: 0, in_flight: 0, succeeded: 2, failed: 0, pending: 0, stopped: 0 },
        },
      ]);
      const plain = (await cli(['--data-dir', dataDir, 'batches'])).stdout.trim().split('\n');
      expect(plain).toHaveLength(2);
      expect(plain[0]).toMatch(new RegExp(`^${second.batchId}\\t.*3 queued`));
      expect(plain[1]).toMatch(new RegExp(`^${first.batchId}\\t.*2 succeeded`));
    });
  });

  it('stop --batch ends the items not sent yet "stopped"; a run afterwards sends nothing', async () => {
    await withAccount(async (dataDir) => {
      const { batchId } = await importRefs(dataDir, cancellable(3));
      expect(jsonOf(await cli(['--data-dir', dataDir, '--json', 'stop', '--batch', batchId]))).toEqual({ batchId, stopped: 3 });
      const status = jsonOf<Record<string, number>>(await cli(['--data-dir', dataDir, '--json', 'status', '--batch', batchId]));
      expect(status).toMatchObject({ queued: 0, stopped: 3 });
      sim.clearLog();
      const run = await cli(['--data-dir', dataDir, 'run', '--batch', batchId]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/3 stopped/);
      expect(sim.requests).toHaveLength(0);
      const unknown = await cli(['--data-dir', dataDir, 'stop', '--batch', 'nope']);
      expect({ code: unknown.code, stderr: unknown.stderr }).toEqual({ code: 2, stderr: 'There is no batch nope.\n' });
    });
  });

  it('run --retry-failed sends the failed items again, in the same batch', async () => {
    await withAccount(async (dataDir) => {
      const [known] = cancellable(1);
      const unknown = electioReference(nextRef++); // not at the carrier yet: fails "not found"
      const { batchId } = await importRefs(dataDir, [known as string, unknown]);
      const first = await cli(['--data-dir', dataDir, '--json', 'run', '--batch', batchId]);
      expect(jsonOf(first, 1)).toEqual({ batchId, succeeded: 1, failed: 1, total: 2 });

      sim.electio.add([unknown], 'created');
      const retried = await cli(['--data-dir', dataDir, '--json', 'run', '--batch', batchId, '--retry-failed']);
      expect(jsonOf(retried)).toEqual({ batchId, succeeded: 2, failed: 0, total: 2, requeued: 1 });
      expect(sim.electio.state(unknown)).toBe('cancelled');
      const plain = await cli(['--data-dir', dataDir, 'run', '--batch', batchId, '--retry-failed']);
      expect(plain.stdout).toMatch(/^Put 0 failed item\(s\) back in the queue\./);
    });
  });
});

describe('import says which references were already cancelled', () => {
  it('in --json (alreadyDone, only when some were) and in plain text', async () => {
    await withAccount(async (dataDir) => {
      const [done, fresh] = cancellable(2) as [string, string];
      const first = await importRefs(dataDir, [done]);
      expect(first.alreadyDone).toBeUndefined();
      expect((await cli(['--data-dir', dataDir, 'run', '--batch', first.batchId])).code).toBe(0);

      const again = await importRefs(dataDir, [fresh, done]);
      expect(again.alreadyDone).toEqual({
        total: 1,
        items: [{ row: 2, reference: done, batchId: first.batchId, completedAt: expect.any(String) }],
      });
      const plain = await cli(['--data-dir', dataDir, 'import', '-'], `${done}\n`);
      expect(plain.code, plain.stderr).toBe(0);
      expect(plain.stdout).toMatch(/1 reference\(s\) in this list were already cancelled in an earlier batch/);
      expect(plain.stdout).toContain(`row 1: ${done} was already cancelled in batch ${first.batchId}.`);
    });
  });
});
