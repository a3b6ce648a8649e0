/**
 * A reference can never steer a request: whatever it holds (`/`, `..`, `%2F`, `?`, `#`, spaces,
 * control characters, unicode), each provider client's request reaches the same host, on the same
 * path around one segment that decodes back to the reference, with no query. Checked twice: the
 * importer only accepts references made of letters, digits, `-` and `_`; and the clients, given
 * anything at all, send exactly that (real HTTP to 127.0.0.1) or refuse the item in plain words.
 */
import fc from 'fast-check';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Action } from '../../shared/domain';
import { PROVIDER_IDS } from '../../shared/domain';
import { checkReference } from '../../electron/core/import/references';
import { planImport } from '../../electron/core/import/source';
import { createClient, type SendItem } from '../../electron/core/providers/client';
import { createHttp } from '../../electron/core/providers/http';
import type { Account } from '../../electron/core/accounts';
import { NASTY, validReference } from './arbitraries';
import { runs } from './runs';
import { nodeTransport } from '../../electron/core/providers/node-transport';

/** Found by fuzzing: references no URL path can carry. */
const UNSENDABLE = ['', '.', '..', '\ud800', 'x\udc00'];

/** References with everything that could change a URL: path and dot segments, escapes, queries, fragments, odd characters. */
const hostileReference = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 3 })), { maxLength: 8 }).map((parts) => parts.join('')),
  fc.tuple(validReference, fc.constantFrom(...NASTY), fc.string({ maxLength: 6 })).map((parts) => parts.join('')),
  fc.constantFrom(...UNSENDABLE, '%2e%2e', '.%2E', '%2F', '../../admin', '?a=b', '#top', 'a b', '\u0000', '@evil.example'),
);

describe('the importer accepts only references that are safe in a URL path', () => {
  it('rejects every reference with anything but letters, digits, - and _', () => {
    const actions: Action[] = ['cancel', 'cancel-and-delete', 'cancel-label'];
    fc.assert(
      fc.property(hostileReference, fc.constantFrom(...actions), (value, action) => {
        const check = checkReference(value.trim(), PROVIDER_IDS, action);
        if (check.ok) expect(check.reference).toMatch(/^[A-Za-z0-9_-]+$/);
        const plan = planImport({ text: `Reference\n${value}`, encoding: 'UTF-8', notes: [] }, { action });
        for (const entry of plan.entries) expect(entry.reference).toMatch(/^[A-Za-z0-9_-]+$/);
      }),
      runs(),
    );
  });
});

interface Received {
  method: string;
  url: string;
  host: string;
}

/** The body that confirms the request at this path: empty for Electio, naming the shipment for Sorted, a status for Sendcloud. */
function confirmation(url: string): string {
  if (url.includes('/consignments/')) return '';
  if (url.includes('/v2/parcels/')) return JSON.stringify({ status: 'cancelled', message: 'Parcel has been cancelled' });
  if (url.includes('/v3/shipments/'))
    return JSON.stringify({ data: { status: 'cancelled', message: 'Shipment has been cancelled' } });
  const reference = decodeURIComponent(/^\/api\/shipments\/([^/?#]*)/.exec(url)?.[1] ?? '');
  return JSON.stringify({ reference, message: `Shipment ${reference} has been cancelled` });
}

let server: Server;
let origin: string;
const received: Received[] = [];
beforeAll(async () => {
  server = createServer((request, response) => {
    received.push({ method: request.method ?? '', url: request.url ?? '', host: request.headers.host ?? '' });
    request.resume();
    request.on('end', () => {
      // Each carrier's documented confirmation, so that every step of an action is sent.
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(confirmation(request.url ?? ''));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received.length = 0;
});

/** Each client and action whose URL holds the reference, with the path it must put around it. */
const CASES: { name: string; account: Omit<Account, 'id' | 'baseUrl'>; secret: string; action: Action; paths: RegExp[] }[] = [
  {
    name: 'Electio single cancel',
    account: { name: 'E', provider: 'electio', settings: {} },
    secret: 'key',
    action: 'cancel',
    paths: [/^\/api\/consignments\/([^/?#]*)\/cancel$/],
  },
  {
    name: 'Sorted PRO cancel and delete',
    account: { name: 'S', provider: 'sorted-pro', settings: {} },
    secret: 'key',
    action: 'cancel-and-delete',
    paths: [/^\/api\/shipments\/([^/?#]*)\/cancel$/, /^\/api\/shipments\/([^/?#]*)$/],
  },
  {
    name: 'Sendcloud label cancel',
    account: { name: 'C', provider: 'sendcloud', settings: { integrationId: 7, authKind: 'basic' } },
    secret: 'public:secret',
    action: 'cancel-label',
    paths: [/^\/api\/api\/v[23]\/(?:parcels|shipments)\/([^/?#]*)\/cancel$/],
  },
];

type Case = (typeof CASES)[number];

/** One item through the case's real client, over real HTTP to the recording server. */
async function cancel(c: Case, reference: string) {
  const client = createClient({ id: 'a', baseUrl: `${origin}/api`, ...c.account }, c.secret, {
    http: createHttp(nodeTransport, 5000),
    chunkSize: 1,
    now: Date.now,
  });
  const item: SendItem = {
    id: 1,
    reference,
    action: c.action,
    externalOrderId: null,
    externalShipmentId: null,
    step: null,
    maybeSent: false,
  };
  received.length = 0;
  const answer = (await client.cancel([item])).get(1);
  if (!answer) throw new Error('the client gave no answer for the item');
  return answer;
}

describe('no reference changes where a request goes', () => {
  it.each(CASES)('$name: same host, same path around one segment that decodes to the reference', async (c) => {
    await fc.assert(
      fc.asyncProperty(hostileReference, async (reference) => {
        const { outcome } = await cancel(c, reference);
        if (received.length === 0) {
          // Not sendable at all: a final, explained failure, never a thrown error or a request elsewhere.
          expect(outcome).toMatchObject({ kind: 'final', state: 'failed', reason: 'invalid_reference' });
          expect(outcome.message).toMatch(/cannot be sent/);
          return;
        }
        expect(outcome).toMatchObject({ kind: 'final', state: 'succeeded' });
        for (const request of received) {
          expect(request.host).toBe(new URL(origin).host);
          const match = c.paths.map((path) => path.exec(request.url)).find(Boolean);
          expect(match, request.url).toBeTruthy();
          expect(decodeURIComponent(match?.[1] ?? '')).toBe(reference);
        }
      }),
      runs(0.3),
    );
  });

  // Regressions: `..` was sent as `/consignments/../cancel`, which URLs resolve to `/cancel`, and
  // half a surrogate pair made the client throw "URI malformed".
  it.each(CASES)('$name: refuses empty, dot and broken references without sending anything', async (c) => {
    for (const reference of UNSENDABLE) {
      const { outcome, requests } = await cancel(c, reference);
      expect(outcome).toMatchObject({ kind: 'final', state: 'failed', reason: 'invalid_reference', httpStatus: null });
      expect(requests).toEqual([]);
      expect(received).toEqual([]);
    }
  });
});
