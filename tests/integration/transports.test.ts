/**
 * The HTTP layer over both transports the product ships (a Fetch API in the app, undici's request in the
 * CLI), against a real server on 127.0.0.1: the same answers, the same failures, the same limits.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttp, MAX_BODY_BYTES, type HttpRequest, type Transport } from '../../electron/core/providers/http';
import { TRANSPORT_NAMES, TRANSPORTS } from '../support/transports';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;
const routes = new Map<string, Handler>([
  [
    '/echo',
    (request, body, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'Retry-After': '7' });
      const { 'x-api-key': key, 'user-agent': agent } = request.headers;
      response.end(JSON.stringify({ method: request.method, key, agent: agent !== undefined && agent !== '', body }));
    },
  ],
  ['/not-modified', (_request, _body, response) => void response.writeHead(304).end()],
  ...[301, 302, 303, 307, 308].map((status): [string, Handler] => [
    `/moved/${status}`,
    (_request, _body, response) => void response.writeHead(status, { location: '/echo' }).end(),
  ]),
  ['/found-nowhere', (_request, _body, response) => void response.writeHead(302).end('no Location')],
  [
    '/chunked',
    (_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('first, ');
      setTimeout(() => response.end('then the rest'), 5);
    },
  ],
  ['/garbled', (_request, _body, response) => void response.writeHead(200, { 'content-type': 'application/json' }).end('{"Is')],
  [
    '/huge',
    (_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(MAX_BODY_BYTES + 1) });
      response.write('{');
    },
  ],
  [
    '/huge-chunked',
    (_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const part = Buffer.alloc(1024 * 1024, 'x');
      let sent = 0;
      const pump = (): void => {
        while (sent <= MAX_BODY_BYTES && !response.destroyed) {
          sent += part.length;
          if (!response.write(part)) return void response.once('drain', pump);
        }
        response.end();
      };
      pump();
    },
  ],
  [
    '/inflating',
    (_request, _body, response) => {
      const packed = gzipSync(Buffer.alloc(MAX_BODY_BYTES + 1024, ' '));
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': packed.length,
      });
      response.end(packed);
    },
  ],
  [
    '/slow-body',
    (_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"Is');
    },
  ],
  ['/hang', () => undefined],
  ['/reset', (request) => void request.socket.resetAndDestroy()],
]);

let server: Server;
let origin: string;
beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => routes.get(request.url ?? '')?.(request, body, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/**
 * Straight through a transport, with no deadline. Reading past the limit moves over 16 MiB (and the server
 * is in this process), which on a loaded machine takes longer than a short deadline: through `createHttp`
 * the deadline then fired before the limit was reached, and the answer came back as a timeout. These tests
 * are about where reading stops, so no clock may decide them.
 */
const readWithoutDeadline = (transport: Transport, path: string) =>
  transport({ method: 'GET', url: `${origin}${path}`, headers: {} }, new AbortController().signal);

describe.each(TRANSPORT_NAMES)('over %s', (name) => {
  const http = createHttp(TRANSPORTS[name], 500);
  const send = (path: string, extra: Partial<HttpRequest> = {}) =>
    http.send({ method: 'GET', url: `${origin}${path}`, headers: { accept: 'application/json' }, ...extra });

  it('sends the method, headers and body, and reads status, headers in any case and JSON', async () => {
    const result = await send('/echo', { method: 'PUT', headers: { 'x-api-key': 'k1' }, body: '{"a":1}' });
    expect(result).toMatchObject({ kind: 'answer', status: 200, malformed: false, tooLarge: false });
    if (result.kind !== 'answer') return;
    expect(result.json).toEqual({ method: 'PUT', key: 'k1', agent: true, body: '{"a":1}' });
    expect(result.headers.get('retry-after')).toBe('7');
    expect(result.headers.get('Content-Type')).toBe('application/json');
    expect(result.headers.get('x-absent')).toBeNull();
  });

  it('304 is an answer (Sorted PRO: already cancelled); a redirect is never followed', async () => {
    expect(await send('/not-modified')).toMatchObject({ kind: 'answer', status: 304, text: '' });
    for (const status of [301, 302, 303, 307, 308]) {
      expect(await send(`/moved/${status}`, { method: 'PUT' })).toMatchObject({ kind: 'failure', failure: 'network' });
    }
    // As the Fetch standard has it for redirect: 'error', the status decides, with or without a Location.
    expect(await send('/found-nowhere')).toMatchObject({ kind: 'failure', failure: 'network' });
  });

  it('reads a body without a length to its end, and marks JSON that is not', async () => {
    expect(await send('/chunked')).toMatchObject({ kind: 'answer', text: 'first, then the rest', malformed: false });
    expect(await send('/garbled')).toMatchObject({ kind: 'answer', json: undefined, malformed: true });
  });

  it('stops reading at the limit, whether the answer declares its length or not', async () => {
    expect(await send('/huge')).toMatchObject({ kind: 'answer', status: 200, text: '', tooLarge: true });
    expect(await readWithoutDeadline(TRANSPORTS[name], '/huge-chunked')).toMatchObject({ status: 200, text: '', tooLarge: true });
    expect(await send('/echo')).toMatchObject({ kind: 'answer', status: 200 }); // and the next request still goes
  });

  it('no answer: a deadline, a reset connection, a closed port', async () => {
    expect(await send('/hang')).toEqual({
      kind: 'failure',
      failure: 'timeout',
      message: 'No answer from the provider within 1 s.',
    });
    expect(await send('/reset')).toMatchObject({ kind: 'failure', failure: 'network' });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await http.send({ method: 'GET', url: `http://127.0.0.1:${port}/`, headers: {} })).toMatchObject({
      kind: 'failure',
      failure: 'offline',
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });
});

it('a compressed answer is counted as it is decoded, not by its Content-Length (fetch decodes it)', async () => {
  expect(await readWithoutDeadline(TRANSPORTS.fetch, '/inflating')).toMatchObject({ status: 200, text: '', tooLarge: true });
});

it('names the redirect when the transport can see it', async () => {
  const result = await createHttp(TRANSPORTS.undici, 500).send({ method: 'PUT', url: `${origin}/moved/302`, headers: {} });
  expect(result).toMatchObject({ message: expect.stringMatching(/redirect \(HTTP 302\), which is never followed/) });
});
