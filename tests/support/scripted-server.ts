/**
 * A carrier that answers what the test scripts, and nothing else: a real HTTP server on 127.0.0.1
 * whose every answer comes from a function of the request. Written apart from the simulator, so the
 * verdict tests do not share the simulator's assumptions about the carriers. It records every request.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** An answer: a status with headers and a body (an object is sent as JSON), or a dropped connection. */
export type Reply = { status: number; headers?: Record<string, string>; body?: string | object } | { reset: true };

export interface ScriptedServer {
  url: string;
  requests: ScriptedRequest[];
  /** Replaces the script; the requests recorded so far are kept. */
  answer(script: (request: ScriptedRequest) => Reply): void;
  close(): Promise<void>;
}

export const html = (status: number, text = 'Please sign in to the Wi-Fi'): Reply => ({
  status,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body: `<!doctype html><html><body><h1>${text}</h1></body></html>`,
});

export async function startScriptedServer(script: (request: ScriptedRequest) => Reply = () => ({ status: 500 })) {
  let current = script;
  const requests: ScriptedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ScriptedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      const reply = current(request);
      if ('reset' in reply) {
        req.socket.resetAndDestroy();
        return;
      }
      const isJson = reply.body !== undefined && typeof reply.body !== 'string';
      const body = reply.body === undefined ? '' : isJson ? JSON.stringify(reply.body) : (reply.body as string);
      res.writeHead(reply.status, { ...(isJson ? { 'content-type': 'application/json' } : {}), ...reply.headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const scripted: ScriptedServer = {
    url: `http://127.0.0.1:${port}`,
    requests,
    answer(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return scripted;
}
