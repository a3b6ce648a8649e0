/**
 * Sending one request and keeping its record, and the answers every provider treats alike:
 * transport failures and busy answers (408, 429 with Retry-After, 5xx) are retried; 401/403 hold
 * the account; an answer that cannot be understood confirms nothing and is asked again; a read-back
 * that fails settles nothing. Each client adds what only its API says (see docs/providers.md).
 */
import { STATUS_CODES } from 'node:http';
import { MAX_BODY_BYTES, retryAfterMs, type Http, type HttpAnswer, type HttpRequest, type HttpResult } from './http';
import { failed, holdAccount, type Outcome, type RequestRecord } from './outcome';
import type { KeyCheck } from './types';

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
    message: result.kind === 'answer' ? answerWords(result) : result.message,
  };
  return { result, record };
}

/** What an answer said, for its line in the attempt history: the carrier's words, else the status's name ("Service Unavailable"). */
function answerWords(answer: HttpAnswer): string {
  return bodyMessage(answer.json) ?? STATUS_CODES[answer.status] ?? `HTTP ${answer.status}`;
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
 * An answer that confirms nothing: not the JSON it claims to be, too large to read, an HTML page from
 * a proxy or a captive portal, or JSON of another shape than the carrier documents. Did the
 * cancellation happen? Nobody can tell, so it is asked again later (a repeated cancel is answered
 * "already cancelled" if it did), and after the last attempt the item fails saying so. Never a success.
 */
export function unconfirmed(answer: HttpAnswer, providerName: string): Outcome {
  const what = answer.tooLarge
    ? `an answer too large to read (over ${MAX_BODY_BYTES / 1024 / 1024} MB)`
    : answer.malformed
      ? 'a body that is not valid JSON'
      : /<(!doctype|html|head|body)\b/i.test(answer.text)
        ? 'a web page (perhaps from a proxy or a Wi-Fi sign-in page), not an answer of its API'
        : answer.text.trim() === ''
          ? 'an empty body'
          : 'a body that does not say whether it was done';
  return {
    kind: 'retry',
    reason: 'provider_error',
    message: `${providerName} answered HTTP ${answer.status} with ${what}: the answer could not be understood, so nothing is confirmed.`,
    httpStatus: answer.status,
    maybeSent: true,
  };
}

/** `unconfirmed` for a body that cannot be trusted whatever its status; undefined for a readable one. */
export function garbledOutcome(answer: HttpAnswer, providerName: string): Outcome | undefined {
  return answer.malformed || answer.tooLarge ? unconfirmed(answer, providerName) : undefined;
}

/**
 * What a read-back that settles nothing means: the question stays open, so the item waits and asks
 * again (its reason is the read's failure); a refused key holds the account as any request would.
 */
export function unsettled(refusal: string, read: HttpResult, providerName: string, now: number): Outcome {
  const because = (outcome: Outcome): Outcome =>
    outcome.kind === 'account' || outcome.kind === 'offline'
      ? outcome
      : {
          kind: 'retry',
          reason: outcome.kind === 'retry' ? outcome.reason : 'provider_error',
          retryAfterMs: outcome.kind === 'retry' ? outcome.retryAfterMs : undefined,
          message: `${refusal} Reading the shipment back to tell why did not work (${outcome.message.replace(/\.$/, '')}), so it will be asked again.`,
          httpStatus: outcome.httpStatus,
        };
  if (read.kind === 'failure') return because(transportOutcome(read));
  const message = bodyMessage(read.json) ?? `${providerName} answered HTTP ${read.status} without an explanation.`;
  return because(
    garbledOutcome(read, providerName) ?? commonOutcome(read, message, providerName, now) ?? unconfirmed(read, providerName),
  );
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

/**
 * The carrier's own words in an error or result body, whichever of its documented shapes it has:
 * Electio `{Message}` (and an API gateway's `{message}`), Sorted `{message, details}`, Sendcloud v2
 * `{error:{message}}` or `{status, message}`, v3 `{errors:[{detail}]}` or `{data:{message}}`.
 */
export function bodyMessage(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const body = json as {
    Message?: unknown;
    message?: unknown;
    details?: unknown;
    error?: { message?: unknown } | null;
    errors?: unknown;
    data?: { message?: unknown } | null;
  };
  const firstError: unknown = Array.isArray(body.errors) ? body.errors[0] : undefined;
  const text = [
    body.Message,
    body.message,
    body.error?.message,
    (firstError as { detail?: unknown } | undefined)?.detail,
    body.data?.message,
  ].find((value) => typeof value === 'string' && value.trim() !== '') as string | undefined;
  if (text === undefined) return undefined;
  const details = Array.isArray(body.details)
    ? body.details.flatMap((detail: unknown) => {
        const message = (detail as { message?: unknown } | null)?.message;
        return typeof message === 'string' && message.trim() ? [message.trim()] : [];
      })
    : [];
  return providerMessage(details.length ? `${text.trim()} (${details.join('; ')})` : text);
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

/**
 * What the answer to a read of a shipment that does not exist says of the key: any answer of the API
 * itself (404, or 2xx should the reference exist) accepts it; 401/403 refuse it; anything else tells nothing.
 */
export function keyCheckOf(result: HttpResult, providerName: string): KeyCheck {
  if (result.kind === 'failure') return { kind: 'unknown', message: result.message };
  const message = bodyMessage(result.json);
  if (result.status === 401 || result.status === 403) {
    return {
      kind: 'refused',
      message: `${providerName} refused the key (HTTP ${result.status})${message ? `: ${message}` : '.'}`,
    };
  }
  if (!result.malformed && (result.status === 404 || (result.status >= 200 && result.status < 300))) return { kind: 'accepted' };
  return {
    kind: 'unknown',
    message: `${providerName} answered HTTP ${result.status}${message ? ` (${message})` : ''}, which says nothing about the key; try again later.`,
  };
}

/** A reference no carrier will ever hold, read to check a key. */
export const PROBE_REFERENCE = {
  electio: 'EC-000-000-000',
  'sorted-pro': 'sp_00000000000000000000000000000000',
  sendcloud: '0',
} as const;
