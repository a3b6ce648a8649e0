// Processes timed from start to exit, as a user runs them: `bulk-cancel` itself, and the bare client and bare parse it is paired with.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { now } from './lib';

export interface Exited {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
  /** The process's peak resident memory (VmHWM, read while it runs), in MiB; NaN where /proc is not there. */
  peakRssMb: number;
}

export const BULK_CANCEL = fileURLToPath(new URL('../bin/bulk-cancel.mjs', import.meta.url));
export const BARE_CLIENT = fileURLToPath(new URL('./bare-client.mjs', import.meta.url));
export const BARE_PARSE = fileURLToPath(new URL('./bare-parse.mjs', import.meta.url));

/** The peak resident memory the kernel recorded for `pid` so far, in MiB. */
function peakRss(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? NaN : Number(kb) / 1024;
  } catch {
    return NaN;
  }
}

/** Runs `node script ...args` and times it from spawn to exit; `input` goes to stdin. */
export function timedNode(script: string, args: readonly string[], env: NodeJS.ProcessEnv, input = ''): Promise<Exited> {
  return new Promise((resolve, reject) => {
    const started = now();
    const child = spawn(process.execPath, [script, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peakRssMb = NaN;
    const sample = setInterval(() => {
      const rss = peakRss(child.pid);
      if (!Number.isNaN(rss)) peakRssMb = rss;
    }, 20);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = now() - started;
      clearInterval(sample);
      resolve({ ms, code, stdout, stderr, peakRssMb });
    });
    child.stdin.end(input);
  });
}

/** Runs `bulk-cancel ...args` and fails loudly when it does not exit 0. */
export async function bulkCancel(args: readonly string[], env: NodeJS.ProcessEnv, input = ''): Promise<Exited> {
  const run = await timedNode(BULK_CANCEL, args, env, input);
  if (run.code !== 0)
    throw new Error(`bulk-cancel ${args.join(' ')} exited ${run.code}: ${run.stderr.trim().split('\n')[0] ?? ''}`);
  return run;
}
