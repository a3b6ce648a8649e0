// Proves the simulator answers like the Sorted PRO v2 seed and PROVIDERS.md describe, so client tests can trust it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SORTED_DEFAULT_API_KEY, sortedReference, startSimulator, type Simulator } from './index';

const headers = {
  'x-api-key': SORTED_DEFAULT_API_KEY,
  'x-api-version': '1.1',
  accept: 'application/json',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SEED_CANCEL_REF = 'sp_00792815110958000332875334549504';
const SEED_DELETE_REF = 'sp_00595452779180472847666078547968';

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(async () => {
  await sim.close();
});

const url = (ref: string): string => `${sim.url}/shipments/${encodeURIComponent(ref)}`;
const cancel = (ref: string, h: Record<string, string> = headers): Promise<Response> =>
  fetch(`${url(ref)}/cancel`, { method: 'PUT', headers: h });
const remove = (ref: string, h: Record<string, string> = headers): Promise<Response> =>
  fetch(url(ref), { method: 'DELETE', headers: h });
const get = (ref: string, h: Record<string, string> = headers): Promise<Response> => fetch(url(ref), { headers: h });

describe('sorted pro references', () => {
  it('are sp_ and 32 digits, deterministic, starting from the seed example', () => {
    expect(sortedReference(0)).toBe(SEED_CANCEL_REF);
    expect(sortedReference(1)).toBe('sp_00792815110958000332875334549505');
    for (const n of [0, 7, 123_456]) expect(sortedReference(n)).toMatch(/^sp_\d{32}$/);
    expect(() => sortedReference(-1)).toThrow(RangeError);
    expect(sim.sortedPro.seed(2)).toEqual([sortedReference(0), sortedReference(1)]);
    expect(sim.sortedPro.seed(1)).toEqual([sortedReference(2)]);
    expect(sim.sortedPro.state(sortedReference(2))).toBe('created');
  });
});

describe('sorted pro auth and version', () => {
  it('answers 401 for a missing or wrong x-api-key, without touching state', async () => {
    sim.sortedPro.add([SEED_CANCEL_REF]);
    const { 'x-api-key': _key, ...noKey } = headers;
    const missing = await cancel(SEED_CANCEL_REF, noKey);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await missing.json()).toEqual({
      correlation_id: expect.stringMatching(UUID),
      code: '401_missing_api_key',
      message: 'Missing API Key Header',
    });
    const wrong = await remove(SEED_CANCEL_REF, { ...headers, 'x-api-key': 'nope' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ message: 'Invalid API Key' });
    expect((await get(SEED_CANCEL_REF, { ...headers, 'x-api-key': '' })).status).toBe(401);
    expect(sim.sortedPro.state(SEED_CANCEL_REF)).toBe('created');
  });

  it('requires x-api-version 1.1 on every request and accepts configured keys', async () => {
    await sim.close();
    sim = await startSimulator({ sortedPro: { apiKeys: ['k1', 'k2'] } });
    sim.sortedPro.add([SEED_CANCEL_REF]);
    const { 'x-api-version': _version, ...noVersion } = headers;
    for (const res of [
      await cancel(SEED_CANCEL_REF, { ...noVersion, 'x-api-key': 'k1' }),
      await remove(SEED_CANCEL_REF, { ...noVersion, 'x-api-key': 'k1' }),
      await get(SEED_CANCEL_REF, { ...noVersion, 'x-api-key': 'k1' }),
    ]) {
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        correlation_id: expect.stringMatching(UUID),
        code: '400_version_header_missing',
        message: 'The x-api-version header is missing',
      });
    }
    const wrongVersion = await cancel(SEED_CANCEL_REF, { ...headers, 'x-api-key': 'k2', 'x-api-version': '2.0' });
    expect(wrongVersion.status).toBe(400);
    expect((await cancel(SEED_CANCEL_REF)).status).toBe(401); // the default key is not configured here
    expect(sim.sortedPro.state(SEED_CANCEL_REF)).toBe('created');
    expect((await cancel(SEED_CANCEL_REF, { ...headers, 'x-api-key': 'k2' })).status).toBe(200);
  });
});

describe('sorted pro cancel', () => {
  it('cancels a created shipment with the seed response shape, links pointing at the simulator', async () => {
    sim.sortedPro.add([SEED_CANCEL_REF], 'created', () => '77d58d14-53f6-414c-876d-05c9b3cf079a');
    const res = await cancel(SEED_CANCEL_REF);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      reference: SEED_CANCEL_REF,
      custom_reference: '77d58d14-53f6-414c-876d-05c9b3cf079a',
      message: `Shipment ${SEED_CANCEL_REF} has been cancelled`,
      version: 2,
      _links: [
        { href: `${sim.url}/shipments/${SEED_CANCEL_REF}`, rel: 'shipment', reference: SEED_CANCEL_REF, type: 'shipment' },
      ],
    });
    expect(sim.sortedPro.state(SEED_CANCEL_REF)).toBe('cancelled');
    const check = await get(SEED_CANCEL_REF);
    expect(check.status).toBe(200);
    expect(await check.json()).toMatchObject({ reference: SEED_CANCEL_REF, state: 'cancelled', version: 2 });
  });

  it('answers a repeated cancel 304 with no body and no change', async () => {
    sim.sortedPro.add([SEED_CANCEL_REF], 'cancelled');
    const res = await cancel(SEED_CANCEL_REF);
    expect(res.status).toBe(304);
    expect(await res.text()).toBe('');
    expect(sim.sortedPro.shipment(SEED_CANCEL_REF)).toMatchObject({ state: 'cancelled', version: 1 });
  });

  it('refuses a manifested shipment with 409 and an unknown one with 404', async () => {
    sim.sortedPro.add([SEED_CANCEL_REF], 'manifested');
    const manifested = await cancel(SEED_CANCEL_REF);
    expect(manifested.status).toBe(409);
    expect(await manifested.json()).toEqual({
      reference: SEED_CANCEL_REF,
      correlation_id: expect.stringMatching(UUID),
      code: '409_invalid_state',
      message: 'The shipment is not in a valid state to be cancelled',
    });
    expect(sim.sortedPro.state(SEED_CANCEL_REF)).toBe('manifested');
    expect(await (await get(SEED_CANCEL_REF)).json()).toMatchObject({ state: 'manifested' });

    const unknown = await cancel('sp_00000000000000000000000000000001');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      correlation_id: expect.stringMatching(UUID),
      code: '404_not_found',
      message: 'Shipment sp_00000000000000000000000000000001 could not be found',
    });
  });
});

describe('sorted pro delete', () => {
  it('deletes only a cancelled shipment; after that every call is 404', async () => {
    sim.sortedPro.add([SEED_DELETE_REF]);
    const early = await remove(SEED_DELETE_REF);
    expect(early.status).toBe(400);
    expect(await early.json()).toEqual({
      reference: SEED_DELETE_REF,
      correlation_id: expect.stringMatching(UUID),
      code: '400_invalid_state',
      message: `Shipment ${SEED_DELETE_REF} must be cancelled before it can be deleted`,
    });
    expect(sim.sortedPro.state(SEED_DELETE_REF)).toBe('created');

    expect((await cancel(SEED_DELETE_REF)).status).toBe(200);
    const deleted = await remove(SEED_DELETE_REF);
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({
      reference: SEED_DELETE_REF,
      message: `Shipment ${SEED_DELETE_REF} was deleted successfully`,
      _links: [],
    });
    expect(sim.sortedPro.state(SEED_DELETE_REF)).toBe('deleted');
    for (const res of [await remove(SEED_DELETE_REF), await cancel(SEED_DELETE_REF), await get(SEED_DELETE_REF)]) {
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ code: '404_not_found' });
    }
  });

  it('refuses to delete a manifested shipment', async () => {
    sim.sortedPro.add([SEED_DELETE_REF], 'manifested');
    expect((await remove(SEED_DELETE_REF)).status).toBe(400);
    expect(sim.sortedPro.state(SEED_DELETE_REF)).toBe('manifested');
  });
});

describe('sorted pro overrides', () => {
  it('answers 429 rule conflict without Retry-After, every time, without changing state', async () => {
    const [a] = sim.sortedPro.seed(1) as [string];
    sim.sortedPro.override([a], { kind: 'rule-conflict' });
    for (let i = 0; i < 2; i++) {
      const res = await cancel(a);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBeNull();
      expect(await res.json()).toMatchObject({ reference: a, code: '429_rule_conflict', message: expect.any(String) });
    }
    expect(sim.sortedPro.state(a)).toBe('created');
    sim.sortedPro.clearOverrides([a]);
    expect((await cancel(a)).status).toBe(200);
  });

  it('answers 429 with Retry-After for the given number of requests, then normally', async () => {
    const [a] = sim.sortedPro.seed(1) as [string];
    sim.sortedPro.override([a], { kind: 'rate-limited', retryAfterSeconds: 2, times: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await cancel(a);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('2');
    }
    expect((await cancel(a)).status).toBe(200);
  });

  it('answers 202 for accepted references, applying the change', async () => {
    const [a, b] = sim.sortedPro.seed(2) as [string, string];
    sim.sortedPro.override([a], { kind: 'accepted' });
    const accepted = await cancel(a);
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toMatchObject({ reference: a, message: `Shipment ${a} has been cancelled` });
    expect((await remove(a)).status).toBe(202);
    expect(sim.sortedPro.state(a)).toBe('deleted');
    expect((await cancel(b)).status).toBe(200);
  });
});

describe('sorted pro log', () => {
  it('logs and counts the state-changing requests with their headers', async () => {
    const [a] = sim.sortedPro.seed(1) as [string];
    await cancel(a);
    await remove(a);
    await get(a);
    expect(sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `PUT /shipments/${a}/cancel`,
      `DELETE /shipments/${a}`,
      `GET /shipments/${a}`,
    ]);
    expect(sim.requests[0]?.headers).toMatchObject({ 'x-api-key': SORTED_DEFAULT_API_KEY, 'x-api-version': '1.1' });
    expect(sim.count({ method: 'PUT', pathPrefix: '/shipments/' })).toBe(1);
    expect(sim.count({ method: 'DELETE', pathPrefix: '/shipments/' })).toBe(1);
  });

  it('leaves Electio consignments and unknown methods alone', async () => {
    const [a] = sim.sortedPro.seed(1) as [string];
    const post = await fetch(url(a), { method: 'POST', headers });
    expect(post.status).toBe(404);
    expect(await post.json()).toMatchObject({ code: 'route_not_found' });
    const electio = await fetch(`${sim.url}/consignments/${a}/cancel`, { method: 'PUT', headers });
    expect(electio.status).toBe(401); // Electio's handler: no ocp-apim-subscription-key
    expect(sim.sortedPro.state(a)).toBe('created');
  });
});
