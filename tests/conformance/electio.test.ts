/**
 * Electio (Sorted PRO v1) conformance: every answer Sorted's doc-centre documents for the single cancel
 * and the cancel list (and the API gateway's own 401), replayed to the real client over both
 * transports, with the verdict each one must give and the request that must have been sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRANSPORT_NAMES } from '../support/transports';
import { sendItem } from '../support/fixtures';
import { answerFor, cancelThrough, expectVerdict, runCase, type AccountSpec, type Case, type Expected } from './cases';
import { empty, html, json, startReplayServer, type ReplayServer, type Reply } from '../support/replay-server';

// Sources (snrnats/doc-centre, Sorted's public doc-centre):
const HELP =
  'snrnats/doc-centre docfx_project/pro/api/help/cancelling_consignments.md (= seeds/electio-pro-v1-cancelling-consignments.md)';
const CONTRACT =
  'snrnats/doc-centre docfx_project/pro/api/data-contracts/consignments/consignments-apis.md (201/400/404 tabs, no bodies)';
const ERROR_BODY = 'snrnats/doc-centre docfx_project/pro/api/includes/404Content.md ({Code, Message, CorrelationId})';
const GATEWAY =
  'Azure API Management 401 (Microsoft KB 4464930); Electio authenticates with ocp-apim-subscription-key (PROVIDERS.md)';
const UNDOCUMENTED = 'not documented: what any carrier behind a gateway may answer';

const account: AccountSpec = { name: 'Electio main', provider: 'electio', settings: {} };
const KEY = 'electio-conformance-key';
const REF = 'EC-000-05D-1NS';
const CANCEL = `PUT /consignments/${REF}/cancel`;

const errorBody = (message: string) => ({
  Code: 'SampleErrorCode',
  Message: message,
  CorrelationId: 'f94c7dbc-c542-40b9-b6da-bd98aa110939',
});
const gateway401 = {
  statusCode: 401,
  message: 'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
};

const single: Case[] = [
  {
    name: '200 with no body: cancelled',
    documented: HELP,
    answer: empty(200),
    expected: { kind: 'final', state: 'succeeded', reason: 'cancelled' },
    sent: [CANCEL],
  },
  {
    name: '201 with no body: cancelled',
    documented: CONTRACT,
    answer: empty(201),
    expected: { kind: 'final', state: 'succeeded', reason: 'cancelled' },
    sent: [CANCEL],
  },
  {
    name: '200 {IsSuccess: true}: cancelled',
    documented: `${HELP} (the list entry's shape, for a single answer)`,
    answer: json(200, { IsSuccess: true, Message: 'Consignment cancellation completed successfully', Data: REF, ApiLinks: null }),
    expected: { kind: 'final', state: 'succeeded' },
    sent: [CANCEL],
  },
  {
    name: '200 {IsSuccess: false}: failed with Electio’s message',
    documented: 'not documented (IsSuccess false): the list entry shape with a refusal',
    answer: json(200, { IsSuccess: false, Message: 'Consignment is on hold and cannot be cancelled', Data: REF }),
    expected: { kind: 'final', state: 'failed', message: /on hold and cannot be cancelled/ },
    sent: [CANCEL],
  },
  {
    name: '200 {IsSuccess: "false"}: failed with Electio’s message',
    documented: 'not documented: IsSuccess as a string',
    answer: json(200, { IsSuccess: 'false', Message: 'Consignment is on hold and cannot be cancelled', Data: REF }),
    expected: { kind: 'final', state: 'failed', message: /on hold and cannot be cancelled/ },
    sent: [CANCEL],
  },
  {
    name: '200 {IsSuccess: false} saying already cancelled: already cancelled',
    documented: 'not documented: a refusal because it is already cancelled',
    answer: json(200, { IsSuccess: false, Message: 'Consignment EC-000-05D-1NS has already been cancelled', Data: REF }),
    expected: { kind: 'final', state: 'succeeded', reason: 'already_cancelled' },
    sent: [CANCEL],
  },
  {
    name: '200 with an HTML page: unconfirmed, retried',
    documented: UNDOCUMENTED,
    answer: html(200),
    expected: { kind: 'retry', reason: 'provider_error' },
    sent: [CANCEL],
  },
  {
    name: '200 with JSON that has no IsSuccess: unconfirmed, retried',
    documented: UNDOCUMENTED,
    answer: json(200, { Data: REF, Status: 'Ok' }),
    expected: { kind: 'retry', reason: 'provider_error' },
    sent: [CANCEL],
  },
  {
    name: '404 {Code, Message, CorrelationId}: not found',
    documented: `${ERROR_BODY}; ${CONTRACT}`,
    answer: json(404, errorBody(`Item ${REF} not found`)),
    expected: { kind: 'final', state: 'failed', reason: 'not_found', message: /not found/ },
    sent: [CANCEL],
  },
  {
    name: '400 {Code, Message}: failed with Electio’s message',
    documented: `${CONTRACT}; body per ${ERROR_BODY}`,
    answer: json(400, errorBody('The consignment reference is not valid')),
    expected: { kind: 'final', state: 'failed', message: /reference is not valid/ },
    sent: [CANCEL],
  },
  {
    name: '401 from the API gateway (lower-case message): hold the account, with the gateway’s words',
    documented: GATEWAY,
    answer: json(401, gateway401),
    expected: { kind: 'account', message: /Access denied due to invalid subscription key/ },
    sent: [CANCEL],
  },
  {
    name: '429: rate limited, retried',
    documented: 'not documented (Electio rate limits are not documented)',
    answer: json(429, { statusCode: 429, message: 'Rate limit is exceeded. Try again in 1 seconds.' }, { 'retry-after': '1' }),
    expected: { kind: 'retry', reason: 'rate_limited' },
    sent: [CANCEL],
  },
  {
    name: '500 {Code, Message}: retried',
    documented: 'not documented (5xx)',
    answer: json(500, errorBody('An unexpected error occurred')),
    expected: { kind: 'retry' },
    sent: [CANCEL],
  },
  {
    name: '503 HTML from the gateway: retried',
    documented: UNDOCUMENTED,
    answer: html(503),
    expected: { kind: 'retry' },
    sent: [CANCEL],
  },
];

// The cancel list: three consignments in one PUT, answered entry by entry and matched by Data.
const LIST = ['EC-000-05D-1NS', 'EC-000-05D-1NT', 'EC-000-05D-1NV'] as const;
const CANCELLIST = 'PUT /consignments/cancellist';
const entry = (Data: string, IsSuccess: unknown, Message: string) => ({ IsSuccess, Message, Data, ApiLinks: null });
const done = 'Consignment cancellation completed successfully';

interface ListCase {
  name: string;
  documented: string;
  answer: Reply;
  /** One verdict per consignment of LIST, in order. */
  expected: [Expected, Expected, Expected];
}

const unclear: Expected = { kind: 'retry', reason: 'provider_error' };
const cancelled: Expected = { kind: 'final', state: 'succeeded' };

const lists: ListCase[] = [
  {
    name: 'every entry IsSuccess true: all cancelled',
    documented: HELP,
    answer: json(
      200,
      LIST.map((reference) => entry(reference, true, done)),
    ),
    expected: [cancelled, cancelled, cancelled],
  },
  {
    name: 'refusals keep Electio’s message: manifested is too late, unknown is not found, already cancelled succeeds',
    documented: 'not documented: the shape of a failed entry (PROVIDERS.md); entry shape per HELP',
    answer: json(200, [
      entry(LIST[0], false, 'Consignment EC-000-05D-1NS has been manifested and cannot be cancelled'),
      entry(LIST[1], 'false', 'Consignment EC-000-05D-1NT not found'),
      entry(LIST[2], false, 'Consignment EC-000-05D-1NV has already been cancelled'),
    ]),
    expected: [
      { kind: 'final', state: 'failed', reason: 'too_late', message: /manifested/ },
      { kind: 'final', state: 'failed', reason: 'not_found', message: /not found/ },
      { kind: 'final', state: 'succeeded', reason: 'already_cancelled' },
    ],
  },
  {
    name: 'IsSuccess as the string "false" is a refusal with its message',
    documented: 'not documented: IsSuccess as a string',
    answer: json(200, [
      entry(LIST[0], true, done),
      entry(LIST[1], 'false', 'Consignment is on hold and cannot be cancelled'),
      entry(LIST[2], true, done),
    ]),
    expected: [cancelled, { kind: 'final', state: 'failed', message: /on hold/ }, cancelled],
  },
  {
    name: 'a consignment the answer does not mention is not confirmed: retried',
    documented: 'not documented: an answer shorter than the list',
    answer: json(200, [entry(LIST[0], true, done), entry(LIST[2], true, done)]),
    expected: [cancelled, unclear, cancelled],
  },
  {
    name: 'a consignment listed twice with contradicting verdicts is not confirmed: retried',
    documented: 'not documented: duplicate entries',
    answer: json(200, [
      entry(LIST[0], true, done),
      entry(LIST[1], true, done),
      entry(LIST[1], false, 'Consignment is on hold and cannot be cancelled'),
      entry(LIST[2], true, done),
    ]),
    expected: [cancelled, unclear, cancelled],
  },
  {
    name: 'a 200 that is not a list (an HTML page): nothing confirmed, all retried',
    documented: UNDOCUMENTED,
    answer: html(200),
    expected: [unclear, unclear, unclear],
  },
  {
    name: 'a 200 JSON object instead of a list: nothing confirmed, all retried',
    documented: UNDOCUMENTED,
    answer: json(200, { IsSuccess: true, Message: done }),
    expected: [unclear, unclear, unclear],
  },
  {
    name: '401 from the API gateway: the account is held for every consignment',
    documented: GATEWAY,
    answer: json(401, gateway401),
    expected: [{ kind: 'account' }, { kind: 'account' }, { kind: 'account' }],
  },
  {
    name: '503: every consignment retried',
    documented: 'not documented (5xx)',
    answer: html(503),
    expected: [{ kind: 'retry' }, { kind: 'retry' }, { kind: 'retry' }],
  },
];

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(() => server.close());

describe.each(TRANSPORT_NAMES)('Electio over %s', (transport) => {
  describe('PUT /consignments/{ref}/cancel', () => {
    it.each(single)('$name', async (testCase) => {
      await runCase(server, account, KEY, transport, REF, testCase);
      const [request] = server.requests;
      expect(request?.headers['ocp-apim-subscription-key']).toBe(KEY);
      expect(request?.headers['electio-api-version']).toBe('1.1');
    });
  });

  describe('PUT /consignments/cancellist', () => {
    it.each(lists)('$name', async (testCase) => {
      server.play([testCase.answer]);
      const items = LIST.map((reference) => sendItem(reference));
      const answers = await cancelThrough(server, account, KEY, transport, items, 100);
      items.forEach((item, index) => {
        const expected = testCase.expected[index];
        if (expected) expectVerdict(answerFor(answers, item).outcome, expected);
      });
      // One list request with every reference; nothing else (no single cancels behind it).
      expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual([CANCELLIST]);
      expect(JSON.parse(server.requests[0]?.body ?? 'null')).toEqual([...LIST]);
    });
  });
});
