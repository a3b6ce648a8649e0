/**
 * Sendcloud conformance: every answer Sendcloud's published OpenAPI files document for the integration
 * delete, the v2 parcel cancel (with its read-back `GET /api/v2/parcels/{id}`) and the v3 shipment cancel
 * (with `GET /api/v3/shipments/{id}`), replayed to the real client over both transports, with the verdict
 * each one must give and the requests that must have been sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRANSPORT_NAMES } from '../support/transports';
import { runCase, type AccountSpec, type Case } from './cases';
import { empty, html, json, reset, startReplayServer, type ReplayServer } from '../support/replay-server';

// Sources (api-evangelist/sendcloud mirrors sendcloud.dev's OpenAPI files):
const INTEGRATIONS =
  'api-evangelist/sendcloud openapi/_original/sendcloud-v2-integrations-openapi.yml (= seeds/sendcloud-v2-integrations-delete-shipments.md)';
const PARCELS = 'api-evangelist/sendcloud openapi/_original/sendcloud-v2-parcels-openapi.yml';
const SHIPMENTS = 'api-evangelist/sendcloud openapi/_original/sendcloud-shipments-openapi.yml (v3)';
const STATUS_IDS =
  'PROVIDERS.md / the brief: status ids 1999 and 2001 are not in the mirrored OpenAPI files (see /tmp/research.md)';
const UNDOCUMENTED = 'not documented: what a proxy or a changed API may answer';

const INTEGRATION = 1234;
const account: AccountSpec = {
  name: 'Shop',
  provider: 'sendcloud',
  settings: { integrationId: INTEGRATION, authKind: 'basic' },
};
const SECRET = 'sc-public-key:sc-secret-key';
const BASIC = `Basic ${Buffer.from(SECRET).toString('base64')}`;

// --- v2 integration delete (the `cancel` action: removes a shop shipment, never a label) ---
const UUID = '39874b59-2a68-4a3d-8e00-aeb9e0540d00';
const DELETE = `POST /api/v2/integrations/${INTEGRATION}/shipments/delete`;
const v2Error = (code: number, message: string) => ({
  error: { code, request: `api/v2/integrations/${INTEGRATION}/shipments/delete`, message },
});

const integrationDelete: Case[] = [
  {
    name: '204 No Content: removed from the integration',
    documented: `${INTEGRATIONS} (204)`,
    answer: empty(204),
    expected: { kind: 'final', state: 'succeeded', reason: 'removed' },
    sent: [DELETE],
  },
  {
    name: '200 with an HTML page: unconfirmed, retried',
    documented: UNDOCUMENTED,
    answer: html(200),
    expected: { kind: 'retry', reason: 'provider_error' },
    sent: [DELETE],
  },
  {
    name: '200 with a JSON error body: unconfirmed, retried',
    documented: `${UNDOCUMENTED} (the documented success is a 204 with no body)`,
    answer: json(200, v2Error(500, 'Something went wrong')),
    expected: { kind: 'retry', reason: 'provider_error' },
    sent: [DELETE],
  },
  {
    name: '400 missing fields: invalid reference, with Sendcloud’s message',
    documented: `${INTEGRATIONS} (400 RequiredFieldMissing)`,
    answer: json(400, v2Error(400, 'Missing shipment_uuid or the pair external_order_id and external_shipment_id')),
    expected: { kind: 'final', state: 'failed', reason: 'invalid_reference', message: /Missing shipment_uuid/ },
    sent: [DELETE],
  },
  {
    name: '400 invalid UUID: invalid reference',
    documented: `${INTEGRATIONS} (400 invalid_uuid)`,
    answer: json(400, v2Error(400, 'Must be a valid UUID.')),
    expected: { kind: 'final', state: 'failed', reason: 'invalid_reference', message: /valid UUID/ },
    sent: [DELETE],
  },
  {
    name: '404 "No ShipmentBlob matches": not found',
    documented: `${INTEGRATIONS} (404 ShipmentNotFound)`,
    answer: json(404, v2Error(404, 'No ShipmentBlob matches the given query.')),
    expected: { kind: 'final', state: 'failed', reason: 'not_found', message: /No ShipmentBlob matches/ },
    sent: [DELETE],
  },
  {
    name: '404 "No ShipmentBlob matches" after an attempt that may have been sent: gone, not a success',
    documented: `${INTEGRATIONS} (404 ShipmentNotFound)`,
    answer: json(404, v2Error(404, 'No ShipmentBlob matches the given query.')),
    item: { maybeSent: true },
    expected: { kind: 'final', state: 'failed', reason: 'gone' },
    sent: [DELETE],
  },
  {
    name: '404 "No Integration matches": hold the account',
    documented: `${INTEGRATIONS} (404 IntegrationNotFound)`,
    answer: json(404, v2Error(404, 'No Integration matches the given query.')),
    expected: { kind: 'account', message: /No Integration matches/ },
    sent: [DELETE],
  },
  {
    name: '401: hold the account',
    documented: 'not documented on this endpoint (HTTP Basic refused)',
    answer: json(401, { error: { code: 401, request: 'api/v2/integrations', message: 'Invalid username/password.' } }),
    expected: { kind: 'account' },
    sent: [DELETE],
  },
  {
    name: '429: rate limited, retried',
    documented: 'sendcloud.dev rate limits (PROVIDERS.md): over the limit is a 429',
    answer: json(429, { error: { code: 429, message: 'Request was throttled.' } }),
    expected: { kind: 'retry', reason: 'rate_limited' },
    sent: [DELETE],
  },
  {
    name: '500: retried',
    documented: 'not documented (5xx)',
    answer: html(500),
    expected: { kind: 'retry' },
    sent: [DELETE],
  },
];

// --- v2 parcel cancel (the `cancel-label` action with a parcel id) and its read-back ---
const PARCEL = '98765432';
const CANCEL_PARCEL = `POST /api/v2/parcels/${PARCEL}/cancel`;
const READ_PARCEL = `GET /api/v2/parcels/${PARCEL}`;
/** `GET /api/v2/parcels/{id}`: `{parcel: ParcelResponseFull}`, whose `status` is `{id, message}`. */
const parcel = (id: number, message: string) => ({
  parcel: { id: Number(PARCEL), name: 'John Doe', tracking_number: '3SYZXG8498635', status: { id, message } },
});
const rejected = { status: 'failed', message: 'Cancellation is not possible: the parcel was announced more than 42 days ago' };

const parcelCancel: Case[] = [
  {
    name: '200 {status: "cancelled"}: cancelled',
    documented: `${PARCELS} (200 Cancelled example)`,
    answer: json(200, { status: 'cancelled', message: 'Parcel has been cancelled' }),
    expected: { kind: 'final', state: 'succeeded', reason: 'cancelled' },
    sent: [CANCEL_PARCEL],
  },
  {
    name: '202 {status: "queued"}: pending',
    documented: `${PARCELS} (202 "cancelation has been queued"; body per PROVIDERS.md)`,
    answer: json(202, { status: 'queued', message: 'Parcel cancellation has been queued' }),
    expected: { kind: 'final', state: 'pending', reason: 'queued' },
    sent: [CANCEL_PARCEL],
  },
  {
    name: '410 {status: "deleted"}: the unannounced parcel was deleted',
    documented: `${PARCELS} (410 Deleted, status 1002; body per PROVIDERS.md)`,
    answer: json(410, { status: 'deleted', message: 'Parcel has been deleted' }),
    expected: { kind: 'final', state: 'succeeded', reason: 'deleted' },
    sent: [CANCEL_PARCEL],
  },
  {
    name: '400, read back status 2000 (cancelled): already cancelled',
    documented: `${PARCELS} (400 "status of 2000 which means it is already cancelled"; GET Status {id, message})`,
    answer: json(400, rejected),
    then: [json(200, parcel(2000, 'Cancelled'))],
    expected: { kind: 'final', state: 'succeeded', reason: 'already_cancelled' },
    sent: [CANCEL_PARCEL, READ_PARCEL],
  },
  {
    name: '400 "already being cancelled", read back status 1999 (cancellation requested): pending',
    documented: `${PARCELS}; ${STATUS_IDS}`,
    answer: json(400, { status: 'failed', message: 'This shipment is already being cancelled.' }),
    then: [json(200, parcel(1999, 'Cancellation requested'))],
    expected: { kind: 'final', state: 'pending', reason: 'queued' },
    sent: [CANCEL_PARCEL, READ_PARCEL],
  },
  {
    name: '400, read back status 2001 (being cancelled): pending',
    documented: `${PARCELS}; ${STATUS_IDS}`,
    answer: json(400, rejected),
    then: [json(200, parcel(2001, 'Submitting cancellation request'))],
    expected: { kind: 'final', state: 'pending', reason: 'queued' },
    sent: [CANCEL_PARCEL, READ_PARCEL],
  },
  {
    name: '400, read back status 11 (delivered): too late',
    documented: `${PARCELS} (400 "status ode (11) saying that it’s delivered")`,
    answer: json(400, rejected),
    then: [json(200, parcel(11, 'Delivered'))],
    expected: { kind: 'final', state: 'failed', reason: 'too_late' },
    sent: [CANCEL_PARCEL, READ_PARCEL],
  },
  {
    name: '400, read back another status: too late, with the 400’s message',
    documented: `${PARCELS} (400 "after 42 days ... will let you know through a response message")`,
    answer: json(400, rejected),
    then: [json(200, parcel(3, 'En route to sorting center'))],
    expected: { kind: 'final', state: 'failed', reason: 'too_late', message: /more than 42 days/ },
    sent: [CANCEL_PARCEL, READ_PARCEL],
  },
  {
    name: '400, the read-back answers 503: retried',
    documented: PARCELS,
    answer: json(400, rejected),
    then: [html(503)],
    expected: { kind: 'retry' },
    sent: [CANCEL_PARCEL, READ_PARCEL],
  },
  {
    name: '400, the read-back connection is reset: retried',
    documented: PARCELS,
    answer: json(400, rejected),
    then: [reset],
    expected: { kind: 'retry' },
    sent: [CANCEL_PARCEL, READ_PARCEL],
  },
  {
    name: '400, the read-back is an HTML page: retried',
    documented: UNDOCUMENTED,
    answer: json(400, rejected),
    then: [html(200)],
    expected: { kind: 'retry' },
    sent: [CANCEL_PARCEL, READ_PARCEL],
  },
  {
    name: '404: not found',
    documented: `${PARCELS} (404 Not Found)`,
    answer: json(404, {
      error: { code: 404, request: `api/v2/parcels/${PARCEL}/cancel`, message: 'No Parcel matches the given query.' },
    }),
    expected: { kind: 'final', state: 'failed', reason: 'not_found' },
    sent: [CANCEL_PARCEL],
  },
  {
    name: '200 with an HTML page: unconfirmed, retried',
    documented: UNDOCUMENTED,
    answer: html(200),
    expected: { kind: 'retry', reason: 'provider_error' },
    sent: [CANCEL_PARCEL],
  },
];

// --- v3 shipment cancel (the `cancel-label` action with a shipment id) and its read-back ---
const SHIPMENT = 'b2c1a3f0-9d4e-4c1b-8f7a-5e6d7c8b9a01';
const CANCEL_SHIPMENT = `POST /api/v3/shipments/${SHIPMENT}/cancel`;
const READ_SHIPMENT = `GET /api/v3/shipments/${SHIPMENT}`;
/** `GET /api/v3/shipments/{id}`: `{data: {id, parcels: [{id, status: {code, message}}]}}`. */
const v3Shipment = (...statuses: [string, string][]) => ({
  data: {
    id: SHIPMENT,
    order_number: '1234567890',
    parcels: statuses.map(([code, message], index) => ({ id: 383707309 + index, status: { code, message } })),
  },
});
const v3Errors = (status: string, code: string, detail: string) => ({ errors: [{ status, code, detail }] });
const refused409 = v3Errors('409', 'invalid', 'Cancellation rejected: the shipment can no longer be cancelled.');

const shipmentCancel: Case[] = [
  {
    name: '200 {data: {status: "cancelled"}}: cancelled',
    documented: `${SHIPMENTS} (200 Cancelled example)`,
    answer: json(200, { data: { status: 'cancelled', message: 'Shipment has been cancelled' } }),
    expected: { kind: 'final', state: 'succeeded', reason: 'cancelled' },
    sent: [CANCEL_SHIPMENT],
  },
  {
    name: '202 {data: {status: "queued"}}: pending',
    documented: `${SHIPMENTS} (202 example)`,
    answer: json(202, { data: { status: 'queued', message: 'Shipment cancellation has been queued' } }),
    expected: { kind: 'final', state: 'pending', reason: 'queued' },
    sent: [CANCEL_SHIPMENT],
  },
  {
    name: '409 rejected, read back every parcel CANCELLED: already cancelled',
    documented: `${SHIPMENTS} (409 "status of 2000 which means it is already cancelled"; GET parcels[].status.code)`,
    answer: json(409, refused409),
    then: [json(200, v3Shipment(['CANCELLED', 'Cancelled']))],
    expected: { kind: 'final', state: 'succeeded', reason: 'already_cancelled' },
    sent: [CANCEL_SHIPMENT, READ_SHIPMENT],
  },
  {
    name: '409 rejected, read back a parcel not cancelled: too late',
    documented: `${SHIPMENTS} (409: 42 days, or delivered)`,
    answer: json(409, refused409),
    then: [json(200, v3Shipment(['DELIVERED', 'Delivered']))],
    expected: { kind: 'final', state: 'failed', reason: 'too_late' },
    sent: [CANCEL_SHIPMENT, READ_SHIPMENT],
  },
  {
    // The document's only 409 example; the same 409 also means "already cancelled" (2000) or "delivered"
    // (11), so the shipment is read back rather than the text trusted.
    name: '409 "already being cancelled", read back CANCELLED: already cancelled',
    documented: `${SHIPMENTS} (409 CancellationRejected example)`,
    answer: json(409, v3Errors('409', 'invalid', 'This shipment is already being cancelled.')),
    then: [json(200, v3Shipment(['CANCELLED', 'Cancelled']))],
    expected: { kind: 'final', state: 'succeeded', reason: 'already_cancelled' },
    sent: [CANCEL_SHIPMENT, READ_SHIPMENT],
  },
  {
    name: '409 rejected, the read-back answers 503: retried',
    documented: SHIPMENTS,
    answer: json(409, refused409),
    then: [html(503)],
    expected: { kind: 'retry' },
    sent: [CANCEL_SHIPMENT, READ_SHIPMENT],
  },
  {
    name: '409 rejected, the read-back connection is reset: retried',
    documented: SHIPMENTS,
    answer: json(409, refused409),
    then: [reset],
    expected: { kind: 'retry' },
    sent: [CANCEL_SHIPMENT, READ_SHIPMENT],
  },
  {
    name: '404 {errors: [not_found]}: not found',
    documented: `${SHIPMENTS} (404 ShipmentToBeCancelledNotFound)`,
    answer: json(404, v3Errors('404', 'not_found', 'Not found')),
    expected: { kind: 'final', state: 'failed', reason: 'not_found' },
    sent: [CANCEL_SHIPMENT],
  },
  {
    name: '200 with an HTML page: unconfirmed, retried',
    documented: UNDOCUMENTED,
    answer: html(200),
    expected: { kind: 'retry', reason: 'provider_error' },
    sent: [CANCEL_SHIPMENT],
  },
];

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(() => server.close());

describe.each(TRANSPORT_NAMES)('Sendcloud over %s', (transport) => {
  const check = (reference: string) => async (testCase: Case) => {
    await runCase(server, account, SECRET, transport, reference, testCase);
    // Every request, the read-back included, carries the account's HTTP Basic credentials.
    for (const request of server.requests) expect(request.headers.authorization).toBe(BASIC);
  };

  describe('POST /api/v2/integrations/{id}/shipments/delete', () => {
    it.each(integrationDelete)('$name', check(UUID));

    it('sends the shipment_uuid, or the shop’s order and shipment ids when the item has them', async () => {
      await runCase(server, account, SECRET, transport, UUID, integrationDelete[0] as Case);
      expect(JSON.parse(server.requests[0]?.body ?? 'null')).toEqual({ shipment_uuid: UUID });
      await runCase(server, account, SECRET, transport, UUID, {
        ...(integrationDelete[0] as Case),
        item: { externalOrderId: '123457', externalShipmentId: 'S00002' },
      });
      expect(JSON.parse(server.requests[0]?.body ?? 'null')).toEqual({
        external_order_id: '123457',
        external_shipment_id: 'S00002',
      });
    });
  });

  describe('POST /api/v2/parcels/{id}/cancel', () => {
    it.each(parcelCancel.map((testCase) => ({ ...testCase, item: { action: 'cancel-label' as const, ...testCase.item } })))(
      '$name',
      check(PARCEL),
    );
  });

  describe('POST /api/v3/shipments/{id}/cancel', () => {
    it.each(shipmentCancel.map((testCase) => ({ ...testCase, item: { action: 'cancel-label' as const, ...testCase.item } })))(
      '$name',
      check(SHIPMENT),
    );
  });
});
