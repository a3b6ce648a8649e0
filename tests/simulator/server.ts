// The carrier simulator's core: a real HTTP server on 127.0.0.1 that logs every request and hands it to
// one handler per provider (Electio, Sorted PRO and Sendcloud, each in its own module). Every provider's paths
// hang from the simulator's root URL, exactly as they hang from the real API roots.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ElectioState } from './electio';
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
  count(filter?: { method?: string; pathPrefix?: string }): number;
  setLatency(ms: number): void;
  clearLog(): void;
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
  const timers = new Set<NodeJS.Timeout>();
  let latencyMs = options.latencyMs ?? 0;

  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
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
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of raw) chunks.push(chunk as Buffer);
    } catch {
      return; // the client went away mid-body
    }
    const { logged, request } = toRequest(raw, Buffer.concat(chunks).toString('utf8'));
    requests.push(logged);
    // State changes on arrival and only the answer waits: a client that times out during the latency
    // meets the realistic case where its cancel did happen ("already cancelled" on retry).
    const answer = route(request, logged);
    if (latencyMs > 0) await delay(latencyMs);
    if (res.destroyed) return;
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  }

  const server = createServer((raw, res) => void serve(raw, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  sortedPro.baseUrl = url;

  let closing: Promise<void> | undefined;
  return {
    url,
    electio,
    sortedPro,
    sendcloud,
    requests,
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
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections(); // keep-alive sockets would otherwise hold close() open
      });
      return closing;
    },
  };
}
