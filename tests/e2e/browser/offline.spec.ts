/**
 * The network goes away mid-run: the Run screen says so with the number still waiting, and the batch
 * finishes by itself once the provider is reachable again.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SORTED_DEFAULT_API_KEY, sortedReference } from '../../simulator';
import { SCREENSHOT_DIR, expect, test } from './harness';

test('offline banner while the provider cannot be reached; the run completes when it is back', async ({ app, page }) => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const refs = Array.from({ length: 300 }, (_, n) => sortedReference(140_000 + n));
  app.sim.sortedPro.add(refs);
  app.sim.setLatency(40);
  await app.open(page);
  await page.getByTestId('nav-accounts').click();
  await page.getByTestId('account-provider').selectOption('sorted-pro');
  await page.getByTestId('account-name').fill('Sorted');
  await page.getByTestId('account-base-url').fill(app.sim.url);
  await page.getByTestId('account-secret').fill(SORTED_DEFAULT_API_KEY);
  await page.getByTestId('account-rate').fill('100000');
  await page.getByTestId('account-save').click();
  await expect(page.locator('[data-testid="account-row"][data-account="Sorted"]')).toBeVisible();

  await page.getByTestId('nav-import').click();
  await page.getByTestId('paste-input').fill(refs.join('\n'));
  await page.getByTestId('paste-check').click();
  await expect(page.getByTestId('preview-items')).toHaveText('300');
  await page.getByTestId('confirm-button').click();
  await expect(page.getByTestId('progress-done')).not.toHaveText('0 of 300');

  await app.sim.goOffline();
  const banner = page.getByTestId('offline-banner');
  await expect(banner).toBeVisible({ timeout: 15_000 });
  await expect(banner).toContainText('Sorted');
  await expect(banner).toContainText(/[\d,]+ shipments? waiting to send/);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'run-offline.png'), fullPage: true });

  await app.sim.goOnline();
  app.service.wake(); // what Electron's powerMonitor "resume" does: probe at once
  await expect(page.getByTestId('progress-done')).toHaveText('300 of 300', { timeout: 60_000 });
  await expect(banner).toBeHidden();
  await expect(page.getByTestId('summary-succeeded')).toHaveText('300');
});
