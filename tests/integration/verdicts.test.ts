/**
 * Issue 13's observations, each replayed against a scripted carrier (not the simulator): answers that
 * confirm nothing never become a success, a refusal that can mean two things is settled by reading
 * the shipment back and a failed read decides nothing, and "gone" after an unclear attempt is not "done".
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addAccount, type Account } from '../../electron/core/accounts';
import { createClient, type SendItem } from '../../electron/core/providers/client';
import { sendItem } from '../support/fixtures';
import { createHttp } from '../../electron/core/providers/http';
import { DEFAULT_RUN_OPTIONS, runBatch } from '../../electron/core/queue/runner';
import { listResults } from '../../electron/core/results';
import type { Action, ProviderId } from '../../shared/domain';
import { electioReference, sendcloudShipmentUuid, sortedReference } from '../simulator';
import { queueList, runnerDeps, testWorld, type TestWorld } from '../support/fixtures';
import {
  empty,
  html,
  json,
  reset,
  startReplayServer,
  type RecordedRequest,
  type ReplayServer,
  type Reply,
} from '../support/replay-server';
import { TRANSPORT_NAMES, TRANSPORTS } from '../support/transports';

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(() => server.close());

const SECRETS: Record<ProviderId, string> = {
  electio: 'electio-key-0000',
  'sorted-pro': 'sorted-key-0000',
  sendcloud: 'public-key-0000:secret-key-0000',
};

const item = sendItem;

for (const transport of TRANSPORT_NAMES) {
  describe(`over ${transport}`, () => {
    const client = (provider: ProviderId, chunkSize = 1) =>
      createClient(
        { id: 'a', name: 'Test', provider, baseUrl: server.url, settings: provider === 'sendcloud' ? { integrationId: 7 } : {} },
        SECRETS[provider],
        { http: createHttp(TRANSPORTS[transport], 5000), chunkSize, now: Date.now },
      );

    async function outcomeOf(provider: ProviderId, sent: SendItem, script: (request: RecordedRequest) => Reply) {
      server.answer(script);
      const answer = (await client(provider).cancel([sent])).get(sent.id);
      if (!answer) throw new Error('no answer');
      return answer.outcome;
    }

    describe('1. an answer that confirms nothing is never a success', () => {
      const unclear: [string, Reply][] = [
        ['a captive portal’s HTML page', html(200)],
        ['IsSuccess: false', json(200, { IsSuccess: false, Message: 'Nothing was done' })],
        ['IsSuccess: "false"', json(200, { IsSuccess: 'false', Message: 'Nothing was done' })],
      ];
      for (const [what, reply] of unclear) {
        it(`Electio single cancel, Sorted PRO cancel and Sendcloud delete answered 200 with ${what}`, async () => {
          for (const [provider, reference] of [
            ['electio', electioReference(1)],
            ['sorted-pro', sortedReference(1)],
            ['sendcloud', sendcloudShipmentUuid(1)],
          ] as const) {
            const outcome = await outcomeOf(provider, item(reference), () => reply);
            expect(outcome.kind === 'final' && outcome.state === 'succeeded', `${provider}: ${outcome.message}`).toBe(false);
            expect(outcome.message).not.toMatch(/has been cancelled|^Consignment cancelled|^Removed from/);
          }
        });
      }

      it('Electio: IsSuccess false keeps the provider’s message and reason', async () => {
        const outcome = await outcomeOf('electio', item(electioReference(2)), () =>
          json(200, { IsSuccess: 'false', Message: 'Consignment EC-000-000-002 has been manifested' }),
        );
        expect(outcome).toMatchObject({ kind: 'final', state: 'failed', reason: 'too_late' });
        expect(outcome.message).toBe('Consignment EC-000-000-002 has been manifested');
      });
    });

    describe('4. refusals that can mean two things', () => {
      it('Sendcloud v2 parcel 400: read back, and status 2000 is already cancelled, 11 is too late', async () => {
        const script =
          (statusId: number) =>
          (request: RecordedRequest): Reply =>
            request.method === 'GET'
              ? json(200, { parcel: { id: 123, status: { id: statusId, message: 'x' } } })
              : json(400, { status: 'failed', message: 'Parcel cannot be cancelled.' });
        const cancelled = await outcomeOf('sendcloud', item('123', { action: 'cancel-label' }), script(2000));
        expect(cancelled).toMatchObject({ kind: 'final', state: 'succeeded', reason: 'already_cancelled' });
        expect(server.requests.at(-1)).toMatchObject({ method: 'GET', path: '/api/v2/parcels/123' });
        const delivered = await outcomeOf('sendcloud', item('123', { action: 'cancel-label' }), script(11));
        expect(delivered).toMatchObject({ kind: 'final', state: 'failed', reason: 'too_late' });
      });

      it('Sendcloud v2 parcel 400 whose read-back fails decides nothing', async () => {
        const outcome = await outcomeOf('sendcloud', item('124', { action: 'cancel-label' }), (request) =>
          request.method === 'GET' ? empty(503) : json(400, { status: 'failed', message: 'No.' }),
        );
        expect(outcome.kind).toBe('retry');
      });

      it('Sendcloud v3 409 other than "already being cancelled" is too late, not a provider error', async () => {
        const id = sendcloudShipmentUuid(3);
        const outcome = await outcomeOf('sendcloud', item(id, { action: 'cancel-label' }), (request) =>
          request.method === 'GET'
            ? json(200, { data: { id, parcels: [{ status: { code: 'DELIVERED', message: 'Delivered' } }] } })
            : json(409, { errors: [{ status: '409', code: 'invalid', detail: 'Shipment has been delivered.' }] }),
        );
        expect(outcome).toMatchObject({ kind: 'final', state: 'failed', reason: 'too_late' });
      });

      it('Sorted PRO 404 "processing" is temporary; its delete 202 is only accepted', async () => {
        const ref = sortedReference(4);
        const processing = await outcomeOf('sorted-pro', item(ref), () =>
          json(404, { code: 'processing', message: 'The shipment is still being processed' }),
        );
        expect(processing.kind).toBe('retry');
        const accepted = await outcomeOf('sorted-pro', item(ref, { action: 'cancel-and-delete', step: 'cancelled' }), () =>
          json(202, { reference: ref, message: 'Delete accepted' }),
        );
        expect(accepted).toMatchObject({ kind: 'final', state: 'pending' });
        // The documents name the page 404_processing: the code may come as a detail's.
        const asDetail = await outcomeOf('sorted-pro', item(ref), () =>
          json(404, {
            code: 'not_found',
            message: 'Not found',
            details: [{ property: 'reference', code: 'processing', message: 'x' }],
          }),
        );
        expect(asDetail.kind).toBe('retry');
      });

      it('Sorted PRO 409 read back as "cancelling" is pending; a 410 is gone, never done', async () => {
        const ref = sortedReference(5);
        const cancelling = await outcomeOf('sorted-pro', item(ref), (request) =>
          request.method === 'GET'
            ? json(200, { reference: ref, state: 'cancelling' })
            : json(409, { code: 'invalid_state', message: 'The shipment is not in a valid state to be cancelled' }),
        );
        expect(cancelling).toMatchObject({ kind: 'final', state: 'pending' });
        const removed = await outcomeOf('sorted-pro', item(ref), () =>
          json(410, { code: 'resource_removed', message: 'The resource has been removed' }),
        );
        expect(removed).toMatchObject({ kind: 'final', state: 'failed', reason: 'gone' });
      });
    });

    describe('9. smaller', () => {
      it('a cancel list naming an item twice with contradicting verdicts confirms nothing for it', async () => {
        const [a, b] = [electioReference(10), electioReference(11)];
        server.answer(() =>
          json(200, [
            { IsSuccess: true, Message: 'Consignment cancellation completed successfully', Data: a },
            { IsSuccess: false, Message: 'Consignment has been manifested', Data: a },
            { IsSuccess: 'false', Message: 'Consignment not found', Data: b },
          ]),
        );
        const items = [item(a), item(b)];
        const answers = await client('electio', 100).cancel(items);
        expect(answers.get(items[0]!.id)?.outcome.kind).toBe('retry');
        expect(answers.get(items[1]!.id)?.outcome).toMatchObject({
          kind: 'final',
          state: 'failed',
          reason: 'not_found',
          message: 'Consignment not found',
        });
      });

      it('a captive portal in front of the OAuth2 token service is not a refused key', async () => {
        const oauth = createClient(
          {
            id: 'a',
            name: 'Test',
            provider: 'sendcloud',
            baseUrl: server.url,
            settings: { integrationId: 7, authKind: 'oauth2', tokenUrl: `${server.url}/oauth2/token/` },
          },
          SECRETS.sendcloud,
          { http: createHttp(TRANSPORTS[transport], 5000), chunkSize: 1, now: Date.now },
        );
        server.answer(() => html(200));
        const sent = item(sendcloudShipmentUuid(13));
        const outcome = (await oauth.cancel([sent])).get(sent.id)?.outcome;
        expect(outcome?.kind).toBe('retry');
        expect(outcome?.message).toMatch(/not a token/);
      });

      it('a 401 with a lower-case message keeps it', async () => {
        const outcome = await outcomeOf('electio', item(electioReference(12)), () =>
          json(401, { statusCode: 401, message: 'Access denied due to invalid subscription key.' }),
        );
        expect(outcome.kind).toBe('account');
        expect(outcome.message).toMatch(/Access denied due to invalid subscription key/);
      });
    });
  });
}

describe('runs through the queue', () => {
  let world: TestWorld;
  beforeEach(() => {
    world = testWorld();
  });
  afterEach(() => world.close());

  async function run(provider: ProviderId, action: Action, references: string[], settings = {}) {
    const account: Account = await addAccount(
      world.db,
      world.credentials,
      { provider, name: `${provider} account`, baseUrl: server.url, secret: SECRETS[provider], settings },
      Date.now(),
    );
    const batchId = queueList(world.db, references, action, { [provider]: account.id })?.batchId;
    if (!batchId) throw new Error('nothing was queued');
    await runBatch(runnerDeps(world, 'verdicts'), batchId, {
      ...DEFAULT_RUN_OPTIONS,
      pacing: false,
      maxAttempts: 8,
      backoffBaseMs: 1,
      backoffCapMs: 2,
    });
    return listResults(world.db, batchId);
  }

  /** Every other request to each path answers 503, the rest `then`. */
  const flaky = (then: (request: RecordedRequest) => Reply) => {
    const seen = new Map<string, number>();
    return (request: RecordedRequest): Reply => {
      const key = `${request.method} ${request.path} ${request.body}`;
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      return n % 2 === 0 ? empty(503) : then(request);
    };
  };

  it('2. unknown references behind a server answering 503 half the time never end "succeeded" (Sorted PRO, Sendcloud)', async () => {
    const notFound = json(404, { code: 'not_found', message: 'Shipment not found' });
    server.answer(flaky(() => notFound));
    const sorted = await run(
      'sorted-pro',
      'cancel-and-delete',
      Array.from({ length: 40 }, (_, n) => sortedReference(900 + n)),
    );
    expect(sorted.filter((r) => r.IsSuccess)).toEqual([]);
    expect(new Set(sorted.map((r) => r.State))).toEqual(new Set(['failed']));

    server.answer(flaky(() => json(404, { error: { code: 404, message: 'No ShipmentBlob matches the given query.' } })));
    const sendcloud = await run(
      'sendcloud',
      'cancel-and-delete',
      Array.from({ length: 40 }, (_, n) => sendcloudShipmentUuid(900 + n)),
      { integrationId: 7 },
    );
    expect(sendcloud.filter((r) => r.IsSuccess)).toEqual([]);
    expect(sendcloud.every((r) => r.State === 'failed' && /no longer|never existed|check/i.test(r.Message))).toBe(true);
  });

  it('3. a Sorted PRO 409 whose read-back fails is never "too late": the item waits for a read that succeeds', async () => {
    const references = Array.from({ length: 100 }, (_, n) => sortedReference(700 + n));
    let reads = 0;
    server.answer((request) => {
      if (request.method === 'PUT') return json(409, { code: 'invalid_state', message: 'Not in a valid state' });
      reads++;
      if (reads % 10 < 3) return reads % 2 ? empty(503) : reset;
      return json(200, { reference: request.path.split('/').at(-1), state: 'cancelled' });
    });
    const results = await run('sorted-pro', 'cancel', references);
    expect(results.filter((r) => r.Reason === 'too_late')).toEqual([]);
    expect(results.every((r) => r.State === 'succeeded' && r.Reason === 'already_cancelled')).toBe(true);
  });
});
