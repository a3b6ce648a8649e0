/**
 * Serves a built renderer over http on 127.0.0.1 with the app's Content-Security-Policy, as the
 * browser E2E tests and the benchmarks need (module scripts do not load from file:// in a plain
 * browser). `route` may answer a request first (the benchmark's bridge endpoint).
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { CONTENT_SECURITY_POLICY, contentTypeFor } from '../../electron/main/security';

export type Route = (request: IncomingMessage, response: ServerResponse) => boolean;

export async function serveRenderer(dir: string, route?: Route): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    if (route?.(request, response)) return;
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path === '/' ? 'index.html' : path);
    readFile(file).then(
      (body) => {
        response.writeHead(200, {
          'content-type': contentTypeFor(file),
          'content-security-policy': CONTENT_SECURITY_POLICY,
        });
        response.end(body);
      },
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
