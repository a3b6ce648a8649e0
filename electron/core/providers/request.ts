/**
 * Sending one request and keeping its record, and the answers every provider treats alike:
 * transport failures and busy answers (408, 429 with Retry-After, 5xx) are retried; 401/403 hold
 * the account. Each client adds what only its API says.
 */
import { MAX_BODY_BYTES, retryAfterMs, type Http, type HttpAnswer, type HttpRequest, type HttpResult } from './http';
import { failed, holdAccount, type Outcome, type RequestRecord } from './outcome';

export interface Sent {
  result: HttpResult;
  record: RequestRecord;
}

/** Sends and times a request; the endpoint names it in the attempt history without the host. */
export async function send(http: Http, request: HttpRequest, endpoint: string, now: () => number): Promise<Sent> {
  const startedAt = now();
  const result = await http.send(request);
  const record: RequestRecord = {
    endpoint,
    startedAt,
    durationMs: Math.max(0, now() - startedAt),
    httpStatus: result.kind === 'answer' ? result.status : null,
    message: result.kind === 'answer' ? '' : result.message,
  };
  return { result, record };
}

/**
 * The outcome of a failed transport: never final, since the connection may come back. Offline
 * costs no attempt; a timeout or a reset may have reached the provider, so it counts and is marked.
 */
export function transportOutcome(result: Exclude<HttpResult, HttpAnswer>): Outcome {
  if (result.failure === 'offline') return { kind: 'offline', message: result.message, httpStatus: null };
  return { kind: 'retry', reason: 'network', message: result.message, httpStatus: null, maybeSent: true };
}

/**
 * An answer whose body cannot be trusted: not the JSON it claims to be, or too large to read. Did the
 * cancellation happen or not? Ask again later; a repeated cancel is answered "already cancelled" if
 * it did. Undefined for a trustworthy answer.
 */
export function garbledOutcome(answer: HttpAnswer, providerName: string): Outcome | undefined {
  if (!answer.malformed && !answer.tooLarge) return undefined;
  return {
    kind: 'retry',
    reason: 'provider_error',
    message: answer.tooLarge
      ? `${providerName}'s answer (HTTP ${answer.status}) was too large to read (over ${MAX_BODY_BYTES / 1024 / 1024} MB).`
      : `${providerName} answered HTTP ${answer.status} with a body that is not valid JSON.`,
    httpStatus: answer.status,
    maybeSent: true,
  };
}

/**
 * The outcome every provider gives these statuses, or undefined for the client to decide.
 * `rateLimitNeedsRetryAfter`: Sorted's 429 means "rule conflict" unless it says when to come back.
 */
export function commonOutcome(
  answer: HttpAnswer,
  message: string,
  providerName: string,
  now: number,
  rateLimitNeedsRetryAfter = false,
): Outcome | undefined {
  const { status } = answer;
  if (status === 401 || status === 403) {
    return holdAccount(`${providerName} refused the account's credentials (HTTP ${status}): ${message}`, status);
  }
  const after = retryAfterMs(answer.headers, now);
  if (status === 429 && (after !== undefined || !rateLimitNeedsRetryAfter)) {
    return { kind: 'retry', reason: 'rate_limited', message, httpStatus: status, retryAfterMs: after };
  }
  if (status === 408 || status >= 500) {
    return { kind: 'retry', reason: 'provider_error', message, httpStatus: status, retryAfterMs: after, maybeSent: true };
  }
  return undefined;
}

/** At most this much of a provider's message is kept: a few sentences, never a whole page. */
const MESSAGE_LENGTH = 500;

/** A provider's message as the clerk reads it: trimmed and cut short; undefined when it is not text or empty. */
export function providerMessage(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  return text.length <= MESSAGE_LENGTH ? text : `${text.slice(0, MESSAGE_LENGTH - 1).replace(/[\uD800-\uDBFF]$/, '')}…`;
}

/** Percent-encodes one path segment, so a reference can never change the path or the host. */
export const segment = (value: string) => encodeURIComponent(value);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A reference no URL path can carry, as a final failure; undefined for one it can. Empty, `.` and
 * `..` would name another endpoint (URLs read dots as "this folder" and "the folder above", encoded
 * or not), and half a character cannot be encoded at all.
 */
export function unsendable(reference: string, providerName: string): Outcome | undefined {
  if (reference !== '' && reference !== '.' && reference !== '..' && !LONE_SURROGATE.test(reference)) return undefined;
  return failed(
    'invalid_reference',
    `"${reference}" cannot be sent to ${providerName} as a reference: it is empty, a dot or has broken characters. Check the list.`,
    null,
  );
}
