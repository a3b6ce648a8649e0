/**
 * Sendcloud. `cancel` is the seed's integration delete, `POST {base}/api/v2/integrations/{id}/
 * shipments/delete`, which removes a shop shipment and never cancels a label (its success reason is
 * `removed`; only its documented 204 confirms it). `cancel-label` cancels a label: a parcel id through
 * v2 `POST /api/v2/parcels/{id}/cancel`, a shipment id through v3 `POST /api/v3/shipments/{id}/cancel`;
 * the body's `status` confirms it (`cancelled`, or `queued`: pending). A v2 400 or a v3 409 can mean
 * "already cancelled" or "too late" alike, so the label is read back, and a failed read settles nothing.
 * Auth: HTTP Basic (public and secret key) or OAuth2 client credentials.
 */
import type { KeyCheck, ProviderClient, SendItem } from './types';
import type { Http, HttpAnswer, HttpResult } from './http';
import { failed, gone, holdAccount, pending, succeeded, type Answer, type Outcome, type RequestRecord } from './outcome';
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
import type { SendcloudAuth } from './sendcloud-auth';

export interface SendcloudOptions {
  http: Http;
  baseUrl: string;
  integrationId: number | null;
  auth: SendcloudAuth;
  accountName: string;
  now: () => number;
}

const REMOVED = 'Removed from the Sendcloud shop integration (this does not cancel a label).';

export function sendcloudClient(options: SendcloudOptions): ProviderClient {
  return new SendcloudClient(options);
}

class SendcloudClient implements ProviderClient {
  constructor(private readonly options: SendcloudOptions) {}

  /** Sends with the account's authorization; on a 401 with a token, refreshes it once and tries again. */
  private async authorized(method: 'GET' | 'POST', path: string, body: string | undefined, records: RequestRecord[]) {
    const { http, baseUrl, auth, now } = this.options;
    for (let tries = 0; ; tries++) {
      const header = await auth.header(records);
      if (header.kind === 'refused') return { refused: header.message, result: null };
      if (header.kind === 'unreachable') return { refused: undefined, result: header.failure };
      const sent = await send(
        http,
        {
          method,
          url: `${baseUrl}${path}`,
          headers: {
            authorization: header.value,
            accept: 'application/json',
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          ...(body ? { body } : {}),
        },
        `${method} ${path}`,
        now,
      );
      records.push(sent.record);
      if (sent.result.kind === 'answer' && sent.result.status === 401 && auth.refreshable && tries === 0) {
        auth.invalidate();
        continue;
      }
      return { refused: undefined, result: sent.result };
    }
  }

  private async removeFromIntegration(item: SendItem, records: RequestRecord[]): Promise<Outcome> {
    if (this.options.integrationId === null) {
      return holdAccount(
        `Account "${this.options.accountName}" has no Sendcloud integration id, which removing shop shipments needs. Add it to the account.`,
        null,
      );
    }
    const path = `/api/v2/integrations/${this.options.integrationId}/shipments/delete`;
    const body =
      item.externalOrderId !== null && item.externalShipmentId !== null
        ? { external_order_id: item.externalOrderId, external_shipment_id: item.externalShipmentId }
        : { shipment_uuid: item.reference };
    const sent = await this.authorized('POST', path, JSON.stringify(body), records);
    if (sent.refused !== undefined) return holdAccount(sent.refused, null);
    const { result } = sent;
    if (result.kind === 'failure') return transportOutcome(result);
    const garbled = garbledOutcome(result, 'Sendcloud');
    if (garbled) return garbled;
    if (result.status >= 200 && result.status < 300) {
      // Documented: 204 No Content. A body here (a proxy's page, an error) confirms nothing.
      return result.text.trim() === '' ? succeeded('removed', REMOVED, result.status) : unconfirmed(result, 'Sendcloud');
    }
    const message = messageOf(result);
    const common = commonOutcome(result, message, 'Sendcloud', this.options.now());
    if (common) return common;
    if (result.status === 404 && /integration/i.test(message)) {
      return holdAccount(
        `Sendcloud does not know integration ${this.options.integrationId} of account "${this.options.accountName}": ${message}`,
        404,
      );
    }
    if (result.status === 404) {
      // An earlier delete that got no answer may have removed it, or it never existed.
      if (item.maybeSent) return gone(`shipment ${describe(item)} in the shop integration`, 'Sendcloud', 404);
      return failed('not_found', message, 404);
    }
    return failed(result.status === 400 ? 'invalid_reference' : 'provider_error', message, result.status);
  }

  private async cancelLabel(item: SendItem, records: RequestRecord[]): Promise<Outcome> {
    const refused = unsendable(item.reference, 'Sendcloud');
    if (refused) return refused;
    const byParcel = /^\d+$/.test(item.reference);
    const path = byParcel ? `/api/v2/parcels/${segment(item.reference)}` : `/api/v3/shipments/${segment(item.reference)}`;
    const sent = await this.authorized('POST', `${path}/cancel`, undefined, records);
    if (sent.refused !== undefined) return holdAccount(sent.refused, null);
    const { result } = sent;
    if (result.kind === 'failure') return transportOutcome(result);
    const garbled = garbledOutcome(result, 'Sendcloud');
    if (garbled) return garbled;
    const message = messageOf(result);
    const status = statusWord(result, byParcel);
    if (result.status >= 200 && result.status < 300) {
      if (status === 'cancelled') return succeeded('cancelled', message, result.status);
      if (status === 'queued') return pending(message, result.status);
      return unconfirmed(result, 'Sendcloud');
    }
    // v2: an unannounced parcel was removed rather than cancelled; nothing will ship.
    if (result.status === 410 && byParcel) {
      return status === 'deleted' ? succeeded('deleted', message, 410) : unconfirmed(result, 'Sendcloud');
    }
    const common = commonOutcome(result, message, 'Sendcloud', this.options.now());
    if (common) return common;
    if (result.status === 404) return failed('not_found', message, 404);
    // "Already being cancelled" (under way) and "already cancelled", "delivered" or "too old" (refused) alike.
    if ((byParcel && result.status === 400) || (!byParcel && result.status === 409)) {
      const read = await this.authorized('GET', path, undefined, records);
      if (read.refused !== undefined) return holdAccount(read.refused, null);
      const label = labelState(read.result, byParcel);
      if (!label) return unsettled(message, read.result, 'Sendcloud', this.options.now());
      if (label.state === 'cancelled')
        return succeeded('already_cancelled', `Already cancelled: ${label.message}`, result.status);
      if (label.state === 'cancelling') return pending(`The cancellation is under way: ${label.message}`, result.status);
      return failed('too_late', `${message} (the label is "${label.message}")`, result.status);
    }
    return failed(result.status === 400 ? 'invalid_reference' : 'provider_error', message, result.status);
  }

  async checkKey(): Promise<KeyCheck> {
    const sent = await this.authorized('GET', `/api/v2/parcels/${PROBE_REFERENCE.sendcloud}`, undefined, []);
    if (sent.refused !== undefined) return { kind: 'refused', message: sent.refused };
    return keyCheckOf(sent.result, 'Sendcloud');
  }

  async cancel(items: readonly SendItem[]) {
    const answers = new Map<number, Answer>();
    for (const item of items) {
      const requests: RequestRecord[] = [];
      const outcome =
        item.action === 'cancel-label'
          ? await this.cancelLabel(item, requests)
          : await this.removeFromIntegration(item, requests);
      answers.set(item.id, { outcome, requests });
    }
    return answers;
  }
}

/** What an item names at Sendcloud, for messages: its shipment uuid or its shop's order and shipment ids. */
function describe(item: SendItem): string {
  return item.externalOrderId !== null && item.externalShipmentId !== null
    ? `${item.externalOrderId}/${item.externalShipmentId}`
    : item.reference;
}

function messageOf(answer: HttpAnswer): string {
  return bodyMessage(answer.json) ?? `Sendcloud answered HTTP ${answer.status} without an explanation.`;
}

/** The label-cancel body's `status` word: v2 `{status, message}`, v3 `{data: {status, message}}`. */
function statusWord(answer: HttpAnswer, byParcel: boolean): string | undefined {
  const body = answer.json as { status?: unknown; data?: { status?: unknown } | null } | undefined;
  const value = byParcel ? body?.status : body?.data?.status;
  return typeof value === 'string' ? value.trim().toLowerCase() : undefined;
}

/** v2 parcel status ids (Sendcloud's parcel statuses): the label is cancelled, or its cancellation is under way. */
const PARCEL_CANCELLED = new Set([2000]);
const PARCEL_CANCELLING = new Set([1999, 2001]);
/** v3 parcel status codes, likewise. */
const SHIPMENT_CANCELLED = /^CANCELL?ED$/;
const SHIPMENT_CANCELLING = /^(CANCELL?ATION_REQUESTED|BEING_CANCELL?ED|SUBMITTING_CANCELL?ATION)/;

interface LabelState {
  state: 'cancelled' | 'cancelling' | 'other';
  message: string;
}

/**
 * A label read back: v2 `GET /api/v2/parcels/{id}` → `{parcel: {status: {id, message}}}`; v3
 * `GET /api/v3/shipments/{id}` → `{data: {parcels: [{status: {code, message}}]}}` (every parcel of a
 * multicollo shipment must be cancelled). Undefined when the read is not such an answer.
 */
function labelState(result: HttpResult, byParcel: boolean): LabelState | undefined {
  if (result.kind !== 'answer' || result.status !== 200 || result.malformed) return undefined;
  if (byParcel) {
    const status = (result.json as { parcel?: { status?: { id?: unknown; message?: unknown } | null } | null } | undefined)
      ?.parcel?.status;
    if (typeof status?.id !== 'number') return undefined;
    const message = typeof status.message === 'string' && status.message.trim() ? status.message.trim() : `status ${status.id}`;
    const state = PARCEL_CANCELLED.has(status.id) ? 'cancelled' : PARCEL_CANCELLING.has(status.id) ? 'cancelling' : 'other';
    return { state, message };
  }
  const parcels = (result.json as { data?: { parcels?: unknown } | null } | undefined)?.data?.parcels;
  if (!Array.isArray(parcels) || parcels.length === 0) return undefined;
  const statuses = parcels.map(
    (parcel: unknown) => (parcel as { status?: { code?: unknown; message?: unknown } | null } | null)?.status,
  );
  if (!statuses.every((status) => typeof status?.code === 'string')) return undefined;
  const codes = statuses.map((status) => String(status?.code).toUpperCase());
  const message = statuses
    .map((status, n) => (typeof status?.message === 'string' && status.message.trim() ? status.message.trim() : codes[n]))
    .join(', ');
  const state = codes.every((code) => SHIPMENT_CANCELLED.test(code))
    ? 'cancelled'
    : codes.every((code) => SHIPMENT_CANCELLED.test(code) || SHIPMENT_CANCELLING.test(code))
      ? 'cancelling'
      : 'other';
  return { state, message };
}
