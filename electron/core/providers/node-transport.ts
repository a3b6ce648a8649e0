/**
 * The transport outside Electron (the CLI, the tests, the benchmarks): undici's `request`, which costs
 * less than half the CPU of Node's fetch per request. It goes through undici's global dispatcher, so the
 * CLI's proxy (`cli/proxy.ts`) applies. The app sends through Electron's `net.fetch` instead.
 *
 * `request` is taken from the two modules it is made of, not from undici's index, which also loads
 * fetch, WebSocket, EventSource, mocks and caches: ~90 ms of every sending command's start-up on this
 * machine, against ~25 ms for these two (measured with `node -e`). Their paths are undici's own
 * (undici has no `exports` map), and tests/integration/transports.test.ts sends through them, so an
 * undici release that moves them fails the tests, not a clerk's run.
 */
import type { Dispatcher } from 'undici';
import dispatch from 'undici/lib/api/api-request.js';
import { getGlobalDispatcher } from 'undici/lib/global.js';
import { readBody, RedirectRefused, type BodySource, type HeaderReader, type Transport } from './http';

/**
 * What fetch with `redirect: 'error'` refuses, with or without a Location (the Fetch standard decides on
 * the status alone). 304 (Sorted PRO's "already cancelled") is an answer.
 */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** undici sends no User-Agent of its own; some API gateways refuse a request without one. */
const USER_AGENT = 'bulk-cancel';

export const nodeTransport: Transport = async ({ method, url, headers, body }, signal) => {
  const { origin, pathname, search } = new URL(url);
  const answer = await dispatch.call(getGlobalDispatcher(), {
    origin,
    path: pathname + search,
    method,
    headers: { 'user-agent': USER_AGENT, ...headers },
    body: body ?? null,
    signal,
  });
  const { statusCode: status, body: stream } = answer;
  const read = new UndiciHeaders(answer.headers);
  if (REDIRECTS.has(status)) {
    await stream.dump();
    throw new RedirectRefused(status);
  }
  return { status, headers: read, ...(await readBody(new UndiciBody(read.get('content-length'), stream))) };
};

// Classes rather than closures: nothing is allocated per request beyond two small objects.

/** undici gives header names in lower case, and a repeated header as a list. */
class UndiciHeaders implements HeaderReader {
  constructor(private readonly raw: Record<string, string | string[] | undefined>) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }
}

class UndiciBody implements BodySource {
  constructor(
    readonly declaredLength: string | null,
    readonly chunks: Dispatcher.ResponseData['body'],
  ) {}

  whole(): Promise<string> {
    return this.chunks.text();
  }

  discard(): Promise<void> {
    return this.chunks.dump();
  }
}
