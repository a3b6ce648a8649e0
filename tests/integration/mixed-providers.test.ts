/**
 * A 3,000-row list mixing the three providers, with two accounts each for Sorted PRO and Sendcloud
 * (one Sendcloud account on HTTP Basic, one on OAuth2), run against the simulator on a real SQLite
 * file and the real keychain. Every outcome must match the simulator's state, and the request log
 * must show each item sent to its own account with that account's credentials, in the seeds' shapes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAccount } from '../../electron/core/accounts';
import { planImport, queueImport } from '../../electron/core/import/source';
import { DEFAULT_RUN_OPTIONS, runBatch } from '../../electron/core/queue/runner';
import { listResults } from '../../electron/core/results';
import {
  ELECTIO_DEFAULT_API_KEY,
  electioReference,
  sendcloudShipmentUuid,
  sortedReference,
  startSimulator,
  validateSendcloudDeleteRequest,
  type Simulator,
} from '../simulator';
import { runnerDeps, testWorld, type TestWorld } from '../support/fixtures';

const SORTED_KEYS = { 'Sorted North': 'sorted-key-north', 'Sorted South': 'sorted-key-south' } as const;
const BASIC = { publicKey: 'sc-public-shop', secretKey: 'sc-secret-shop' };
const OAUTH = { clientId: 'sc-client-warehouse', clientSecret: 'sc-client-secret-warehouse' };

interface Expected {
  reference: string;
  provider: string;
  account: string;
  state: 'succeeded' | 'failed';
  reason: string;
}

describe('a mixed list: three providers, two accounts of Sorted PRO and of Sendcloud', () => {
  let sim: Simulator;
  let world: TestWorld;
  beforeAll(async () => {
    sim = await startSimulator({
      sortedPro: { apiKeys: Object.values(SORTED_KEYS) },
      sendcloud: { keyPairs: [BASIC], clients: [OAUTH] },
    });
    world = testWorld();
  });
  afterAll(async () => {
    await sim.close();
    await world.close();
  });

  it('sends every item to its own account and ends each with the simulator’s outcome', async () => {
    const add = (provider: 'electio' | 'sorted-pro' | 'sendcloud', name: string, secret: string, settings = {}) =>
      addAccount(world.db, world.credentials, { provider, name, baseUrl: sim.url, secret, settings }, Date.now());
    await add('electio', 'Electio', ELECTIO_DEFAULT_API_KEY);
    for (const [name, key] of Object.entries(SORTED_KEYS)) await add('sorted-pro', name, key);
    await add('sendcloud', 'Shop', `${BASIC.publicKey}:${BASIC.secretKey}`, { integrationId: 1234, authKind: 'basic' });
    await add('sendcloud', 'Warehouse', `${OAUTH.clientId}:${OAUTH.clientSecret}`, {
      integrationId: 5678,
      authKind: 'oauth2',
      tokenUrl: `${sim.url}/oauth2/token/`,
    });
    sim.sendcloud.addIntegration(1234, { owners: [BASIC.publicKey] });
    sim.sendcloud.addIntegration(5678, { owners: [OAUTH.clientId] });

    const expected: Expected[] = [];
    const rows = ['Reference,Account,external_order_id,external_shipment_id'];
    for (let n = 0; n < 1000; n++) {
      const ref = electioReference(20_000 + n);
      const kind = n % 10;
      if (kind === 3) sim.electio.add([ref], 'manifested');
      else if (kind !== 7) sim.electio.add([ref], 'created');
      const outcome = kind === 3 ? ['failed', 'too_late'] : kind === 7 ? ['failed', 'not_found'] : ['succeeded', 'cancelled'];
      expected.push({
        reference: ref,
        provider: 'electio',
        account: 'Electio',
        state: outcome[0] as 'succeeded',
        reason: outcome[1] as string,
      });
      rows.push(`${ref},,,`);
    }
    for (let n = 0; n < 1200; n++) {
      const ref = sortedReference(1000 + n);
      const account = n % 2 === 0 ? 'Sorted North' : 'Sorted South';
      const kind = n % 12;
      if (kind === 5) sim.sortedPro.add([ref], 'manifested');
      else if (kind === 8) sim.sortedPro.add([ref], 'cancelled');
      else if (kind !== 11) sim.sortedPro.add([ref], 'created');
      const outcome =
        kind === 5
          ? ['failed', 'too_late']
          : kind === 8
            ? ['succeeded', 'already_cancelled']
            : kind === 11
              ? ['failed', 'not_found']
              : ['succeeded', 'cancelled'];
      expected.push({
        reference: ref,
        provider: 'sorted-pro',
        account,
        state: outcome[0] as 'succeeded',
        reason: outcome[1] as string,
      });
      rows.push(`${ref},${account},,`);
    }
    for (let n = 0; n < 800; n++) {
      const shop = n % 2 === 0;
      const account = shop ? 'Shop' : 'Warehouse';
      const integration = shop ? 1234 : 5678;
      const unknown = n % 16 === 9;
      if (n % 4 < 3) {
        const uuid = sendcloudShipmentUuid(5000 + n);
        if (!unknown) sim.sendcloud.addShipment(integration, { uuid });
        rows.push(`${uuid},${account},,`);
        expected.push({
          reference: uuid,
          provider: 'sendcloud',
          account,
          state: unknown ? 'failed' : 'succeeded',
          reason: unknown ? 'not_found' : 'removed',
        });
      } else {
        const order = `ORD${n}`;
        const shipment = `S${n}`;
        if (!unknown)
          sim.sendcloud.addShipment(integration, {
            uuid: sendcloudShipmentUuid(9000 + n),
            externalOrderId: order,
            externalShipmentId: shipment,
          });
        rows.push(`,${account},${order},${shipment}`);
        expected.push({
          reference: `${order}/${shipment}`,
          provider: 'sendcloud',
          account,
          state: unknown ? 'failed' : 'succeeded',
          reason: unknown ? 'not_found' : 'removed',
        });
      }
    }
    expect(rows).toHaveLength(3001);

    const plan = planImport({ text: rows.join('\r\n'), encoding: 'UTF-8', notes: [] });
    expect(plan.rejected).toEqual([]);
    const queued = queueImport(world.db, plan, {
      sourceName: 'mixed.csv',
      action: 'cancel',
      accounts: {},
      createdBy: null,
      machine: null,
      now: Date.now(),
    });
    expect(queued.items).toBe(3000);
    expect(Object.fromEntries(queued.routes.map((r) => [r.accountName, r.items]))).toEqual({
      Electio: 1000,
      'Sorted North': 600,
      'Sorted South': 600,
      Shop: 400,
      Warehouse: 400,
    });
    expect(sim.requests).toHaveLength(0);

    const report = await runBatch(runnerDeps(world, 'mixed-test'), queued.batchId, {
      ...DEFAULT_RUN_OPTIONS,
      concurrency: 8,
      pacing: false,
    });
    expect(report.attention).toEqual([]);

    const results = listResults(world.db, queued.batchId);
    expect(
      results.map((r) => ({ reference: r.Data, provider: r.Provider, account: r.Account, state: r.State, reason: r.Reason })),
    ).toEqual(expected);
    expect(results.filter((r) => r.Reason === 'removed').every((r) => /does not cancel a label/.test(r.Message))).toBe(true);

    // The simulator agrees: what succeeded is cancelled or gone there.
    for (const item of expected) {
      if (item.provider === 'electio' && item.reason === 'cancelled') expect(sim.electio.state(item.reference)).toBe('cancelled');
      if (item.provider === 'sorted-pro' && item.state === 'succeeded')
        expect(sim.sortedPro.state(item.reference)).toBe('cancelled');
    }
    expect(sim.sendcloud.shipments(1234)).toEqual([]);
    expect(sim.sendcloud.shipments(5678)).toEqual([]);

    // Each request went to its own account, with that account's credentials, in the seeds' shapes.
    const sortedAccountOf = new Map(expected.filter((e) => e.provider === 'sorted-pro').map((e) => [e.reference, e.account]));
    const basicHeader = `Basic ${Buffer.from(`${BASIC.publicKey}:${BASIC.secretKey}`).toString('base64')}`;
    let sortedCancels = 0;
    let sendcloudDeletes = 0;
    for (const request of sim.requests) {
      if (request.path.startsWith('/consignments/')) {
        expect(request.method).toBe('PUT');
        expect(request.headers['ocp-apim-subscription-key']).toBe(ELECTIO_DEFAULT_API_KEY);
      } else if (request.path.startsWith('/shipments/')) {
        const reference = decodeURIComponent(request.path.split('/')[2] ?? '');
        const account = sortedAccountOf.get(reference) as keyof typeof SORTED_KEYS;
        expect(request.headers['x-api-key'], reference).toBe(SORTED_KEYS[account]);
        expect(request.headers['x-api-version']).toBe('1.1');
        if (request.method === 'PUT') {
          expect(request.path).toBe(`/shipments/${reference}/cancel`);
          sortedCancels++;
        } else {
          expect(request.method).toBe('GET'); // reading back a shipment after a 409
        }
      } else if (request.path.startsWith('/api/v2/integrations/')) {
        expect(request.method).toBe('POST');
        expect(request.headers['content-type']).toBe('application/json');
        expect(validateSendcloudDeleteRequest(JSON.parse(request.body))).toEqual([]);
        if (request.path === '/api/v2/integrations/1234/shipments/delete')
          expect(request.headers.authorization).toBe(basicHeader);
        else {
          expect(request.path).toBe('/api/v2/integrations/5678/shipments/delete');
          expect(request.headers.authorization).toMatch(/^Bearer \S+$/);
        }
        sendcloudDeletes++;
      } else {
        expect(request.path).toBe('/oauth2/token/');
      }
    }
    expect(sortedCancels).toBe(1200);
    expect(sendcloudDeletes).toBe(800);
    expect(sim.count({ pathPrefix: '/oauth2/token' })).toBe(1); // one token, cached for the whole run
    expect(sim.count({ pathPrefix: '/consignments/cancellist' })).toBe(10);
  });
});
