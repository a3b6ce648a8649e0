/**
 * The browser E2E harness: serves the built renderer over http on 127.0.0.1 and stands in for the
 * preload bridge with `page.exposeBinding`, so the page talks to the real core service (real
 * SQLite, real keychain, real HTTP to the simulator) through the same `dispatch` main uses.
 */
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { test as base, type Page } from '@playwright/test';
import type { Bridge, EventName } from '../../../shared/contract';
import { withSessionFallback } from '../../../electron/core/credentials/session';
import { dispatch } from '../../../electron/core/dispatch';
import { CONTENT_SECURITY_POLICY } from '../../../electron/main/security';
import { createService, type AppService } from '../../../electron/core/service';
import { startSimulator, type Simulator } from '../../simulator';
import { testWorld, type TestWorld } from '../../support/fixtures';

const RENDERER_DIR = join(process.cwd(), 'out', 'renderer');
export const SCREENSHOT_DIR = join(process.cwd(), 'tests', 'artifacts', 'screenshots');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

async function serveRenderer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(RENDERER_DIR, path === '/' ? 'index.html' : path);
    readFile(file).then(
      (body) => {
        response.writeHead(200, {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          'content-security-policy': CONTENT_SECURITY_POLICY,
        });
        response.end(body);
      },
      () => {
        response.writeHead(404).end();
      },
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

export interface App {
  sim: Simulator;
  world: TestWorld;
  service: AppService;
  /** Where the save dialog's test double puts exports. */
  exportDir: string;
  /** Opens the app in the page, with the bridge in place. */
  open(page: Page): Promise<void>;
}

declare global {
  interface Window {
    bulkCancel: Bridge;
    __bulkCancelInvoke(channel: string, payload: unknown): Promise<unknown>;
    __bulkCancelEmit(event: string, payload: unknown): void;
  }
}

export const test = base.extend<{ app: App }>({
  // Playwright reads a fixture's dependencies from this destructuring; this one has none.
  // eslint-disable-next-line no-empty-pattern
  app: async ({}, use) => {
    const sim = await startSimulator({ latencyMs: 5 });
    const world = testWorld();
    const exportDir = join(world.dataDir, 'exports');
    mkdirSync(exportDir, { recursive: true });
    const service = createService({
      db: world.db,
      credentials: withSessionFallback(world.credentials),
      fetch,
      owner: 'browser-e2e',
      // The native save dialog is an edge that cannot exist here: its double answers with a path.
      chooseExportPath: async (suggestedName) => join(exportDir, suggestedName),
    });
    const renderer = await serveRenderer();
    const pages: Page[] = [];
    service.onEvent((event: EventName, payload) => {
      for (const page of pages) {
        page.evaluate(([name, value]) => window.__bulkCancelEmit(name, value), [event, payload] as const).catch(() => undefined);
      }
    });
    await use({
      sim,
      world,
      service,
      exportDir,
      async open(page) {
        pages.push(page);
        await page.exposeBinding('__bulkCancelInvoke', (_source, channel: unknown, payload: unknown) =>
          dispatch(service.handlers, channel, payload),
        );
        await page.addInitScript(() => {
          const listeners = new Map<string, Set<(payload: unknown) => void>>();
          window.__bulkCancelEmit = (event, payload) => listeners.get(event)?.forEach((listener) => listener(payload));
          window.bulkCancel = {
            invoke: (channel, request) => window.__bulkCancelInvoke(channel, request),
            on: (event, listener) => {
              const set = listeners.get(event) ?? new Set();
              set.add(listener as (payload: unknown) => void);
              listeners.set(event, set);
              return () => set.delete(listener as (payload: unknown) => void);
            },
          } as Bridge;
        });
        await page.goto(renderer.url);
      },
    });
    await service.close();
    await renderer.close();
    await sim.close();
    await world.close();
  },
});

export { expect } from '@playwright/test';

/** Drops a file on an element the way a clerk drags one from the file manager. */
export async function dropFile(page: Page, selector: string, name: string, content: string, type = 'text/csv'): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ([fileName, text, mime]) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], fileName, { type: mime }));
      return transfer;
    },
    [name, content, type] as const,
  );
  await page.dispatchEvent(selector, 'dragenter', { dataTransfer });
  await page.dispatchEvent(selector, 'dragover', { dataTransfer });
  await page.dispatchEvent(selector, 'drop', { dataTransfer });
}
