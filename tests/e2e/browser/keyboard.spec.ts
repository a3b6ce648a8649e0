/**
 * A clerk's day with the keyboard alone, in the real renderer against the real core and the
 * simulator: paste a mixed list, check it, confirm, pause and resume the run with one toggle that keeps
 * focus, reach the results table, move through it with the arrows, open a row's attempts and close
 * them, and come back into the table after scrolling it with the wheel. Focus never falls to the page.
 */
import type { Page } from '@playwright/test';
import { dispatch } from '../../../electron/core/dispatch';
import {
  ELECTIO_DEFAULT_API_KEY,
  SORTED_DEFAULT_API_KEY,
  electioReference,
  sendcloudShipmentUuid,
  sortedReference,
} from '../../simulator';
import { expect, test } from './harness';

/** Whatever has focus, in a few words for a failure message; "BODY" when nothing does. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return 'BODY';
    return `${element.tagName} ${element.getAttribute('data-testid') ?? ''} ${element.textContent?.slice(0, 40) ?? ''}`.trim();
  });
}

/** Presses a key; focus must then be on an element, not on the page. */
async function press(page: Page, key: string): Promise<void> {
  await page.keyboard.press(key);
  await expect.poll(() => focused(page), { message: `focus after ${key}` }).not.toBe('BODY');
}

/** Tabs until `target` has focus; answers how many Tabs it took (at most `limit`). */
async function tabTo(page: Page, target: string, limit = 40): Promise<number> {
  for (let tabs = 1; tabs <= limit; tabs++) {
    await press(page, 'Tab');
    if (
      await page
        .locator(target)
        .evaluate((element) => element === document.activeElement)
        .catch(() => false)
    )
      return tabs;
  }
  throw new Error(`${target} not reached in ${limit} Tabs; focus is on ${await focused(page)}`);
}

test('keyboard only: import → confirm → run → pause and resume → results, focus never on the page', async ({ app, page }) => {
  test.setTimeout(180_000);
  const call = async <T>(channel: string, payload: unknown) => {
    const reply = await dispatch(app.service.handlers, channel, payload);
    if (!reply.ok) throw new Error(reply.error.message);
    return reply.value as T;
  };
  await call('accounts.add', { provider: 'electio', name: 'Electio UK', baseUrl: app.sim.url, secret: ELECTIO_DEFAULT_API_KEY });
  await call('accounts.add', {
    provider: 'sorted-pro',
    name: 'Sorted North',
    baseUrl: app.sim.url,
    secret: SORTED_DEFAULT_API_KEY,
  });
  // Sendcloud at its published pace: the run lasts long enough to pause it.
  const shop = await call<{ id: string }>('accounts.add', {
    provider: 'sendcloud',
    name: 'Shop',
    baseUrl: app.sim.url,
    secret: 'sim-sc-public:sim-sc-secret',
    settings: { integrationId: 55 },
  });
  app.sim.sendcloud.addIntegration(55);
  const electio = Array.from({ length: 60 }, (_, n) => electioReference(5000 + n));
  const sorted = Array.from({ length: 20 }, (_, n) => sortedReference(5000 + n));
  const sendcloud = Array.from({ length: 40 }, (_, n) => sendcloudShipmentUuid(5000 + n));
  app.sim.electio.add(electio.filter((_, n) => n % 10 !== 3));
  app.sim.sortedPro.add(sorted);
  for (const uuid of sendcloud) app.sim.sendcloud.addShipment(55, { uuid });

  await page.setViewportSize({ width: 1280, height: 720 });
  await app.open(page);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

  // Import: paste the list and check it.
  await tabTo(page, '[data-testid="paste-input"]');
  await page.keyboard.insertText(['Reference', ...sendcloud, ...electio, ...sorted].join('\n'));
  await tabTo(page, '[data-testid="paste-check"]');
  await press(page, 'Enter');
  await expect(page.getByTestId('preview-items')).toHaveText('120');

  // Confirm.
  await tabTo(page, '[data-testid="confirm-button"]');
  await press(page, 'Enter');

  // Run: focus is on the new screen's heading; one Pause/Resume toggle keeps focus.
  await expect(page.getByRole('heading', { level: 1, name: 'Cancelling shipments' })).toBeFocused();
  const toggle = page.getByTestId('batch-pause-toggle');
  await tabTo(page, '[data-testid="batch-pause-toggle"]');
  await expect(toggle).toHaveText('Pause');
  await press(page, 'Enter');
  await expect(toggle).toHaveText('Resume');
  await expect(toggle).toBeFocused();
  await expect(page.getByTestId('batch-paused')).toHaveText('Paused');
  // While paused the clerk lets Sendcloud go faster, so the test does not wait a minute.
  await call('accounts.update', { id: shop.id, settings: { integrationId: 55, ratePerMinute: 100_000 } });
  await press(page, 'Enter');
  await expect(toggle).toBeFocused();
  await expect(page.getByTestId('progress-done')).toHaveText('120 of 120', { timeout: 60_000 });
  await expect(page.getByRole('heading', { level: 1, name: 'Finished' })).toBeVisible();
  await tabTo(page, '[data-testid="see-results"]');
  await press(page, 'Enter');

  // Results: the first row is a few Tabs from the heading.
  await expect(page.getByRole('heading', { level: 1, name: 'Results' })).toBeFocused();
  const tabs = await tabTo(page, '[data-testid="results-row"][data-row-index="0"]');
  expect(tabs).toBeLessThanOrEqual(12);
  for (let n = 0; n < 3; n++) await press(page, 'ArrowDown');
  const third = page.locator('[data-testid="results-row"][data-row-index="3"]');
  await expect(third).toBeFocused();
  const reference = await third.getAttribute('data-reference');
  await press(page, 'Enter');
  const attempts = page.getByTestId('attempts-panel');
  await expect(attempts).toBeVisible();
  await expect(attempts).toContainText(reference ?? 'a reference');
  await press(page, 'Escape');
  await expect(attempts).toBeHidden();
  await expect(third).toBeFocused();

  // Scrolled with the wheel, the table is entered again on a row the clerk can see.
  const box = await page.getByTestId('results-table').boundingBox();
  await page.mouse.move((box?.x ?? 0) + 200, (box?.y ?? 0) + 120);
  await page.mouse.wheel(0, 1200);
  await expect(third).not.toBeInViewport();
  await press(page, 'Shift+Tab');
  await press(page, 'Tab');
  const row = page.locator('[data-testid="results-row"]:focus');
  await expect(row).toBeInViewport();
  expect(Number(await row.getAttribute('data-row-index'))).toBeGreaterThan(3);
});
