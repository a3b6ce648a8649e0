/**
 * Sorted PRO v2: `PUT {base}/shipments/{ref}/cancel`, and for the cancel-and-delete action a
 * `DELETE {base}/shipments/{ref}` once the cancel is done (a retry repeats only the step that
 * failed). A cancel is confirmed only by an answer naming the shipment (as the seed shows); a 409 or
 * 304 is settled by reading the shipment back (its `state`: cancelled, cancelling, or past cancelling),
 * and a read that fails settles nothing. See
 * seeds/sorted-pro-v2-cancelling-shipments.md and PROVIDERS.md (429 means "rule conflict").
 */
import type { ApiLink } from '../../../shared/domain';
import type { ProviderClient, SendItem } from './types';
import type { Http, HttpAnswer } from './http';
import { failed, gone, pending, retry, succeeded, type Answer, type Outcome, type RequestRecord } from './outcome';
import {
  bodyMessage,
  commonOutcome,
  garbledOutcome,
  keyCheckOf,
  PROBE_REFERENCE,
  segment,
  send,
  transportOutcome,
  unconfirmed,
  unsendable,
  unsettled,
} from './request';

export interface SortedProOptions {
  http: Http;
  baseUrl: string;
  apiKey: string;
  now: () => number;
}

const NAME = 'Sorted PRO';

export function sortedProClient(options: SortedProOptions): ProviderClient {
  return new SortedProClient(options);
}

class SortedProClient implements ProviderClient {
  private readonly headers: Record<string, string>;

  constructor(private readonly options: SortedProOptions) {
    this.headers = { 'x-api-key': options.apiKey, 'x-api-version': '1.1', accept: 'application/json' };
  }

  private request(method: 'PUT' | 'DELETE' | 'GET', path: string) {
    const { http, baseUrl, now } = this.options;
    return send(http, { method, url: `${baseUrl}${path}`, headers: this.headers }, `${method} ${path}`, now);
  }

  /**
   * Settles a refusal that can mean "already cancelled" (a re-send after a crash) or "too late" by
   * reading the shipment's `state`; `refused` is what the shipment's state, if not cancelled, means.
   */
  private async readBack(reference: string, refusal: string, refused: Outcome, records: RequestRecord[]): Promise<Outcome> {
    const { result, record } = await this.request('GET', `/shipments/${segment(reference)}`);
    records.push(record);
    const state =
      result.kind === 'answer' && result.status === 200 && !result.malformed && names(result, reference)
        ? (result.json as { state?: unknown }).state
        : undefined;
    if (typeof state !== 'string' || state.trim() === '') return unsettled(refusal, result, NAME, this.options.now());
    if (state.toLowerCase() === 'cancelled') {
      return succeeded('already_cancelled', `Shipment ${reference} was already cancelled.`, refused.httpStatus);
    }
    if (state.toLowerCase() === 'cancelling') {
      return pending(`Sorted is already cancelling shipment ${reference} and will finish it later.`, refused.httpStatus);
    }
    return { ...refused, message: `${refused.message} (its state is "${state}")` };
  }

  private async cancelStep(item: SendItem, records: RequestRecord[]): Promise<Outcome> {
    const { result, record } = await this.request('PUT', `/shipments/${segment(item.reference)}/cancel`);
    records.push(record);
    if (result.kind === 'failure') return transportOutcome(result);
    const garbled = garbledOutcome(result, NAME);
    if (garbled) return garbled;
    const message = bodyMessage(result.json);
    if (result.status >= 200 && result.status < 300) {
      if (!names(result, item.reference)) return unconfirmed(result, NAME);
      if (result.status === 202)
        return pending(message ?? `Sorted accepted the cancellation of ${item.reference} and will finish it later.`, 202);
      return succeeded(
        'cancelled',
        message ?? `Sorted confirmed the cancellation of ${item.reference}.`,
        result.status,
        links(result),
      );
    }
    const explained = message ?? `Sorted answered HTTP ${result.status} without an explanation.`;
    if (result.status === 304) {
      const noChange = `Sorted made no change to shipment ${item.reference} (HTTP 304).`;
      return this.readBack(item.reference, noChange, failed('provider_error', noChange, 304), records);
    }
    const common = commonOutcome(result, explained, NAME, this.options.now(), true);
    if (common) return common;
    if (result.status === 409) return this.readBack(item.reference, explained, failed('too_late', explained, 409), records);
    if (result.status === 404) {
      // "Still being processed": the shipment exists but cannot be acted on yet.
      if (processing(result)) return retry('provider_error', explained, 404);
      // An earlier cancel-and-delete may have deleted it; a cancel alone never removes a shipment.
      if (item.maybeSent && item.action === 'cancel-and-delete') return gone(`shipment ${item.reference}`, NAME, 404);
      return failed('not_found', explained, 404);
    }
    if (result.status === 429) return failed('provider_error', `Rule conflict: ${explained}`, 429);
    // 410 "resource removed" or "quarantined": Sorted will not act on it, and does not say whether it was cancelled.
    if (result.status === 410) return failed('gone', `${explained} Check shipment ${item.reference} in Sorted PRO.`, 410);
    return failed(result.status === 400 ? 'invalid_reference' : 'provider_error', explained, result.status);
  }

  /** The delete of a shipment whose cancel is confirmed: every outcome keeps that step done. */
  private async deleteStep(item: SendItem, records: RequestRecord[]): Promise<Outcome> {
    const { result, record } = await this.request('DELETE', `/shipments/${segment(item.reference)}`);
    records.push(record);
    const outcome = await this.deleteOutcome(item, result);
    return { ...outcome, step: 'cancelled' };
  }

  private deleteOutcome(item: SendItem, result: Awaited<ReturnType<SortedProClient['request']>>['result']): Outcome {
    const notYet = (outcome: Outcome): Outcome => ({ ...outcome, message: `Cancelled, but not deleted yet: ${outcome.message}` });
    if (result.kind === 'failure') return notYet(transportOutcome(result));
    const garbled = garbledOutcome(result, NAME);
    if (garbled) return notYet(garbled);
    const message = bodyMessage(result.json);
    if (result.status >= 200 && result.status < 300) {
      const documented = names(result, item.reference) || (result.status === 204 && result.text.trim() === '');
      if (!documented) return notYet(unconfirmed(result, NAME));
      if (result.status === 202) {
        return pending(`Cancelled; Sorted accepted the delete and will finish it later. ${message ?? ''}`.trim(), 202);
      }
      return succeeded('deleted', `Cancelled and deleted. ${message ?? ''}`.trim(), result.status);
    }
    if (result.status === 404) {
      const outcome = gone(`shipment ${item.reference}`, NAME, 404);
      return { ...outcome, message: `Cancelled. ${outcome.message}` };
    }
    const explained = message ?? `Sorted answered HTTP ${result.status} without an explanation.`;
    return notYet(
      commonOutcome(result, explained, NAME, this.options.now(), true) ?? failed('provider_error', explained, result.status),
    );
  }

  private async cancelOne(item: SendItem): Promise<Answer> {
    const refused = unsendable(item.reference, NAME);
    if (refused) return { outcome: refused, requests: [] };
    const requests: RequestRecord[] = [];
    let outcome: Outcome;
    if (item.action === 'cancel-and-delete' && item.step === 'cancelled') {
      outcome = await this.deleteStep(item, requests);
    } else {
      outcome = await this.cancelStep(item, requests);
      const cancelled = outcome.kind === 'final' && outcome.state === 'succeeded';
      if (item.action === 'cancel-and-delete' && cancelled) outcome = await this.deleteStep(item, requests);
    }
    return { outcome, requests };
  }

  async checkKey() {
    const { result } = await this.request('GET', `/shipments/${PROBE_REFERENCE['sorted-pro']}`);
    return keyCheckOf(result, NAME);
  }

  async cancel(items: readonly SendItem[]) {
    const answers = new Map<number, Answer>();
    for (const item of items) answers.set(item.id, await this.cancelOne(item));
    return answers;
  }
}

/** Does the answer name this shipment, as Sorted's confirmations do (`reference`)? */
function names(answer: HttpAnswer, reference: string): boolean {
  const named = (answer.json as { reference?: unknown } | undefined)?.reference;
  return typeof named === 'string' && named.toLowerCase() === reference.toLowerCase();
}

/**
 * Sorted's 404 "still being processed" (its error page `404_processing`): the code may come as the
 * error's `code` or as a detail's, so either counts, as does the page's own wording.
 */
function processing(answer: HttpAnswer): boolean {
  const body = answer.json as { code?: unknown; message?: unknown; details?: unknown } | undefined;
  const codes = [
    body?.code,
    ...(Array.isArray(body?.details) ? body.details.map((d: unknown) => (d as { code?: unknown } | null)?.code) : []),
  ];
  if (codes.some((code) => typeof code === 'string' && /processing/i.test(code))) return true;
  return typeof body?.message === 'string' && /still being processed/i.test(body.message);
}

function links(answer: HttpAnswer): ApiLink[] | null {
  const raw = (answer.json as { _links?: unknown } | undefined)?._links;
  if (!Array.isArray(raw)) return null;
  const list = raw.flatMap((link: unknown) => {
    const { rel, href } = (link ?? {}) as { rel?: unknown; href?: unknown };
    return typeof rel === 'string' && typeof href === 'string' ? [{ rel, href }] : [];
  });
  return list.length ? list : null;
}
