/**
 * Electio (Sorted PRO v1): single cancel `PUT /consignments/{ref}/cancel` and bulk
 * `PUT /consignments/cancellist`, whose per-item answers `{IsSuccess, Message, Data}` are matched
 * back to items by `Data`. See seeds/electio-pro-v1-cancelling-consignments.md.
 */
import type { Reason } from '../../../shared/domain';
import { retryAfterMs, type Http, type HttpAnswer, type HttpRequest, type HttpResult } from './http';
import { failed, succeeded, type Answer, type Outcome } from './outcome';
import type { ProviderClient, SendItem } from './client';

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
  const { http, baseUrl, apiKey, now } = options;
  const headers = {
    'ocp-apim-subscription-key': apiKey,
    'electio-api-version': '1.1',
    accept: 'application/json',
    'content-type': 'application/json',
  };

  async function timed(request: HttpRequest): Promise<{ result: HttpResult; startedAt: number; durationMs: number }> {
    const startedAt = now();
    const result = await http.send(request);
    return { result, startedAt, durationMs: Math.max(0, now() - startedAt) };
  }

  async function cancelOne(item: SendItem): Promise<Answer> {
    const endpoint = `PUT /consignments/${encodeURIComponent(item.reference)}/cancel`;
    const { result, startedAt, durationMs } = await timed({
      method: 'PUT',
      url: `${baseUrl}/consignments/${encodeURIComponent(item.reference)}/cancel`,
      headers,
    });
    const outcome =
      result.kind === 'failure'
        ? transportOutcome(result.message)
        : result.status >= 200 && result.status < 300
          ? succeeded('cancelled', CANCELLED_MESSAGE, result.status)
          : errorOutcome(result, now());
    return { outcome, endpoint, startedAt, durationMs };
  }

  async function cancelList(items: readonly SendItem[]): Promise<Map<number, Answer>> {
    const endpoint = 'PUT /consignments/cancellist';
    const { result, startedAt, durationMs } = await timed({
      method: 'PUT',
      url: `${baseUrl}/consignments/cancellist`,
      headers,
      body: JSON.stringify(items.map((item) => item.reference)),
    });
    const answers = new Map<number, Answer>();
    const all = (outcome: Outcome) => {
      for (const item of items) answers.set(item.id, { outcome, endpoint, startedAt, durationMs });
      return answers;
    };
    if (result.kind === 'failure') return all(transportOutcome(result.message));
    if (result.status < 200 || result.status >= 300) {
      const outcome = errorOutcome(result, now());
      // A list refused as a whole (e.g. one bad reference) says nothing about each item: ask one by one.
      if (outcome.kind === 'final') return cancelEach(items);
      return all(outcome);
    }
    if (!Array.isArray(result.json)) {
      return all({
        kind: 'retry',
        reason: 'provider_error',
        message: 'Electio answered the cancel list with something that is not a list of results.',
        httpStatus: result.status,
      });
    }
    const byReference = new Map<string, Outcome>();
    for (const entry of result.json as unknown[]) {
      const parsed = bulkEntry(entry, result.status);
      if (parsed && !byReference.has(parsed.reference)) byReference.set(parsed.reference, parsed.outcome);
    }
    for (const item of items) {
      const outcome =
        byReference.get(item.reference.toUpperCase()) ??
        failed(
          'provider_error',
          `Electio's answer to the cancel list did not mention ${item.reference}, so its state is unknown. Check it in Electio, then retry it.`,
          result.status,
        );
      answers.set(item.id, { outcome, endpoint, startedAt, durationMs });
    }
    return answers;
  }

  async function cancelEach(items: readonly SendItem[]): Promise<Map<number, Answer>> {
    const answers = new Map<number, Answer>();
    for (const item of items) answers.set(item.id, await cancelOne(item));
    return answers;
  }

  return {
    chunkLimit: Math.max(1, options.chunkSize),
    async cancel(items) {
      if (items.length === 1 && options.chunkSize <= 1) return cancelEach(items);
      return cancelList(items);
    },
  };
}

function bulkEntry(entry: unknown, httpStatus: number): { reference: string; outcome: Outcome } | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { IsSuccess, Message, Data } = entry as Record<string, unknown>;
  if (typeof Data !== 'string' || typeof IsSuccess !== 'boolean') return undefined;
  const message = typeof Message === 'string' && Message.trim() ? Message.trim() : undefined;
  const reason = message ? reasonFromMessage(message) : undefined;
  let outcome: Outcome;
  if (IsSuccess) {
    outcome = succeeded(reason === 'already_cancelled' ? reason : 'cancelled', message ?? CANCELLED_MESSAGE, httpStatus);
  } else if (reason === 'already_cancelled') {
    outcome = succeeded(reason, message ?? 'Already cancelled.', httpStatus);
  } else {
    outcome = failed(
      reason ?? 'provider_error',
      message ?? 'Electio did not cancel this consignment and gave no reason.',
      httpStatus,
    );
  }
  return { reference: Data.trim().toUpperCase(), outcome };
}

/** Electio's error messages are the only place that tells these cases apart. */
function reasonFromMessage(message: string): Reason | undefined {
  if (/already\s+(?:been\s+)?cancell?ed/i.test(message)) return 'already_cancelled';
  if (/manifest/i.test(message)) return 'too_late';
  if (/not\s+(?:be\s+)?found|does\s+not\s+exist|unknown\s+consignment/i.test(message)) return 'not_found';
  return undefined;
}

function transportOutcome(message: string): Outcome {
  return { kind: 'retry', reason: 'network', message, httpStatus: null };
}

function errorOutcome(answer: HttpAnswer, now: number): Outcome {
  const status = answer.status;
  const message = errorMessage(answer);
  if (status === 401 || status === 403) {
    return { kind: 'auth', message: `Electio refused the API key (HTTP ${status}): ${message}`, httpStatus: status };
  }
  if (status === 408 || status === 429 || status >= 500) {
    return {
      kind: 'retry',
      reason: status === 429 ? 'rate_limited' : 'provider_error',
      message,
      httpStatus: status,
      retryAfterMs: retryAfterMs(answer.headers, now),
    };
  }
  const reason = reasonFromMessage(message) ?? (status === 404 ? 'not_found' : 'provider_error');
  return reason === 'already_cancelled' ? succeeded(reason, message, status) : failed(reason, message, status);
}

/** The provider's `Message` when it sent one; otherwise a plain sentence with the status. */
function errorMessage(answer: HttpAnswer): string {
  const body = answer.json as { Message?: unknown } | undefined;
  if (body && typeof body.Message === 'string' && body.Message.trim()) return body.Message.trim();
  return `Electio answered HTTP ${answer.status} without an explanation.`;
}
