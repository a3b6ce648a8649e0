/**
 * Providers answering nonsense, through the real queue: a local HTTP server on 127.0.0.1 answers
 * every request (cancels, cancel lists, deletes, read-backs, OAuth2 tokens) with arbitrary statuses,
 * content types and bodies (not JSON, truncated JSON, the wrong shape, several MB, over the read
 * limit), and runBatch drains a batch of every provider on a real SQLite file. Never a crash: every
 * item ends with a recorded result in plain words, or stays queued behind an account that needs the
 * clerk, and the database stays sound.
 */
import fc from 'fast-check';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAccount, type Account } from '../../electron/core/accounts';
import { MAX_BODY_BYTES } from '../../electron/core/providers/http';
import { DEFAULT_RUN_OPTIONS, runBatch } from '../../electron/core/queue/runner';
import type { Action } from '../../shared/domain';
import { queueList, runnerDeps, testWorld, type TestWorld } from '../support/fixtures';
import { TRANSPORT_NAMES, TRANSPORTS, type TransportName } from '../support/transports';
import { electioReference, sendcloudReference, sortedReference } from './arbitraries';
import { runs } from './runs';

type Body =
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; value: string }
  | { kind: 'truncated'; value: unknown; keep: number }
  /** Plausible for the endpoint (Electio's list echoes the references), with arbitrary fields. */
  | { kind: 'shaped'; success: boolean; message: string }
  | { kind: 'large'; bytes: number; declared: boolean };

interface AnswerSpec {
  status: number;
  contentType: string | null;
  retryAfter: string | null;
  body: Body;
}

// Bodies of several MB are rare (1 in 34): each is slow to send, and a few runs find what they break.
const body: fc.Arbitrary<Body> = fc.oneof(
  { weight: 9, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => ({ kind: 'json' as const, value })) },
  { weight: 6, arbitrary: fc.string({ maxLength: 200 }).map((value) => ({ kind: 'text' as const, value })) },
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.jsonValue({ maxDepth: 3 }), fc.nat())
      .map(([value, keep]) => ({ kind: 'truncated' as const, value, keep })),
  },
  {
    weight: 12,
    arbitrary: fc
      .tuple(
        fc.boolean(),
        fc.oneof(fc.string({ maxLength: 60 }), fc.constant('already cancelled'), fc.string({ minLength: 3000, maxLength: 5000 })),
      )
      .map(([success, message]) => ({ kind: 'shaped' as const, success, message })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(3 * 1024 * 1024, MAX_BODY_BYTES + 1024), fc.boolean())
      .map(([bytes, declared]) => ({ kind: 'large' as const, bytes, declared })),
  },
);

const answer: fc.Arbitrary<AnswerSpec> = fc.record({
  status: fc.oneof(
    fc.constantFrom(200, 201, 202, 204, 304, 400, 401, 403, 404, 408, 409, 410, 429, 500, 502, 503),
    fc.integer({ min: 200, max: 599 }),
  ),
  contentType: fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'text/html',
    'text/plain',
    'application/problem+json',
    null,
  ),
  retryAfter: fc.constantFrom(null, '0', '1', 'soon', 'Wed, 21 Oct 2015 07:28:00 GMT', '-5', '99999999999'),
  body,
});

let server: Server;
let origin: string;
let script: AnswerSpec[] = [];
let served = 0;
/** Settles when the connection closes, for every connection to the server. */
const closing = new WeakMap<Socket, Promise<void>>();
/** The connections the answers of the last drain went out on, each settled once it has closed. */
let connectionsClosed: (Promise<void> | undefined)[] = [];

function respond(response: ServerResponse, spec: AnswerSpec, requestBody: string): void {
  const headers: Record<string, string> = {};
  if (spec.contentType) headers['content-type'] = spec.contentType;
  if (spec.retryAfter) headers['retry-after'] = spec.retryAfter;
  const { body: b } = spec;
  if (b.kind === 'large') {
    if (b.declared) headers['content-length'] = String(b.bytes);
    response.writeHead(spec.status, headers);
    const chunk = Buffer.alloc(64 * 1024, '[');
    let left = b.bytes;
    const pump = () => {
      while (left > 0) {
        const part = chunk.subarray(0, Math.min(chunk.length, left));
        left -= part.length;
        if (!response.write(part)) return void response.once('drain', pump);
      }
      response.end();
    };
    pump();
    return;
  }
  let text: string;
  if (b.kind === 'json') text = JSON.stringify(b.value);
  else if (b.kind === 'text') text = b.value;
  else if (b.kind === 'truncated') {
    const whole = JSON.stringify(b.value);
    text = whole.slice(0, b.keep % Math.max(1, whole.length));
  } else {
    let references: unknown = [];
    try {
      references = JSON.parse(requestBody);
    } catch {
      // Not a cancel list.
    }
    text = JSON.stringify(
      Array.isArray(references)
        ? references.map((Data) => ({ IsSuccess: b.success, Message: b.message, Data }))
        : {
            message: b.message,
            Message: b.message,
            state: b.success ? 'cancelled' : 'created',
            error: { message: b.message },
            data: { message: b.message },
            access_token: b.success ? 'token' : undefined,
            expires_in: 3600,
          },
    );
  }
  response.writeHead(spec.status, headers);
  response.end(text);
}

let world: TestWorld;
const accounts: Record<string, Account> = {};
beforeAll(async () => {
  server = createServer((request, response) => {
    connectionsClosed.push(closing.get(request.socket));
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const spec = script[served++ % script.length];
      if (!spec) return void response.writeHead(500).end();
      respond(response, spec, Buffer.concat(chunks).toString());
    });
    // The client stops reading an answer over the limit: the connection goes, nothing to do.
    response.on('error', () => undefined);
  });
  server.on('connection', (socket: Socket) => {
    closing.set(socket, new Promise((resolve) => socket.once('close', () => resolve())));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  world = testWorld();
  const add = async (key: string, input: Omit<Parameters<typeof addAccount>[2], 'baseUrl'>) => {
    accounts[key] = await addAccount(world.db, world.credentials, { ...input, baseUrl: origin }, Date.now());
  };
  await add('electio', { provider: 'electio', name: 'Electio', secret: 'electio-key' });
  await add('sorted-pro', { provider: 'sorted-pro', name: 'Sorted', secret: 'sorted-key' });
  await add('basic', {
    provider: 'sendcloud',
    name: 'Shop',
    secret: 'public:secret',
    settings: { integrationId: 7, authKind: 'basic' },
  });
  await add('oauth2', {
    provider: 'sendcloud',
    name: 'Warehouse',
    secret: 'client:secret',
    settings: { integrationId: 7, authKind: 'oauth2', tokenUrl: `${origin}/oauth2/token/` },
  });
});
afterAll(async () => {
  await world.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const labelId = fc.oneof(fc.integer({ min: 1, max: 999_999_999 }).map(String), fc.constant('shp-2001'));

interface StoredItem {
  state: string;
  reason: string | null;
  message: string | null;
  accountId: string;
}

/** Queues the references as one batch and drains it with runBatch while the server plays these answers in turn. */
async function drain(
  answers: AnswerSpec[],
  action: Action,
  oauth: boolean,
  references: string[],
  transport: TransportName = 'undici',
) {
  script = answers;
  served = 0;
  connectionsClosed = [];
  const queued = queueList(world.db, references, action, {
    electio: accounts.electio?.id,
    'sorted-pro': accounts['sorted-pro']?.id,
    sendcloud: (oauth ? accounts.oauth2 : accounts.basic)?.id,
  });
  if (!queued) return null;
  const { batchId } = queued;
  const report = await runBatch(runnerDeps(world, 'fuzz', TRANSPORTS[transport]), batchId, {
    ...DEFAULT_RUN_OPTIONS,
    concurrency: 4,
    chunkSize: 3,
    maxAttempts: 3,
    timeoutMs: 5000,
    backoffBaseMs: 1,
    backoffCapMs: 5,
    retryAfterCapMs: 5,
    pacing: false,
  });
  const items = world.db
    .prepare(
      `SELECT state, reason, message, (SELECT id FROM accounts WHERE key = account_key) AS accountId FROM items
       WHERE batch_key = (SELECT key FROM batches WHERE id = ?) ORDER BY seq`,
    )
    .all(batchId) as StoredItem[];
  expect(items).toHaveLength(queued.items);
  return { report, items };
}

describe('provider answers that are not what they should be', () => {
  it('every item ends with a result in plain words, or waits behind an account; the database stays sound', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(answer, { minLength: 1, maxLength: 8 }),
        fc.constantFrom<Action>('cancel', 'cancel-and-delete', 'cancel-label'),
        fc.boolean(),
        fc.uniqueArray(fc.oneof(electioReference, sortedReference, sendcloudReference, labelId), {
          minLength: 1,
          maxLength: 6,
          selector: (reference) => reference.toUpperCase(),
        }),
        fc.constantFrom(...TRANSPORT_NAMES),
        async (answers, action, oauth, references, transport) => {
          const drained = await drain(answers, action, oauth, references, transport);
          if (!drained) return;
          const waiting = new Set(drained.report.attention.map((held) => held.accountId));
          for (const item of drained.items) {
            expect(['succeeded', 'failed', 'pending', 'queued']).toContain(item.state);
            if (item.state === 'queued') expect(waiting.has(item.accountId)).toBe(true);
            else expect(item.message).toMatch(/\S/);
            if (item.message !== null) {
              expect(item.message).not.toMatch(/^Unexpected problem/);
              expect(item.message.length).toBeLessThan(2000);
            }
          }
          for (const held of drained.report.attention) expect(held.message).toMatch(/\S/);
        },
      ),
      runs(0.2),
    );
    expect(world.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(world.db.pragma('foreign_key_check')).toEqual([]);
  });

  // Regression: an Electio cancel list answering a 3,000-character Message stored it whole for every item.
  it('keeps a provider message short', async () => {
    const long: AnswerSpec = {
      status: 200,
      contentType: 'application/json',
      retryAfter: null,
      body: { kind: 'shaped', success: false, message: `${'x'.repeat(2999)}!` },
    };
    const drained = await drain([long], 'cancel', false, ['EC-000-000-000', 'EC-000-000-001']);
    expect(drained?.items.map((item) => [item.state, item.message?.length])).toEqual([
      ['failed', 500],
      ['failed', 500],
    ]);
    expect(drained?.items[0]?.message).toMatch(/^x+…$/);
  });

  // Regression: a busy token endpoint (503) held the account as if its client id and secret were refused.
  it('retries when the OAuth2 token endpoint is busy, without holding the account', async () => {
    const busy: AnswerSpec = {
      status: 503,
      contentType: 'text/html',
      retryAfter: null,
      body: { kind: 'text', value: '<h1>busy</h1>' },
    };
    const drained = await drain([busy], 'cancel', true, ['39874b59-2a68-4a3d-8e00-aeb9e0540d00']);
    expect(drained?.report.attention).toEqual([]);
    expect(drained?.items).toEqual([
      expect.objectContaining({
        state: 'failed',
        reason: 'network',
        message: expect.stringMatching(/token service answered HTTP 503 .*gave up after 3 attempts/),
      }),
    ]);
  });

  it('says the answer was too large, reading no further than the limit, with or without Content-Length', async () => {
    for (const [transport, declared] of TRANSPORT_NAMES.flatMap((name) => [[name, true] as const, [name, false] as const])) {
      const huge: AnswerSpec = {
        status: 200,
        contentType: 'application/json',
        retryAfter: null,
        body: { kind: 'large', bytes: MAX_BODY_BYTES + 1024, declared },
      };
      const drained = await drain([huge], 'cancel', false, ['sp_00000000000000000001'], transport);
      expect(drained?.items).toEqual([
        expect.objectContaining({
          state: 'failed',
          reason: 'provider_error',
          message: expect.stringMatching(/HTTP 200 with an answer too large to read/),
        }),
      ]);
    }
  });

  // Regression: Node's fetch refused a redirect with its body unread and its connection open; the
  // server kept sending, and closing the server at the end of the file waited forever.
  it('closes the connection of a refused redirect, its body unread', async () => {
    for (const [transport, declared] of TRANSPORT_NAMES.flatMap((name) => [[name, true] as const, [name, false] as const])) {
      const redirect: AnswerSpec = {
        status: 302,
        contentType: 'text/html',
        retryAfter: null,
        body: { kind: 'large', bytes: MAX_BODY_BYTES + 1024, declared },
      };
      const drained = await drain([redirect], 'cancel', false, ['sp_00000000000000000001'], transport);
      expect(drained?.items).toEqual([expect.objectContaining({ state: 'failed', reason: 'network' })]);
      // A connection left open keeps this waiting until the test times out.
      await Promise.all(connectionsClosed);
    }
  });
});
