/**
 * The real app in the real Electron binary: the window opens on the built renderer with the bridge
 * and without Node. Electron cannot start on machines installed with ELECTRON_SKIP_BINARY_DOWNLOAD;
 * there this file skips with its reason, and runs for real wherever the binary is installed.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

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

test.describe('Electron app', () => {
  test.skip(!binary, SKIP_REASON);

  test('opens a secure window whose page has the bridge and no Node', async () => {
    const app = await electron.launch({
      executablePath: binary ?? undefined,
      args: ['.'],
      env: { ...process.env, BULK_CANCEL_DATA_DIR: mkdtempSync(join(tmpdir(), 'bulk-cancel-electron-')) },
    });
    try {
      const page = await app.firstWindow();
      await expect(page).toHaveTitle('Bulk Cancel');
      expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => typeof (window as unknown as { process?: unknown }).process)).toBe('undefined');
      expect(await page.evaluate(() => Object.keys((window as unknown as { bulkCancel: object }).bulkCancel).sort())).toEqual([
        'invoke',
        'on',
      ]);
      const answer = await page.evaluate(() =>
        (window as unknown as { bulkCancel: { invoke(c: string, p: unknown): Promise<unknown> } }).bulkCancel.invoke(
          'accounts.list',
          {},
        ),
      );
      expect(answer).toEqual({ ok: true, value: [] });
    } finally {
      await app.close();
    }
  });
});
