// Proves the simulator answers like the Sendcloud seed and PROVIDERS.md describe, so client tests can trust it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  SENDCLOUD_DEFAULT_CLIENT_ID,
  SENDCLOUD_DEFAULT_CLIENT_SECRET,
  SENDCLOUD_DEFAULT_PUBLIC_KEY,
  SENDCLOUD_DEFAULT_SECRET_KEY,
  sendcloudShipmentUuid,
  startSimulator,
  type Simulator,
} from './index';

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const AUTH = basic(SENDCLOUD_DEFAULT_PUBLIC_KEY, SENDCLOUD_DEFAULT_SECRET_KEY);
const SEED_UUID = '39874b59-2a68-4a3d-8e00-aeb9e0540d00';
const MISSING = 'Missing shipment_uuid or the pair external_order_id and external_shipment_id';

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(async () => {
  await sim.close();
});

const post = (path: string, body: unknown, authorization: string | undefined = AUTH, contentType = 'application/json') =>
  fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: {
      accept: 'application/json',
      ...(contentType ? { 'content-type': contentType } : {}),
      ...(authorization ? { authorization } : {}),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const deleteShipment = (integrationId: number | string, body: unknown, authorization?: string) =>
  post(`/api/v2/integrations/${integrationId}/shipments/delete`, body, authorization);
const cancelParcel = (id: number | string, authorization?: string) => post(`/api/v2/parcels/${id}/cancel`, '', authorization, '');
const cancelV3 = (id: number | string, authorization?: string) => post(`/api/v3/shipments/${id}/cancel`, '', authorization, '');
const requestToken = (form: Record<string, string>, authorization?: string) =>
  post('/oauth2/token/', new URLSearchParams(form).toString(), authorization ?? '', 'application/x-www-form-urlencoded');

async function token(): Promise<string> {
  const res = await requestToken(
    { grant_type: 'client_credentials' },
    basic(SENDCLOUD_DEFAULT_CLIENT_ID, SENDCLOUD_DEFAULT_CLIENT_SECRET),
  );
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('sendcloud integration delete', () => {
  it('removes a shipment by uuid: 204 with no body, then 404 "No ShipmentBlob"', async () => {
    sim.sendcloud.addIntegration(1234);
    const shipment = sim.sendcloud.addShipment(1234, { uuid: SEED_UUID.toUpperCase() });
    expect(shipment.uuid).toBe(SEED_UUID);
    const res = await deleteShipment(1234, { shipment_uuid: SEED_UUID });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(sim.sendcloud.hasShipment(1234, { uuid: SEED_UUID })).toBe(false);
    const again = await deleteShipment(1234, { shipment_uuid: SEED_UUID });
    expect(again.status).toBe(404);
    expect(await again.json()).toEqual({
      error: {
        code: 404,
        request: 'api/v2/integrations/1234/shipments/delete',
        message: 'No ShipmentBlob matches the given query.',
      },
    });
  });

  it('removes a shipment by the external pair, matching both ids exactly', async () => {
    sim.sendcloud.addShipment(7, { externalOrderId: '123457', externalShipmentId: 'S00002' });
    const other = sim.sendcloud.addShipment(7, { externalOrderId: '123457', externalShipmentId: 'S00003' });
    const wrongPair = await deleteShipment(7, { external_order_id: '123457', external_shipment_id: 'S00004' });
    expect(wrongPair.status).toBe(404);
    expect(await wrongPair.json()).toMatchObject({ error: { message: 'No ShipmentBlob matches the given query.' } });
    const res = await deleteShipment(7, { external_order_id: '123457', external_shipment_id: 'S00002' });
    expect(res.status).toBe(204);
    expect(sim.sendcloud.hasShipment(7, { externalOrderId: '123457', externalShipmentId: 'S00002' })).toBe(false);
    expect(sim.sendcloud.hasShipment(7, { uuid: other.uuid })).toBe(true);
    expect(sim.sendcloud.shipments(7)).toEqual([other]);
  });

  it('generates deterministic uuids and external pairs, starting from the seed example', () => {
    expect(sendcloudShipmentUuid(0)).toBe(SEED_UUID);
    expect(sendcloudShipmentUuid(1)).toBe('39874b59-2a68-4a3d-8e00-aeb9e0540d01');
    const [a, b] = sim.sendcloud.seedShipments(5, 2);
    expect(a).toEqual({ uuid: SEED_UUID, externalOrderId: '100000', externalShipmentId: 'S00000' });
    expect(b).toEqual({ uuid: sendcloudShipmentUuid(1), externalOrderId: '100001', externalShipmentId: 'S00001' });
    expect(sim.sendcloud.hasIntegration(5)).toBe(true);
  });

  it('answers 400 with the seed message when neither form is given', async () => {
    sim.sendcloud.addShipment(1234, { externalOrderId: '1', externalShipmentId: '2' });
    for (const body of [{}, { external_order_id: '1' }, { external_shipment_id: '2' }, { shipment_uuid: null }, [], 'null']) {
      const res = await deleteShipment(1234, body);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: { code: 400, request: 'api/v2/integrations/1234/shipments/delete', message: MISSING },
      });
    }
    expect(sim.sendcloud.shipments(1234)).toHaveLength(1);
  });

  it('answers 400 "Must be a valid UUID." for a malformed uuid', async () => {
    sim.sendcloud.addShipment(1234);
    for (const uuid of ['not-a-uuid', '39874b59-2a68-4a3d-8e00-aeb9e0540d0', 42, '']) {
      const res = await deleteShipment(1234, { shipment_uuid: uuid });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: { code: 400, request: 'api/v2/integrations/1234/shipments/delete', message: 'Must be a valid UUID.' },
      });
    }
  });

  it('answers 404 "No Integration" for an unknown or non-numeric integration', async () => {
    sim.sendcloud.addShipment(1234, { uuid: SEED_UUID });
    for (const id of [999, 'abc']) {
      const res = await deleteShipment(id, { shipment_uuid: SEED_UUID });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({
        error: {
          code: 404,
          request: `api/v2/integrations/${id}/shipments/delete`,
          message: 'No Integration matches the given query.',
        },
      });
    }
    expect(sim.sendcloud.hasShipment(1234, { uuid: SEED_UUID })).toBe(true);
  });

  it('insists on a JSON body', async () => {
    sim.sendcloud.addShipment(1234, { uuid: SEED_UUID });
    const plain = await post('/api/v2/integrations/1234/shipments/delete', { shipment_uuid: SEED_UUID }, AUTH, 'text/plain');
    expect(plain.status).toBe(415);
    expect(await plain.json()).toMatchObject({ error: { code: 415 } });
    const broken = await deleteShipment(1234, '{"shipment_uuid":');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: { code: 400, message: expect.stringMatching(/^JSON parse error/) } });
    expect(sim.sendcloud.hasShipment(1234, { uuid: SEED_UUID })).toBe(true);
  });

  it('hides an integration from credentials that do not own it', async () => {
    await sim.close();
    sim = await startSimulator({
      sendcloud: {
        keyPairs: [
          { publicKey: 'pub-a', secretKey: 'sec-a' },
          { publicKey: 'pub-b', secretKey: 'sec-b' },
        ],
      },
    });
    sim.sendcloud.addIntegration(1, { owners: ['pub-a'] });
    sim.sendcloud.addShipment(1, { uuid: SEED_UUID });
    const asB = await deleteShipment(1, { shipment_uuid: SEED_UUID }, basic('pub-b', 'sec-b'));
    expect(asB.status).toBe(404);
    expect(await asB.json()).toMatchObject({ error: { message: 'No Integration matches the given query.' } });
    expect((await deleteShipment(1, { shipment_uuid: SEED_UUID }, basic('pub-a', 'sec-a'))).status).toBe(204);
  });
});

describe('sendcloud auth', () => {
  it('answers 401 in each API version style for missing or bad Basic credentials', async () => {
    sim.sendcloud.addShipment(1234, { uuid: SEED_UUID });
    sim.sendcloud.addParcel(1);
    sim.sendcloud.addV3Shipment(1);
    for (const authorization of [
      undefined,
      basic(SENDCLOUD_DEFAULT_PUBLIC_KEY, 'wrong'),
      basic('nobody', SENDCLOUD_DEFAULT_SECRET_KEY),
    ]) {
      const res = await deleteShipment(1234, { shipment_uuid: SEED_UUID }, authorization ?? '');
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        error: { code: 401, request: 'api/v2/integrations/1234/shipments/delete', message: 'Invalid username/password.' },
      });
      const parcel = await cancelParcel(1, authorization ?? '');
      expect(parcel.status).toBe(401);
      expect(await parcel.json()).toMatchObject({ error: { code: 401, request: 'api/v2/parcels/1/cancel' } });
      const v3 = await cancelV3(1, authorization ?? '');
      expect(v3.status).toBe(401);
      expect(await v3.json()).toEqual({
        errors: [{ status: '401', code: 'unauthorized', detail: 'Invalid username/password.' }],
      });
    }
    expect(sim.sendcloud.hasShipment(1234, { uuid: SEED_UUID })).toBe(true);
    expect(sim.sendcloud.parcelStatus(1)).toBe('active');
    expect(sim.sendcloud.v3ShipmentStatus(1)).toBe('active');
  });

  it('issues client-credentials tokens (Basic client auth or form fields) that work as Bearer', async () => {
    const res = await requestToken(
      { grant_type: 'client_credentials' },
      basic(SENDCLOUD_DEFAULT_CLIENT_ID, SENDCLOUD_DEFAULT_CLIENT_SECRET),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600, scope: 'api' });
    const viaForm = await requestToken({
      grant_type: 'client_credentials',
      client_id: SENDCLOUD_DEFAULT_CLIENT_ID,
      client_secret: SENDCLOUD_DEFAULT_CLIENT_SECRET,
      scope: 'api',
    });
    expect(viaForm.status).toBe(200);
    const formToken = ((await viaForm.json()) as { access_token: string }).access_token;
    expect(formToken).not.toBe(body.access_token);
    expect(sim.sendcloud.tokensIssued).toBe(2);
    expect(sim.sendcloud.activeTokens()).toBe(2);

    sim.sendcloud.addShipment(1234, { uuid: SEED_UUID });
    const ok = await deleteShipment(1234, { shipment_uuid: SEED_UUID }, `Bearer ${String(body.access_token)}`);
    expect(ok.status).toBe(204);
    sim.sendcloud.addParcel(9);
    expect((await cancelParcel(9, `Bearer ${formToken}`)).status).toBe(200);
    expect((await cancelParcel(9, 'Bearer made-up')).status).toBe(401);
  });

  it('refuses bad token requests with OAuth2 errors', async () => {
    const cases: [Record<string, string>, string | undefined, number, string][] = [
      [{ grant_type: 'client_credentials' }, basic(SENDCLOUD_DEFAULT_CLIENT_ID, 'wrong'), 401, 'invalid_client'],
      [{ grant_type: 'client_credentials' }, undefined, 401, 'invalid_client'],
      [{ grant_type: 'client_credentials', client_id: SENDCLOUD_DEFAULT_CLIENT_ID }, undefined, 401, 'invalid_client'],
      [
        { grant_type: 'password' },
        basic(SENDCLOUD_DEFAULT_CLIENT_ID, SENDCLOUD_DEFAULT_CLIENT_SECRET),
        400,
        'unsupported_grant_type',
      ],
      [{}, basic(SENDCLOUD_DEFAULT_CLIENT_ID, SENDCLOUD_DEFAULT_CLIENT_SECRET), 400, 'invalid_request'],
      [
        { grant_type: 'client_credentials', scope: 'admin' },
        basic(SENDCLOUD_DEFAULT_CLIENT_ID, SENDCLOUD_DEFAULT_CLIENT_SECRET),
        400,
        'invalid_scope',
      ],
    ];
    for (const [form, authorization, status, error] of cases) {
      const res = await requestToken(form, authorization);
      expect(res.status).toBe(status);
      expect(await res.json()).toMatchObject({ error });
    }
    const asJson = await post(
      '/oauth2/token/',
      { grant_type: 'client_credentials' },
      basic(SENDCLOUD_DEFAULT_CLIENT_ID, SENDCLOUD_DEFAULT_CLIENT_SECRET),
    );
    expect(asJson.status).toBe(400);
    expect(sim.sendcloud.tokensIssued).toBe(0);
  });

  it('lets a test expire every token to force a 401 and a refresh', async () => {
    sim.sendcloud.addParcel(1);
    sim.sendcloud.addParcel(2);
    const first = await token();
    expect((await cancelParcel(1, `Bearer ${first}`)).status).toBe(200);
    sim.sendcloud.expireTokens();
    expect(sim.sendcloud.activeTokens()).toBe(0);
    const refused = await cancelParcel(2, `Bearer ${first}`);
    expect(refused.status).toBe(401);
    expect(sim.sendcloud.parcelStatus(2)).toBe('active');
    const second = await token();
    expect((await cancelParcel(2, `Bearer ${second}`)).status).toBe(200);
  });

  it('honours a configured expires_in, and tokens past it are refused', async () => {
    await sim.close();
    sim = await startSimulator({ sendcloud: { tokenExpiresIn: 120 } });
    const res = await requestToken(
      { grant_type: 'client_credentials' },
      basic(SENDCLOUD_DEFAULT_CLIENT_ID, SENDCLOUD_DEFAULT_CLIENT_SECRET),
    );
    expect(await res.json()).toMatchObject({ expires_in: 120 });
    sim.sendcloud.addParcel(1);
    const stale = sim.sendcloud.issueToken(SENDCLOUD_DEFAULT_CLIENT_ID, 0);
    expect((await cancelParcel(1, `Bearer ${stale}`)).status).toBe(401);
    expect((await cancelParcel(1, `Bearer ${sim.sendcloud.issueToken()}`)).status).toBe(200);
  });

  it('accepts configured clients and key pairs, and limits owned objects to their principals', async () => {
    await sim.close();
    sim = await startSimulator({
      sendcloud: {
        keyPairs: [{ publicKey: 'pub-a', secretKey: 'sec-a' }],
        clients: [{ clientId: 'cli-b', clientSecret: 'cs-b' }],
      },
    });
    sim.sendcloud.addParcel(1, 'cancelled', { owners: ['cli-b'] });
    sim.sendcloud.addV3Shipment('v3-1', 'cancelled', { owners: ['pub-a'] });
    expect((await cancelParcel(1, basic('pub-a', 'sec-a'))).status).toBe(404);
    expect((await cancelV3('v3-1', basic('pub-a', 'sec-a'))).status).toBe(200);
    const res = await requestToken({ grant_type: 'client_credentials' }, basic('cli-b', 'cs-b'));
    const { access_token: accessToken } = (await res.json()) as { access_token: string };
    expect((await cancelParcel(1, `Bearer ${accessToken}`)).status).toBe(200);
    expect((await cancelParcel(1, basic(SENDCLOUD_DEFAULT_PUBLIC_KEY, SENDCLOUD_DEFAULT_SECRET_KEY))).status).toBe(401);
  });
});

describe('sendcloud v2 parcel cancel', () => {
  it('answers 200 cancelled, then 400 already being cancelled', async () => {
    sim.sendcloud.addParcel(100);
    const res = await cancelParcel(100);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'cancelled', message: 'Parcel has been cancelled' });
    expect(sim.sendcloud.parcelStatus(100)).toBe('cancelled');
    const again = await cancelParcel(100);
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ status: 'failed', message: 'This shipment is already being cancelled.' });
  });

  it('answers 202 queued for async parcels, then 400', async () => {
    sim.sendcloud.addParcel(101, 'queued');
    const res = await cancelParcel(101);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: 'queued', message: 'Parcel cancellation has been queued' });
    expect(sim.sendcloud.parcelStatus(101)).toBe('queued');
    expect((await cancelParcel(101)).status).toBe(400);
  });

  it('answers 410 deleted for unannounced parcels, then 404', async () => {
    sim.sendcloud.addParcel(102, 'deleted');
    const res = await cancelParcel(102);
    expect(res.status).toBe(410);
    expect(await res.json()).toEqual({ status: 'deleted', message: 'Parcel has been deleted' });
    expect(sim.sendcloud.parcelStatus(102)).toBe('deleted');
    expect((await cancelParcel(102)).status).toBe(404);
  });

  it('answers 404 for unknown parcels and 400 with a configured failure', async () => {
    const unknown = await cancelParcel(999);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: { code: 404, request: 'api/v2/parcels/999/cancel', message: 'No Parcel matches the given query.' },
    });
    sim.sendcloud.addParcel(103, { failed: 'Parcels older than 42 days cannot be cancelled.' });
    const failed = await cancelParcel(103);
    expect(failed.status).toBe(400);
    expect(await failed.json()).toEqual({ status: 'failed', message: 'Parcels older than 42 days cannot be cancelled.' });
    expect(sim.sendcloud.parcelStatus(103)).toBe('active');
  });
});

describe('sendcloud v3 shipment cancel', () => {
  it('answers 200, then 409 already being cancelled', async () => {
    sim.sendcloud.addV3Shipment(5000);
    const res = await cancelV3(5000);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { status: 'cancelled', message: 'Shipment has been cancelled' } });
    const again = await cancelV3(5000);
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({
      errors: [{ status: '409', code: 'invalid', detail: 'This shipment is already being cancelled.' }],
    });
    expect(sim.sendcloud.v3ShipmentStatus(5000)).toBe('cancelled');
  });

  it('answers 202 queued, 404 unknown and 409 with a configured failure', async () => {
    sim.sendcloud.addV3Shipment('5001', 'queued');
    const queued = await cancelV3(5001);
    expect(queued.status).toBe(202);
    expect(await queued.json()).toEqual({ data: { status: 'queued', message: 'Shipment cancellation has been queued' } });
    expect(sim.sendcloud.v3ShipmentStatus(5001)).toBe('queued');
    const unknown = await cancelV3(5999);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ errors: [{ status: '404', code: 'not_found', detail: 'Not found' }] });
    sim.sendcloud.addV3Shipment(5002, { failed: 'Shipment has been delivered.' });
    const failed = await cancelV3(5002);
    expect(failed.status).toBe(409);
    expect(await failed.json()).toEqual({ errors: [{ status: '409', code: 'invalid', detail: 'Shipment has been delivered.' }] });
  });
});

describe('sendcloud rate limit and log', () => {
  it('answers 429 over the per-second write limit, leaving the token endpoint out', async () => {
    await sim.close();
    sim = await startSimulator({ sendcloud: { rateLimit: { perSecond: 3 } } });
    for (const id of [1, 2, 3, 4]) sim.sendcloud.addParcel(id);
    sim.sendcloud.addV3Shipment(1);
    await token();
    const statuses = [];
    for (const id of [1, 2, 3, 4]) statuses.push((await cancelParcel(id)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await cancelParcel(4);
    expect(await limited.json()).toEqual({
      error: { code: 429, request: 'api/v2/parcels/4/cancel', message: 'Request was throttled.' },
    });
    const v3 = await cancelV3(1);
    expect(v3.status).toBe(429);
    expect(await v3.json()).toMatchObject({ errors: [{ status: '429' }] });
    expect(sim.sendcloud.parcelStatus(4)).toBe('active');
    sim.sendcloud.rateLimit = undefined;
    expect((await cancelParcel(4)).status).toBe(200);
  });

  it('answers 429 over the per-minute write limit', async () => {
    sim.sendcloud.rateLimit = { perMinute: 2 };
    sim.sendcloud.seedShipments(1, 3);
    const statuses = [];
    for (const n of [0, 1, 2]) statuses.push((await deleteShipment(1, { shipment_uuid: sendcloudShipmentUuid(n) })).status);
    expect(statuses).toEqual([204, 204, 429]);
  });

  it('logs every request with its body and counts the writes', async () => {
    sim.sendcloud.addShipment(1234, { uuid: SEED_UUID });
    sim.sendcloud.addParcel(1);
    await deleteShipment(1234, { shipment_uuid: SEED_UUID });
    await cancelParcel(1);
    await cancelV3(77);
    expect(sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/v2/integrations/1234/shipments/delete',
      'POST /api/v2/parcels/1/cancel',
      'POST /api/v3/shipments/77/cancel',
    ]);
    expect(sim.requests[0]).toMatchObject({
      body: JSON.stringify({ shipment_uuid: SEED_UUID }),
      headers: { authorization: AUTH, 'content-type': 'application/json' },
    });
    expect(sim.count({ method: 'POST', pathPrefix: '/api/v2/integrations/1234/' })).toBe(1);
    expect(sim.count({ pathPrefix: '/api/' })).toBe(3);
  });

  it('accepts a trailing slash and leaves other methods to the router', async () => {
    sim.sendcloud.addParcel(1);
    expect((await post('/api/v2/parcels/1/cancel/', '', AUTH, '')).status).toBe(200);
    const get = await fetch(`${sim.url}/api/v2/parcels/1/cancel`, { headers: { authorization: AUTH } });
    expect(get.status).toBe(404);
    expect(await get.json()).toMatchObject({ code: 'route_not_found' });
  });
});
