/**
 * The clerk's whole path in the real renderer in Chromium, against the real core and the carrier
 * simulator: add an Electio account, drop a CSV, check the preview, confirm, watch it run, and read
 * every item's outcome in the results table.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { electioReference, ELECTIO_DEFAULT_API_KEY } from '../../simulator';
import { SCREENSHOT_DIR, dropFile, expect, test } from './harness';

test('drop a CSV → preview → confirm → every item shows its outcome', async ({ app, page }) => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const outcomes = new Map<string, RegExp>();
  for (let n = 0; n < 24; n++) {
    const ref = electioReference(9000 + n);
    if (n % 6 === 1) {
      app.sim.electio.add([ref], 'manifested');
      outcomes.set(ref, /Failed[\s\S]*Too late/);
    } else if (n % 6 === 2) {
      app.sim.electio.add([ref], 'cancelled');
      outcomes.set(ref, /Succeeded[\s\S]*Already cancelled/);
    } else if (n % 6 === 3) {
      outcomes.set(ref, /Failed[\s\S]*Not found/);
    } else {
      app.sim.electio.add([ref], 'created');
      outcomes.set(ref, /Succeeded[\s\S]*Cancelled/);
    }
  }
  const refs = [...outcomes.keys()];
  const csv = [
    'Consignment Reference;Order',
    ...refs.map((ref, i) => `${ref};ORD-${i}`),
    `${refs[0]};duplicate line`,
    '1.23E+15;mangled by a spreadsheet',
  ].join('\r\n');

  await app.open(page);

  // Accounts: add one Electio account pointing at the simulator; the key field is write-only.
  await page.getByTestId('nav-accounts').click();
  await page.getByTestId('account-name').fill('Warehouse Electio');
  await page.getByTestId('account-base-url').fill(app.sim.url);
  await page.getByTestId('account-secret').fill(ELECTIO_DEFAULT_API_KEY);
  await page.getByTestId('account-save').click();
  await expect(page.getByTestId('accounts-list')).toContainText('Warehouse Electio');
  await expect(page.getByTestId('account-secret')).toHaveValue('');
  await expect(page.locator('body')).not.toContainText(ELECTIO_DEFAULT_API_KEY);

  // Import: drop the CSV and check the preview.
  await page.getByTestId('nav-import').click();
  await dropFile(page, '[data-testid="drop-zone"]', 'cancel-today.csv', csv);
  await expect(page.getByTestId('preview')).toBeVisible();
  await expect(page.getByTestId('preview-items')).toHaveText('24');
  await expect(page.getByTestId('preview-duplicates')).toHaveText('1');
  await expect(page.getByTestId('preview-rejected')).toHaveText('1');
  await expect(page.getByTestId('preview')).toContainText('scientific notation');
  await expect(page.getByTestId('preview')).toContainText('Consignment Reference');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'import-preview.png'), fullPage: true });
  expect(app.sim.requests).toHaveLength(0); // nothing is sent before the clerk confirms

  // Confirm: the account is preselected (the only one); the button names the count.
  await expect(page.getByTestId('confirm-button')).toContainText('24');
  await page.getByTestId('confirm-button').click();

  // Run: progress reaches 24 of 24.
  await expect(page.getByTestId('progress-done')).toHaveText('24 of 24', { timeout: 30_000 });
  await expect(page.getByTestId('summary-succeeded')).toHaveText('16');
  await expect(page.getByTestId('summary-failed')).toHaveText('8');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'run-finished.png'), fullPage: true });

  // Results: every item's outcome, found through the search box.
  await page.getByTestId('see-results').click();
  await expect(page.getByTestId('results-table')).toBeVisible();
  await expect(page.getByTestId('results-row').first()).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'results.png'), fullPage: true });
  for (const [ref, outcome] of outcomes) {
    await page.getByTestId('results-search').fill(ref);
    const rows = page.getByTestId('results-row');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute('data-reference', ref);
    await expect(rows.first()).toContainText(outcome);
  }
  await page.getByTestId('results-search').fill('');
  await page.getByTestId('results-filter').selectOption({ label: 'Failed' });
  await expect(page.getByTestId('results-row')).toHaveCount(8);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'results-failed.png'), fullPage: true });

  // The simulator's state matches what the table says.
  for (const [ref, outcome] of outcomes) {
    if (outcome.source.includes('Cancelled') && !outcome.source.includes('Already'))
      expect(app.sim.electio.state(ref)).toBe('cancelled');
  }
});
