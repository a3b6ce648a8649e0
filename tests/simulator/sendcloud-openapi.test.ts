// Checks the simulated Sendcloud integrations delete against the OpenAPI document in the seed page itself
// (read at test time from ../shared/seeds/): the simulator's answers, both request forms and the seed's examples.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SENDCLOUD_DEFAULT_PUBLIC_KEY,
  SENDCLOUD_DEFAULT_SECRET_KEY,
  SENDCLOUD_DELETE_SEED_PATH,
  createOpenApiAjv,
  loadSendcloudDeleteOpenApi,
  startSimulator,
  validateSendcloudDeleteRequest,
  validateSendcloudDeleteResponse,
  type SendcloudDeleteOpenApi,
  type Simulator,
} from './index';

const AUTH = `Basic ${Buffer.from(`${SENDCLOUD_DEFAULT_PUBLIC_KEY}:${SENDCLOUD_DEFAULT_SECRET_KEY}`).toString('base64')}`;
const SEED_UUID = '39874b59-2a68-4a3d-8e00-aeb9e0540d00';

let spec: SendcloudDeleteOpenApi;
let sim: Simulator;

beforeAll(async () => {
  // No skip: without the seed there is nothing to check against, and that must be loud.
  if (!existsSync(SENDCLOUD_DELETE_SEED_PATH)) {
    throw new Error(
      `Sendcloud seed page not found at ${SENDCLOUD_DELETE_SEED_PATH} (expected ../shared/seeds/ from the repository root)`,
    );
  }
  spec = loadSendcloudDeleteOpenApi();
  sim = await startSimulator();
});
afterAll(async () => {
  await sim?.close();
});

async function deleteShipment(integrationId: number, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${sim.url}/api/v2/integrations/${integrationId}/shipments/delete`, {
    method: 'POST',
    headers: { authorization: AUTH, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

describe('the seed OpenAPI document', () => {
  it('is read from the seed page and documents the request and the 400 and 404 answers', () => {
    expect(SENDCLOUD_DELETE_SEED_PATH).toMatch(/shared[\\/]seeds[\\/]sendcloud-v2-integrations-delete-shipments\.md$/);
    expect(spec.document.openapi).toBe('3.1.0');
    expect(spec.requestBody.schema).toMatchObject({ oneOf: expect.any(Array) });
    expect(Object.keys(spec.responses).sort()).toEqual(['400', '404']);
    expect(Object.keys(spec.requestBody.examples).sort()).toEqual(['DeleteByOrderIdShipmentId', 'DeleteByUUID']);
  });

  it('fails with a clear message when a seed page is absent', () => {
    expect(() => loadSendcloudDeleteOpenApi('/nonexistent/seeds/sendcloud.md')).toThrow(/Sendcloud seed page is missing/);
  });
});

describe("the seed's examples", () => {
  it('request examples validate against the requestBody schema', () => {
    for (const [name, example] of Object.entries(spec.requestBody.examples)) {
      expect(validateSendcloudDeleteRequest(example.value), name).toEqual([]);
    }
  });

  it('response examples validate against their response schemas', () => {
    const ajv = createOpenApiAjv();
    let checked = 0;
    for (const [status, response] of Object.entries(spec.responses)) {
      const validate = ajv.compile(response.schema as object);
      for (const [name, example] of Object.entries(response.examples)) {
        expect(validate(example.value), `${status} ${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
        expect(validateSendcloudDeleteResponse(Number(status), example.value)).toEqual([]);
        checked += 1;
      }
    }
    expect(checked).toBe(4); // RequiredFieldMissing, invalid_uuid, ShipmentNotFound, IntegrationNotFound
  });
});

describe('request bodies', () => {
  it('accepts each documented form', () => {
    expect(validateSendcloudDeleteRequest({ shipment_uuid: SEED_UUID })).toEqual([]);
    expect(validateSendcloudDeleteRequest({ external_order_id: '123457', external_shipment_id: 'S00002' })).toEqual([]);
  });

  it('rejects a body with neither form, half a pair, a bad uuid, numbers or both forms at once', () => {
    for (const body of [
      {},
      { external_order_id: '123457' },
      { shipment_uuid: 'not-a-uuid' },
      { external_order_id: 123457, external_shipment_id: 'S00002' },
      // oneOf: a body that carries both forms matches both branches, which the schema forbids
      { shipment_uuid: SEED_UUID, external_order_id: '123457', external_shipment_id: 'S00002' },
      null,
      [],
    ]) {
      const errors = validateSendcloudDeleteRequest(body);
      expect(errors.length, JSON.stringify(body)).toBeGreaterThan(0);
    }
    expect(validateSendcloudDeleteRequest({})).toContain('(body) must match exactly one schema in oneOf');
  });

  it('validates the requests as the simulator logged them (how app tests check the client)', async () => {
    sim.clearLog();
    sim.sendcloud.addShipment(1234, { uuid: SEED_UUID });
    sim.sendcloud.addShipment(1234, { externalOrderId: '123457', externalShipmentId: 'S00002' });
    await deleteShipment(1234, { shipment_uuid: SEED_UUID });
    await deleteShipment(1234, { external_order_id: '123457', external_shipment_id: 'S00002' });
    const bodies = sim.requests.map((r) => JSON.parse(r.body) as unknown);
    expect(bodies).toHaveLength(2);
    for (const body of bodies) expect(validateSendcloudDeleteRequest(body)).toEqual([]);
  });
});

describe("the simulator's answers", () => {
  it('400 answers match the documented schema and the seed examples word for word', async () => {
    sim.sendcloud.addIntegration(1234);
    const missing = await deleteShipment(1234, {});
    const badUuid = await deleteShipment(1234, { shipment_uuid: 'not-a-uuid' });
    for (const answer of [missing, badUuid]) {
      expect(answer.status).toBe(400);
      expect(validateSendcloudDeleteResponse(answer.status, answer.body)).toEqual([]);
    }
    const examples = spec.responses['400']?.examples ?? {};
    expect(missing.body).toEqual(examples.RequiredFieldMissing?.value);
    expect(badUuid.body).toEqual(examples.invalid_uuid?.value);
  });

  it('404 answers match the documented schema and carry the seed messages', async () => {
    sim.sendcloud.addIntegration(1);
    const noShipment = await deleteShipment(1, { shipment_uuid: '00000000-0000-4000-8000-000000000000' });
    const noIntegration = await deleteShipment(424242, { shipment_uuid: SEED_UUID });
    const examples = spec.responses['404']?.examples ?? {};
    const message = (value: unknown): unknown => (value as { error?: { message?: unknown } } | undefined)?.error?.message;
    for (const [answer, example] of [
      [noShipment, examples.ShipmentNotFound],
      [noIntegration, examples.IntegrationNotFound],
    ] as const) {
      expect(answer.status).toBe(404);
      expect(validateSendcloudDeleteResponse(answer.status, answer.body)).toEqual([]);
      expect(message(answer.body)).toBe(message(example?.value));
    }
  });

  it('204 has no body, and undocumented statuses or shapes are reported', async () => {
    sim.sendcloud.addShipment(1234, { uuid: '11111111-2222-4333-8444-555555555555' });
    const ok = await deleteShipment(1234, { shipment_uuid: '11111111-2222-4333-8444-555555555555' });
    expect(ok.status).toBe(204);
    expect(validateSendcloudDeleteResponse(ok.status, ok.body)).toEqual([]);
    expect(validateSendcloudDeleteResponse(204, { error: {} })).not.toEqual([]);
    expect(validateSendcloudDeleteResponse(500, {})).toEqual(['status 500 is not documented for this operation']);
    expect(validateSendcloudDeleteResponse(404, { error: { code: '404', request: 'x', message: 'y' } })).not.toEqual([]);
  });
});
