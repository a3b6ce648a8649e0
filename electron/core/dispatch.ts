/**
 * The one door into the service from outside main: checks the channel, weighs the payload, validates
 * it against the contract's schema, runs the handler and wraps the answer in the envelope. Errors
 * become a code and a plain sentence; anything unexpected is reported without its details.
 */
import { channels, isChannel, type Channel, type Envelope } from '../../shared/contract';
import { MAX_IMPORT_BYTES } from '../../shared/domain';
import { databaseError } from './db/open';
import { isAppError } from './errors';
import type { Handlers } from './service';

/**
 * The most a request may weigh (characters of text, plus a little per value) before it is even parsed.
 * Imports carry the largest legitimate payload: a 64 MiB file as bytes, or a pasted list of as many characters;
 * every other request is a few ids and settings, of which the largest is a results filter naming
 * 1,000 accounts of 100 characters.
 */
export const REQUEST_LIMITS = {
  import: MAX_IMPORT_BYTES + 64 * 1024,
  other: 256 * 1024,
  /** Nesting: the contract's deepest request is three levels. */
  depth: 16,
} as const;

const VALUE_WEIGHT = 8;

function sizeCheck(channel: Channel): { limit: number; refusal: string } {
  if (channel === 'import.preview' || channel === 'import.confirm') {
    return {
      limit: REQUEST_LIMITS.import,
      refusal: 'The list is too large to import at once (files up to 64 MiB). Split it into smaller files.',
    };
  }
  return { limit: REQUEST_LIMITS.other, refusal: 'The request was too large or too deeply nested to accept.' };
}

/**
 * Does the payload stay within `limit`? Walks it once and stops as soon as it is over, so neither a
 * huge nor a deeply nested (or cyclic) payload costs more than the limit to refuse.
 */
function withinLimits(payload: unknown, limit: number): boolean {
  let weight = 0;
  const weigh = (value: unknown, depth: number): boolean => {
    if (depth > REQUEST_LIMITS.depth) return false;
    if (typeof value === 'string') weight += value.length;
    else if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) weight += value.byteLength;
    else if (typeof value === 'object' && value !== null) {
      // An array also counts by its length: a sparse one is cheap to send but slow to parse.
      weight += VALUE_WEIGHT + (Array.isArray(value) ? value.length : 0);
      if (weight > limit) return false;
      for (const key of Object.keys(value)) {
        weight += key.length;
        if (weight > limit || !weigh((value as Record<string, unknown>)[key], depth + 1)) return false;
      }
    } else weight += VALUE_WEIGHT;
    return weight <= limit;
  };
  return weigh(payload, 0);
}

/** A request is a plain object of fields (or nothing): not an array, a Date, a Map or any other kind of object. */
function isPlainRequest(payload: unknown): boolean {
  if (payload === undefined || payload === null) return true;
  if (typeof payload !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(payload);
  return prototype === Object.prototype || prototype === null;
}

export async function dispatch(handlers: Handlers, channel: unknown, payload: unknown): Promise<Envelope<unknown>> {
  if (!isChannel(channel)) {
    return { ok: false, error: { code: 'invalid_request', message: 'Unknown request.' } };
  }
  if (!isPlainRequest(payload)) {
    return { ok: false, error: { code: 'invalid_request', message: 'The request was not valid: expected an object of fields.' } };
  }
  const { limit, refusal } = sizeCheck(channel);
  if (!withinLimits(payload, limit)) return { ok: false, error: { code: 'invalid_request', message: refusal } };
  const parsed = channels[channel].request.safeParse(payload ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` (${issue.path.join('.')})` : '';
    return {
      ok: false,
      error: { code: 'invalid_request', message: `The request was not valid${where}: ${issue?.message ?? 'wrong shape'}.` },
    };
  }
  try {
    const handler = handlers[channel] as (request: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (isAppError(error)) return { ok: false, error: { code: error.code, message: error.message } };
    if (typeof (error as { code?: unknown }).code === 'string' && String((error as { code: string }).code).startsWith('SQLITE')) {
      const appError = databaseError('the data file', error);
      return { ok: false, error: { code: appError.code, message: appError.message } };
    }
    return {
      ok: false,
      error: { code: 'internal', message: 'Something went wrong inside Bulk Cancel. Nothing was lost; try again.' },
    };
  }
}
