/**
 * The browser E2E harness: serves the built renderer over http on 127.0.0.1 and stands in for the
 * preload bridge with `page.exposeBinding`, so the page talks to the real core service (real
 * SQLite, real keychain, real HTTP to the simulator) through the same `dispatch` main uses.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test as base, type Page } from '@playwright/test';
import type { Bridge, EventName } from '../../../shared/contract';
import { withSessionFallback } from '../../../electron/core/credentials/session';
import { dispatch } from '../../../electron/core/dispatch';
import { openLog } from '../../../electron/core/log';
import { createService, type AppService } from '../../../electron/core/service';
import { startSimulator, type Simulator } from '../../simulator';
import { testWorld, type TestWorld } from '../../support/fixtures';
import { serveRenderer } from '../../support/renderer-server';
import { TRANSPORTS } from '../../support/transports';

const RENDERER_DIR = join(process.cwd(), 'out', 'renderer');
export const SCREENSHOT_DIR = join(process.cwd(), 'tests', 'artifacts', 'screenshots');

export interface App {
  sim: Simulator;
  world: TestWorld;
  service: AppService;
  /** Where the save dialog's test double puts exports. */
  exportDir: string;
  /** Every text main put on the clipboard (the clipboard's test double). */
  clipboard: string[];
  /** Opens the app in the page, with the bridge in place. */
  open(page: Page, options?: OpenOptions): Promise<void>;
}

export interface OpenOptions {
  /** Awaited before each request from the page is handled: a test holds a request until it lets it go. */
  beforeRequest?: (channel: unknown) => Promise<void>;
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
    const clipboard: string[] = [];
    const service = createService({
      db: world.db,
      credentials: withSessionFallback(world.credentials),
      transport: TRANSPORTS.fetch,
      owner: 'browser-e2e',
      // The native save dialog is an edge that cannot exist here: its double answers with a path.
      chooseExportPath: async (suggestedName) => join(exportDir, suggestedName),
      log: openLog(join(world.dataDir, 'logs')),
      appVersion: 'e2e',
      // The system clipboard is shared by everything on the machine: its double keeps what main copies.
      copyText: (text) => {
        clipboard.push(text);
      },
    });
    const renderer = await serveRenderer(RENDERER_DIR);
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
      clipboard,
      async open(page, options = {}) {
        pages.push(page);
        await page.exposeBinding('__bulkCancelInvoke', async (_source, channel: unknown, payload: unknown) => {
          await options.beforeRequest?.(channel);
          return dispatch(service.handlers, channel, payload);
        });
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
