// Builds the renderer from the project's own electron-vite config into a temp dir, and serves it on 127.0.0.1 with the app's CSP.
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { build, type InlineConfig } from 'vite';
import config from '../electron.vite.config';
import { CONTENT_SECURITY_POLICY } from '../electron/main/security';

/** A fresh build of the current sources (not out/renderer, which other work may be rebuilding at the same moment). */
export async function buildRenderer(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'bulk-cancel-bench-renderer-'));
  const renderer = (config as { renderer: InlineConfig }).renderer;
  await build({
    ...renderer,
    configFile: false,
    mode: 'production',
    base: './',
    logLevel: 'warn',
    build: {
      ...renderer.build,
      // Profiles (BENCH_PROFILE) are read by function name, so that build keeps the names.
      ...(process.env.BENCH_PROFILE ? { minify: false } : {}),
      outDir,
      emptyOutDir: true,
      modulePreload: { polyfill: false },
      reportCompressedSize: false,
    },
  });
  return outDir;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Answers the page's bridge calls: a JSON body in, the reply as JSON text out. */
export type Invoke = (channel: unknown, payload: unknown) => Promise<string>;

/**
 * Serves the built renderer, and the bridge at POST /__bench/invoke: same-origin HTTP on loopback stands in
 * for Electron's IPC, which also serializes the whole reply in main and deserializes it in the renderer.
 */
export async function serveDir(dir: string, invoke: Invoke): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    if (request.method === 'POST' && request.url === '/__bench/invoke') {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const { channel, payload } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { channel: unknown; payload: unknown };
        void invoke(channel, payload).then((text) => {
          response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
          response.end(text);
        });
      });
      return;
    }
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path === '/' ? 'index.html' : path);
    readFile(file).then(
      (body) => {
        response.writeHead(200, {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
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
