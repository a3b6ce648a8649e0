import { describe, expect, it } from 'vitest';
import { electioClient } from '../../electron/core/providers/electio';
import { createHttp, fetchTransport, type FetchLike } from '../../electron/core/providers/http';

/** A provider that answers whatever the test says: the edge where real Electio would be. */
function answering(respond: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    return respond(url, init);
  };
  const client = electioClient({
    http: createHttp(fetchTransport(fetch), 1000),
    baseUrl: 'https://api.example',
    apiKey: 'k',
    chunkSize: 100,
    now: Date.now,
  });
  return { client, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const item = { action: 'cancel', externalOrderId: null, externalShipmentId: null, step: null, maybeSent: false } as const;
const items = [
  { ...item, id: 1, reference: 'EC-000-05D-1NS' },
  { ...item, id: 2, reference: 'EC-000-05D-1NT' },
];

describe('Electio client', () => {
  it('matches bulk answers to items by Data, whatever their order and case', async () => {
    const { client } = answering(() =>
      json(200, [
        {
          IsSuccess: false,
          Message: 'Consignment EC-000-05D-1NT has been manifested and can no longer be cancelled',
          Data: 'ec-000-05d-1nt',
          ApiLinks: null,
        },
        { IsSuccess: true, Message: 'Consignment cancellation completed successfully', Data: 'EC-000-05D-1NS', ApiLinks: null },
      ]),
    );
    const answers = await client.cancel(items);
    expect(answers.get(1)?.outcome).toMatchObject({ kind: 'final', state: 'succeeded', reason: 'cancelled' });
    expect(answers.get(2)?.outcome).toMatchObject({ kind: 'final', state: 'failed', reason: 'too_late' });
  });

  it('never takes silence for success: a reference missing from the answer is sent again, with a clear message', async () => {
    const { client } = answering(() => json(200, [{ IsSuccess: true, Message: 'ok', Data: 'EC-000-05D-1NS', ApiLinks: null }]));
    const answers = await client.cancel(items);
    expect(answers.get(2)?.outcome).toMatchObject({ kind: 'retry', reason: 'provider_error', maybeSent: true });
    expect(answers.get(2)?.outcome.message).toMatch(/did not mention EC-000-05D-1NT/);
  });

  it('retries when the answer is not a result list (the cancellation may or may not have happened)', async () => {
    const { client } = answering(() => new Response('<html>gateway</html>', { status: 200 }));
    const answers = await client.cancel(items);
    expect(answers.get(1)?.outcome).toMatchObject({ kind: 'retry', reason: 'provider_error' });
  });

  it('falls back to one request per item when the whole list is refused, so each item learns why', async () => {
    const { client, calls } = answering((url) =>
      url.endsWith('/cancellist')
        ? json(400, { Code: 'InvalidRequestBody', Message: 'The request body is invalid', CorrelationId: 'c' })
        : url.includes('1NS')
          ? new Response(null, { status: 200 })
          : json(404, {
              Code: 'ConsignmentNotFound',
              Message: 'Consignment EC-000-05D-1NT could not be found',
              CorrelationId: 'c',
            }),
    );
    const answers = await client.cancel(items);
    expect(calls.map((c) => c.url)).toEqual([
      'https://api.example/consignments/cancellist',
      'https://api.example/consignments/EC-000-05D-1NS/cancel',
      'https://api.example/consignments/EC-000-05D-1NT/cancel',
    ]);
    expect(answers.get(1)?.outcome).toMatchObject({ state: 'succeeded', reason: 'cancelled' });
    expect(answers.get(2)?.outcome).toMatchObject({
      state: 'failed',
      reason: 'not_found',
      message: 'Consignment EC-000-05D-1NT could not be found',
    });
  });

  it('retries busy answers with their Retry-After, and holds the account on a refused key', async () => {
    const busy = answering(() => json(429, { Message: 'Too many requests' }, { 'retry-after': '7' }));
    expect((await busy.client.cancel(items)).get(1)?.outcome).toMatchObject({
      kind: 'retry',
      reason: 'rate_limited',
      retryAfterMs: 7000,
    });
    const down = answering(() => json(503, { Message: 'Down for maintenance' }));
    expect((await down.client.cancel(items)).get(1)?.outcome).toMatchObject({
      kind: 'retry',
      reason: 'provider_error',
      httpStatus: 503,
    });
    const refused = answering(() => json(401, { Message: 'Access denied due to invalid subscription key' }));
    expect((await refused.client.cancel(items)).get(2)?.outcome).toMatchObject({ kind: 'account', httpStatus: 401 });
  });

  it('keeps the reference inside its path segment', async () => {
    const calls: string[] = [];
    const fetch: FetchLike = async (url) => {
      calls.push(url);
      return new Response(null, { status: 200 });
    };
    const single = electioClient({
      http: createHttp(fetchTransport(fetch), 1000),
      baseUrl: 'https://api.example',
      apiKey: 'k',
      chunkSize: 1,
      now: Date.now,
    });
    await single.cancel([{ ...item, id: 1, reference: '../x?y#z/%2F' }]);
    expect(calls).toEqual(['https://api.example/consignments/..%2Fx%3Fy%23z%2F%252F/cancel']);
  });
});
