/**
 * Sendcloud. `cancel` is the seed's integration delete, `POST {base}/api/v2/integrations/{id}/
 * shipments/delete`, which removes a shop shipment and never cancels a label (its success reason is
 * `removed`). `cancel-label` cancels a label: a parcel id through v2 `POST /api/v2/parcels/{id}/cancel`,
 * a shipment id through v3 `POST /api/v3/shipments/{id}/cancel`; a 202 is a queued cancellation.
 * Auth: HTTP Basic (public and secret key) or OAuth2 client credentials.
 */
import type { ProviderClient, SendItem } from './client';
import type { Http, HttpAnswer } from './http';
import { failed, holdAccount, pending, succeeded, type Answer, type Outcome, type RequestRecord } from './outcome';
import { commonOutcome, garbledOutcome, providerMessage, segment, send, transportOutcome, unsendable } from './request';
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
  const { http, baseUrl, auth, now } = options;

  /** Sends with the account's authorization; on a 401 with a token, refreshes it once and tries again. */
  async function authorized(path: string, body: string | undefined, records: RequestRecord[]) {
    for (let tries = 0; ; tries++) {
      const header = await auth.header(records);
      if (header.kind === 'refused') return { refused: header.message, result: null };
      if (header.kind === 'unreachable') return { refused: undefined, result: header.failure };
      const sent = await send(
        http,
        {
          method: 'POST',
          url: `${baseUrl}${path}`,
          headers: {
            authorization: header.value,
            accept: 'application/json',
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          ...(body ? { body } : {}),
        },
        `POST ${path}`,
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

  async function removeFromIntegration(item: SendItem, records: RequestRecord[]): Promise<Outcome> {
    if (options.integrationId === null) {
      return holdAccount(
        `Account "${options.accountName}" has no Sendcloud integration id, which removing shop shipments needs. Add it to the account.`,
        null,
      );
    }
    const path = `/api/v2/integrations/${options.integrationId}/shipments/delete`;
    const body =
      item.externalOrderId !== null && item.externalShipmentId !== null
        ? { external_order_id: item.externalOrderId, external_shipment_id: item.externalShipmentId }
        : { shipment_uuid: item.reference };
    const sent = await authorized(path, JSON.stringify(body), records);
    if (sent.refused !== undefined) return holdAccount(sent.refused, null);
    const { result } = sent;
    if (result.kind === 'failure') return transportOutcome(result);
    const garbled = garbledOutcome(result, 'Sendcloud');
    if (garbled) return garbled;
    if (result.status >= 200 && result.status < 300) return succeeded('removed', REMOVED, result.status);
    const message = v2Message(result);
    const common = commonOutcome(result, message, 'Sendcloud', now());
    if (common) return common;
    if (result.status === 404 && /integration/i.test(message)) {
      return holdAccount(
        `Sendcloud does not know integration ${options.integrationId} of account "${options.accountName}": ${message}`,
        404,
      );
    }
    if (result.status === 404) {
      // A re-sent delete that finds nothing: the earlier attempt removed it.
      if (item.maybeSent) return succeeded('removed', `${REMOVED} It was already gone when the request was sent again.`, 404);
      return failed('not_found', message, 404);
    }
    return failed(result.status === 400 ? 'invalid_reference' : 'provider_error', message, result.status);
  }

  async function cancelLabel(item: SendItem, records: RequestRecord[]): Promise<Outcome> {
    const refused = unsendable(item.reference, 'Sendcloud');
    if (refused) return refused;
    const byParcel = /^\d+$/.test(item.reference);
    const path = byParcel
      ? `/api/v2/parcels/${segment(item.reference)}/cancel`
      : `/api/v3/shipments/${segment(item.reference)}/cancel`;
    const sent = await authorized(path, undefined, records);
    if (sent.refused !== undefined) return holdAccount(sent.refused, null);
    const { result } = sent;
    if (result.kind === 'failure') return transportOutcome(result);
    const garbled = garbledOutcome(result, 'Sendcloud');
    if (garbled) return garbled;
    const message = byParcel ? v2Message(result) : v3Message(result);
    if (result.status === 202) return pending(message, 202);
    if (result.status >= 200 && result.status < 300) return succeeded('cancelled', message, result.status);
    if (result.status === 410) return succeeded('deleted', message, 410);
    const common = commonOutcome(result, message, 'Sendcloud', now());
    if (common) return common;
    // "This shipment is already being cancelled.": the cancellation is under way, not refused.
    if ((result.status === 400 || result.status === 409) && /already being cancell?ed/i.test(message))
      return pending(message, result.status);
    if (result.status === 404) return failed('not_found', message, 404);
    return failed(result.status === 400 ? 'too_late' : 'provider_error', message, result.status);
  }

  return {
    async cancel(items) {
      const answers = new Map<number, Answer>();
      for (const item of items) {
        const requests: RequestRecord[] = [];
        const outcome =
          item.action === 'cancel-label' ? await cancelLabel(item, requests) : await removeFromIntegration(item, requests);
        answers.set(item.id, { outcome, requests });
      }
      return answers;
    },
  };
}

/** v2 bodies: `{error:{code,request,message}}` or `{status,message}`. */
function v2Message(answer: HttpAnswer): string {
  const body = answer.json as { error?: { message?: unknown }; message?: unknown } | undefined;
  return (
    providerMessage(body?.error?.message ?? body?.message) ?? `Sendcloud answered HTTP ${answer.status} without an explanation.`
  );
}

/** v3 bodies: `{data:{status,message}}` or `{errors:[{status,code,detail}]}`. */
function v3Message(answer: HttpAnswer): string {
  const body = answer.json as { data?: { message?: unknown }; errors?: { detail?: unknown }[] } | undefined;
  return (
    providerMessage(body?.data?.message ?? body?.errors?.[0]?.detail) ??
    `Sendcloud answered HTTP ${answer.status} without an explanation.`
  );
}
