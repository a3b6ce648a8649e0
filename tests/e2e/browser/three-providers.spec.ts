/**
 * Three providers in one list, in the real renderer against the real core and the simulator: the
 * clerk adds an account of each provider (two of Sorted PRO), imports a mixed CSV, chooses the
 * Sorted PRO account, checks the routes, and reads results with provider and reason columns.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import {
  ELECTIO_DEFAULT_API_KEY,
  SORTED_DEFAULT_API_KEY,
  electioReference,
  sendcloudShipmentUuid,
  sortedReference,
} from '../../simulator';
import { SCREENSHOT_DIR, expect, test } from './harness';

async function addAccount(
  page: Page,
  fields: {
    provider: string;
    name: string;
    baseUrl: string;
    secret?: string;
    sendcloud?: { integrationId: string; publicKey: string; secretKey: string };
  },
) {
  await page.getByTestId('account-provider').selectOption(fields.provider);
  await page.getByTestId('account-name').fill(fields.name);
  await page.getByTestId('account-base-url').fill(fields.baseUrl);
  if (fields.sendcloud) {
    await page.getByTestId('account-integration-id').fill(fields.sendcloud.integrationId);
    await page.getByTestId('account-auth-kind').selectOption('basic');
    await page.getByTestId('account-public-key').fill(fields.sendcloud.publicKey);
    await page.getByTestId('account-secret-key').fill(fields.sendcloud.secretKey);
  } else {
    await page.getByTestId('account-secret').fill(fields.secret ?? '');
  }
  await page.getByTestId('account-save').click();
  await expect(page.locator(`[data-testid="account-row"][data-account="${fields.name}"]`)).toBeVisible();
}

test('an account of each provider, a mixed CSV, results with provider and reason', async ({ app, page }) => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const electio = [electioReference(30_000), electioReference(30_001)];
  const sorted = [sortedReference(30_000), sortedReference(30_001), sortedReference(30_002)];
  const sendcloud = [sendcloudShipmentUuid(30_000), sendcloudShipmentUuid(30_001)];
  app.sim.electio.add(electio);
  app.sim.sortedPro.add([sorted[0] ?? '', sorted[1] ?? '']);
  app.sim.sortedPro.add([sorted[2] ?? ''], 'manifested');
  app.sim.sendcloud.addShipment(321, { uuid: sendcloud[0] ?? '' });

  await app.open(page);
  await page.getByTestId('nav-accounts').click();
  await addAccount(page, { provider: 'electio', name: 'Electio UK', baseUrl: app.sim.url, secret: ELECTIO_DEFAULT_API_KEY });
  await addAccount(page, { provider: 'sorted-pro', name: 'Sorted North', baseUrl: app.sim.url, secret: SORTED_DEFAULT_API_KEY });
  await addAccount(page, { provider: 'sorted-pro', name: 'Sorted South', baseUrl: app.sim.url, secret: 'not-used' });
  await addAccount(page, {
    provider: 'sendcloud',
    name: 'Shop',
    baseUrl: app.sim.url,
    sendcloud: { integrationId: '321', publicKey: 'sim-sc-public', secretKey: 'sim-sc-secret' },
  });
  await expect(page.getByTestId('sendcloud-actions-note')).toContainText('does not cancel a label');
  await expect(page.locator('body')).not.toContainText('sim-sc-secret');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'accounts-three-providers.png'), fullPage: true });

  await page.getByTestId('nav-import').click();
  const text = ['Reference', ...electio, ...sorted, ...sendcloud].join('\n');
  await page.getByTestId('paste-input').fill(text);
  await page.getByTestId('paste-check').click();
  await expect(page.getByTestId('preview-items')).toHaveText('7');
  await expect(page.locator('[data-testid="preview-group"]')).toHaveCount(3);
  await page.getByTestId('account-select-sorted-pro').selectOption({ label: 'Sorted North' });
  await expect(page.getByTestId('confirm-routes')).toContainText('Sorted North');
  await expect(page.getByTestId('confirm-routes')).toContainText('does not cancel a label');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'import-mixed-routes.png'), fullPage: true });
  await page.getByTestId('confirm-button').click();

  await expect(page.getByTestId('progress-done')).toHaveText('7 of 7', { timeout: 30_000 });
  await page.getByTestId('see-results').click();
  const row = (reference: string) => page.locator(`[data-testid="results-row"][data-reference="${reference}"]`);
  await expect(row(electio[0] ?? '')).toContainText('Electio UK');
  await expect(row(electio[0] ?? '')).toContainText('Cancelled');
  await expect(row(sorted[0] ?? '')).toContainText('Sorted North');
  await expect(row(sorted[2] ?? '')).toContainText('Too late');
  await expect(row(sendcloud[0] ?? '')).toContainText('Removed from shop – label still active');
  await expect(row(sendcloud[1] ?? '')).toContainText('Not found');
  await expect(page.getByTestId('summary-succeeded')).toHaveText('5');
  await expect(page.getByTestId('summary-failed')).toHaveText('2');
  await page.getByTestId('results-provider-filter').selectOption('sorted-pro');
  await expect(page.getByTestId('results-row')).toHaveCount(3);
  await page.getByTestId('results-provider-filter').selectOption('all');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'results-three-providers.png'), fullPage: true });

  // Every Sorted PRO request carried the chosen account's key, never the other account's.
  const sortedRequests = app.sim.requests.filter((r) => r.path.startsWith('/shipments/'));
  expect(sortedRequests.length).toBeGreaterThanOrEqual(3);
  expect(sortedRequests.every((r) => r.headers['x-api-key'] === SORTED_DEFAULT_API_KEY)).toBe(true);
});
