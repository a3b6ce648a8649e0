/**
 * The real app in the real Electron binary: the clerk's main path against the carrier simulator, and
 * the window's security settings seen from inside (no Node in the page, the CSP enforced, navigation,
 * new windows and permissions refused). Electron cannot start on machines installed with
 * ELECTRON_SKIP_BINARY_DOWNLOAD; there this file skips with its reason, and runs for real wherever
 * the binary is installed.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import type { Bridge } from '../../../shared/contract';
import { APP_PAGE_URL, PAGE_CONTENT_SECURITY_POLICY } from '../../../electron/main/security';
import { ELECTIO_DEFAULT_API_KEY, electioReference, startSimulator } from '../../simulator';

function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const SKIP_REASON = 'Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD=1): Electron E2E runs where the binary exists.';
if (!binary) console.log(`Skipping Electron E2E: ${SKIP_REASON}`);

declare global {
  interface Window {
    bulkCancel: Bridge;
  }
}

/** The built app (out/, from `electron-vite build`) on a fresh, throwaway data folder. */
async function launchApp(): Promise<{ app: ElectronApplication; page: Page; close: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bulk-cancel-electron-'));
  const app = await electron.launch({
    executablePath: binary ?? undefined,
    args: ['.'],
    env: { ...process.env, BULK_CANCEL_DATA_DIR: dataDir },
  });
  const page = await app.firstWindow();
  await expect(page).toHaveTitle('Bulk Cancel');
  return {
    app,
    page,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

test.describe('Electron app', () => {
  test.skip(!binary, SKIP_REASON);

  test('main path: add an account, paste a list, confirm, and read every result', async () => {
    const sim = await startSimulator({ latencyMs: 5 });
    const { page, close } = await launchApp();
    try {
      const cancellable = Array.from({ length: 4 }, (_, n) => electioReference(7000 + n));
      const tooLate = electioReference(7100);
      sim.electio.add(cancellable, 'created');
      sim.electio.add([tooLate], 'manifested');

      await page.getByTestId('nav-accounts').click();
      await page.getByTestId('account-name').fill('Electron E2E');
      await page.getByTestId('account-base-url').fill(sim.url);
      await page.getByTestId('account-secret').fill(ELECTIO_DEFAULT_API_KEY);
      await page.getByTestId('account-save').click();
      await expect(page.getByTestId('accounts-list')).toContainText('Electron E2E');

      await page.getByTestId('nav-import').click();
      await page.getByTestId('paste-input').fill([...cancellable, tooLate].join('\n'));
      await page.getByTestId('paste-check').click();
      await expect(page.getByTestId('preview-items')).toHaveText('5');
      expect(sim.requests).toHaveLength(0); // nothing is sent before the clerk confirms
      await page.getByTestId('confirm-button').click();

      await expect(page.getByTestId('progress-done')).toHaveText('5 of 5', { timeout: 30_000 });
      await expect(page.getByTestId('summary-succeeded')).toHaveText('4');
      await expect(page.getByTestId('summary-failed')).toHaveText('1');
      await page.getByTestId('see-results').click();
      await expect(page.getByTestId('results-row')).toHaveCount(5);
      await expect(page.locator(`[data-testid="results-row"][data-reference="${tooLate}"]`)).toContainText(
        /Failed[\s\S]*Too late/,
      );
      for (const ref of cancellable) expect(sim.electio.state(ref)).toBe('cancelled');

      // Leave the machine's keychain as it was: removing the account deletes its key.
      const removed = await page.evaluate(async () => {
        const accounts = await window.bulkCancel.invoke('accounts.list', {});
        if (!accounts.ok) return accounts;
        return Promise.all(accounts.value.map((account) => window.bulkCancel.invoke('accounts.remove', { id: account.id })));
      });
      expect(removed).toEqual([{ ok: true, value: { removed: true } }]);
    } finally {
      await close();
      await sim.close();
    }
  });

  test('the page has the bridge and no Node, from app://, under the CSP', async () => {
    const { page, close } = await launchApp();
    try {
      expect(page.url()).toBe(APP_PAGE_URL);
      expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => typeof (window as unknown as { process?: unknown }).process)).toBe('undefined');
      expect(await page.evaluate(() => Object.keys(window.bulkCancel).sort())).toEqual(['invoke', 'on']);
      expect(await page.evaluate(() => window.bulkCancel.invoke('accounts.list', {}))).toEqual({ ok: true, value: [] });

      const meta = await page.evaluate(
        () => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? null,
      );
      expect(meta).toBe(PAGE_CONTENT_SECURITY_POLICY);
      // An injected inline script does not run.
      const inlineRan = await page.evaluate(() => {
        const script = document.createElement('script');
        script.textContent = 'document.body.dataset.inline = "ran"';
        document.head.append(script);
        return document.body.dataset.inline ?? null;
      });
      expect(inlineRan).toBeNull();
    } finally {
      await close();
    }
  });

  test('navigation away, new windows and permission requests are refused', async () => {
    const { app, page, close } = await launchApp();
    try {
      // Listen in main for the page's navigation attempt; the app's own handler runs first.
      await app.evaluate(({ BrowserWindow }) => {
        const contents = BrowserWindow.getAllWindows()[0]?.webContents;
        (globalThis as unknown as { navigation: Promise<unknown> }).navigation = new Promise((resolve) => {
          contents?.once('will-navigate', (event, url) => resolve({ url, prevented: event.defaultPrevented }));
        });
      }, undefined);
      const elsewhere = 'http://127.0.0.1:9/';
      await page.evaluate((url) => {
        window.location.href = url;
      }, elsewhere);
      expect(await app.evaluate(() => (globalThis as unknown as { navigation: Promise<unknown> }).navigation, undefined)).toEqual(
        {
          url: elsewhere,
          prevented: true,
        },
      );
      expect(page.url()).toBe(APP_PAGE_URL);
      expect(await page.evaluate(() => window.bulkCancel.invoke('accounts.list', {}))).toEqual({ ok: true, value: [] });

      expect(await page.evaluate((url) => window.open(url) === null, elsewhere)).toBe(true);
      expect(app.windows()).toHaveLength(1);

      expect(await page.evaluate(() => Notification.requestPermission())).toBe('denied');
      const geolocation = await page.evaluate(
        () =>
          new Promise<number>((resolve) =>
            navigator.geolocation.getCurrentPosition(
              () => resolve(0),
              (error) => resolve(error.code),
            ),
          ),
      );
      expect(geolocation).toBe(1); // GeolocationPositionError.PERMISSION_DENIED
    } finally {
      await close();
    }
  });
});
