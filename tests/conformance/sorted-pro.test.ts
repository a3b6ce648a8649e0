/**
 * Sorted PRO v2 conformance: every answer Sorted's doc-centre documents for `PUT /shipments/{ref}/cancel`,
 * `DELETE /shipments/{ref}` and the read-back `GET /shipments/{ref}`, replayed to the real client over
 * both transports, with the verdict each one must give and the requests that must have been sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRANSPORT_NAMES } from '../support/transports';
import { runCase, type AccountSpec, type Case } from './cases';
import { empty, html, json, reset, startReplayServer, type ReplayServer } from '../support/replay-server';

// Sources (snrnats/doc-centre, Sorted's public doc-centre):
const SEED = 'seeds/sorted-pro-v2-cancelling-shipments.md (doc-centre pro/api/shipments/cancelling_shipments.md)';
const SPEC = 'snrnats/doc-centre docfx_project/pro/api/reference/definitions/spec-shipments.yaml';
const CONTRACT = 'snrnats/doc-centre docfx_project/pro/api/data-contracts/shipments/shipments-apis.md';
const ERRORS = 'snrnats/doc-centre docfx_project/pro/api/shipments/errors';
const ERROR_BODY = 'snrnats/doc-centre docfx_project/pro/api/reference/definitions/intro-shipments.yaml (# Errors)';
const UNDOCUMENTED = 'not documented: what a proxy or a changed API may answer';

const account: AccountSpec = { name: 'Sorted', provider: 'sorted-pro', settings: {} };
const KEY = 'sorted-conformance-key';
const REF = 'sp_00792815110958000332875334549504';
const CANCEL = `PUT /shipments/${REF}/cancel`;
const READ = `GET /shipments/${REF}`;
const DELETE = `DELETE /shipments/${REF}`;

/** A ResourceResult, as the seed's example (200 and 202 of cancel and delete). */
const resource = (message: string, reference = REF) => ({
  reference,
  custom_reference: '77d58d14-53f6-414c-876d-05c9b3cf079a',
  message,
  _links: [{ href: `https://api.sorted.com/pro/shipments/${reference}`, rel: 'shipment', reference, type: 'shipment' }],
});
/** An ApiError: `{reference, correlation_id, code, message, details, _links}`. */
const apiError = (code: string, message: string) => ({
  reference: 'er_00880362751987348104831746179081',
  correlation_id: '6c4e6a77-feab-42ab-9d7b-f559dc1b90ca',
  code,
  message,
  details: [],
  _links: [],
});
/** The read-back: a Shipment, whose `state` is one of ShipmentState (spec-shipments.yaml). */
const shipment = (state: string) => ({
  reference: REF,
  state,
  created: '2020-10-06T10:00:00Z',
  direction: 'outbound',
  shipment_type: 'on_demand',
  source: 'api',
  addresses: [],
  contents: [],
});
const notValid = apiError('invalid_state', 'The shipment is not in a valid state to be cancelled');

const cancel: Case[] = [
  {
    name: '200 ResourceResult naming our shipment: cancelled, with Sorted’s message',
    documented: `${SEED}; ${SPEC} (200 ResourceResult)`,
    answer: json(200, resource(`Shipment ${REF} has been cancelled`)),
    expected: { kind: 'final', state: 'succeeded', reason: 'cancelled', message: /has been cancelled/ },
    sent: [CANCEL],
  },
  {
    name: '202 ResourceResult: pending (cancellation queued)',
    documented: `${SPEC} (202); ${CONTRACT} ("processed at a later stage")`,
    answer: json(202, resource(`Request to cancel shipment ${REF} received`)),
    expected: { kind: 'final', state: 'pending', reason: 'queued' },
    sent: [CANCEL],
  },
  {
    name: '200 HTML page: unconfirmed, retried',
    documented: UNDOCUMENTED,
    answer: html(200),
    expected: { kind: 'retry', reason: 'provider_error' },
    sent: [CANCEL],
  },
  {
    name: '200 ResourceResult naming another shipment: unconfirmed, retried',
    documented: `${SPEC} (ResourceResult.reference is the shipment's)`,
    answer: json(200, resource('Shipment has been cancelled', 'sp_00000000000000000000000000000001')),
    expected: { kind: 'retry', reason: 'provider_error' },
    sent: [CANCEL],
  },
  {
    name: '200 JSON without a reference: unconfirmed, retried',
    documented: `${SPEC} (ResourceResult requires reference)`,
    answer: json(200, { message: 'OK' }),
    expected: { kind: 'retry', reason: 'provider_error' },
    sent: [CANCEL],
  },
  {
    name: '200 {IsSuccess: false} (another API’s shape): unconfirmed, retried',
    documented: UNDOCUMENTED,
    answer: json(200, { IsSuccess: false, Message: 'Failed' }),
    expected: { kind: 'retry', reason: 'provider_error' },
    sent: [CANCEL],
  },
  {
    name: '409, read back cancelled: already cancelled',
    documented: `${SPEC} (409 "not in a valid state to be cancelled"; GET Shipment.state)`,
    answer: json(409, notValid),
    then: [json(200, shipment('cancelled'))],
    expected: { kind: 'final', state: 'succeeded', reason: 'already_cancelled' },
    sent: [CANCEL, READ],
  },
  {
    name: '409, read back manifested: too late, with the 409’s message',
    documented: `${SPEC}; ${CONTRACT} (409 "e.g. it has already been shipped")`,
    answer: json(409, notValid),
    then: [json(200, shipment('manifested'))],
    expected: { kind: 'final', state: 'failed', reason: 'too_late', message: /not in a valid state to be cancelled/ },
    sent: [CANCEL, READ],
  },
  {
    name: '409, read back dispatched: too late',
    documented: SPEC,
    answer: json(409, notValid),
    then: [json(200, shipment('dispatched'))],
    expected: { kind: 'final', state: 'failed', reason: 'too_late' },
    sent: [CANCEL, READ],
  },
  {
    name: '409, read back cancelling: pending (the cancellation is under way)',
    documented: `${SPEC} (ShipmentState has cancelling)`,
    answer: json(409, notValid),
    then: [json(200, shipment('cancelling'))],
    expected: { kind: 'final', state: 'pending' },
    sent: [CANCEL, READ],
  },
  {
    name: '409, the read-back answers 503: retried, never too late',
    documented: `${SPEC}; ${ERRORS}/500_internal_server_error.md`,
    answer: json(409, notValid),
    then: [json(503, apiError('internal_server_error', 'An unexpected error occurred'))],
    expected: { kind: 'retry' },
    sent: [CANCEL, READ],
  },
  {
    name: '409, the read-back answers 429: retried, never too late',
    documented: `${SPEC}; ${ERRORS}/429_rule_conflict.md`,
    answer: json(409, notValid),
    then: [json(429, apiError('rule_conflict', 'The request conflicts with an existing object'))],
    expected: { kind: 'retry' },
    sent: [CANCEL, READ],
  },
  {
    name: '409, the read-back connection is reset: retried, never too late',
    documented: SPEC,
    answer: json(409, notValid),
    then: [reset],
    expected: { kind: 'retry' },
    sent: [CANCEL, READ],
  },
  {
    name: '409, the read-back is an HTML page: retried, never too late',
    documented: UNDOCUMENTED,
    answer: json(409, notValid),
    then: [html(200)],
    expected: { kind: 'retry' },
    sent: [CANCEL, READ],
  },
  {
    name: '304 (no change), read back cancelled: already cancelled',
    documented: `${CONTRACT} (cancel 304 "no changed is made to the shipment")`,
    answer: empty(304),
    then: [json(200, shipment('cancelled'))],
    expected: { kind: 'final', state: 'succeeded', reason: 'already_cancelled' },
    sent: [CANCEL, READ],
  },
  {
    // The reason is left open: the brief says too_late ("likewise" the 409), the client says provider_error,
    // and the document says only "no change was made" (it never says the shipment cannot be cancelled).
    name: '304 (no change), read back manifested: failed',
    documented: CONTRACT,
    answer: empty(304),
    then: [json(200, shipment('manifested'))],
    expected: { kind: 'final', state: 'failed' },
    sent: [CANCEL, READ],
  },
  {
    name: '304 (no change), the read-back answers 503: retried',
    documented: CONTRACT,
    answer: empty(304),
    then: [html(503)],
    expected: { kind: 'retry' },
    sent: [CANCEL, READ],
  },
  {
    name: '404 code "processing" (still being processed): retried',
    documented: `${ERRORS}/404_processing.md`,
    answer: json(404, apiError('processing', 'The shipment is still being processed')),
    expected: { kind: 'retry' },
    sent: [CANCEL],
  },
  {
    name: '404 not_found with a detail coded "processing": retried',
    documented: `${ERRORS}/404_processing.md (a child code of parent not_found in error-codes.md)`,
    answer: json(404, {
      ...apiError('not_found', 'The resource could not be returned'),
      details: [{ property: 'reference', code: 'processing', message: 'The shipment is still being processed' }],
    }),
    expected: { kind: 'retry' },
    sent: [CANCEL],
  },
  {
    name: '410 resource removed: gone, not a success',
    documented: `${ERRORS}/410_resource_removed.md`,
    answer: json(410, apiError('resource_removed', 'The resource has been removed and is no longer available')),
    expected: { kind: 'final', state: 'failed', reason: 'gone' },
    sent: [CANCEL],
  },
  {
    name: '410 resource quarantined: gone, not a success',
    documented: `${ERRORS}/410_resource_quarantined.md`,
    answer: json(410, apiError('resource_quarantined', 'The resource has been quarantined')),
    expected: { kind: 'final', state: 'failed', reason: 'gone' },
    sent: [CANCEL],
  },
  {
    name: '404 shipment_not_found: not found',
    documented: `${SPEC} (404); ${ERRORS}/404_shipment_not_found.md`,
    answer: json(404, apiError('shipment_not_found', `A shipment with the reference ${REF} could not be found`)),
    expected: { kind: 'final', state: 'failed', reason: 'not_found', message: /could not be found/ },
    sent: [CANCEL],
  },
  {
    name: '404 after an attempt that may have been sent (cancel): still not found',
    documented: `${ERRORS}/404_not_found.md`,
    answer: json(404, apiError('not_found', 'No resource was found with the specified reference')),
    item: { maybeSent: true },
    expected: { kind: 'final', state: 'failed', reason: 'not_found' },
    sent: [CANCEL],
  },
  {
    name: '404 after an attempt that may have been sent (cancel and delete): gone, not a success',
    documented: `${ERRORS}/404_not_found.md`,
    answer: json(404, apiError('not_found', 'No resource was found with the specified reference')),
    item: { maybeSent: true, action: 'cancel-and-delete' },
    expected: { kind: 'final', state: 'failed', reason: 'gone' },
    sent: [CANCEL],
  },
  {
    name: '429 without Retry-After is a rule conflict: failed, with Sorted’s message',
    documented: `${ERRORS}/429_rule_conflict.md; data-contracts/shipments/error-codes.md`,
    answer: json(429, apiError('rule_conflict', 'Conflicts with an existing return')),
    expected: { kind: 'final', state: 'failed', reason: 'provider_error', message: /Conflicts with an existing return/ },
    sent: [CANCEL],
  },
  {
    name: '429 with Retry-After: rate limited, retried',
    documented: 'not documented (Retry-After on a Sorted 429); PROVIDERS.md',
    answer: json(429, apiError('rate_limited', 'Too many requests'), { 'retry-after': '3' }),
    expected: { kind: 'retry', reason: 'rate_limited' },
    sent: [CANCEL],
  },
  {
    name: '400 validation_error: invalid reference',
    documented: `${SPEC} (400); ${ERROR_BODY}`,
    answer: json(400, apiError('validation_error', 'A provided property has an invalid format')),
    expected: { kind: 'final', state: 'failed', reason: 'invalid_reference', message: /invalid format/ },
    sent: [CANCEL],
  },
  {
    name: '401 invalid API key: hold the account',
    documented: `${ERRORS}/401_invalid_api_key.md`,
    answer: json(401, apiError('invalid_api_key', 'Invalid API Key')),
    expected: { kind: 'account', message: /Invalid API Key/ },
    sent: [CANCEL],
  },
  {
    name: '403 no permission: hold the account',
    documented: `${SPEC} (403 "You do not have permission to cancel a shipment")`,
    answer: json(403, apiError('forbidden', 'You do not have permission to cancel a shipment')),
    expected: { kind: 'account' },
    sent: [CANCEL],
  },
  {
    name: '500 internal_server_error: retried',
    documented: `${ERRORS}/500_internal_server_error.md`,
    answer: json(500, apiError('internal_server_error', 'An unexpected error occurred')),
    expected: { kind: 'retry' },
    sent: [CANCEL],
  },
];

/** The second step of cancel-and-delete: the cancel is already confirmed (step 'cancelled'), only the DELETE goes. */
const afterCancel = { action: 'cancel-and-delete', step: 'cancelled' } as const;

const remove: Case[] = [
  {
    name: '200 ResourceResult: cancelled and deleted',
    documented: `${SEED} (Delete Shipment example); ${SPEC}`,
    answer: json(200, { reference: REF, message: `Shipment ${REF} was deleted successfully`, _links: [] }),
    item: afterCancel,
    expected: { kind: 'final', state: 'succeeded', reason: 'deleted' },
    sent: [DELETE],
  },
  {
    name: '202 ResourceResult: pending',
    documented: `${SPEC} (202 "received and will be processed")`,
    answer: json(202, { reference: REF, message: `Request to delete shipment ${REF} received`, _links: [] }),
    item: afterCancel,
    expected: { kind: 'final', state: 'pending' },
    sent: [DELETE],
  },
  {
    name: '404: gone (perhaps an earlier delete of ours), not a success',
    documented: `${SPEC} (404)`,
    answer: json(404, apiError('shipment_not_found', 'The shipment could not be found')),
    item: afterCancel,
    expected: { kind: 'final', state: 'failed', reason: 'gone' },
    sent: [DELETE],
  },
  {
    name: '400 (not cancelled): failed, saying it was cancelled but not deleted',
    documented: `${CONTRACT} ("A shipment must have a state of cancelled before it can be deleted ... 400")`,
    answer: json(400, apiError('validation_error', 'Only cancelled shipments can be deleted')),
    item: afterCancel,
    expected: {
      kind: 'final',
      state: 'failed',
      reason: 'provider_error',
      message: /Cancelled, but not deleted.*Only cancelled shipments can be deleted/,
    },
    sent: [DELETE],
  },
  {
    name: '200 HTML page: unconfirmed, retried',
    documented: UNDOCUMENTED,
    answer: html(200),
    item: afterCancel,
    expected: { kind: 'retry' },
    sent: [DELETE],
  },
];

const bothSteps: Case[] = [
  {
    name: 'cancel 200 then delete 200: deleted, both requests, the cancel step recorded',
    documented: SEED,
    answer: json(200, resource(`Shipment ${REF} has been cancelled`)),
    then: [json(200, { reference: REF, message: `Shipment ${REF} was deleted successfully`, _links: [] })],
    item: { action: 'cancel-and-delete' },
    expected: { kind: 'final', state: 'succeeded', reason: 'deleted', step: 'cancelled' },
    sent: [CANCEL, DELETE],
  },
  {
    name: 'cancel 200 then an HTML page for the delete: retried, the cancel step kept',
    documented: `${SEED}; the delete: ${UNDOCUMENTED}`,
    answer: json(200, resource(`Shipment ${REF} has been cancelled`)),
    then: [html(200)],
    item: { action: 'cancel-and-delete' },
    expected: { kind: 'retry', step: 'cancelled' },
    sent: [CANCEL, DELETE],
  },
];

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(() => server.close());

describe.each(TRANSPORT_NAMES)('Sorted PRO over %s', (transport) => {
  const check = async (testCase: Case) => {
    await runCase(server, account, KEY, transport, REF, testCase);
    // Every request, the read-back included, carries the key and the version Sorted requires.
    for (const request of server.requests) {
      expect(request.headers['x-api-key']).toBe(KEY);
      expect(request.headers['x-api-version']).toBe('1.1');
    }
  };
  describe('PUT /shipments/{ref}/cancel', () => {
    it.each(cancel)('$name', check);
  });
  describe('DELETE /shipments/{ref} (after a confirmed cancel)', () => {
    it.each(remove)('$name', check);
  });
  describe('cancel and delete in one go', () => {
    it.each(bothSteps)('$name', check);
  });
});
