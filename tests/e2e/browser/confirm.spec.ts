/**
 * Issue 16's Confirm screen, by keyboard at 1280×720: after "Check pasted list" focus is on the
 * preview's heading; the Cancel button is in view below a long preview; it says how long sending
 * takes at the accounts' paces (Sendcloud's 100 a minute is the longest lane), and how many Sendcloud
 * labels the chosen action leaves active, with the switch to "Cancel label"; "Back" keeps the checked
 * list until another one replaces it; "an Electio account", numbers grouped.
 */
import { join } from 'node:path';
import { dispatch } from '../../../electron/core/dispatch';
import { ELECTIO_DEFAULT_API_KEY, electioReference, sendcloudShipmentUuid } from '../../simulator';
import { SCREENSHOT_DIR, expect, test } from './harness';

test('confirm: in view, with the time it takes, the labels left active, and a Back that keeps the list', async ({
  app,
  page,
}) => {
  const add = (request: unknown) => dispatch(app.service.handlers, 'accounts.add', request);
  await add({ provider: 'electio', name: 'Electio UK', baseUrl: app.sim.url, secret: ELECTIO_DEFAULT_API_KEY });
  await add({ provider: 'electio', name: 'Electio IE', baseUrl: app.sim.url, secret: ELECTIO_DEFAULT_API_KEY });
  await add({
    provider: 'sendcloud',
    name: 'Shop',
    baseUrl: app.sim.url,
    secret: 'sim-sc-public:sim-sc-secret',
    settings: { integrationId: 321, authKind: 'basic' },
  });
  await page.setViewportSize({ width: 1280, height: 720 });
  await app.open(page);
  await page.getByTestId('nav-import').click();

  const electio = Array.from({ length: 1_000 }, (_, n) => electioReference(40_000 + n));
  const sendcloud = Array.from({ length: 250 }, (_, n) => sendcloudShipmentUuid(40_000 + n));
  await page.getByTestId('paste-input').fill(['Reference', ...electio, ...sendcloud].join('\n'));
  await page.getByTestId('paste-input').press('Tab');
  await expect(page.getByTestId('paste-check')).toBeFocused();
  await page.keyboard.press('Enter');

  // Focus goes on to the preview, not to the top of the page.
  await expect(page.getByRole('heading', { level: 2, name: 'Pasted list' })).toBeFocused();
  await expect(page.getByTestId('preview-items')).toHaveText('1,250');
  await expect(page.getByTestId('preview')).toContainText('Electio 1,000 · Sendcloud 250');

  // Two Electio accounts: one is to be chosen, in good English; no estimate until then.
  const select = page.getByTestId('account-select-electio');
  await expect(select.locator('option').first()).toHaveText('Choose an Electio account…');
  await expect(page.getByTestId('confirm-estimate')).toHaveCount(0);
  await select.focus();
  await select.selectOption({ label: 'Electio UK' });

  // The button is in the window without scrolling past the 100-reference sample.
  await expect(page.getByTestId('confirm-button')).toHaveText('Cancel 1,250 shipments');
  await expect(page.getByTestId('confirm-button')).toBeInViewport();
  await expect(page.getByTestId('confirm-estimate')).toHaveText(
    /^Sending takes about 3 min at the accounts’ paces: done by \d\d:\d\d(?: [AP]M)? \(longest: Shop, 250 shipments\)\.$/,
  );
  await expect(page.getByTestId('confirm-labels-left')).toContainText(
    'The labels of 250 Sendcloud shipments will not be cancelled.',
  );
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'confirm-1280.png') });
  await page.setViewportSize({ width: 640, height: 360 });
  await expect(page.getByTestId('confirm-button')).toBeInViewport();
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'confirm-zoom200.png') });
  await page.setViewportSize({ width: 1280, height: 720 });

  // Back keeps the checked list, and says so; focus is on the way back to it.
  await page.getByRole('button', { name: 'Back' }).press('Enter');
  await expect(page.getByTestId('kept-list')).toContainText('Your checked list (pasted list, 1,250 shipments) is kept');
  await expect(page.getByTestId('return-to-list')).toBeFocused();
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'confirm-back-kept.png') });
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Pasted list' })).toBeFocused();
  await expect(page.getByTestId('preview-items')).toHaveText('1,250');
  await expect(page.getByTestId('account-select-electio')).toHaveValue(/.+/);

  // The switch to "Cancel label" reads the list again for labels: the warning goes.
  await page.getByTestId('switch-to-labels').press('Enter');
  await expect(page.getByRole('radio', { name: /Cancel label/ })).toBeChecked();
  await expect(page.getByTestId('confirm-labels-left')).toHaveCount(0);
  await expect(page.locator('body')).not.toBeFocused();
  expect(await app.service.handlers['history.list']({})).toMatchObject({ total: 0 });
});
