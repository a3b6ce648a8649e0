/**
 * Transient answers never change a verdict: for any run of busy answers (5xx, 429 with Retry-After,
 * dropped connections, timeouts, 2xx bodies nobody can read) in front of a documented final answer,
 * an item drained by runBatch (real SQLite, real HTTP to the replay server, both transports) ends with
 * that final answer's verdict; and answers that confirm nothing never end in "succeeded".
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAccount, type Account } from '../../electron/core/accounts';
import { DEFAULT_RUN_OPTIONS, runBatch } from '../../electron/core/queue/runner';
import type { Action, ProviderId, Reason } from '../../shared/domain';
import { empty, html, json, reset, silence, startReplayServer, type ReplayServer, type Reply } from '../support/replay-server';
import { queueList, runnerDeps, testWorld, type TestWorld } from '../support/fixtures';
import { TRANSPORT_NAMES, TRANSPORTS, type TransportName } from '../support/transports';
import { runs } from './runs';

/** A deadline short enough that a silent carrier costs little, long enough for 127.0.0.1 on a busy machine. */
const TIMEOUT_MS = 400;

interface Transient {
  name: string;
  reply: Reply;
  /** Might this answer's request have done the cancellation (so a later "not found" proves nothing)? */
  maybeSent: boolean;
}

const transients: Transient[] = [
  { name: '500 JSON', reply: json(500, { message: 'An unexpected error occurred' }), maybeSent: true },
  { name: '502 HTML', reply: html(502), maybeSent: true },
  { name: '503 HTML', reply: html(503), maybeSent: true },
  { name: '429 Retry-After: 1', reply: json(429, { message: 'Too many requests' }, { 'retry-after': '1' }), maybeSent: false },
  { name: 'reset', reply: reset, maybeSent: true },
  { name: 'timeout', reply: silence, maybeSent: true },
  { name: '200 HTML page', reply: html(200), maybeSent: true },
  {
    name: '200 truncated JSON',
    reply: { kind: 'answer', status: 200, headers: { 'content-type': 'application/json' }, body: '{"Is' },
    maybeSent: true,
  },
];
const transient = fc.constantFrom(...transients);

interface Verdict {
  state: 'succeeded' | 'failed' | 'pending';
  reason: Reason;
}

/** A documented final answer (with what the carrier says after it), for one reference of one provider. */
interface Final {
  name: string;
  provider: ProviderId;
  action: Action;
  /** A fresh reference of the right form, from a counter (every run queues new items). */
  reference: (n: number) => string;
  replies: (reference: string) => Reply[];
  /** The verdict, which may depend on whether an earlier attempt may have reached the carrier. */
  verdict: (maybeSent: boolean) => Verdict;
}

const electio = (n: number) => `EC-000-${n.toString(36).toUpperCase().padStart(3, '0')}-1NS`;
const sorted = (n: number) => `sp_${String(n).padStart(32, '0')}`;
const uuid = (n: number) => `39874b59-2a68-4a3d-8e00-${n.toString(16).padStart(12, '0')}`;
const parcelId = (n: number) => String(90_000_000 + n);
const shipmentId = (n: number) => `shp-${n}`;

const resource = (reference: string, message: string) => ({
  reference,
  message,
  _links: [{ href: `https://api.sorted.com/pro/shipments/${reference}`, rel: 'shipment', reference, type: 'shipment' }],
});
const apiError = (code: string, message: string) => ({
  correlation_id: '6c4e6a77-feab-42ab-9d7b-f559dc1b90ca',
  code,
  message,
  details: [],
});
const always = (state: Verdict['state'], reason: Reason) => (): Verdict => ({ state, reason });

// The final answers of the conformance tables (tests/conformance/*.test.ts), with their sources there.
const finals: Final[] = [
  {
    name: 'Electio 200 with no body',
    provider: 'electio',
    action: 'cancel',
    reference: electio,
    replies: () => [empty(200)],
    verdict: always('succeeded', 'cancelled'),
  },
  {
    name: 'Electio 404 {Code, Message}',
    provider: 'electio',
    action: 'cancel',
    reference: electio,
    replies: (reference) => [json(404, { Code: 'SampleErrorCode', Message: `Item ${reference} not found`, CorrelationId: 'x' })],
    verdict: always('failed', 'not_found'),
  },
  {
    name: 'Electio {IsSuccess: false} already cancelled',
    provider: 'electio',
    action: 'cancel',
    reference: electio,
    replies: (reference) => [
      json(200, { IsSuccess: false, Message: `Consignment ${reference} has already been cancelled`, Data: reference }),
    ],
    verdict: always('succeeded', 'already_cancelled'),
  },
  {
    name: 'Sorted 200 ResourceResult',
    provider: 'sorted-pro',
    action: 'cancel',
    reference: sorted,
    replies: (reference) => [json(200, resource(reference, `Shipment ${reference} has been cancelled`))],
    verdict: always('succeeded', 'cancelled'),
  },
  {
    name: 'Sorted 202 ResourceResult',
    provider: 'sorted-pro',
    action: 'cancel',
    reference: sorted,
    replies: (reference) => [json(202, resource(reference, 'Request received'))],
    verdict: always('pending', 'queued'),
  },
  {
    name: 'Sorted 409, read back cancelled',
    provider: 'sorted-pro',
    action: 'cancel',
    reference: sorted,
    replies: (reference) => [
      json(409, apiError('invalid_state', 'The shipment is not in a valid state to be cancelled')),
      json(200, { reference, state: 'cancelled' }),
    ],
    verdict: always('succeeded', 'already_cancelled'),
  },
  {
    name: 'Sorted 409, read back manifested',
    provider: 'sorted-pro',
    action: 'cancel',
    reference: sorted,
    replies: (reference) => [
      json(409, apiError('invalid_state', 'The shipment is not in a valid state to be cancelled')),
      json(200, { reference, state: 'manifested' }),
    ],
    verdict: always('failed', 'too_late'),
  },
  {
    name: 'Sorted 400 validation_error',
    provider: 'sorted-pro',
    action: 'cancel',
    reference: sorted,
    replies: () => [json(400, apiError('validation_error', 'A provided property has an invalid format'))],
    verdict: always('failed', 'invalid_reference'),
  },
  {
    name: 'Sorted 429 rule conflict (no Retry-After)',
    provider: 'sorted-pro',
    action: 'cancel',
    reference: sorted,
    replies: () => [json(429, apiError('rule_conflict', 'Conflicts with an existing return'))],
    verdict: always('failed', 'provider_error'),
  },
  {
    name: 'Sorted 404 shipment_not_found (plain cancel)',
    provider: 'sorted-pro',
    action: 'cancel',
    reference: sorted,
    replies: () => [json(404, apiError('shipment_not_found', 'The shipment could not be found'))],
    verdict: always('failed', 'not_found'),
  },
  {
    name: 'Sendcloud integration delete 204',
    provider: 'sendcloud',
    action: 'cancel',
    reference: uuid,
    replies: () => [empty(204)],
    verdict: always('succeeded', 'removed'),
  },
  {
    name: 'Sendcloud integration delete 404 No ShipmentBlob',
    provider: 'sendcloud',
    action: 'cancel',
    reference: uuid,
    replies: () => [
      json(404, {
        error: { code: 404, request: 'api/v2/integrations/7/shipments/', message: 'No ShipmentBlob matches the given query.' },
      }),
    ],
    verdict: (maybeSent) => ({ state: 'failed', reason: maybeSent ? 'gone' : 'not_found' }),
  },
  {
    name: 'Sendcloud v2 parcel 200 cancelled',
    provider: 'sendcloud',
    action: 'cancel-label',
    reference: parcelId,
    replies: () => [json(200, { status: 'cancelled', message: 'Parcel has been cancelled' })],
    verdict: always('succeeded', 'cancelled'),
  },
  {
    name: 'Sendcloud v2 parcel 400, read back 2000',
    provider: 'sendcloud',
    action: 'cancel-label',
    reference: parcelId,
    replies: (reference) => [
      json(400, { status: 'failed', message: 'Cancellation rejected' }),
      json(200, { parcel: { id: Number(reference), status: { id: 2000, message: 'Cancelled' } } }),
    ],
    verdict: always('succeeded', 'already_cancelled'),
  },
  {
    name: 'Sendcloud v2 parcel 400, read back 11 (delivered)',
    provider: 'sendcloud',
    action: 'cancel-label',
    reference: parcelId,
    replies: (reference) => [
      json(400, { status: 'failed', message: 'Cancellation rejected' }),
      json(200, { parcel: { id: Number(reference), status: { id: 11, message: 'Delivered' } } }),
    ],
    verdict: always('failed', 'too_late'),
  },
  {
    name: 'Sendcloud v3 202 queued',
    provider: 'sendcloud',
    action: 'cancel-label',
    reference: shipmentId,
    replies: () => [json(202, { data: { status: 'queued', message: 'Shipment cancellation has been queued' } })],
    verdict: always('pending', 'queued'),
  },
  {
    name: 'Sendcloud v3 409, read back CANCELLED',
    provider: 'sendcloud',
    action: 'cancel-label',
    reference: shipmentId,
    replies: (reference) => [
      json(409, { errors: [{ status: '409', code: 'invalid', detail: 'Cancellation rejected.' }] }),
      json(200, { data: { id: reference, parcels: [{ id: 1, status: { code: 'CANCELLED', message: 'Cancelled' } }] } }),
    ],
    verdict: always('succeeded', 'already_cancelled'),
  },
  {
    name: 'Sendcloud v3 404 not_found',
    provider: 'sendcloud',
    action: 'cancel-label',
    reference: shipmentId,
    replies: () => [json(404, { errors: [{ status: '404', code: 'not_found', detail: 'Not found' }] })],
    verdict: always('failed', 'not_found'),
  },
];
const final = fc.constantFrom(...finals);

let server: ReplayServer;
let world: TestWorld;
const accounts: Partial<Record<ProviderId, Account>> = {};
let counter = 0;

beforeAll(async () => {
  server = await startReplayServer();
  world = testWorld();
  const base = { baseUrl: server.url };
  accounts.electio = await addAccount(
    world.db,
    world.credentials,
    { ...base, provider: 'electio', name: 'Electio', secret: 'electio-key' },
    Date.now(),
  );
  accounts['sorted-pro'] = await addAccount(
    world.db,
    world.credentials,
    { ...base, provider: 'sorted-pro', name: 'Sorted', secret: 'sorted-key' },
    Date.now(),
  );
  accounts.sendcloud = await addAccount(
    world.db,
    world.credentials,
    { ...base, provider: 'sendcloud', name: 'Shop', secret: 'public:secret', settings: { integrationId: 7, authKind: 'basic' } },
    Date.now(),
  );
});
afterAll(async () => {
  await world.close();
  await server.close();
});

interface StoredItem {
  state: string;
  reason: string | null;
  message: string | null;
}

/** Queues one reference and drains its batch while the replay server plays the script. */
async function drain(reference: string, action: Action, script: Reply[], maxAttempts: number, transport: TransportName) {
  server.play(script);
  const queued = queueList(world.db, [reference], action, {
    electio: accounts.electio?.id,
    'sorted-pro': accounts['sorted-pro']?.id,
    sendcloud: accounts.sendcloud?.id,
  });
  if (queued?.items !== 1) throw new Error(`${reference} was not queued as one item`);
  const { batchId } = queued;
  const report = await runBatch(runnerDeps(world, 'verdicts', TRANSPORTS[transport]), batchId, {
    ...DEFAULT_RUN_OPTIONS,
    concurrency: 1,
    chunkSize: 1,
    maxAttempts,
    timeoutMs: TIMEOUT_MS,
    backoffBaseMs: 1,
    backoffCapMs: 2,
    retryAfterCapMs: 5,
    pacing: false,
  });
  const items = world.db
    .prepare(`SELECT state, reason, message FROM items WHERE batch_key = (SELECT key FROM batches WHERE id = ?) ORDER BY seq`)
    .all(batchId) as StoredItem[];
  expect(items).toHaveLength(1);
  expect(report.attention).toEqual([]);
  return items[0] as StoredItem;
}

describe('verdicts behind transient answers', () => {
  it('any run of transient answers before a final answer ends with that answer’s verdict', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(transient, { maxLength: 4 }),
        final,
        fc.constantFrom(...TRANSPORT_NAMES),
        async (before, answer, transport) => {
          const reference = answer.reference(++counter);
          const script = [...before.map((t) => t.reply), ...answer.replies(reference)];
          const item = await drain(reference, answer.action, script, before.length + 2, transport);
          const expected = answer.verdict(before.some((t) => t.maybeSent));
          expect(item, `${answer.name} after ${before.map((t) => t.name).join(', ') || 'nothing'}`).toMatchObject(expected);
          expect(item.message).toMatch(/\S/);
          // Every scripted answer was asked for, and nothing more (no request sent twice, no extra read).
          expect(server.served).toBe(script.length);
          expect(server.requests).toHaveLength(script.length);
        },
      ),
      runs(0.1),
    );
  });

  it('answers that confirm nothing never end in succeeded', async () => {
    const provider = fc.constantFrom<{ action: Action; reference: (n: number) => string }>(
      { action: 'cancel', reference: electio },
      { action: 'cancel', reference: sorted },
      { action: 'cancel', reference: uuid },
      { action: 'cancel-label', reference: parcelId },
      { action: 'cancel-label', reference: shipmentId },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(transient, { minLength: 1, maxLength: 4 }),
        provider,
        fc.constantFrom(...TRANSPORT_NAMES),
        async (answers, { action, reference: make }, transport) => {
          const reference = make(++counter);
          const item = await drain(
            reference,
            action,
            answers.map((t) => t.reply),
            answers.length,
            transport,
          );
          expect(item.state).toBe('failed');
          expect(item.message).toMatch(/gave up after/);
        },
      ),
      runs(0.1),
    );
  });
});
