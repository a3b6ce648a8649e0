// Starts the simulator child process and talks to it: add shipments, set latency and a hidden limit, count and clear logged requests.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { electioReference, sendcloudShipmentUuid, sortedReference } from '../tests/simulator';

/** The n-th reference of each provider the bench sends. */
export const BENCH_REFERENCE = { electio: electioReference, 'sorted-pro': sortedReference, sendcloud: sendcloudShipmentUuid };
/** The Sendcloud integration the bench's shipments are in. */
export const BENCH_INTEGRATION = 1;

export type SimCommand =
  | { op: 'add'; provider: 'electio' | 'sorted-pro' | 'sendcloud'; from: number; count: number }
  /** A hidden rate limit on writes (429 with Retry-After past it), or none. */
  | { op: 'limit'; limit: { perSecond: number; burst: number } | undefined }
  /** Writes the hidden limit refused since it was set. */
  | { op: 'refused' }
  | { op: 'latency'; ms: number }
  | { op: 'count'; pathPrefix?: string }
  | { op: 'held' }
  | { op: 'clear' };

export interface SimHandle {
  url: string;
  pid: number;
  call(command: SimCommand): Promise<unknown>;
  /** Requests logged since the last clear, optionally under a path prefix. */
  count(pathPrefix?: string): Promise<number>;
  /** The mean time answers were held since the last clear, from arrival to answer: the latency delivered. */
  heldMs(): Promise<number>;
  close(): Promise<void>;
}

export async function startSimProcess(): Promise<SimHandle> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./sim-process.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, (value: unknown) => void>();
  let next = 1;
  child.on('message', (message: { id: number; value: unknown }) => {
    waiting.get(message.id)?.(message.value);
    waiting.delete(message.id);
  });
  const url = await new Promise<string>((resolve, reject) => {
    waiting.set(0, (value) => resolve(value as string));
    child.once('exit', (code) => reject(new Error(`The simulator process exited (${code}) before it listened.`)));
  });
  const call = (command: SimCommand) =>
    new Promise<unknown>((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      child.send({ id, command });
    });
  return {
    url,
    pid: child.pid ?? 0,
    call,
    count: async (pathPrefix) => (await call(pathPrefix === undefined ? { op: 'count' } : { op: 'count', pathPrefix })) as number,
    heldMs: async () => (await call({ op: 'held' })) as number,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
        setTimeout(() => child.kill(), 3000).unref();
      }),
  };
}
