/**
 * "Copy diagnostics for support" on the Accounts screen: main puts the support text on the clipboard
 * (the harness's double keeps it), the clerk sees "Diagnostics copied", and the text names the
 * account and its kind of key but never the key.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { ELECTIO_DEFAULT_API_KEY } from '../../simulator';
import { SCREENSHOT_DIR, expect, test } from './harness';

test('copies a support text with the account and the recent log, and no key', async ({ app, page }) => {
  await app.open(page);
  await page.getByTestId('nav-accounts').click();
  await page.getByTestId('account-provider').selectOption('electio');
  await page.getByTestId('account-name').fill('Warehouse');
  await page.getByTestId('account-base-url').fill(app.sim.url);
  await page.getByTestId('account-secret').fill(ELECTIO_DEFAULT_API_KEY);
  await page.getByTestId('account-save').click();
  await expect(page.locator('[data-testid="account-row"][data-account="Warehouse"]')).toBeVisible();

  await page.getByTestId('copy-diagnostics').scrollIntoViewIfNeeded();
  await page.getByTestId('copy-diagnostics').click();
  await expect(page.getByTestId('toast')).toHaveText('Diagnostics copied');
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'accounts-diagnostics-copied.png') });
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const { violations } = await new AxeBuilder({ page }).include('.support-panel').analyze();
    expect(violations.map((v) => `${v.id} (${v.impact})`)).toEqual([]);
  }
  expect(app.clipboard).toHaveLength(1);
  const text = app.clipboard[0] ?? '';
  expect(text).toContain('App: Bulk Cancel e2e');
  expect(text).toMatch(/"Warehouse": Electio \(Sorted PRO v1\); http:\/\/127\.0\.0\.1:\d+; API key in the system keychain/);
  expect(text).toMatch(/account added name=Warehouse provider=electio/);
  expect(text).not.toContain(ELECTIO_DEFAULT_API_KEY);
  await expect(page.getByTestId('toast')).toBeHidden({ timeout: 10_000 });
});
