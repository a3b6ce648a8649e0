// Proves the carrier simulator answers like the Electio seed describes, so client tests can trust it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ELECTIO_DEFAULT_API_KEY, electioReference, startSimulator, type Simulator } from './index';

const headers = {
  'ocp-apim-subscription-key': ELECTIO_DEFAULT_API_KEY,
  'electio-api-version': '1.1',
  'content-type': 'application/json',
  accept: 'application/json',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(async () => {
  await sim.close();
});

const cancel = (ref: string, h: Record<string, string> = headers): Promise<Response> =>
  fetch(`${sim.url}/consignments/${encodeURIComponent(ref)}/cancel`, { method: 'PUT', headers: h });
const cancelList = (body: string, h: Record<string, string> = headers): Promise<Response> =>
  fetch(`${sim.url}/consignments/cancellist`, { method: 'PUT', headers: h, body });

describe('electio auth and version', () => {
  it('answers 401 with an Electio error body for a missing or wrong key', async () => {
    sim.electio.add(['EC-000-05D-1NS']);
    const { 'ocp-apim-subscription-key': _key, ...noKey } = headers;
    const missing = await cancel('EC-000-05D-1NS', noKey);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await missing.json()) as Record<string, unknown>;
    expect(body).toEqual({
      Code: expect.any(String),
      Message: 'Access denied due to missing subscription key',
      CorrelationId: expect.stringMatching(UUID),
    });
    expect(body.Code).not.toBe('401');

    const wrong = await cancel('EC-000-05D-1NS', { ...headers, 'ocp-apim-subscription-key': 'nope' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ Message: 'Access denied due to invalid subscription key' });
    expect(sim.electio.state('EC-000-05D-1NS')).toBe('created');
  });

  it('accepts configured keys and rejects a missing api version', async () => {
    await sim.close();
    sim = await startSimulator({ electio: { apiKeys: ['k1', 'k2'] } });
    sim.electio.add(['EC-000-05D-1NS']);
    const badVersion = await cancel('EC-000-05D-1NS', {
      ...headers,
      'ocp-apim-subscription-key': 'k2',
      'electio-api-version': '2.0',
    });
    expect(badVersion.status).toBe(400);
    expect(await badVersion.json()).toMatchObject({
      Message: 'The electio-api-version header is missing or not supported',
    });
    const ok = await cancel('EC-000-05D-1NS', { ...headers, 'ocp-apim-subscription-key': 'k1' });
    expect(ok.status).toBe(200);
  });
});

describe('electio single cancel', () => {
  it('cancels a created consignment: 200, empty body, state cancelled (case-insensitive)', async () => {
    sim.electio.add(['EC-000-05D-1NS']);
    const res = await cancel('ec-000-05d-1ns');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(sim.electio.state('EC-000-05D-1NS')).toBe('cancelled');
    const check = await fetch(`${sim.url}/consignments/EC-000-05D-1NS`, { headers });
    expect(await check.json()).toEqual({ Reference: 'EC-000-05D-1NS', ConsignmentState: 'Cancelled' });
  });

  it('refuses manifested, already cancelled and unknown consignments', async () => {
    sim.electio.add(['EC-000-AAA-001'], 'manifested');
    sim.electio.add(['EC-000-AAA-002'], 'cancelled');
    const manifested = await cancel('EC-000-AAA-001');
    expect(manifested.status).toBe(400);
    expect(await manifested.json()).toMatchObject({
      Message: 'Consignment EC-000-AAA-001 has been manifested and can no longer be cancelled',
    });
    expect(sim.electio.state('EC-000-AAA-001')).toBe('manifested');
    const already = await cancel('EC-000-AAA-002');
    expect(already.status).toBe(400);
    expect(await already.json()).toMatchObject({
      Message: 'Consignment EC-000-AAA-002 is already cancelled',
    });
    const unknown = await cancel('EC-000-AAA-003');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ Message: 'Consignment EC-000-AAA-003 could not be found' });
    expect((await fetch(`${sim.url}/consignments/EC-000-AAA-003`, { headers })).status).toBe(404);
  });
});

describe('electio cancellist', () => {
  it('answers one item per reference, in request order, with mixed outcomes', async () => {
    const [a, b, c, d] = [0, 1, 2, 3].map(electioReference) as [string, string, string, string];
    expect(a).toBe('EC-000-05D-1NS');
    sim.electio.add([a, d]);
    sim.electio.add([b], 'manifested');
    sim.electio.add([c], 'cancelled');
    const res = await cancelList(JSON.stringify([d, b, 'ec-000-zzz-zzz', c, a, d]));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([
      {
        IsSuccess: true,
        Message: 'Consignment cancellation completed successfully',
        Data: d,
        ApiLinks: null,
      },
      {
        IsSuccess: false,
        Message: `Consignment ${b} has been manifested and can no longer be cancelled`,
        Data: b,
        ApiLinks: null,
      },
      {
        IsSuccess: false,
        Message: 'Consignment ec-000-zzz-zzz could not be found',
        Data: 'ec-000-zzz-zzz',
        ApiLinks: null,
      },
      { IsSuccess: false, Message: `Consignment ${c} is already cancelled`, Data: c, ApiLinks: null },
      {
        IsSuccess: true,
        Message: 'Consignment cancellation completed successfully',
        Data: a,
        ApiLinks: null,
      },
      { IsSuccess: false, Message: `Consignment ${d} is already cancelled`, Data: d, ApiLinks: null },
    ]);
    expect([a, b, c, d].map((ref) => sim.electio.state(ref))).toEqual(['cancelled', 'manifested', 'cancelled', 'cancelled']);
  });

  it('rejects a body that is not a JSON array of strings, or not sent as JSON', async () => {
    for (const body of ['{"refs":[]}', '[1,2]', 'not json', '']) {
      const res = await cancelList(body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        Code: 'InvalidRequestBody',
        CorrelationId: expect.stringMatching(UUID),
      });
    }
    const plain = await cancelList('["EC-000-05D-1NS"]', { ...headers, 'content-type': 'text/plain' });
    expect(plain.status).toBe(400);
  });
});

describe('simulator core', () => {
  it('logs raw requests in order and counts them', async () => {
    sim.electio.seed(1);
    await cancel('EC-000-05D-1NS');
    await cancelList('["EC-000-05D-1NS"]');
    await fetch(`${sim.url}/nowhere?x=%20y`);
    expect(sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'PUT /consignments/EC-000-05D-1NS/cancel',
      'PUT /consignments/cancellist',
      'GET /nowhere?x=%20y',
    ]);
    expect(sim.requests[1]).toMatchObject({
      body: '["EC-000-05D-1NS"]',
      headers: { 'electio-api-version': '1.1' },
    });
    expect(sim.requests[0]?.receivedAt).toBeTypeOf('number');
    expect(sim.count()).toBe(3);
    expect(sim.count({ method: 'put' })).toBe(2);
    expect(sim.count({ pathPrefix: '/consignments/cancellist' })).toBe(1);
    sim.clearLog();
    expect(sim.count()).toBe(0);
  });

  it('keeps the path percent-encoded in the log but decodes it for matching', async () => {
    sim.electio.add(['EC-000-05D-1NS']);
    const res = await fetch(`${sim.url}/consignments/EC-000-05D-1NS%20/cancel`, { method: 'PUT', headers });
    expect(res.status).toBe(404); // the trailing space is part of the reference, as on the real API
    expect(sim.requests[0]?.path).toBe('/consignments/EC-000-05D-1NS%20/cancel');
  });

  it('answers unknown routes with 404 JSON', async () => {
    const res = await fetch(`${sim.url}/parcels/x/cancel`, { method: 'PUT' });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'route_not_found' });
  });

  it('applies latency before answering', async () => {
    sim.setLatency(120);
    const started = Date.now();
    await fetch(`${sim.url}/nowhere`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('close() frees the port even with keep-alive sockets and pending answers', async () => {
    await fetch(`${sim.url}/nowhere`); // leaves a keep-alive socket open in fetch's pool
    sim.setLatency(60_000);
    const pending = fetch(`${sim.url}/nowhere`).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const url = sim.url;
    await sim.close();
    expect(await pending).toBeInstanceOf(Error);
    await expect(fetch(`${url}/nowhere`)).rejects.toThrow();
    await sim.close(); // idempotent, so afterEach may call it again
  });
});
