// The carrier simulator's core: a real HTTP server on 127.0.0.1 that logs every request and hands it to
// one handler per provider (Electio, Sorted PRO and Sendcloud, each in its own module). Every provider's paths
// hang from the simulator's root URL, exactly as they hang from the real API roots. Faults (`sim.faults`, see
// faults.ts) are decided before any handler runs, after a hidden rate limit (`sim.hiddenLimit`, see
// hidden-limit.ts); `goOffline`/`goOnline` take the listener down and back up.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ElectioState } from './electio';
import { faultAnswer, providerError, SimFaults, type FaultControl, type FaultKind } from './faults';
import { HiddenLimit } from './hidden-limit';
import { SendcloudState, type SendcloudOptions } from './sendcloud';
import { SortedProState } from './sorted-pro';

/** A request as the provider handlers see it: path segments already percent-decoded. */
export interface SimRequest {
  method: string;
  /** Path segments after the leading slash, each percent-decoded (`/a/b%2Fc` → `['a', 'b/c']`). */
  segments: string[];
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** Answers the requests it owns and returns undefined for the rest, so handlers can simply be chained. */
export type ProviderHandler = (request: SimRequest) => SimResponse | undefined;

export interface LoggedRequest {
  method: string;
  /** Raw path and query exactly as received, still percent-encoded. */
  path: string;
  /** Header names lower-cased; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  receivedAt: number;
  /** The fault injected into this request, if any (see `sim.faults`). */
  fault?: FaultKind;
  /** The status answered; undefined while unanswered and for requests that never get one (reset, hang). */
  status?: number;
  /** When the answer (for `slowBody`, its last byte) was sent. */
  answeredAt?: number;
  /** Milliseconds (high resolution) from the request's arrival to its answer's headers: the latency it met. */
  heldMs?: number;
}

export interface SimulatorOptions {
  /** Delay before every answer, in milliseconds (default 0). */
  latencyMs?: number;
  /** Fixed port for standalone use; tests leave it out to get an ephemeral one. */
  port?: number;
  electio?: { apiKeys?: string[] };
  sortedPro?: { apiKeys?: string[] };
  sendcloud?: SendcloudOptions;
}

export interface Simulator {
  /** e.g. `http://127.0.0.1:41234`, no trailing slash. */
  url: string;
  electio: ElectioState;
  sortedPro: SortedProState;
  sendcloud: SendcloudState;
  requests: LoggedRequest[];
  /** Fault injection: `set(rules)`, `clear()`, `counts()`, `hanging()` (see faults.ts). */
  faults: FaultControl;
  /** A rate limit the carrier does not publish: `set({ perSecond, burst })`, `set(undefined)`, `refused`. */
  hiddenLimit: HiddenLimit;
  count(filter?: { method?: string; pathPrefix?: string }): number;
  setLatency(ms: number): void;
  clearLog(): void;
  /**
   * Stops listening and destroys every open connection (including hanging ones), so new connections are refused
   * (ECONNREFUSED); all provider state, the log and the fault rules are kept.
   */
  goOffline(): Promise<void>;
  /** Listens again on the same port (retrying briefly while it is still in use), so `url` works again. */
  goOnline(): Promise<void>;
  isOnline(): boolean;
  close(): Promise<void>;
}

export function jsonResponse(status: number, value: unknown): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(value),
  };
}

function toRequest(raw: IncomingMessage, body: string): { logged: LoggedRequest; request: SimRequest | undefined } {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const method = raw.method ?? 'GET';
  const path = raw.url ?? '/';
  const logged: LoggedRequest = { method, path, headers, body, receivedAt: Date.now() };
  const url = new URL(path, 'http://simulator.invalid');
  try {
    const segments = url.pathname
      .split('/')
      .slice(1)
      .map((segment) => decodeURIComponent(segment));
    return { logged, request: { method, segments, query: url.searchParams, headers, body } };
  } catch {
    return { logged, request: undefined }; // malformed percent-encoding: no provider could parse it either
  }
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const electio = new ElectioState(options.electio?.apiKeys);
  const sortedPro = new SortedProState(options.sortedPro?.apiKeys);
  const sendcloud = new SendcloudState(options.sendcloud);
  const handlers: ProviderHandler[] = [
    (request) => electio.handle(request),
    (request) => sortedPro.handle(request),
    (request) => sendcloud.handle(request),
  ];
  const requests: LoggedRequest[] = [];
  const faults = new SimFaults();
  const hiddenLimit = new HiddenLimit();
  const timers = new Set<NodeJS.Timeout>();
  let latencyMs = options.latencyMs ?? 0;

  // Node's timers count whole milliseconds from the event loop's cached clock, so a plain 20 ms wait held
  // answers 19–28 ms, 20.5 ms on average under load (and 21.5 ms from request to answer at one at a time).
  // The simulator plays the network, and that error would be charged to the client: each wait is corrected
  // by the error measured so far (a slow integral step, so it does not swing, bounded to 1 ms), and an
  // answer leaves `latencyMs` after its request arrived on average, give or take a millisecond: the mean
  // N·L/C assumes.
  // `heldMs` in the log shows what each request met.
  let correctionMs = 0;
  const within = (limit: number, value: number) => Math.min(limit, Math.max(-limit, value));
  const holdUntil = (due: number): Promise<void> =>
    new Promise((resolve) => {
      const arm = (ms: number) => {
        const timer = setTimeout(
          () => {
            timers.delete(timer);
            const late = performance.now() - due;
            // Started from a stale clock, a timer can fire early: the rest is waited out, never skipped.
            if (late < -1) return arm(-late);
            // Each error counts at most 1 ms, and the correction stays within 1 ms: a stalled event loop
            // (a burst of timers all late) must not teach it to answer early.
            correctionMs = within(1, correctionMs + 0.02 * within(1, late));
            resolve();
          },
          Math.max(0, ms),
        );
        timers.add(timer);
      };
      arm(due - performance.now() - correctionMs);
    });

  function route(request: SimRequest | undefined, logged: LoggedRequest): SimResponse {
    if (request === undefined) return jsonResponse(400, { code: 'bad_path', message: 'Malformed percent-encoding in the path' });
    try {
      for (const handler of handlers) {
        const answer = handler(request);
        if (answer !== undefined) return answer;
      }
      return jsonResponse(404, {
        code: 'route_not_found',
        message: `No simulated route for ${logged.method} ${logged.path}`,
      });
    } catch (error) {
      // A bug in a handler should fail the test loudly, not leave the client waiting.
      return jsonResponse(500, { code: 'simulator_error', message: String(error) });
    }
  }

  async function serve(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrived = performance.now();
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of raw) chunks.push(chunk as Buffer);
    } catch {
      return; // the client went away mid-body
    }
    const { logged, request } = toRequest(raw, Buffer.concat(chunks).toString('utf8'));
    requests.push(logged);
    const waitSeconds = hiddenLimit.admit(logged.method);
    if (waitSeconds !== undefined)
      return reply(res, logged, arrived, providerError(logged.path, 429, { 'retry-after': String(waitSeconds) }));
    const fault = faults.decide(logged.method, logged.path, logged.body);
    if (fault !== undefined) logged.fault = fault.kind;
    // State changes on arrival and only the answer waits: a client that times out during the latency
    // meets the realistic case where its cancel did happen ("already cancelled" on retry). A faulted request
    // reaches the provider only when the fault says so (slow bodies, and "applied, then the answer was lost").
    const answer = fault === undefined || fault.apply ? route(request, logged) : undefined;
    if (fault?.kind === 'hang') {
      faults.hang(res, fault.rule.hangMaxMs ?? 120_000);
      return;
    }
    if (latencyMs > 0) await holdUntil(arrived + latencyMs);
    if (res.destroyed) return;
    if (fault?.kind === 'reset') {
      faults.reset(res, fault.rule.resetStyle);
      return;
    }
    const final = fault === undefined ? answer : faultAnswer(fault, logged.path, answer);
    if (final === undefined) throw new Error('unreachable: an unfaulted request always has an answer');
    logged.status = final.status;
    if (fault?.kind === 'slowBody') {
      faults.dribble(res, final, fault.rule.slowBodyMs ?? 2000, () => {
        logged.answeredAt = Date.now();
      });
      return;
    }
    await reply(res, logged, arrived, final, 0);
  }

  /** Sends an answer after the latency still due (none for one already held), and logs it. */
  async function reply(res: ServerResponse, logged: LoggedRequest, arrived: number, final: SimResponse, latency = latencyMs) {
    if (latency > 0) await holdUntil(arrived + latency);
    if (res.destroyed) return;
    logged.status = final.status;
    logged.answeredAt = Date.now();
    logged.heldMs = performance.now() - arrived;
    res.writeHead(final.status, final.headers);
    res.end(final.body);
  }

  const server = createServer((raw, res) => void serve(raw, res));
  await listen(server, options.port ?? 0, 0);
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  sortedPro.baseUrl = url;

  let online = true;
  let closed = false;
  // goOffline, goOnline and close run one at a time, in call order.
  let transitions: Promise<void> = Promise.resolve();
  const transition = (step: () => Promise<void>): Promise<void> => {
    const next = transitions.then(step);
    transitions = next.catch(() => undefined);
    return next;
  };
  const stopListening = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      faults.destroyAll();
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections(); // keep-alive and in-flight sockets would otherwise hold close() open
    });

  let closing: Promise<void> | undefined;
  return {
    url,
    electio,
    sortedPro,
    sendcloud,
    requests,
    faults,
    hiddenLimit,
    count: (filter = {}) =>
      requests.filter(
        (r) =>
          (filter.method === undefined || r.method === filter.method.toUpperCase()) &&
          (filter.pathPrefix === undefined || r.path.startsWith(filter.pathPrefix)),
      ).length,
    setLatency: (ms) => {
      latencyMs = ms;
    },
    clearLog: () => {
      requests.length = 0; // in place, so callers holding `requests` see the cleared log
    },
    goOffline: () =>
      transition(async () => {
        if (closed) throw new Error('The simulator is closed');
        if (!online) return;
        online = false;
        await stopListening();
      }),
    goOnline: () =>
      transition(async () => {
        if (closed) throw new Error('The simulator is closed');
        if (online) return;
        await listen(server, port, 100);
        online = true;
      }),
    isOnline: () => online && !closed,
    close: () => {
      closing ??= transition(async () => {
        closed = true;
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        faults.clear();
        if (online) await stopListening();
        else faults.destroyAll();
      });
      return closing;
    },
  };
}

/** Listens on 127.0.0.1:`port`, retrying every 50 ms up to `retries` times while the port is in use. */
async function listen(server: Server, port: number, retries: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= retries) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
