/**
 * Runs the built `bulk-cancel` command as a child process, as scripts use it: a throwaway HOME (never
 * the user's own data), stdin from text, an open file (`/dev/zero`) or a stream that never ends.
 */
import { spawn, type StdioOptions } from 'node:child_process';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { tempDir } from './fixtures';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'bulk-cancel.mjs');

export interface CliRun {
  code: number | null;
  /** The signal that ended the process (an abort, a crash), or null when it exited by itself. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Text for stdin, an open file descriptor, or a stream piped in until the command exits. */
export type CliInput = string | Buffer | number | Readable;

export interface CliOptions {
  /** The folder the command runs in (default: the project's root); scripts run it from anywhere. */
  cwd?: string;
  /** Variables to set, or (undefined) to remove, on top of the test's own environment. */
  env?: Record<string, string | undefined>;
  /** Kills the command (SIGKILL) when it aborts: a guard for a command that might never end. */
  signal?: AbortSignal;
}

export function runCli(args: readonly string[], input: CliInput = '', options: CliOptions = {}): Promise<CliRun> {
  const home = tempDir('bulk-cancel-cli-home-');
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: home.path, HOME: home.path };
  delete env.BULK_CANCEL_DATA_DIR;
  delete env.NODE_OPTIONS; // vitest's loader hooks are not the CLI's business
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const stdio: StdioOptions = [typeof input === 'number' ? input : 'pipe', 'pipe', 'pipe'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env,
      stdio,
      signal: options.signal,
      killSignal: 'SIGKILL',
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => {
      if (error.name !== 'AbortError') reject(error); // an abort ends in 'close' with its signal
    });
    child.on('close', (code, signal) => {
      if (typeof input === 'object' && !Buffer.isBuffer(input)) input.destroy();
      home.remove();
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    const stdin = child.stdin;
    if (!stdin) return;
    stdin.on('error', () => undefined); // the command may stop reading before the input ends
    if (typeof input === 'object' && !Buffer.isBuffer(input)) input.pipe(stdin);
    else if (typeof input !== 'number') stdin.end(input);
  });
}
