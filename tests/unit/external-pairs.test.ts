/**
 * Sendcloud shop shipments named by an external id pair stay pairs: two pairs whose ids hold the
 * separator the item is shown with (`a/b` + `c` and `a` + `b/c`) are two items, each sent with its own ids.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addAccount } from '../../electron/core/accounts';
import { planImport, queueImport } from '../../electron/core/import/source';
import { testWorld, type TestWorld } from '../support/fixtures';

let world: TestWorld;
beforeEach(() => {
  world = testWorld();
});
afterEach(async () => {
  await world.close();
});

const LIST = [
  'external_order_id,external_shipment_id',
  'a/b,c',
  'a,b/c',
  '"x,y",z',
  'x,"y,z"',
  '"x,y",z', // the same pair again: a real duplicate
].join('\n');

describe('Sendcloud external id pairs', () => {
  it('keeps pairs that join to the same text as distinct items, and collapses only true duplicates', async () => {
    const plan = planImport({ text: LIST, encoding: 'UTF-8', notes: [] }, { providers: ['sendcloud'] });
    expect(plan.entries.map((entry) => entry.external)).toEqual([
      { orderId: 'a/b', shipmentId: 'c' },
      { orderId: 'a', shipmentId: 'b/c' },
      { orderId: 'x,y', shipmentId: 'z' },
      { orderId: 'x', shipmentId: 'y,z' },
    ]);
    expect(plan.duplicates).toBe(1);

    await addAccount(
      world.db,
      world.credentials,
      { provider: 'sendcloud', name: 'Shop', secret: 'public-key:secret-key', settings: { integrationId: 7 } },
      Date.now(),
    );
    const queued = queueImport(world.db, plan, {
      sourceName: null,
      action: 'cancel',
      accounts: {},
      createdBy: null,
      machine: null,
      now: Date.now(),
    });
    expect(queued.items).toBe(4);
    const stored = world.db
      .prepare('SELECT external_order_id AS orderId, external_shipment_id AS shipmentId FROM items ORDER BY seq')
      .all();
    expect(stored).toEqual([
      { orderId: 'a/b', shipmentId: 'c' },
      { orderId: 'a', shipmentId: 'b/c' },
      { orderId: 'x,y', shipmentId: 'z' },
      { orderId: 'x', shipmentId: 'y,z' },
    ]);
  });
});
