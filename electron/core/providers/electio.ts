/**
 * Electio (Sorted PRO v1): single cancel `PUT /consignments/{ref}/cancel` and bulk
 * `PUT /consignments/cancellist`, whose per-item answers `{IsSuccess, Message, Data}` are matched
 * back to items by `Data`. See seeds/electio-pro-v1-cancelling-consignments.md. A single cancel is
 * confirmed by a 2xx with no body (as documented) or one saying `IsSuccess: true`; a list item by
 * its own entry saying `IsSuccess: true`, and only when no other entry for it says otherwise.
 */
import type { Reason } from '../../../shared/domain';
import type { ProviderClient, SendItem } from './types';
import type { Http, HttpAnswer } from './http';
import { failed, retry, succeeded, type Answer, type Outcome } from './outcome';
import {
  bodyMessage,
  commonOutcome,
  garbledOutcome,
  keyCheckOf,
  PROBE_REFERENCE,
  providerMessage,
  segment,
  send,
  transportOutcome,
  unconfirmed,
  unsendable,
} from './request';

export interface ElectioOptions {
  http: Http;
  baseUrl: string;
  apiKey: string;
  /** `cancellist` length; 1 sends every item through the single-cancel endpoint. */
  chunkSize: number;
  now: () => number;
}

const CANCELLED_MESSAGE = 'Consignment cancelled.';

export function electioClient(options: ElectioOptions): ProviderClient {
  return new ElectioClient(options);
}

class ElectioClient implements ProviderClient {
  private readonly headers: Record<string, string>;

  constructor(private readonly options: ElectioOptions) {
    this.headers = {
      'ocp-apim-subscription-key': options.apiKey,
      'electio-api-version': '1.1',
      accept: 'application/json',
      'content-type': 'application/json',
    };
  }

  /** Sends one request to a path of the API, recorded under that path. */
  private request(method: 'GET' | 'PUT', path: string, body?: string) {
    const { http, baseUrl, now } = this.options;
    return send(
      http,
      { method, url: `${baseUrl}${path}`, headers: this.headers, ...(body === undefined ? {} : { body }) },
      `${method} ${path}`,
      now,
    );
  }

  private async cancelOne(item: SendItem): Promise<Answer> {
    const refused = unsendable(item.reference, 'Electio');
    if (refused) return { outcome: refused, requests: [] };
    const path = `/consignments/${segment(item.reference)}/cancel`;
    const { result, record } = await this.request('PUT', path);
    const outcome =
      result.kind === 'failure'
        ? transportOutcome(result)
        : result.status >= 200 && result.status < 300
          ? singleOutcome(result)
          : errorOutcome(result, this.options.now());
    return { outcome, requests: [{ ...record, message: outcome.message }] };
  }

  private async cancelList(items: readonly SendItem[]): Promise<Map<number, Answer>> {
    const path = '/consignments/cancellist';
    const body = JSON.stringify(items.map((item) => item.reference));
    const { result, record } = await this.request('PUT', path, body);
    const answers = new Map<number, Answer>();
    const answer = (outcome: Outcome): Answer => ({ outcome, requests: [{ ...record, message: outcome.message }] });
    const all = (outcome: Outcome) => {
      for (const item of items) answers.set(item.id, answer(outcome));
      return answers;
    };
    if (result.kind === 'failure') return all(transportOutcome(result));
    if (result.status < 200 || result.status >= 300) {
      const outcome = errorOutcome(result, this.options.now());
      if (outcome.kind !== 'final') return all(outcome);
      // A list refused as a whole (e.g. one bad reference) says nothing about each item: ask one by one.
      for (const item of items) {
        const single = await this.cancelOne(item);
        answers.set(item.id, {
          outcome: single.outcome,
          requests: [{ ...record, message: outcome.message }, ...single.requests],
        });
      }
      return answers;
    }
    if (!Array.isArray(result.json)) {
      return all(
        garbledOutcome(result, 'Electio') ??
          retry(
            'provider_error',
            'Electio answered the cancel list with something that is not a list of results.',
            result.status,
          ),
      );
    }
    // An entry that cannot be read, or two entries that disagree, confirm nothing for that reference.
    const byReference = new Map<string, Outcome | 'unclear'>();
    for (const entry of result.json as unknown[]) {
      const parsed = bulkEntry(entry, result.status);
      if (!parsed) continue;
      const known = byReference.get(parsed.reference);
      const agrees =
        known === undefined ||
        (known !== 'unclear' &&
          parsed.outcome !== 'unclear' &&
          known.kind === parsed.outcome.kind &&
          verdict(known) === verdict(parsed.outcome));
      byReference.set(parsed.reference, agrees ? parsed.outcome : 'unclear');
    }
    for (const item of items) {
      const found = byReference.get(item.reference.toUpperCase());
      const outcome: Outcome =
        found !== undefined && found !== 'unclear'
          ? found
          : {
              kind: 'retry',
              reason: 'provider_error',
              message: `Electio's answer to the cancel list ${found === undefined ? 'did not mention' : 'said contradicting things about'} ${item.reference}, so nothing is confirmed; it will be sent again.`,
              httpStatus: result.status,
              maybeSent: true,
            };
      answers.set(item.id, answer(outcome));
    }
    return answers;
  }

  async checkKey() {
    const { result } = await this.request('GET', `/consignments/${PROBE_REFERENCE.electio}`);
    return keyCheckOf(result, 'Electio');
  }

  async cancel(items: readonly SendItem[]) {
    const [only] = items;
    if (only && items.length === 1 && this.options.chunkSize <= 1) return new Map([[only.id, await this.cancelOne(only)]]);
    return this.cancelList(items);
  }
}

/** What an outcome says about the consignment, for comparing two entries about one reference. */
const verdict = (outcome: Outcome) => (outcome.kind === 'final' ? `${outcome.state}:${outcome.reason}` : outcome.kind);

/** `IsSuccess` as Electio sends it: a boolean, or in some answers the word; anything else is unreadable. */
function isSuccess(value: unknown): boolean | undefined {
  if (value === true || value === false) return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return undefined;
}

/** One `{IsSuccess, Message}` verdict: the carrier's words decide the reason, never a made-up success. */
function resultOutcome(success: boolean, message: string | undefined, httpStatus: number): Outcome {
  const reason = message ? reasonFromMessage(message) : undefined;
  if (success) {
    return succeeded(reason === 'already_cancelled' ? reason : 'cancelled', message ?? CANCELLED_MESSAGE, httpStatus);
  }
  if (reason === 'already_cancelled') return succeeded(reason, message ?? 'Already cancelled.', httpStatus);
  return failed(reason ?? 'provider_error', message ?? 'Electio did not cancel this consignment and gave no reason.', httpStatus);
}

function bulkEntry(entry: unknown, httpStatus: number): { reference: string; outcome: Outcome | 'unclear' } | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { IsSuccess, Message, Data } = entry as Record<string, unknown>;
  if (typeof Data !== 'string') return undefined;
  const success = isSuccess(IsSuccess);
  return {
    reference: Data.trim().toUpperCase(),
    outcome: success === undefined ? 'unclear' : resultOutcome(success, providerMessage(Message), httpStatus),
  };
}

/** A single cancel's 2xx: confirmed by no body at all (the documented answer) or by `IsSuccess`. */
function singleOutcome(answer: HttpAnswer): Outcome {
  const garbled = garbledOutcome(answer, 'Electio');
  if (garbled) return garbled;
  if (answer.text.trim() === '') return succeeded('cancelled', CANCELLED_MESSAGE, answer.status);
  const body = answer.json;
  const success = typeof body === 'object' && body !== null ? isSuccess((body as { IsSuccess?: unknown }).IsSuccess) : undefined;
  if (success === undefined) return unconfirmed(answer, 'Electio');
  return resultOutcome(success, bodyMessage(body), answer.status);
}

/** Electio's error messages are the only place that tells these cases apart. */
function reasonFromMessage(message: string): Reason | undefined {
  if (/already\s+(?:been\s+)?cancell?ed/i.test(message)) return 'already_cancelled';
  if (/manifest/i.test(message)) return 'too_late';
  if (/not\s+(?:be\s+)?found|does\s+not\s+exist|unknown\s+consignment/i.test(message)) return 'not_found';
  return undefined;
}

function errorOutcome(answer: HttpAnswer, now: number): Outcome {
  const message = errorMessage(answer);
  const common = commonOutcome(answer, message, 'Electio', now);
  if (common) return common;
  const reason = reasonFromMessage(message) ?? (answer.status === 404 ? 'not_found' : 'provider_error');
  return reason === 'already_cancelled' ? succeeded(reason, message, answer.status) : failed(reason, message, answer.status);
}

/** The provider's message when it sent one; otherwise a plain sentence with the status. */
function errorMessage(answer: HttpAnswer): string {
  return bodyMessage(answer.json) ?? `Electio answered HTTP ${answer.status} without an explanation.`;
}
