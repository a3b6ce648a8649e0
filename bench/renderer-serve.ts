// Builds the renderer from the project's own electron-vite config into a temp dir, and serves it on 127.0.0.1 with the app's CSP.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type InlineConfig } from 'vite';
import config from '../electron.vite.config';
import { serveRenderer } from '../tests/support/renderer-server';

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

/** Answers the page's bridge calls: a JSON body in, the reply as JSON text out. */
export type Invoke = (channel: unknown, payload: unknown) => Promise<string>;

/**
 * Serves the built renderer, and the bridge at POST /__bench/invoke: same-origin HTTP on loopback stands in
 * for Electron's IPC, which also serializes the whole reply in main and deserializes it in the renderer.
 */
export function serveDir(dir: string, invoke: Invoke): ReturnType<typeof serveRenderer> {
  return serveRenderer(dir, (request, response) => {
    if (request.method !== 'POST' || request.url !== '/__bench/invoke') return false;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      // A file's bytes cross IPC as a Uint8Array (structured clone); over JSON the page sends them as base64.
      const { channel, payload } = JSON.parse(Buffer.concat(chunks).toString('utf8'), (_key, value: unknown) =>
        typeof value === 'object' && value !== null && '__bytes' in value
          ? new Uint8Array(Buffer.from(String(value.__bytes), 'base64'))
          : value,
      ) as { channel: unknown; payload: unknown };
      void invoke(channel, payload).then((text) => {
        response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        response.end(text);
      });
    });
    return true;
  });
}
