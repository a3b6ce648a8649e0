/**
 * A carrier that says only what a document says: a tiny HTTP server on 127.0.0.1 that answers each
 * request with the next reply of a scripted list (status, headers, body; or a dropped connection, or
 * no answer at all) and records every request it got, so a test asserts both what the client made of
 * the carrier's answers and what it sent (the read-back GET after a Sorted 409, the body of a delete).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One scripted answer. */
export type Reply =
  | { kind: 'answer'; status: number; headers: Record<string, string>; body: string }
  /** The connection is dropped before any answer: a reset, which may or may not have reached the carrier. */
  | { kind: 'reset' }
  /** No answer ever comes: the client's deadline ends it (keep that deadline short). */
  | { kind: 'silence' };

export interface RecordedRequest {
  method: string;
  /** The path with its query, as the client sent it. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A JSON answer, as a carrier documents it. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return {
    kind: 'answer',
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

/** An answer with no body (204, 304, a 200 "with no body"). */
export function empty(status: number, headers: Record<string, string> = {}): Reply {
  return { kind: 'answer', status, headers, body: '' };
}

/** What a proxy, a load balancer or a Wi-Fi sign-in page puts in place of the carrier's answer. */
export function html(
  status: number,
  text = '<!DOCTYPE html><html><body><h1>Service temporarily unavailable</h1></body></html>',
): Reply {
  return { kind: 'answer', status, headers: { 'content-type': 'text/html; charset=utf-8' }, body: text };
}

export const reset: Reply = { kind: 'reset' };
export const silence: Reply = { kind: 'silence' };

/** Answered when the script has run out: a test that sees it sent more requests than it should. */
const EXHAUSTED = 599;

export interface ReplayServer {
  readonly url: string;
  /** Every request since the last `play`, in order. */
  readonly requests: readonly RecordedRequest[];
  /** Replaces the script (and forgets the requests): the next requests get these replies in turn. */
  play(replies: readonly Reply[]): void;
  /**
   * Replaces the script with a function of each request (and forgets the requests): for runs whose
   * requests come in no fixed order, answered by what they ask.
   */
  answer(script: (request: RecordedRequest) => Reply): void;
  /** How many scripted replies were used. */
  readonly served: number;
  close(): Promise<void>;
}

export async function startReplayServer(): Promise<ReplayServer> {
  let script: readonly Reply[] | ((request: RecordedRequest) => Reply) = [];
  let served = 0;
  let requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const recorded: RecordedRequest = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const reply = typeof script === 'function' ? script(recorded) : script[served];
      if (reply) served += 1;
      if (!reply) {
        response.writeHead(EXHAUSTED, { 'content-type': 'text/plain' });
        return void response.end('The replay script has no more answers: the client sent a request nobody expected.');
      }
      if (reply.kind === 'reset') return void request.socket.destroy();
      if (reply.kind === 'silence') return;
      response.writeHead(reply.status, reply.headers);
      response.end(reply.status === 204 || reply.status === 304 ? undefined : reply.body);
    });
    // A client that gave up (its deadline) closes the connection under an unfinished answer.
    response.on('error', () => undefined);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    get requests() {
      return requests;
    },
    get served() {
      return served;
    },
    play(replies) {
      script = replies;
      served = 0;
      requests = [];
    },
    answer(next) {
      script = next;
      served = 0;
      requests = [];
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `METHOD /path` of each recorded request, for comparing with what the client should have sent. */
export const sent = (server: Pick<ReplayServer, 'requests'>): string[] =>
  server.requests.map((request) => `${request.method} ${request.path}`);
