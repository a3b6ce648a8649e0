/**
 * The HTTP layer every provider client uses. It receives `fetch` as a dependency (Electron's
 * `net.fetch` in the app, Node's in the CLI and tests), gives every request an overall deadline,
 * and turns transport failures into plain reasons instead of exceptions.
 */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface HttpRequest {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpAnswer {
  kind: 'answer';
  status: number;
  headers: Headers;
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

/** Far above any real answer (a 100-item cancel list is tens of KB), and never read past. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
const OFFLINE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN']);

export function createHttp(fetch: FetchLike, timeoutMs: number): Http {
  return {
    async send(request) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        const response = await fetch(request.url, {
          method: request.method,
          headers: request.headers,
          ...(request.body === undefined ? {} : { body: request.body }),
          signal: controller.signal,
          redirect: 'error',
        });
        const { text, tooLarge } = await readBody(response);
        const json = parseJson(text);
        const saysJson = /json/i.test(response.headers.get('content-type') ?? '');
        return {
          kind: 'answer',
          status: response.status,
          headers: response.headers,
          text,
          json,
          malformed: saysJson && text.trim() !== '' && json === undefined,
          tooLarge,
        };
      } catch (error) {
        return toFailure(error, controller.signal.aborted, timeoutMs);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Reads the body up to MAX_BODY_BYTES and stops there, whatever Content-Length says (or does not say). */
async function readBody(response: Response): Promise<{ text: string; tooLarge: boolean }> {
  const length = response.headers.get('content-length');
  const declared = length === null ? NaN : Number(length);
  if (!response.body) return { text: '', tooLarge: false };
  // HTTP frames a body by its declared length, so fetch never reads past it: a body that declares
  // a small one is read the short way; only one without a length is counted as it comes.
  if (declared <= MAX_BODY_BYTES) return { text: await response.text(), tooLarge: false };
  const reader = response.body.getReader();
  if (declared > MAX_BODY_BYTES) {
    await reader.cancel();
    return { text: '', tooLarge: true };
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    size += chunk.value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return { text: '', tooLarge: true };
    }
    chunks.push(chunk.value);
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
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
