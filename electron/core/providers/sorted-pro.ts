/**
 * Sorted PRO v2: `PUT {base}/shipments/{ref}/cancel`, and for the cancel-and-delete action a
 * `DELETE {base}/shipments/{ref}` once the cancel is done (a retry repeats only the step that
 * failed). An ambiguous 409 is settled by reading the shipment back. See
 * seeds/sorted-pro-v2-cancelling-shipments.md and PROVIDERS.md (429 means "rule conflict").
 */
import type { ApiLink } from '../../../shared/domain';
import type { ProviderClient, SendItem } from './client';
import type { Http, HttpAnswer } from './http';
import { failed, pending, succeeded, type Answer, type Outcome, type RequestRecord } from './outcome';
import { commonOutcome, garbledOutcome, providerMessage, segment, send, transportOutcome, unsendable } from './request';

export interface SortedProOptions {
  http: Http;
  baseUrl: string;
  apiKey: string;
  now: () => number;
}

export function sortedProClient(options: SortedProOptions): ProviderClient {
  const { http, baseUrl, apiKey, now } = options;
  const headers = { 'x-api-key': apiKey, 'x-api-version': '1.1', accept: 'application/json' };

  const request = (method: 'PUT' | 'DELETE' | 'GET', path: string) =>
    send(http, { method, url: `${baseUrl}${path}`, headers }, `${method} ${path}`, now);

  /** Settles a 409 ("not in a valid state to be cancelled"): a re-send after a crash finds it cancelled. */
  async function readBack(reference: string, conflict: Outcome, records: RequestRecord[]): Promise<Outcome> {
    const { result, record } = await request('GET', `/shipments/${segment(reference)}`);
    records.push(record);
    const state =
      result.kind === 'answer' && result.status === 200 ? (result.json as { state?: unknown } | undefined)?.state : undefined;
    if (typeof state === 'string' && state.toLowerCase() === 'cancelled') {
      return succeeded('already_cancelled', `Shipment ${reference} was already cancelled.`, 200);
    }
    return conflict;
  }

  async function cancelStep(item: SendItem, records: RequestRecord[]): Promise<Outcome> {
    const { result, record } = await request('PUT', `/shipments/${segment(item.reference)}/cancel`);
    records.push(record);
    if (result.kind === 'failure') return transportOutcome(result);
    const garbled = garbledOutcome(result, 'Sorted PRO');
    if (garbled) return garbled;
    const message = bodyMessage(result);
    if (result.status === 202)
      return pending(message ?? `Sorted accepted the cancellation of ${item.reference} and will finish it later.`, 202);
    if (result.status >= 200 && result.status < 300) {
      return succeeded('cancelled', message ?? `Shipment ${item.reference} has been cancelled`, result.status, links(result));
    }
    if (result.status === 304)
      return succeeded('already_cancelled', `No change was made: shipment ${item.reference} was already cancelled.`, 304);
    const explained = message ?? `Sorted answered HTTP ${result.status} without an explanation.`;
    const common = commonOutcome(result, explained, 'Sorted PRO', now(), true);
    if (common) return common;
    if (result.status === 409) return readBack(item.reference, failed('too_late', explained, 409), records);
    if (result.status === 404) {
      // After a crash the earlier attempt may have cancelled and deleted it.
      if (item.maybeSent && item.action === 'cancel-and-delete')
        return succeeded('deleted', `Shipment ${item.reference} is already gone (deleted).`, 404);
      return failed('not_found', explained, 404);
    }
    if (result.status === 429) return failed('provider_error', `Rule conflict: ${explained}`, 429);
    return failed(result.status === 400 ? 'invalid_reference' : 'provider_error', explained, result.status);
  }

  async function deleteStep(item: SendItem, records: RequestRecord[]): Promise<Outcome> {
    const { result, record } = await request('DELETE', `/shipments/${segment(item.reference)}`);
    records.push(record);
    const cancelledButNot = (outcome: Outcome): Outcome => ({
      ...outcome,
      step: 'cancelled',
      message: `Cancelled, but not deleted yet: ${outcome.message}`,
    });
    if (result.kind === 'failure') return cancelledButNot(transportOutcome(result));
    const garbled = garbledOutcome(result, 'Sorted PRO');
    if (garbled) return cancelledButNot(garbled);
    const message = bodyMessage(result);
    if (result.status >= 200 && result.status < 300) {
      return { ...succeeded('deleted', `Cancelled and deleted. ${message ?? ''}`.trim(), result.status), step: 'cancelled' };
    }
    // A re-sent delete that finds nothing: the earlier one did it.
    if (result.status === 404)
      return { ...succeeded('deleted', 'Cancelled and deleted (it was already gone).', 404), step: 'cancelled' };
    const explained = message ?? `Sorted answered HTTP ${result.status} without an explanation.`;
    const common = commonOutcome(result, explained, 'Sorted PRO', now(), true);
    return cancelledButNot(common ?? failed('provider_error', explained, result.status));
  }

  async function cancelOne(item: SendItem): Promise<Answer> {
    const refused = unsendable(item.reference, 'Sorted PRO');
    if (refused) return { outcome: refused, requests: [] };
    const requests: RequestRecord[] = [];
    let outcome: Outcome;
    if (item.action === 'cancel-and-delete' && item.step === 'cancelled') {
      outcome = await deleteStep(item, requests);
    } else {
      outcome = await cancelStep(item, requests);
      const cancelled = outcome.kind === 'final' && outcome.state === 'succeeded' && outcome.reason !== 'deleted';
      if (item.action === 'cancel-and-delete' && cancelled) outcome = await deleteStep(item, requests);
    }
    return { outcome, requests };
  }

  return {
    async cancel(items) {
      const answers = new Map<number, Answer>();
      for (const item of items) answers.set(item.id, await cancelOne(item));
      return answers;
    },
  };
}

/** Sorted's `message`, with its `details` when it gave any. */
function bodyMessage(answer: HttpAnswer): string | undefined {
  const body = answer.json as { message?: unknown; details?: unknown } | undefined;
  if (!body || typeof body.message !== 'string' || !body.message.trim()) return undefined;
  const details = Array.isArray(body.details)
    ? body.details
        .map((d: unknown) =>
          d && typeof d === 'object' && typeof (d as { message?: unknown }).message === 'string'
            ? (d as { message: string }).message
            : '',
        )
        .filter(Boolean)
    : [];
  return providerMessage(details.length ? `${body.message.trim()} (${details.join('; ')})` : body.message);
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
