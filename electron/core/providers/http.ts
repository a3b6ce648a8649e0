/**
 * The HTTP layer every provider client uses. It sends through a transport given as a dependency
 * (Electron's `net.fetch` in the app, for the system proxy and certificates; undici's `request` in
 * the CLI, the tests and the benchmarks, see `node-transport.ts`), gives every request an overall
 * deadline, and turns transport failures into plain reasons instead of exceptions.
 */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface HttpRequest {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** Read access to an answer's headers, by name in any case: what `Headers` offers, and all we need. */
export interface HeaderReader {
  get(name: string): string | null;
}

export interface HttpAnswer {
  kind: 'answer';
  status: number;
  headers: HeaderReader;
  text: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  json: unknown;
  /** The provider said JSON but sent something that is not: an answer that cannot be trusted. */
  malformed: boolean;
  /** The body was longer than any answer of a provider can be; it was not read (`text` is empty). */
  tooLarge: boolean;
}

export interface HttpFailure {
  kind: 'failure';
  /** `offline`: nothing reached the server (refused, DNS, no route); `timeout` and `network` may have. */
  failure: 'offline' | 'timeout' | 'network';
  message: string;
}

export type HttpResult = HttpAnswer | HttpFailure;

export interface Http {
  send(request: HttpRequest): Promise<HttpResult>;
}

/** An answer as a transport hands it over: the body already read, never past MAX_BODY_BYTES. */
export interface TransportAnswer {
  status: number;
  headers: HeaderReader;
  text: string;
  tooLarge: boolean;
}

/**
 * Sends one request and reads its answer. It rejects when there is no answer (the error's `code`, or
 * its cause's, says why) and when the provider redirects: a cancellation is never followed elsewhere.
 * It stops when `signal` aborts.
 */
export type Transport = (request: HttpRequest, signal: AbortSignal) => Promise<TransportAnswer>;

/** A transport's refusal of a redirect: a cancellation is never followed to another address. */
export class RedirectRefused extends Error {
  constructor(readonly status: number) {
    super(`The provider answered with a redirect (HTTP ${status}), which is never followed: check the account's API address.`);
    this.name = 'RedirectRefused';
  }
}

/** Far above any real answer (a 100-item cancel list is tens of KB), and never read past. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
const OFFLINE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN']);

export function createHttp(transport: Transport, timeoutMs: number): Http {
  return {
    async send(request) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        const { status, headers, text, tooLarge } = await transport(request, controller.signal);
        const json = parseJson(text);
        const saysJson = /json/i.test(headers.get('content-type') ?? '');
        return {
          kind: 'answer',
          status,
          headers,
          text,
          json,
          malformed: saysJson && text.trim() !== '' && json === undefined,
          tooLarge,
        };
      } catch (error) {
        const failure = toFailure(error, controller.signal.aborted, timeoutMs);
        // A fetch that refuses a redirect drops the answer with its body unread and its connection open
        // (Node's fetch does): a server still sending would hold that connection forever. End it.
        controller.abort();
        return failure;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** The transport over a Fetch API: Electron's `net.fetch` in the app. */
export function fetchTransport(fetch: FetchLike): Transport {
  return async (request, signal) => {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal,
      redirect: 'error',
    });
    const { status, headers, body } = response;
    if (!body) return { status, headers, text: '', tooLarge: false };
    const { text, tooLarge } = await readBody({
      // A compressed body is decoded as it is read, so its Content-Length does not bound what is read.
      declaredLength: encoded(headers) ? null : headers.get('content-length'),
      whole: () => response.text(),
      chunks: body,
      discard: () => body.cancel(),
    });
    return { status, headers, text, tooLarge };
  };
}

function encoded(headers: HeaderReader): boolean {
  const encoding = headers.get('content-encoding');
  return encoding !== null && encoding.trim().toLowerCase() !== 'identity';
}

/** An answer's body, however the transport hands it over. */
export interface BodySource {
  /** The length of what `whole` and `chunks` give, as the answer declares it; null when unknown. */
  declaredLength: string | null;
  /** Reads it all: only called when the declared length is within the limit. */
  whole(): Promise<string>;
  chunks: AsyncIterable<Uint8Array>;
  /** Drops it unread. */
  discard(): Promise<void>;
}

/** Reads the body up to MAX_BODY_BYTES and stops there, whatever Content-Length says (or does not say). */
export async function readBody(body: BodySource): Promise<{ text: string; tooLarge: boolean }> {
  const declared = body.declaredLength === null ? NaN : Number(body.declaredLength);
  // HTTP frames a body by its declared length, so no transport reads past it: a body that declares
  // a small one is read the short way; one without a length (or compressed) is counted as it comes.
  if (declared <= MAX_BODY_BYTES) return { text: await body.whole(), tooLarge: false };
  if (declared > MAX_BODY_BYTES) {
    await body.discard();
    return { text: '', tooLarge: true };
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Leaving the loop early cancels the stream.
  for await (const chunk of body.chunks) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) return { text: '', tooLarge: true };
    chunks.push(chunk);
  }
  return { text: new TextDecoder().decode(Buffer.concat(chunks, size)), tooLarge: false };
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function toFailure(error: unknown, timedOut: boolean, timeoutMs: number): HttpFailure {
  if (timedOut) {
    return {
      kind: 'failure',
      failure: 'timeout',
      message: `No answer from the provider within ${Math.round(timeoutMs / 1000)} s.`,
    };
  }
  if (error instanceof RedirectRefused) return { kind: 'failure', failure: 'network', message: error.message };
  const code = errorCode(error);
  if (code && OFFLINE_CODES.has(code)) {
    return {
      kind: 'failure',
      failure: 'offline',
      message: `The provider cannot be reached (${code}): check the network connection.`,
    };
  }
  return { kind: 'failure', failure: 'network', message: `The connection to the provider failed${code ? ` (${code})` : ''}.` };
}

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** `Retry-After` in seconds or as an HTTP date, as milliseconds from now; undefined when absent or unreadable. */
export function retryAfterMs(headers: HeaderReader, now: number): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
