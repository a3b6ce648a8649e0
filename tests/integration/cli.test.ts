/**
 * The built `bulk-cancel` command as scripts use it: a child process (`node bin/bulk-cancel.mjs`)
 * with a fresh data directory, the real keychain and the carrier simulator. Proves the public
 * contract of issue 3, step 10: flags, JSON shapes and exit codes.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import Papa from 'papaparse';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { keychainStore } from '../../electron/core/credentials/store';
import { DATABASE_FILE } from '../../electron/core/db/open';
import {
  ELECTIO_DEFAULT_API_KEY,
  SENDCLOUD_DEFAULT_CLIENT_ID,
  SENDCLOUD_DEFAULT_CLIENT_SECRET,
  SENDCLOUD_DEFAULT_PUBLIC_KEY,
  SENDCLOUD_DEFAULT_SECRET_KEY,
  SORTED_DEFAULT_API_KEY,
  electioReference,
  sortedReference,
  startSimulator,
  type Simulator,
} from '../simulator';
import { tempDir } from '../support/fixtures';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'bulk-cancel.mjs');

const RESULT_FIELDS = [
  'Data',
  'IsSuccess',
  'Message',
  'ApiLinks',
  'Reason',
  'State',
  'Provider',
  'Account',
  'Action',
  'HttpStatus',
  'Attempts',
  'CompletedAt',
];
const STATE_KEYS = ['queued', 'in_flight', 'succeeded', 'failed', 'pending', 'stopped'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface CliOptions {
  input?: string | Buffer;
  env?: Record<string, string | undefined>;
}

/** Never the user's own data: a stray default data directory would land in this throwaway folder. */
let safeHome: { path: string; remove: () => void };

function cli(args: readonly string[], options: CliOptions = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: safeHome.path, HOME: safeHome.path };
  delete env.BULK_CANCEL_DATA_DIR;
  delete env.NODE_OPTIONS; // vitest's loader hooks are not the CLI's business
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
    child.stdin.on('error', () => undefined); // the CLI may exit before reading stdin
    child.stdin.end(options.input ?? '');
  });
}

/** With --json: stdout is exactly one JSON document and stderr is empty. */
function jsonOf<T = unknown>(run: Run): T {
  expect(run.stderr, run.stderr).toBe('');
  return JSON.parse(run.stdout) as T;
}

/** A refusal: the exit code, nothing on stdout, and one plain sentence on stderr without a stack trace. */
function expectRefusal(run: Run, code: number, pattern?: RegExp): void {
  expect({ code: run.code, stdout: run.stdout }, run.stderr).toEqual({ code, stdout: '' });
  const lines = run.stderr.split('\n');
  expect(lines, run.stderr).toHaveLength(2); // one line, then the final newline
  expect(lines[1]).toBe('');
  const line = lines[0] ?? '';
  expect(line.trim()).not.toBe('');
  expect(line).not.toMatch(/^\s+at |\bat .*:\d+:\d+|Error:|node:internal|\.mjs:\d+/);
  if (pattern) expect(line).toMatch(pattern);
}

interface AccountRecord {
  name: string;
  provider: string;
  baseUrl: string;
  hasSecret: boolean;
}

interface ImportRecord {
  batchId: string;
  items: number;
  duplicates: number;
  rejected: { row: number; value: string; error: string }[];
}

interface RunRecord {
  batchId: string;
  succeeded: number;
  failed: number;
  total: number;
}

type ResultRecord = Record<string, unknown> & { Data: string; State: string; Reason: string | null; IsSuccess: boolean };

describe('bulk-cancel CLI (built, as a child process)', () => {
  let sim: Simulator;
  let dataDirs: { path: string; remove: () => void }[] = [];
  let dir: string;
  let nextRef = 0;

  /** Fresh references no other test has touched (the simulator is shared). */
  const refs = (count: number): string[] => Array.from({ length: count }, () => electioReference(nextRef++));

  const newDataDir = (): string => {
    const made = tempDir('bulk-cancel-cli-');
    dataDirs.push(made);
    return made.path;
  };

  const addAccount = (dataDir: string, name = 'Electio main', key = `${ELECTIO_DEFAULT_API_KEY}\n`, baseUrl = sim.url) =>
    cli(['--data-dir', dataDir, '--json', 'account', 'add', '--provider', 'electio', '--name', name, '--base-url', baseUrl], {
      input: key,
    });

  const importList = async (dataDir: string, list: string[], extra: string[] = []): Promise<ImportRecord> => {
    const run = await cli(['import', '-', '--data-dir', dataDir, '--json', ...extra], { input: `${list.join('\n')}\n` });
    expect(run.code, run.stderr).toBe(0);
    return jsonOf<ImportRecord>(run);
  };

  const results = async (dataDir: string, batchId: string, extra: string[] = []): Promise<ResultRecord[]> => {
    const run = await cli(['results', '--batch', batchId, '--data-dir', dataDir, ...extra]);
    expect(run.code, run.stderr).toBe(0);
    return jsonOf<ResultRecord[]>(run);
  };

  const status = async (dataDir: string, batchId?: string): Promise<Record<string, number>> => {
    const run = await cli(['--data-dir', dataDir, 'status', '--json', ...(batchId ? ['--batch', batchId] : [])]);
    expect(run.code, run.stderr).toBe(0);
    return jsonOf<Record<string, number>>(run);
  };

  beforeAll(async () => {
    safeHome = tempDir('bulk-cancel-cli-home-');
    sim = await startSimulator();
  }, 120_000);

  afterAll(async () => {
    await sim?.close();
    safeHome?.remove();
  });

  beforeEach(() => {
    dir = newDataDir();
    sim.clearLog();
  });

  afterEach(async () => {
    // Remove the keys this test stored in the (throwaway) keychain, then the data directories.
    const keychain = keychainStore();
    for (const made of dataDirs) {
      const file = join(made.path, DATABASE_FILE);
      if (!existsSync(file)) continue;
      let ids: string[] = [];
      try {
        const db = new Database(file, { readonly: true, fileMustExist: true });
        try {
          ids = (db.prepare('SELECT id FROM accounts').all() as { id: string }[]).map((row) => row.id);
        } finally {
          db.close();
        }
      } catch {
        // Not a readable Bulk Cancel database (the newer-schema and damaged-file tests): no keys to remove.
      }
      for (const id of ids) await keychain.delete(id).catch(() => false);
    }
    for (const made of dataDirs) made.remove();
    dataDirs = [];
  });

  describe('usage', () => {
    it('--help prints the usage and exits 0', async () => {
      for (const args of [['--help'], ['-h'], ['import', '--help'], ['--data-dir', dir, 'run', '--help']]) {
        const run = await cli(args);
        expect(run.code, args.join(' ')).toBe(0);
        expect(run.stdout).toMatch(/Usage: bulk-cancel/);
        expect(run.stdout).toMatch(/Exit codes/);
        expect(run.stderr).toBe('');
      }
    });

    it('refuses an unknown command, an unknown option or a misplaced one with exit 2 and one sentence', async () => {
      expectRefusal(await cli(['--data-dir', dir, '--json', 'frobnicate']), 2, /Unknown command "frobnicate"/);
      expectRefusal(await cli(['--data-dir', dir, '--json', 'status', '--bogus']), 2, /Unknown option --bogus\./);
      expectRefusal(await cli(['--data-dir', dir, 'account', 'remove']), 2);
      expectRefusal(await cli(['--data-dir', dir, 'account']), 2);
      expectRefusal(await cli(['--data-dir', dir, 'status', '--chunk-size', '5']), 2, /--chunk-size/);
      expectRefusal(await cli(['--data-dir', dir, 'status', 'extra']), 2);
      expectRefusal(await cli(['--data-dir', dir, '--json=yes', 'status']), 2);
      expectRefusal(await cli(['status', '--data-dir']), 2);
      expectRefusal(await cli(['--json']), 2); // no command: stdout stays empty under --json
      // Bad usage changes nothing: no database was even created.
      expect(existsSync(join(dir, DATABASE_FILE))).toBe(false);
    });

    it('without a command prints the usage on stderr, not stdout, and exits 2', async () => {
      const run = await cli([]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/Usage: bulk-cancel/);
    });

    it('accepts the global flags before or after the command, in both spellings', async () => {
      expect((await addAccount(dir)).code).toBe(0);
      const forms = [
        ['--data-dir', dir, '--json', 'account', 'list'],
        ['account', 'list', '--json', '--data-dir', dir],
        ['--json', 'account', 'list', `--data-dir=${dir}`],
        ['account', '--data-dir', dir, 'list', '--json'],
      ];
      for (const args of forms) {
        const run = await cli(args);
        expect(run.code, args.join(' ')).toBe(0);
        expect(jsonOf<AccountRecord[]>(run).map((a) => a.name)).toEqual(['Electio main']);
      }
    });

    it('uses BULK_CANCEL_DATA_DIR when --data-dir is not given, and --data-dir over it', async () => {
      const fromEnv = newDataDir();
      const add = await cli(
        ['account', 'add', '--provider', 'electio', '--name', 'Env account', '--base-url', sim.url, '--json'],
        {
          input: ELECTIO_DEFAULT_API_KEY,
          env: { BULK_CANCEL_DATA_DIR: fromEnv },
        },
      );
      expect(add.code, add.stderr).toBe(0);
      expect(existsSync(join(fromEnv, DATABASE_FILE))).toBe(true);

      const viaEnv = await cli(['account', 'list', '--json'], { env: { BULK_CANCEL_DATA_DIR: fromEnv } });
      expect(jsonOf<AccountRecord[]>(viaEnv).map((a) => a.name)).toEqual(['Env account']);

      const overridden = await cli(['account', 'list', '--json', '--data-dir', dir], { env: { BULK_CANCEL_DATA_DIR: fromEnv } });
      expect(jsonOf<AccountRecord[]>(overridden)).toEqual([]);
      expect(existsSync(join(dir, DATABASE_FILE))).toBe(true);
    });
  });

  describe('account add / account list', () => {
    it('adds an account with the key from stdin (CRLF stripped) and lists exactly {name, provider, baseUrl, hasSecret}', async () => {
      const add = await addAccount(dir, 'Electio main', `${ELECTIO_DEFAULT_API_KEY}\r\n`);
      expect(add.code, add.stderr).toBe(0);
      jsonOf(add); // one JSON document

      const list = await cli(['--data-dir', dir, 'account', 'list', '--json']);
      expect(list.code).toBe(0);
      const accounts = jsonOf<AccountRecord[]>(list);
      expect(accounts).toEqual([{ name: 'Electio main', provider: 'electio', baseUrl: sim.url, hasSecret: true }]);
      expect(Object.keys(accounts[0] ?? {}).sort()).toEqual(['baseUrl', 'hasSecret', 'name', 'provider']);
      expect(list.stdout).not.toContain(ELECTIO_DEFAULT_API_KEY);

      // The stored key has no CR: the simulator accepts it.
      const [ref] = refs(1);
      sim.electio.add([ref as string], 'created');
      const { batchId } = await importList(dir, [ref as string]);
      const run = await cli(['--data-dir', dir, 'run', '--batch', batchId, '--json']);
      expect(run.code, run.stderr).toBe(0);
      expect(sim.requests[0]?.headers['ocp-apim-subscription-key']).toBe(ELECTIO_DEFAULT_API_KEY);
    });

    it('without --json prints plain lines, and account list reads well with no accounts', async () => {
      const empty = await cli(['--data-dir', dir, 'account', 'list']);
      expect(empty.code).toBe(0);
      expect(empty.stdout).toMatch(/No accounts yet/);
      const add = await cli(
        ['--data-dir', dir, 'account', 'add', '--provider', 'electio', '--name', 'Plain', '--base-url', sim.url],
        {
          input: 'abc\n',
        },
      );
      expect(add.code, add.stderr).toBe(0);
      expect(add.stdout).toMatch(/Added account "Plain"/);
      expect(add.stdout).not.toContain('abc');
    });

    it('refuses an empty key (exit 2) and stores nothing', async () => {
      for (const input of ['', '\n', '\r\n']) {
        expectRefusal(await addAccount(dir, 'Empty', input), 2, /API key is empty/);
      }
      expect(jsonOf(await cli(['--data-dir', dir, 'account', 'list', '--json']))).toEqual([]);
    });

    it('refuses a duplicate name, compared case-insensitively (exit 2)', async () => {
      expect((await addAccount(dir, 'Main')).code).toBe(0);
      expectRefusal(await addAccount(dir, 'MAIN'), 2, /already exists/);
      expectRefusal(await addAccount(dir, ' main '), 2, /already exists/);
      const accounts = jsonOf<AccountRecord[]>(await cli(['--data-dir', dir, 'account', 'list', '--json']));
      expect(accounts.map((a) => a.name)).toEqual(['Main']);
    });

    it('accepts http:// only for loopback hosts; bad base URLs, providers and missing flags exit 2', async () => {
      expectRefusal(await addAccount(dir, 'Remote', 'k\n', 'http://example.com'), 2, /https:\/\//);
      expectRefusal(await addAccount(dir, 'Junk', 'k\n', 'not a url'), 2);
      expectRefusal(await addAccount(dir, 'Userinfo', 'k\n', 'https://user:pw@example.com'), 2);
      expectRefusal(
        await cli(['--data-dir', dir, 'account', 'add', '--provider', 'nope', '--name', 'X'], { input: 'k\n' }),
        2,
        /Unknown provider "nope"/,
      );
      expectRefusal(
        await cli(['--data-dir', dir, 'account', 'add', '--name', 'X'], { input: 'k\n' }),
        2,
        /--provider is required/,
      );
      expectRefusal(
        await cli(['--data-dir', dir, 'account', 'add', '--provider', 'electio'], { input: 'k\n' }),
        2,
        /--name is required/,
      );
      expect(jsonOf(await cli(['--data-dir', dir, 'account', 'list', '--json']))).toEqual([]);

      const local = await addAccount(dir, 'Localhost', 'k\n', 'http://localhost:9/');
      expect(local.code, local.stderr).toBe(0);
      const https = await addAccount(dir, 'Remote https', 'k\n', 'https://example.com/api/');
      expect(https.code, https.stderr).toBe(0);
      const accounts = jsonOf<AccountRecord[]>(await cli(['--data-dir', dir, 'account', 'list', '--json']));
      expect(accounts.map((a) => [a.name, a.baseUrl])).toEqual([
        ['Localhost', 'http://localhost:9'],
        ['Remote https', 'https://example.com/api'],
      ]);
    });
  });

  describe('import', () => {
    it('imports a file with --json: batchId, items, duplicates and rejected rows (1-based, counting the header); sends nothing', async () => {
      expect((await addAccount(dir)).code).toBe(0);
      const [a, b, c] = refs(3) as [string, string, string];
      const file = join(dir, 'list.csv');
      writeFileSync(
        file,
        '\uFEFF' +
          [
            'Order,Consignment Reference', // row 1: the header
            `ORD-1,${a}`, // row 2
            `ORD-2,${b.toLowerCase()}`, // row 3
            'ORD-3,1.23E+15', // row 4: mangled by a spreadsheet
            `ORD-4,${a}`, // row 5: duplicate
            'ORD-5,not-a-reference', // row 6
            `ORD-6,${c}`, // row 7
            `ORD-7,${b}`, // row 8: duplicate (case-insensitive)
          ].join('\r\n') +
          '\r\n',
      );
      const run = await cli(['--data-dir', dir, 'import', file, '--json']);
      expect(run.code, run.stderr).toBe(0);
      const imported = jsonOf<ImportRecord>(run);
      // The document's keys as first promised, and those issue 15 added (the column read and why, the others, …).
      expect(Object.keys(imported).sort()).toEqual(
        [
          'batchId',
          'duplicates',
          'items',
          'rejected',
          'routes',
          'column',
          'sheet',
          'candidates',
          'duplicateRows',
          'hints',
        ].sort(),
      );
      expect(imported.batchId).toEqual(expect.any(String));
      expect(imported.items).toBe(3);
      expect(imported.duplicates).toBe(2);
      expect(imported.rejected.map(({ row, value }) => ({ row, value }))).toEqual([
        { row: 4, value: '1.23E+15' },
        { row: 6, value: 'not-a-reference' },
      ]);
      for (const rejected of imported.rejected) {
        expect(Object.keys(rejected).sort()).toEqual(['error', 'row', 'value']);
        expect(rejected.error).toMatch(/\S.*\.$/);
      }
      expect(sim.requests).toHaveLength(0);

      expect(await status(dir, imported.batchId)).toEqual({
        queued: 3,
        in_flight: 0,
        succeeded: 0,
        failed: 0,
        pending: 0,
        stopped: 0,
      });
      const records = await results(dir, imported.batchId, ['--json']);
      expect(records.map((r) => r.Data)).toEqual([a, b, c]); // import order, stored upper-case
      expect(records.every((r) => r.State === 'queued' && r.CompletedAt === null && r.Attempts === 0)).toBe(true);
    });

    it('imports from stdin with "-" and without --json prints plain lines', async () => {
      expect((await addAccount(dir)).code).toBe(0);
      const list = refs(2);
      const run = await cli(['import', '-', '--data-dir', dir], { input: `${list.join('\r\n')}\r\n` });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/Queued batch \S+: 2 item\(s\)/);
      const imported = await importList(dir, [...list, 'junk']);
      expect(imported).toMatchObject({ items: 2, duplicates: 0, rejected: [{ row: 3, value: 'junk' }] });
      expect(sim.requests).toHaveLength(0);
    });

    it('exits 2 when no row is valid, the file cannot be read, or no FILE is given; nothing is queued', async () => {
      expect((await addAccount(dir)).code).toBe(0);
      expectRefusal(
        await cli(['--data-dir', dir, '--json', 'import', '-'], { input: 'Reference\nnope\n1.23E+15\n' }),
        2,
        /No valid reference/,
      );
      expectRefusal(await cli(['--data-dir', dir, '--json', 'import', '-'], { input: '' }), 2);
      expectRefusal(await cli(['--data-dir', dir, '--json', 'import', join(dir, 'missing.csv')]), 2, /cannot be read/);
      const folder = join(dir, 'a-folder');
      mkdirSync(folder);
      expectRefusal(await cli(['--data-dir', dir, '--json', 'import', folder]), 2, /cannot be read/);
      expectRefusal(await cli(['--data-dir', dir, '--json', 'import']), 2);
      expectRefusal(
        await cli(['--data-dir', dir, '--json', 'import', '-', '--provider', 'nope'], { input: `${refs(1)[0]}\n` }),
        2,
      );
      expect(await status(dir)).toEqual({ queued: 0, in_flight: 0, succeeded: 0, failed: 0, pending: 0, stopped: 0 });
      expect(sim.requests).toHaveLength(0);
    });

    it('needs --account only when more than one account fits', async () => {
      const list = refs(2);
      // No account at all.
      expectRefusal(await cli(['--data-dir', dir, '--json', 'import', '-'], { input: list.join('\n') }), 2, /account/);

      expect((await addAccount(dir, 'First')).code).toBe(0);
      expect((await importList(dir, list)).items).toBe(2); // exactly one fits: --account omitted
      expect((await importList(dir, list, ['--provider', 'electio'])).items).toBe(2);

      expect((await addAccount(dir, 'Second')).code).toBe(0);
      expectRefusal(await cli(['--data-dir', dir, '--json', 'import', '-'], { input: list.join('\n') }), 2, /--account/);
      expectRefusal(
        await cli(['--data-dir', dir, '--json', 'import', '-', '--account', 'Third'], { input: list.join('\n') }),
        2,
        /no account named "Third"/,
      );
      const chosen = await importList(dir, list, ['--account', 'second']); // names compare case-insensitively
      const records = await results(dir, chosen.batchId);
      expect(records.map((r) => r.Account)).toEqual(['Second', 'Second']);
      expect(sim.requests).toHaveLength(0);
    });
  });

  describe('run, results and status', () => {
    /** Two cancellable, one manifested, one already cancelled, one unknown to Electio, one more cancellable. */
    function mixed(): { list: string[]; expected: Record<string, { State: string; Reason: string; IsSuccess: boolean }> } {
      const [created1, manifested, already, unknown, created2, created3] = refs(6) as [
        string,
        string,
        string,
        string,
        string,
        string,
      ];
      sim.electio.add([created1, created2, created3], 'created');
      sim.electio.add([manifested], 'manifested');
      sim.electio.add([already], 'cancelled');
      const ok = { State: 'succeeded', Reason: 'cancelled', IsSuccess: true };
      return {
        list: [created1, manifested, already, unknown, created2, created3],
        expected: {
          [created1]: ok,
          [manifested]: { State: 'failed', Reason: 'too_late', IsSuccess: false },
          [already]: { State: 'succeeded', Reason: 'already_cancelled', IsSuccess: true },
          [unknown]: { State: 'failed', Reason: 'not_found', IsSuccess: false },
          [created2]: ok,
          [created3]: ok,
        },
      };
    }

    for (const chunkSize of [undefined, '1']) {
      it(`runs mixed outcomes (${chunkSize ? 'single-cancel endpoint' : 'cancellist'}): exit 1, results per item in import order`, async () => {
        expect((await addAccount(dir)).code).toBe(0);
        const { list, expected } = mixed();
        const { batchId } = await importList(dir, list);
        expect(sim.requests).toHaveLength(0);

        const args = ['run', '--batch', batchId, '--json', '--data-dir', dir, '--concurrency', '2'];
        if (chunkSize) args.push('--chunk-size', chunkSize);
        const run = await cli(args);
        expect(run.code, run.stderr).toBe(1);
        const report = jsonOf<RunRecord>(run);
        expect(report).toEqual({ batchId, succeeded: 4, failed: 2, total: 6 });
        expect(Object.keys(report).sort()).toEqual(['batchId', 'failed', 'succeeded', 'total']);

        const paths = sim.requests.map((r) => `${r.method} ${r.path}`);
        if (chunkSize) {
          expect(paths.sort()).toEqual(list.map((ref) => `PUT /consignments/${ref}/cancel`).sort());
        } else {
          expect(paths).toEqual(['PUT /consignments/cancellist']);
          expect(JSON.parse(sim.requests[0]?.body ?? '')).toEqual(list);
        }

        const records = await results(dir, batchId);
        expect(records.map((r) => r.Data)).toEqual(list);
        for (const record of records) {
          expect(Object.keys(record)).toEqual(RESULT_FIELDS);
          expect({ Data: record.Data, State: record.State, Reason: record.Reason, IsSuccess: record.IsSuccess }).toEqual({
            Data: record.Data,
            ...expected[record.Data],
          });
          expect(record).toMatchObject({
            Provider: 'electio',
            Account: 'Electio main',
            Action: 'cancel',
            Attempts: 1,
            ApiLinks: null,
          });
          expect(record.Message).toEqual(expect.stringMatching(/\S/));
          expect(record.HttpStatus).toEqual(expect.any(Number));
          expect(record.CompletedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
        }
        const byRef = Object.fromEntries(records.map((r) => [r.Data, r]));
        if (chunkSize) {
          expect(byRef[list[0] as string]?.HttpStatus).toBe(200);
          expect(byRef[list[3] as string]?.HttpStatus).toBe(404);
        } else {
          expect(records.every((r) => r.HttpStatus === 200)).toBe(true); // the bulk request's status
        }

        const failed = await results(dir, batchId, ['--failed']);
        expect(failed.map((r) => r.Data)).toEqual([list[1], list[3]]);
        expect(failed.every((r) => r.State === 'failed')).toBe(true);

        const counts = await status(dir, batchId);
        expect(counts).toEqual({ queued: 0, in_flight: 0, succeeded: 4, failed: 2, pending: 0, stopped: 0 });
        expect(Object.keys(counts).sort()).toEqual([...STATE_KEYS].sort());
      });
    }

    it('exits 0 when every item succeeded; a second run sends nothing more', async () => {
      expect((await addAccount(dir)).code).toBe(0);
      const list = refs(5);
      sim.electio.add(list, 'created');
      const { batchId } = await importList(dir, list);
      const run = await cli(['--data-dir', dir, 'run', '--batch', batchId, '--chunk-size', '2', '--concurrency', '3', '--json']);
      expect(run.code, run.stderr).toBe(0);
      expect(jsonOf(run)).toEqual({ batchId, succeeded: 5, failed: 0, total: 5 });
      expect(sim.requests.map((r) => r.path)).toEqual(Array(3).fill('/consignments/cancellist'));
      for (const ref of list) expect(sim.electio.state(ref)).toBe('cancelled');

      sim.clearLog();
      const again = await cli(['--data-dir', dir, 'run', '--batch', batchId, '--json']);
      expect(again.code).toBe(0);
      expect(jsonOf(again)).toEqual({ batchId, succeeded: 5, failed: 0, total: 5 });
      expect(sim.requests).toHaveLength(0);

      const plain = await cli(['--data-dir', dir, 'run', '--batch', batchId]);
      expect(plain.code).toBe(0);
      expect(plain.stdout).toMatch(/5 succeeded, 0 failed/);
    });

    it('refuses bad --concurrency / --chunk-size values and unknown batches with exit 2, sending nothing', async () => {
      expect((await addAccount(dir)).code).toBe(0);
      const list = refs(2);
      sim.electio.add(list, 'created');
      const { batchId } = await importList(dir, list);
      const bad = [
        ['--concurrency', '0'],
        ['--concurrency', 'abc'],
        ['--concurrency', '1.5'],
        ['--chunk-size', '0'],
        ['--chunk-size', '-1'],
        ['--chunk-size=-1'],
        ['--chunk-size', ''],
        ['--concurrency'],
      ];
      for (const flags of bad) {
        expectRefusal(await cli(['--data-dir', dir, '--json', 'run', '--batch', batchId, ...flags]), 2);
      }
      expectRefusal(await cli(['--data-dir', dir, '--json', 'run']), 2, /--batch is required/);
      expectRefusal(await cli(['--data-dir', dir, '--json', 'run', '--batch', 'no-such-batch']), 2, /no batch no-such-batch/);
      expectRefusal(await cli(['--data-dir', dir, '--json', 'results', '--batch', 'no-such-batch']), 2);
      expectRefusal(await cli(['--data-dir', dir, '--json', 'status', '--batch', 'no-such-batch']), 2);
      expectRefusal(await cli(['--data-dir', dir, 'results', '--batch', batchId, '--format', 'xml']), 2, /json or csv/);
      expectRefusal(await cli(['--data-dir', dir, 'results', '--batch', batchId, '--format', 'csv', '--json']), 2);
      expect(sim.requests).toHaveLength(0);
      expect(await status(dir, batchId)).toMatchObject({ queued: 2 });
    });

    it('results --format csv: the header row, one row per item, RFC 4180 quoting and formula-safe cells', async () => {
      // A stand-in Electio whose messages carry commas, quotes and a formula, and which leaves one reference out.
      const [commaRef, formulaRef, missingRef, okRef] = refs(4) as [string, string, string, string];
      const stub: Server = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        request.on('end', () => {
          const sent = JSON.parse(body) as string[];
          const answer = sent
            .filter((ref) => ref !== missingRef)
            .map((ref) =>
              ref === commaRef
                ? { IsSuccess: false, Message: 'Refused, because "the depot" said so', Data: ref, ApiLinks: null }
                : ref === formulaRef
                  ? { IsSuccess: false, Message: '=HYPERLINK("http://evil.example","x")', Data: ref, ApiLinks: null }
                  : { IsSuccess: true, Message: 'Consignment cancellation completed successfully', Data: ref, ApiLinks: null },
            );
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify(answer));
        });
      });
      await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
      try {
        const url = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
        expect((await addAccount(dir, 'Stub', 'stub-key\n', url)).code).toBe(0);
        const list = [commaRef, formulaRef, missingRef, okRef];
        const { batchId } = await importList(dir, list);
        const run = await cli(['--data-dir', dir, 'run', '--batch', batchId, '--json']);
        expect(run.code, run.stderr).toBe(1);
        expect(jsonOf(run)).toEqual({ batchId, succeeded: 1, failed: 3, total: 4 });

        const csv = await cli(['--data-dir', dir, 'results', '--batch', batchId, '--format', 'csv']);
        expect(csv.code, csv.stderr).toBe(0);
        expect(csv.stderr).toBe('');
        const lines = csv.stdout.split('\r\n');
        expect(lines[0]).toBe(RESULT_FIELDS.join(','));
        expect(csv.stdout.endsWith('\r\n')).toBe(true);
        expect(csv.stdout).toContain(`${commaRef},false,"Refused, because ""the depot"" said so",`);

        const parsed = Papa.parse<Record<string, string>>(csv.stdout, { header: true, skipEmptyLines: true });
        expect(parsed.errors).toEqual([]);
        expect(parsed.meta.fields).toEqual(RESULT_FIELDS);
        expect(parsed.data.map((row) => row.Data)).toEqual(list);
        const byRef = Object.fromEntries(parsed.data.map((row) => [row.Data, row]));
        expect(byRef[commaRef]).toMatchObject({
          IsSuccess: 'false',
          State: 'failed',
          Message: 'Refused, because "the depot" said so',
        });
        expect(byRef[formulaRef]?.Message).not.toMatch(/^=/); // made inert for spreadsheets
        expect(byRef[formulaRef]?.Message).toContain('HYPERLINK');
        expect(byRef[missingRef]).toMatchObject({ State: 'failed', Reason: 'provider_error', IsSuccess: 'false' });
        expect(byRef[missingRef]?.Message).toMatch(/did not mention/); // never a silent success
        expect(byRef[okRef]).toMatchObject({
          IsSuccess: 'true',
          State: 'succeeded',
          Reason: 'cancelled',
          Account: 'Stub',
          HttpStatus: '200',
          Attempts: '1',
        });
        expect(byRef[okRef]?.CompletedAt).toMatch(/Z$/);

        const failedCsv = await cli(['--data-dir', dir, 'results', '--batch', batchId, '--format', 'csv', '--failed']);
        const failedRows = Papa.parse<Record<string, string>>(failedCsv.stdout, { header: true, skipEmptyLines: true }).data;
        expect(failedRows.map((row) => row.Data)).toEqual([commaRef, formulaRef, missingRef]);

        const jsonRecords = await results(dir, batchId, ['--format', 'json']);
        expect(jsonRecords.find((r) => r.Data === commaRef)?.Message).toBe('Refused, because "the depot" said so');
      } finally {
        await new Promise<void>((resolve) => stub.close(() => resolve()));
      }
    });

    it('status --json counts every state, for all batches or one', async () => {
      expect(await status(dir)).toEqual({ queued: 0, in_flight: 0, succeeded: 0, failed: 0, pending: 0, stopped: 0 });
      expect((await addAccount(dir)).code).toBe(0);
      const first = refs(3);
      sim.electio.add(first, 'created');
      sim.electio.add([first[2] as string], 'manifested');
      const one = await importList(dir, first);
      const two = await importList(dir, refs(2));
      expect((await cli(['--data-dir', dir, 'run', '--batch', one.batchId])).code).toBe(1);

      const all = await status(dir);
      expect(all).toEqual({ queued: 2, in_flight: 0, succeeded: 2, failed: 1, pending: 0, stopped: 0 });
      expect(await status(dir, one.batchId)).toEqual({
        queued: 0,
        in_flight: 0,
        succeeded: 2,
        failed: 1,
        pending: 0,
        stopped: 0,
      });
      expect(await status(dir, two.batchId)).toEqual({
        queued: 2,
        in_flight: 0,
        succeeded: 0,
        failed: 0,
        pending: 0,
        stopped: 0,
      });

      const plain = await cli(['--data-dir', dir, 'status', '--batch', two.batchId]);
      expect(plain.code).toBe(0);
      expect(plain.stdout).toMatch(/^queued\t2$/m);
    });
  });

  describe('several providers and accounts (issue 4)', () => {
    let nextSorted = 500_000;
    let nextParcel = 7_000_000;
    let nextIntegration = 9_100;
    const sortedRefs = (count: number): string[] => Array.from({ length: count }, () => sortedReference(nextSorted++));
    const parcelIds = (count: number): number[] => Array.from({ length: count }, () => nextParcel++);
    const integration = (): number => nextIntegration++;

    /** Adds an account of any provider; the extra flags are account add's provider fields. */
    const addAccountOf = (dataDir: string, provider: string, name: string, secret: string, extra: string[] = []) =>
      cli(
        [
          '--data-dir',
          dataDir,
          '--json',
          'account',
          'add',
          '--provider',
          provider,
          '--name',
          name,
          '--base-url',
          sim.url,
          ...extra,
        ],
        { input: `${secret}\n` },
      );

    const accountIds = (dataDir: string): Record<string, string> => {
      const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
      try {
        const rows = db.prepare('SELECT id, name FROM accounts').all() as { id: string; name: string }[];
        return Object.fromEntries(rows.map((row) => [row.name, row.id]));
      } finally {
        db.close();
      }
    };

    const listAccounts = async (dataDir: string): Promise<AccountRecord[]> =>
      jsonOf<AccountRecord[]>(await cli(['--data-dir', dataDir, 'account', 'list', '--json']));

    const basicHeader = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

    describe('account add / list / remove', () => {
      it('adds an account of each provider with its fields; the list keeps exactly its four keys', async () => {
        const sorted = await addAccountOf(dir, 'sorted-pro', 'Sorted', SORTED_DEFAULT_API_KEY, ['--rate', '30']);
        expect(sorted.code, sorted.stderr).toBe(0);
        expect(jsonOf(sorted)).toEqual({ name: 'Sorted', provider: 'sorted-pro', baseUrl: sim.url, hasSecret: true });
        const basic = await addAccountOf(
          dir,
          'sendcloud',
          'SC basic',
          `${SENDCLOUD_DEFAULT_PUBLIC_KEY}:${SENDCLOUD_DEFAULT_SECRET_KEY}`,
          ['--integration-id', '77'],
        );
        expect(basic.code, basic.stderr).toBe(0);
        const oauth = await addAccountOf(
          dir,
          'sendcloud',
          'SC oauth',
          `${SENDCLOUD_DEFAULT_CLIENT_ID}:${SENDCLOUD_DEFAULT_CLIENT_SECRET}`,
          ['--auth', 'oauth2', '--token-url', `${sim.url}/oauth2/token/`, '--integration-id', '78', '--rate', '60'],
        );
        expect(oauth.code, oauth.stderr).toBe(0);
        expect((await addAccount(dir, 'Electio')).code).toBe(0);

        const accounts = await listAccounts(dir);
        expect(accounts).toEqual([
          { name: 'Electio', provider: 'electio', baseUrl: sim.url, hasSecret: true },
          { name: 'SC basic', provider: 'sendcloud', baseUrl: sim.url, hasSecret: true },
          { name: 'SC oauth', provider: 'sendcloud', baseUrl: sim.url, hasSecret: true },
          { name: 'Sorted', provider: 'sorted-pro', baseUrl: sim.url, hasSecret: true },
        ]);
        for (const account of accounts) expect(Object.keys(account).sort()).toEqual(['baseUrl', 'hasSecret', 'name', 'provider']);

        const plain = await cli(['--data-dir', dir, 'account', 'list']);
        expect(plain.code).toBe(0);
        expect(plain.stdout).toMatch(/^Sorted\tsorted-pro\t.*\t30 requests\/min$/m);
        expect(plain.stdout).toMatch(/^SC basic\tsendcloud\t.*integration 77, HTTP Basic$/m);
        expect(plain.stdout).toMatch(
          /^SC oauth\tsendcloud\t.*60 requests\/min, integration 78, OAuth2 via http:\/\/127\.0\.0\.1/m,
        );
        expect(plain.stdout).toMatch(/^SC basic\tsendcloud\t.*\t100 requests\/min/m); // Sendcloud's published pace
        for (const secret of [SORTED_DEFAULT_API_KEY, SENDCLOUD_DEFAULT_SECRET_KEY, SENDCLOUD_DEFAULT_CLIENT_SECRET]) {
          expect(plain.stdout).not.toContain(secret);
        }

        // Each secret went to the keychain under its account's id, exactly as given.
        const ids = accountIds(dir);
        const keychain = keychainStore();
        expect(await keychain.get(ids['Sorted'] as string)).toBe(SORTED_DEFAULT_API_KEY);
        expect(await keychain.get(ids['SC oauth'] as string)).toBe(
          `${SENDCLOUD_DEFAULT_CLIENT_ID}:${SENDCLOUD_DEFAULT_CLIENT_SECRET}`,
        );
      });

      it('refuses Sendcloud fields for other providers and bad field values (exit 2), storing nothing', async () => {
        const key = `${SENDCLOUD_DEFAULT_PUBLIC_KEY}:${SENDCLOUD_DEFAULT_SECRET_KEY}`;
        const refusals: [string, string[], RegExp][] = [
          ['electio', ['--integration-id', '5'], /--integration-id is only for Sendcloud/],
          ['sorted-pro', ['--auth', 'oauth2'], /--auth is only for Sendcloud/],
          ['electio', ['--token-url', 'https://example.com/token'], /--token-url is only for Sendcloud/],
          ['sendcloud', ['--auth', 'magic'], /--auth is basic or oauth2/],
          ['sendcloud', ['--integration-id', 'abc'], /--integration-id needs a whole number/],
          ['sendcloud', ['--integration-id', '0'], /--integration-id/],
          ['sendcloud', ['--integration-id', '99999999999'], /--integration-id/],
          ['sendcloud', ['--token-url', 'https://example.com/token'], /only with --auth oauth2/],
          ['sendcloud', ['--auth', 'basic', '--token-url', 'https://example.com/token'], /only with --auth oauth2/],
          ['electio', ['--rate', '0'], /--rate needs a whole number/],
          ['sorted-pro', ['--rate', 'fast'], /--rate/],
          ['sendcloud', ['--rate', '100001'], /--rate needs a whole number from 1 to 100000/],
        ];
        for (const [provider, flags, pattern] of refusals) {
          expectRefusal(await addAccountOf(dir, provider, 'X', key, flags), 2, pattern);
        }
        // Bad usage is refused before the data directory is even opened.
        expect(existsSync(join(dir, DATABASE_FILE))).toBe(false);

        expectRefusal(await addAccountOf(dir, 'sendcloud', 'X', 'no-colon-here'), 2, /PUBLIC_KEY:SECRET_KEY/);
        expectRefusal(await addAccountOf(dir, 'sendcloud', 'X', ':secret'), 2, /PUBLIC_KEY:SECRET_KEY/);
        expectRefusal(
          await addAccountOf(dir, 'sendcloud', 'X', key, ['--auth', 'oauth2', '--token-url', 'http://example.com/token']),
          2,
          /https:\/\//,
        );
        expect(await listAccounts(dir)).toEqual([]);
      });

      it('account remove deletes the account and its key; unknown names and queued items are refused (exit 2)', async () => {
        expect((await addAccount(dir, 'Keep')).code).toBe(0);
        expect((await addAccount(dir, 'Drop')).code).toBe(0);
        const ids = accountIds(dir);
        const list = refs(2);
        sim.electio.add(list, 'created');
        const { batchId } = await importList(dir, list, ['--account', 'Keep']);

        expectRefusal(await cli(['--data-dir', dir, '--json', 'account', 'remove', 'keep']), 2, /still has 2 queued item/);
        const refused = await cli(['--data-dir', dir, 'account', 'remove', 'Keep']);
        expect(refused.stderr).toContain(`bulk-cancel run --batch ${batchId}`);
        expectRefusal(await cli(['--data-dir', dir, '--json', 'account', 'remove', 'Nope']), 2, /no account named "Nope"/);
        expectRefusal(await cli(['--data-dir', dir, '--json', 'account', 'remove', 'Keep', 'Drop']), 2);
        expectRefusal(await cli(['--data-dir', dir, '--json', 'account', 'remove', '--name', 'Drop']), 2);
        expect((await listAccounts(dir)).map((a) => a.name)).toEqual(['Drop', 'Keep']);
        expect(await keychainStore().get(ids['Keep'] as string)).toBe(ELECTIO_DEFAULT_API_KEY);

        const removed = await cli(['--data-dir', dir, '--json', 'account', 'remove', 'DROP']);
        expect(removed.code, removed.stderr).toBe(0);
        expect(jsonOf(removed)).toEqual({ removed: 'Drop' });
        expect(await keychainStore().get(ids['Drop'] as string)).toBeNull();
        expect((await listAccounts(dir)).map((a) => a.name)).toEqual(['Keep']);
        expectRefusal(await cli(['--data-dir', dir, 'account', 'remove', 'Drop']), 2, /no account named "Drop"/);

        // Once its items are sent, the account can go; its batch still names it.
        expect((await cli(['--data-dir', dir, 'run', '--batch', batchId])).code).toBe(0);
        const plain = await cli(['--data-dir', dir, 'account', 'remove', 'Keep']);
        expect(plain.code, plain.stderr).toBe(0);
        expect(plain.stdout).toMatch(/Removed account "Keep"/);
        expect(await keychainStore().get(ids['Keep'] as string)).toBeNull();
        expect(await listAccounts(dir)).toEqual([]);
        expect((await results(dir, batchId)).map((r) => r.Account)).toEqual(['Keep', 'Keep']);
        // The name is free again.
        expect((await addAccount(dir, 'Keep')).code).toBe(0);
      });
    });

    describe('import routing and actions', () => {
      it('routes each provider to the account given with a repeated --account and sends each with its own credentials', async () => {
        const secondSortedKey = 'sim-sorted-key-second';
        sim.sortedPro.apiKeys.add(secondSortedKey);
        const scIntegration = integration();
        expect((await addAccount(dir, 'Electio main')).code).toBe(0);
        expect((await addAccountOf(dir, 'sorted-pro', 'Sorted one', SORTED_DEFAULT_API_KEY)).code).toBe(0);
        expect((await addAccountOf(dir, 'sorted-pro', 'Sorted two', secondSortedKey)).code).toBe(0);
        const oauth = await addAccountOf(
          dir,
          'sendcloud',
          'Shop',
          `${SENDCLOUD_DEFAULT_CLIENT_ID}:${SENDCLOUD_DEFAULT_CLIENT_SECRET}`,
          ['--auth', 'oauth2', '--token-url', `${sim.url}/oauth2/token/`, '--integration-id', String(scIntegration)],
        );
        expect(oauth.code, oauth.stderr).toBe(0);

        const electio = refs(2);
        sim.electio.add(electio, 'created');
        const sorted = sortedRefs(2);
        sim.sortedPro.add(sorted, 'created');
        const shipments = [sim.sendcloud.addShipment(scIntegration), sim.sendcloud.addShipment(scIntegration)];
        const uuids = shipments.map((s) => s.uuid);
        const list = [electio[0], sorted[0], uuids[0], electio[1], sorted[1], uuids[1]] as string[];

        // Two Sorted PRO accounts and no choice: refused, naming both and --account.
        const ambiguous = await cli(['--data-dir', dir, '--json', 'import', '-'], { input: list.join('\n') });
        expectRefusal(ambiguous, 2, /--account/);
        expect(ambiguous.stderr).toMatch(/sorted-pro accounts fit \(Sorted one, Sorted two\)/);
        // Two accounts of one provider: refused.
        expectRefusal(
          await cli(['--data-dir', dir, '--json', 'import', '-', '--account', 'Sorted one', '--account', 'Sorted two'], {
            input: list.join('\n'),
          }),
          2,
          /both sorted-pro accounts.*one --account per provider/,
        );
        expect(await status(dir)).toMatchObject({ queued: 0 });

        const imported = await importList(dir, list, ['--account', 'Sorted two', '--account', 'electio main']);
        expect(imported).toMatchObject({ items: 6, duplicates: 0, rejected: [] });
        const routes = (imported as ImportRecord & { routes: unknown[] }).routes;
        expect(routes).toEqual(
          expect.arrayContaining([
            { account: 'Electio main', provider: 'electio', action: 'cancel', items: 2 },
            { account: 'Sorted two', provider: 'sorted-pro', action: 'cancel', items: 2 },
            { account: 'Shop', provider: 'sendcloud', action: 'cancel', items: 2 },
          ]),
        );
        expect(routes).toHaveLength(3);
        expect(sim.requests).toHaveLength(0);

        const run = await cli(['--data-dir', dir, '--json', 'run', '--batch', imported.batchId]);
        expect(run.code, run.stderr).toBe(0);
        expect(jsonOf(run)).toEqual({ batchId: imported.batchId, succeeded: 6, failed: 0, total: 6 });
        for (const ref of electio) expect(sim.electio.state(ref)).toBe('cancelled');
        for (const ref of sorted) expect(sim.sortedPro.state(ref)).toBe('cancelled');
        for (const uuid of uuids) expect(sim.sendcloud.hasShipment(scIntegration, { uuid })).toBe(false);

        // Each request carried its own account's credentials, in the seeds' shapes.
        const sortedCalls = sim.requests.filter((r) => r.path.startsWith('/shipments/'));
        expect(sortedCalls.map((r) => `${r.method} ${r.path}`).sort()).toEqual(
          sorted.map((ref) => `PUT /shipments/${ref}/cancel`).sort(),
        );
        for (const call of sortedCalls)
          expect(call.headers).toMatchObject({ 'x-api-key': secondSortedKey, 'x-api-version': '1.1' });
        const deletes = sim.requests.filter((r) => r.path.startsWith('/api/v2/integrations/'));
        expect(deletes.map((r) => `${r.method} ${r.path}`)).toEqual(
          Array(2).fill(`POST /api/v2/integrations/${scIntegration}/shipments/delete`),
        );
        // The two deletes go out concurrently, in either order: compare them as a set.
        expect(deletes.map((r) => r.body).sort()).toEqual(uuids.map((uuid) => JSON.stringify({ shipment_uuid: uuid })).sort());
        for (const call of deletes) expect(call.headers.authorization).toMatch(/^Bearer \S+$/);
        expect(sim.requests.filter((r) => r.path === '/oauth2/token/')).toHaveLength(1);
        expect(sim.requests.find((r) => r.path === '/oauth2/token/')?.headers.authorization).toBe(
          basicHeader(SENDCLOUD_DEFAULT_CLIENT_ID, SENDCLOUD_DEFAULT_CLIENT_SECRET),
        );

        const records = await results(dir, imported.batchId);
        expect(records.map((r) => [r.Data, r.Provider, r.Account, r.Action, r.State, r.Reason])).toEqual([
          [electio[0], 'electio', 'Electio main', 'cancel', 'succeeded', 'cancelled'],
          [sorted[0], 'sorted-pro', 'Sorted two', 'cancel', 'succeeded', 'cancelled'],
          [uuids[0], 'sendcloud', 'Shop', 'cancel', 'succeeded', 'removed'],
          [electio[1], 'electio', 'Electio main', 'cancel', 'succeeded', 'cancelled'],
          [sorted[1], 'sorted-pro', 'Sorted two', 'cancel', 'succeeded', 'cancelled'],
          [uuids[1], 'sendcloud', 'Shop', 'cancel', 'succeeded', 'removed'],
        ]);
        for (const record of records) expect(Object.keys(record)).toEqual(RESULT_FIELDS);
      });

      it('rows that name their account need no --account; a provider without an account is rejected per row', async () => {
        expect((await addAccount(dir, 'Electio main')).code).toBe(0);
        expect((await addAccountOf(dir, 'sorted-pro', 'Sorted one', SORTED_DEFAULT_API_KEY)).code).toBe(0);
        expect((await addAccountOf(dir, 'sorted-pro', 'Sorted two', 'another-key')).code).toBe(0);
        const [e1] = refs(1) as [string];
        const [s1, s2, s3] = sortedRefs(3) as [string, string, string];
        const csv = ['Reference,Account', `${s1},Sorted one`, `${s2},sorted TWO`, `${e1},`, `${s3},Nobody`].join('\n');
        const imported = await importList(dir, [csv]);
        expect(imported).toMatchObject({ items: 3, rejected: [{ row: 5, value: s3 }] });
        expect(imported.rejected[0]?.error).toMatch(/no account named "Nobody"/);
        const records = await results(dir, imported.batchId);
        expect(records.map((r) => [r.Data, r.Account])).toEqual([
          [s1, 'Sorted one'],
          [s2, 'Sorted two'],
          [e1, 'Electio main'],
        ]);

        // No Sendcloud account: a UUID is not read as a Sendcloud shipment, and the row says what was expected.
        const uuid = '39874b59-2a68-4a3d-8e00-aeb9e0540d00';
        const [e2] = refs(1) as [string];
        const mixed = await importList(dir, [e2, uuid]);
        expect(mixed).toMatchObject({ items: 1, rejected: [{ row: 2, value: uuid }] });
        expect(mixed.rejected[0]?.error).toMatch(/is a Sendcloud reference, but there is no Sendcloud account/);

        // --provider still restricts how references are read, and must have an account.
        const onlyElectio = await importList(dir, [e2, s1], ['--provider', 'electio']);
        expect(onlyElectio).toMatchObject({ items: 1, rejected: [{ row: 2, value: s1 }] });
        expect(onlyElectio.rejected[0]?.error).toMatch(/is a Sorted PRO reference, but this import takes only Electio/);
        expectRefusal(
          await cli(['--data-dir', dir, '--json', 'import', '-', '--provider', 'sendcloud'], { input: `${uuid}\n` }),
          2,
          /No sendcloud account exists yet/,
        );
        expectRefusal(
          await cli(['--data-dir', dir, '--json', 'import', '-', '--provider', 'electio', '--account', 'Sorted one'], {
            input: `${e2}\n`,
          }),
          2,
          /"Sorted one" is sorted-pro, not electio/,
        );
        // Nothing valid: the refusal says why, from the first rejected row.
        expectRefusal(
          await cli(['--data-dir', dir, '--json', 'import', '-'], { input: `${uuid}\n` }),
          2,
          /No valid reference.*Row 1: .*is a Sendcloud reference, but there is no Sendcloud account/,
        );
        expect(sim.requests).toHaveLength(0);
      });

      it('--action cancel-and-delete deletes cancelled Sorted PRO shipments; other providers just cancel', async () => {
        expect((await addAccount(dir, 'Electio main')).code).toBe(0);
        expect((await addAccountOf(dir, 'sorted-pro', 'Sorted', SORTED_DEFAULT_API_KEY)).code).toBe(0);
        const sorted = sortedRefs(2);
        sim.sortedPro.add(sorted, 'created');
        const electio = refs(1);
        sim.electio.add(electio, 'created');
        const plain = await cli(['import', '-', '--data-dir', dir, '--action', 'cancel-and-delete'], {
          input: [...sorted, ...electio].join('\n'),
        });
        expect(plain.code, plain.stderr).toBe(0);
        expect(plain.stdout).toMatch(/2 item\(s\) for account "Sorted" \(Sorted PRO\): cancels the shipment, then deletes it/);
        const batchId = /Queued batch (\S+):/.exec(plain.stdout)?.[1] as string;

        const run = await cli(['--data-dir', dir, '--json', 'run', '--batch', batchId]);
        expect(run.code, run.stderr).toBe(0);
        expect(jsonOf(run)).toEqual({ batchId, succeeded: 3, failed: 0, total: 3 });
        for (const ref of sorted) expect(sim.sortedPro.state(ref)).toBe('deleted');
        expect(sim.electio.state(electio[0] as string)).toBe('cancelled');
        const sortedCalls = sim.requests.filter((r) => r.path.startsWith('/shipments/')).map((r) => `${r.method} ${r.path}`);
        expect(sortedCalls.sort()).toEqual(
          sorted.flatMap((ref) => [`PUT /shipments/${ref}/cancel`, `DELETE /shipments/${ref}`]).sort(),
        );
        const records = await results(dir, batchId);
        expect(records.map((r) => [r.Provider, r.Action, r.State])).toEqual([
          ['sorted-pro', 'cancel-and-delete', 'succeeded'],
          ['sorted-pro', 'cancel-and-delete', 'succeeded'],
          ['electio', 'cancel', 'succeeded'],
        ]);
      });

      it('--action cancel-label cancels Sendcloud labels; a queued cancellation ends pending, which is not a failure', async () => {
        expect(
          (await addAccountOf(dir, 'sendcloud', 'Labels', `${SENDCLOUD_DEFAULT_PUBLIC_KEY}:${SENDCLOUD_DEFAULT_SECRET_KEY}`))
            .code,
        ).toBe(0);
        const [cancelled, queued] = parcelIds(2) as [number, number];
        sim.sendcloud.addParcel(cancelled, 'cancelled');
        sim.sendcloud.addParcel(queued, 'queued');
        const imported = await importList(dir, [String(cancelled), String(queued)], ['--action', 'cancel-label']);
        expect((imported as ImportRecord & { routes: unknown[] }).routes).toEqual([
          { account: 'Labels', provider: 'sendcloud', action: 'cancel-label', items: 2 },
        ]);

        const run = await cli(['--data-dir', dir, 'run', '--batch', imported.batchId]);
        expect(run.code, run.stderr).toBe(0); // pending is not failed
        expect(run.stdout).toMatch(/1 succeeded, 0 failed, 1 pending/);
        expect(run.stdout).toMatch(/1 item\(s\) pending/);
        expect(sim.sendcloud.parcelStatus(cancelled)).toBe('cancelled');
        expect(sim.sendcloud.parcelStatus(queued)).toBe('queued');
        const calls = sim.requests.map((r) => `${r.method} ${r.path}`).sort();
        expect(calls).toEqual([`POST /api/v2/parcels/${cancelled}/cancel`, `POST /api/v2/parcels/${queued}/cancel`].sort());
        for (const call of sim.requests) {
          expect(call.headers.authorization).toBe(basicHeader(SENDCLOUD_DEFAULT_PUBLIC_KEY, SENDCLOUD_DEFAULT_SECRET_KEY));
        }

        const counts = await status(dir, imported.batchId);
        expect(counts).toEqual({ queued: 0, in_flight: 0, succeeded: 1, failed: 0, pending: 1, stopped: 0 });
        expect(Object.keys(counts).sort()).toEqual([...STATE_KEYS].sort());
        const records = await results(dir, imported.batchId);
        expect(records.map((r) => [r.Data, r.Action, r.State, r.IsSuccess, r.Reason])).toEqual([
          [String(cancelled), 'cancel-label', 'succeeded', true, 'cancelled'],
          [String(queued), 'cancel-label', 'pending', false, 'queued'],
        ]);
        expect(await results(dir, imported.batchId, ['--failed'])).toEqual([]);

        const again = await cli(['--data-dir', dir, '--json', 'run', '--batch', imported.batchId]);
        expect(again.code).toBe(0);
        expect(jsonOf(again)).toEqual({ batchId: imported.batchId, succeeded: 1, failed: 0, total: 2 });
      });

      it('refuses an unknown --action with exit 2 before anything is opened', async () => {
        for (const action of ['delete', 'CANCEL', '']) {
          expectRefusal(
            await cli(['--data-dir', dir, '--json', 'import', '-', '--action', action], { input: `${refs(1)[0]}\n` }),
            2,
            /Unknown action .*cancel, cancel-and-delete, cancel-label/,
          );
        }
        expectRefusal(await cli(['--data-dir', dir, '--json', 'run', '--batch', 'x', '--action', 'cancel']), 2, /--action/);
        expect(existsSync(join(dir, DATABASE_FILE))).toBe(false);
      });
    });
  });

  describe('accounts that need attention (exit 3)', () => {
    it('a key Electio refuses: run exits 3 with one sentence on stderr and the items stay queued', async () => {
      expect((await addAccount(dir, 'Wrong key', 'not-the-key\n')).code).toBe(0);
      const list = refs(3);
      sim.electio.add(list, 'created');
      const { batchId } = await importList(dir, list);

      const run = await cli(['--data-dir', dir, '--json', 'run', '--batch', batchId]);
      expect(run.code).toBe(3);
      expect(JSON.parse(run.stdout)).toEqual({ batchId, succeeded: 0, failed: 0, total: 3 });
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/refused the account's credentials/);
      expect(run.stderr).not.toContain('not-the-key');
      expect(run.stderr).not.toMatch(/\bat .*:\d+:\d+/);
      expect(sim.requests.length).toBeGreaterThan(0);
      expect(await status(dir, batchId)).toEqual({ queued: 3, in_flight: 0, succeeded: 0, failed: 0, pending: 0, stopped: 0 });
      for (const ref of list) expect(sim.electio.state(ref)).toBe('created');
      const records = await results(dir, batchId);
      expect(records.every((r) => r.State === 'queued' && r.IsSuccess === false)).toBe(true);
    });

    it('a key missing from the keychain: run exits 3, sends nothing, and the items stay queued', async () => {
      expect((await addAccount(dir, 'Keyless')).code).toBe(0);
      const list = refs(2);
      sim.electio.add(list, 'created');
      const { batchId } = await importList(dir, list);
      const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
      const ids = (db.prepare('SELECT id FROM accounts').all() as { id: string }[]).map((row) => row.id);
      db.close();
      for (const id of ids) expect(await keychainStore().delete(id)).toBe(true);

      const listed = jsonOf<AccountRecord[]>(await cli(['--data-dir', dir, 'account', 'list', '--json']));
      expect(listed).toEqual([{ name: 'Keyless', provider: 'electio', baseUrl: sim.url, hasSecret: false }]);

      const run = await cli(['--data-dir', dir, 'run', '--batch', batchId, '--json']);
      expect(run.code).toBe(3);
      expect(JSON.parse(run.stdout)).toMatchObject({ batchId, succeeded: 0, failed: 0, total: 2 });
      expect(run.stderr).toMatch(/no API key saved/);
      expect(sim.requests).toHaveLength(0);
      expect(await status(dir, batchId)).toMatchObject({ queued: 2 });
    });
  });

  describe('no keychain (exit 3)', () => {
    // A session bus that is not there: keytar cannot reach any Secret Service.
    const noKeychain = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bulk-cancel-bus' };

    it.skipIf(process.platform !== 'linux')(
      'account add exits 3 and adds no account; run exits 3 and leaves the items queued',
      async () => {
        const add = await cli(
          ['--data-dir', dir, '--json', 'account', 'add', '--provider', 'electio', '--name', 'X', '--base-url', sim.url],
          {
            input: `${ELECTIO_DEFAULT_API_KEY}\n`,
            env: noKeychain,
          },
        );
        expectRefusal(add, 3, /keychain/);
        expect(jsonOf(await cli(['--data-dir', dir, 'account', 'list', '--json']))).toEqual([]);

        expect((await addAccount(dir)).code).toBe(0);
        const list = refs(2);
        sim.electio.add(list, 'created');
        const { batchId } = await importList(dir, list);
        const run = await cli(['--data-dir', dir, '--json', 'run', '--batch', batchId], { env: noKeychain });
        expect(run.code).toBe(3);
        expect(JSON.parse(run.stdout)).toEqual({ batchId, succeeded: 0, failed: 0, total: 2 });
        expect(run.stderr).toMatch(/keychain/);
        expect(sim.requests).toHaveLength(0);
        expect(await status(dir, batchId)).toMatchObject({ queued: 2 });
      },
    );

    it.skipIf(process.platform !== 'linux')(
      'account remove exits 3 and keeps the account when its key cannot be deleted',
      async () => {
        expect((await addAccount(dir, 'Stays')).code).toBe(0);
        expectRefusal(await cli(['--data-dir', dir, '--json', 'account', 'remove', 'Stays'], { env: noKeychain }), 3, /keychain/);
        const accounts = jsonOf<AccountRecord[]>(await cli(['--data-dir', dir, 'account', 'list', '--json']));
        expect(accounts).toEqual([{ name: 'Stays', provider: 'electio', baseUrl: sim.url, hasSecret: true }]);
      },
    );
  });

  describe('a database this version cannot use (exit 4)', () => {
    it('refuses a database written by a newer version, for every command, and leaves it untouched', async () => {
      const db = new Database(join(dir, DATABASE_FILE));
      db.pragma('user_version = 999');
      db.close();
      const commands = [
        ['status', '--json'],
        ['account', 'list', '--json'],
        ['import', '-', '--json'],
        ['run', '--batch', 'x', '--json'],
        ['results', '--batch', 'x'],
      ];
      for (const args of commands) {
        expectRefusal(await cli(['--data-dir', dir, ...args], { input: `${refs(1)[0]}\n` }), 4, /newer version of Bulk Cancel/);
      }
      expectRefusal(await addAccount(dir), 4, /newer version/);
      const after = new Database(join(dir, DATABASE_FILE), { readonly: true });
      expect(after.pragma('user_version', { simple: true })).toBe(999);
      after.close();
    });

    it('refuses a damaged data file with exit 4', async () => {
      writeFileSync(join(dir, DATABASE_FILE), 'this is not a database, just some text that is long enough '.repeat(40));
      expectRefusal(await cli(['--data-dir', dir, '--json', 'status']), 4, /damaged|not a Bulk Cancel database|cannot be opened/);
    });
  });
});
