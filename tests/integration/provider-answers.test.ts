/**
 * Each provider client against the simulator's real HTTP answers: what every answer means for an
 * item, in the clerk's words and reasons (Sorted PRO's cancel-and-delete, 202, 304, 409 read-back,
 * 429 rule conflict; Sendcloud's integration delete, label cancel and OAuth2 token refresh).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Account } from '../../electron/core/accounts';
import { createClient, type SendItem } from '../../electron/core/providers/client';
import { sendItem } from '../support/fixtures';
import { createHttp } from '../../electron/core/providers/http';
import {
  ELECTIO_DEFAULT_API_KEY,
  SORTED_DEFAULT_API_KEY,
  sendcloudShipmentUuid,
  sortedReference,
  startSimulator,
  type Simulator,
} from '../simulator';
import { nodeTransport } from '../../electron/core/providers/node-transport';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.clearLog());

const item = sendItem;

const client = (account: Omit<Account, 'id' | 'baseUrl'>, secret: string) =>
  createClient({ id: 'a', baseUrl: sim.url, ...account }, secret, {
    http: createHttp(nodeTransport, 5000),
    chunkSize: 1,
    now: Date.now,
  });

async function outcomeOf(c: ReturnType<typeof client>, it: SendItem) {
  const answer = (await c.cancel([it])).get(it.id);
  if (!answer) throw new Error('no answer');
  return answer;
}

describe('Sorted PRO', () => {
  const sorted = () => client({ name: 'Sorted', provider: 'sorted-pro', settings: {} }, SORTED_DEFAULT_API_KEY);
  let n = 0;
  const fresh = (state: 'created' | 'manifested' | 'cancelled' = 'created') => {
    const ref = sortedReference(50_000 + n++);
    sim.sortedPro.add([ref], state);
    return ref;
  };

  it('cancels, keeping the message and links of the answer', async () => {
    const ref = fresh();
    const { outcome, requests } = await outcomeOf(sorted(), item(ref));
    expect(outcome).toMatchObject({
      kind: 'final',
      state: 'succeeded',
      reason: 'cancelled',
      httpStatus: 200,
      message: `Shipment ${ref} has been cancelled`,
    });
    expect(outcome.kind === 'final' && outcome.apiLinks).toEqual([{ rel: 'shipment', href: `${sim.url}/shipments/${ref}` }]);
    expect(requests.map((r) => r.endpoint)).toEqual([`PUT /shipments/${ref}/cancel`]);
  });

  it('cancel and delete: both steps in one result; a failed delete is retried alone', async () => {
    const ref = fresh();
    const done = await outcomeOf(sorted(), item(ref, { action: 'cancel-and-delete' }));
    expect(done.outcome).toMatchObject({ state: 'succeeded', reason: 'deleted', step: 'cancelled' });
    expect(done.requests.map((r) => r.endpoint)).toEqual([`PUT /shipments/${ref}/cancel`, `DELETE /shipments/${ref}`]);
    expect(sim.sortedPro.state(ref)).toBe('deleted');

    // The step already done is never repeated: only the DELETE goes out.
    const other = fresh('cancelled');
    sim.clearLog();
    const retried = await outcomeOf(sorted(), item(other, { action: 'cancel-and-delete', step: 'cancelled' }));
    expect(retried.outcome).toMatchObject({ state: 'succeeded', reason: 'deleted' });
    expect(sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE /shipments/${other}`]);
  });

  it('says so when a shipment was cancelled but could not be deleted, and keeps the step done', async () => {
    const ref = fresh('cancelled');
    sim.sortedPro.override([ref], { kind: 'rule-conflict', message: 'Shipment is locked by a return' });
    const { outcome } = await outcomeOf(sorted(), item(ref, { action: 'cancel-and-delete', step: 'cancelled' }));
    expect(outcome).toMatchObject({ kind: 'final', state: 'failed', step: 'cancelled' });
    expect(outcome.message).toBe('Cancelled, but not deleted yet: Shipment is locked by a return');
    expect(sim.sortedPro.state(ref)).toBe('cancelled');
  });

  it('a 429 with Retry-After is a rate limit: retried later, nothing done', async () => {
    const ref = fresh();
    sim.sortedPro.override([ref], { kind: 'rate-limited', retryAfterSeconds: 3, times: 1 });
    const first = await outcomeOf(sorted(), item(ref, { action: 'cancel-and-delete' }));
    expect(first.outcome).toMatchObject({ kind: 'retry', reason: 'rate_limited', retryAfterMs: 3000 });
    expect(sim.sortedPro.state(ref)).toBe('created');
  });

  it('a 429 without Retry-After is a rule conflict: final, with the provider’s message', async () => {
    const ref = fresh();
    sim.sortedPro.override([ref], { kind: 'rule-conflict', message: 'Conflicts with an existing return' });
    const { outcome } = await outcomeOf(sorted(), item(ref));
    expect(outcome).toMatchObject({ kind: 'final', state: 'failed', reason: 'provider_error', httpStatus: 429 });
    expect(outcome.message).toMatch(/Rule conflict: Conflicts with an existing return/);
  });

  it('202 is pending (accepted, finished later), 304 is already cancelled', async () => {
    const accepted = fresh();
    sim.sortedPro.override([accepted], { kind: 'accepted' });
    expect((await outcomeOf(sorted(), item(accepted))).outcome).toMatchObject({
      kind: 'final',
      state: 'pending',
      reason: 'queued',
      httpStatus: 202,
    });
    const cancelled = fresh('cancelled');
    const again = await outcomeOf(sorted(), item(cancelled));
    expect(again.outcome).toMatchObject({ state: 'succeeded', reason: 'already_cancelled' });
  });

  it('a 409 is settled by reading the shipment back: manifested stays a failure', async () => {
    const ref = fresh('manifested');
    const { outcome, requests } = await outcomeOf(sorted(), item(ref));
    expect(outcome).toMatchObject({ state: 'failed', reason: 'too_late', httpStatus: 409 });
    expect(outcome.message).toMatch(/not in a valid state to be cancelled/);
    expect(requests.map((r) => r.endpoint)).toEqual([`PUT /shipments/${ref}/cancel`, `GET /shipments/${ref}`]);
  });

  it('unknown references fail as not found; a wrong key holds the account', async () => {
    expect((await outcomeOf(sorted(), item(sortedReference(99_999)))).outcome).toMatchObject({
      state: 'failed',
      reason: 'not_found',
    });
    const wrong = client({ name: 'Sorted', provider: 'sorted-pro', settings: {} }, 'wrong');
    expect((await outcomeOf(wrong, item(fresh()))).outcome).toMatchObject({ kind: 'account', httpStatus: 401 });
  });
});

describe('Sendcloud', () => {
  const basic = (integrationId = 77) =>
    client(
      { name: 'Shop', provider: 'sendcloud', settings: { integrationId, authKind: 'basic' } },
      'sim-sc-public:sim-sc-secret',
    );
  const oauth = () =>
    client(
      {
        name: 'Warehouse',
        provider: 'sendcloud',
        settings: { integrationId: 77, authKind: 'oauth2', tokenUrl: `${sim.url}/oauth2/token/` },
      },
      'sim-sc-client:sim-sc-client-secret',
    );
  let n = 0;

  it('integration delete: removed (never called a cancelled label); a re-sent delete that finds nothing is "gone", not done', async () => {
    const uuid = sendcloudShipmentUuid(70_000 + n++);
    sim.sendcloud.addShipment(77, { uuid });
    const { outcome } = await outcomeOf(basic(), item(uuid));
    expect(outcome).toMatchObject({ state: 'succeeded', reason: 'removed', httpStatus: 204 });
    expect(outcome.message).toMatch(/does not cancel a label/);
    expect((await outcomeOf(basic(), item(uuid))).outcome).toMatchObject({
      state: 'failed',
      reason: 'not_found',
      message: 'No ShipmentBlob matches the given query.',
    });
    expect((await outcomeOf(basic(), item(uuid, { maybeSent: true }))).outcome).toMatchObject({
      state: 'failed',
      reason: 'gone',
    });
  });

  it('sends the external id pair when the item has one', async () => {
    sim.sendcloud.addShipment(77, {
      uuid: sendcloudShipmentUuid(70_500),
      externalOrderId: '123457',
      externalShipmentId: 'S00002',
    });
    const { outcome } = await outcomeOf(
      basic(),
      item('123457/S00002', { externalOrderId: '123457', externalShipmentId: 'S00002' }),
    );
    expect(outcome).toMatchObject({ state: 'succeeded', reason: 'removed' });
    expect(JSON.parse(sim.requests.at(-1)?.body ?? '')).toEqual({ external_order_id: '123457', external_shipment_id: 'S00002' });
  });

  it('an unknown integration holds the account instead of failing every item', async () => {
    const { outcome } = await outcomeOf(basic(4040), item(sendcloudShipmentUuid(1)));
    expect(outcome).toMatchObject({ kind: 'account', httpStatus: 404 });
    expect(outcome.message).toMatch(/No Integration matches the given query/);
  });

  it('OAuth2: one token for many requests, refreshed once after a 401', async () => {
    const c = oauth();
    for (let i = 0; i < 3; i++) {
      const uuid = sendcloudShipmentUuid(71_000 + n++);
      sim.sendcloud.addShipment(77, { uuid });
      expect((await outcomeOf(c, item(uuid))).outcome).toMatchObject({ reason: 'removed' });
    }
    expect(sim.count({ pathPrefix: '/oauth2/token' })).toBe(1);
    sim.sendcloud.expireTokens();
    const uuid = sendcloudShipmentUuid(71_500);
    sim.sendcloud.addShipment(77, { uuid });
    const { outcome, requests } = await outcomeOf(c, item(uuid));
    expect(outcome).toMatchObject({ reason: 'removed' });
    expect(requests.map((r) => r.httpStatus)).toEqual([401, 200, 204]);
    expect(sim.count({ pathPrefix: '/oauth2/token' })).toBe(2);
  });

  it('label cancel by parcel (v2) and by shipment (v3): cancelled, queued (pending), deleted (done), refused, read back', async () => {
    sim.sendcloud.addParcel(1001, 'cancelled');
    sim.sendcloud.addParcel(1002, 'queued');
    sim.sendcloud.addParcel(1003, 'deleted');
    sim.sendcloud.addParcel(1004, { failed: 'Shipments older than 42 days can not be cancelled.' });
    sim.sendcloud.addV3Shipment('shp-2001', 'cancelled');
    sim.sendcloud.addV3Shipment('shp-2002', 'queued');
    const label = (reference: string) => outcomeOf(basic(), item(reference, { action: 'cancel-label' }));
    expect((await label('1001')).outcome).toMatchObject({
      state: 'succeeded',
      reason: 'cancelled',
      message: 'Parcel has been cancelled',
    });
    expect((await label('1002')).outcome).toMatchObject({ state: 'pending', reason: 'queued', httpStatus: 202 });
    expect((await label('1003')).outcome).toMatchObject({ state: 'succeeded', reason: 'deleted', httpStatus: 410 });
    expect((await label('1004')).outcome).toMatchObject({ state: 'failed', reason: 'too_late' });
    // Cancelled again: Sendcloud refuses, and the label read back says it is cancelled.
    expect((await label('1001')).outcome).toMatchObject({ state: 'succeeded', reason: 'already_cancelled' });
    expect(sim.requests.at(-1)).toMatchObject({ method: 'GET', path: '/api/v2/parcels/1001' });
    expect((await label('1002')).outcome).toMatchObject({ state: 'pending', reason: 'queued' });
    expect((await label('9999')).outcome).toMatchObject({ state: 'failed', reason: 'not_found' });
    expect((await label('shp-2001')).outcome).toMatchObject({
      state: 'succeeded',
      reason: 'cancelled',
      message: 'Shipment has been cancelled',
    });
    expect((await label('shp-2002')).outcome).toMatchObject({ state: 'pending', reason: 'queued' });
    expect((await label('shp-2001')).outcome).toMatchObject({ state: 'succeeded', reason: 'already_cancelled' });
    expect((await label('shp-9999')).outcome).toMatchObject({ state: 'failed', reason: 'not_found' });
    expect(sim.requests.map((r) => r.path)).toContain('/api/v3/shipments/shp-2001/cancel');
  });
});

describe('check key: a read of a shipment that does not exist, which changes nothing', () => {
  it('every provider tells a refused key from an accepted one', async () => {
    const cases: [Omit<Account, 'id' | 'baseUrl'>, string, string][] = [
      [{ name: 'E', provider: 'electio', settings: {} }, ELECTIO_DEFAULT_API_KEY, 'wrong'],
      [{ name: 'S', provider: 'sorted-pro', settings: {} }, SORTED_DEFAULT_API_KEY, 'wrong'],
      [
        { name: 'C', provider: 'sendcloud', settings: { integrationId: 77, authKind: 'basic' } },
        'sim-sc-public:sim-sc-secret',
        'sim-sc-public:wrong',
      ],
      [
        {
          name: 'O',
          provider: 'sendcloud',
          settings: { integrationId: 77, authKind: 'oauth2', tokenUrl: `${sim.url}/oauth2/token/` },
        },
        'sim-sc-client:sim-sc-client-secret',
        'sim-sc-client:wrong',
      ],
    ];
    for (const [account, good, bad] of cases) {
      expect(await client(account, good).checkKey(), account.name).toEqual({ kind: 'accepted' });
      expect((await client(account, bad).checkKey()).kind, account.name).toBe('refused');
    }
    expect(sim.requests.filter((r) => r.method !== 'GET' && r.path !== '/oauth2/token/')).toEqual([]);
  });
});
