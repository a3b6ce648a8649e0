/**
 * A clerk's day on a 1280×720 laptop, in the real renderer against the real core and the simulator:
 * a batch left waiting before a restart is within reach (a Run tab, "Open progress" in History, no
 * delete); a mixed run's failures are explained with links to their filter and only what may still
 * work is the main retry; Sendcloud's integration delete says the label is still active; Results
 * show 15 rows or more. Every screen passes axe and is photographed at 1280×720 and at 200% zoom.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { dispatch } from '../../../electron/core/dispatch';
import {
  ELECTIO_DEFAULT_API_KEY,
  SORTED_DEFAULT_API_KEY,
  electioReference,
  sendcloudShipmentUuid,
  sortedReference,
} from '../../simulator';
import { SCREENSHOT_DIR, expect, test, type App } from './harness';

/** No serious or critical axe violation, light and dark; photographed at 1280×720 and at 200% zoom. */
async function look(page: Page, screen: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const { violations } = await new AxeBuilder({ page }).analyze();
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(
      serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`),
      `${screen} (${scheme})`,
    ).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, `day-${screen}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  // 200% zoom of the same window: half the CSS pixels each way.
  await page.setViewportSize({ width: 640, height: 360 });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `day-${screen}-zoom200.png`) });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${screen} at 200% needs no sideways scrolling of the page`).toBeLessThanOrEqual(0);
  // Nor of the results table: its rows reflow onto two lines, the reason and message in view.
  const table = page.getByTestId('results-table');
  if ((await table.count()) > 0) {
    await table.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOT_DIR, `day-${screen}-table-zoom200.png`) });
    const sideways = await table.evaluate((element) => element.scrollWidth - element.clientWidth);
    expect(sideways, `${screen} at 200%: the table needs no sideways scrolling`).toBeLessThanOrEqual(0);
    await expect(table.getByRole('gridcell').filter({ hasText: /\S/ }).first()).toBeInViewport();
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

function caller(app: App) {
  return async <T>(channel: string, payload: unknown) => {
    const reply = await dispatch(app.service.handlers, channel, payload);
    if (!reply.ok) throw new Error(reply.error.message);
    return reply.value as T;
  };
}

test('a batch waiting from before a restart is within reach; only a finished batch can be deleted', async ({ app, page }) => {
  const call = caller(app);
  await call('accounts.add', { provider: 'electio', name: 'Electio UK', baseUrl: app.sim.url, secret: ELECTIO_DEFAULT_API_KEY });
  const refs = Array.from({ length: 5 }, (_, n) => electioReference(7000 + n));
  app.sim.electio.add(refs);
  const queue = async (text: string) => {
    const { draftId } = await call<{ draftId: string }>('import.preview', { source: { kind: 'text', fileName: null, text } });
    return (await call<{ batchId: string }>('import.confirm', { draftId, accounts: {} })).batchId;
  };
  const done = await queue(refs[0] ?? '');
  await call('batch.start', { batchId: done });
  await expect.poll(async () => (await call<{ running: boolean }>('batch.summary', { batchId: done })).running).toBe(false);
  // Queued before the "restart" and never started here: it waits.
  const waiting = await queue(refs.slice(1).join('\n'));

  await page.setViewportSize({ width: 1280, height: 720 });
  await app.open(page);
  await expect(page.getByTestId('nav-run')).toBeVisible();
  await page.getByTestId('nav-history').click();
  const row = (id: string) => page.locator(`[data-testid="history-row"][data-batch="${id}"]`);
  await expect(row(waiting).getByTestId('history-open-progress')).toBeVisible();
  await expect(row(waiting).getByTestId('history-delete')).toHaveCount(0);
  await expect(row(done).getByTestId('history-delete')).toBeVisible();
  await expect(row(done).getByTestId('history-open-progress')).toHaveCount(0);
  await look(page, 'history');
  await row(waiting).getByTestId('history-open-progress').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Cancelling shipments' })).toBeFocused();
  await expect(page.getByTestId('progress-done')).toHaveText('0 of 4');
  await look(page, 'run-waiting');
});

test('a mixed run: failures explained, retry what may still work, the label still active, 15 rows in view', async ({
  app,
  page,
}) => {
  test.setTimeout(180_000);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const call = caller(app);
  await call('accounts.add', { provider: 'electio', name: 'Electio UK', baseUrl: app.sim.url, secret: ELECTIO_DEFAULT_API_KEY });
  await call('accounts.add', {
    provider: 'sorted-pro',
    name: 'Sorted North',
    baseUrl: app.sim.url,
    secret: SORTED_DEFAULT_API_KEY,
  });
  await call('accounts.add', {
    provider: 'sendcloud',
    name: 'Shop',
    baseUrl: app.sim.url,
    secret: 'sim-sc-public:sim-sc-secret',
    settings: { integrationId: 55, ratePerMinute: 100_000 },
  });
  app.sim.sendcloud.addIntegration(55);
  const electio = Array.from({ length: 60 }, (_, n) => electioReference(8000 + n));
  const sorted = Array.from({ length: 30 }, (_, n) => sortedReference(8000 + n));
  const sendcloud = Array.from({ length: 20 }, (_, n) => sendcloudShipmentUuid(8000 + n));
  const notFound = electio.filter((_, n) => n % 10 === 3);
  app.sim.electio.add(electio.filter((ref) => !notFound.includes(ref)));
  const manifested = sorted.slice(0, 3);
  const busy = sorted.slice(3, 5);
  app.sim.sortedPro.add(sorted.slice(3));
  app.sim.sortedPro.add(manifested, 'manifested');
  app.sim.sortedPro.override(busy, { kind: 'rule-conflict', message: 'Locked for a moment' });
  for (const uuid of sendcloud) app.sim.sendcloud.addShipment(55, { uuid });

  await page.setViewportSize({ width: 1280, height: 720 });
  await app.open(page);
  await page.getByTestId('nav-import').click();
  await look(page, 'import');
  await page.getByTestId('paste-input').fill(['Reference', ...electio, ...sorted, ...sendcloud].join('\n'));
  await page.getByTestId('paste-check').click();
  await expect(page.getByTestId('preview-items')).toHaveText('110');
  await look(page, 'confirm');
  await page.getByTestId('confirm-button').click();
  await expect(page.getByTestId('progress-done')).toHaveText('110 of 110', { timeout: 60_000 });

  // Finished: why items failed, each reason a link; the main retry is only what may still work.
  const reasons = page.getByTestId('failure-reasons');
  await expect(reasons).toContainText(`Why ${notFound.length + manifested.length + busy.length} items failed`);
  await expect(page.getByTestId('retry-may-work')).toHaveText(`Retry ${busy.length} items that may still work`);
  await expect(page.getByTestId('retry-may-work')).toHaveClass(/primary/);
  await expect(page.getByTestId('retry-failed')).not.toHaveClass(/primary/);
  await look(page, 'run-finished');

  await reasons.locator('[data-reason="too_late"]').click();
  await expect(page.getByTestId('results-count')).toContainText(`${manifested.length} of 110 items`);
  await expect(page.getByTestId('results-row')).toHaveCount(manifested.length);
  await page.getByTestId('results-clear-filters').click();

  // Results fill the window: 15 rows or more in view at 1280×720.
  await expect(page.getByTestId('results-row').first()).toBeVisible();
  const inView = await page.evaluate(() => {
    const body = document.querySelector('.results-body')?.getBoundingClientRect();
    return [...document.querySelectorAll('[data-testid="results-row"]')].filter((row) => {
      const box = row.getBoundingClientRect();
      return body && box.top >= body.top && box.bottom <= body.bottom + 1 && box.bottom <= window.innerHeight;
    }).length;
  });
  expect(inView).toBeGreaterThanOrEqual(15);

  // Sendcloud's integration delete leaves the label: the results say so.
  const label = page.locator(`[data-testid="results-row"][data-reference="${sendcloud[0]}"]`);
  await page.getByTestId('results-search').fill(sendcloud[0] ?? '');
  await expect(label).toContainText('Removed from shop – label still active');
  // A pasted list finds each of its references.
  await page.getByTestId('results-search').fill(manifested.join(' '));
  await expect(page.getByTestId('results-row')).toHaveCount(manifested.length);
  await page.getByTestId('results-search').fill('');
  // The tiles filter: Failed shows the failed ones.
  await page.locator('.outcome-tile', { hasText: 'Failed' }).click();
  await expect(page.getByTestId('results-row')).toHaveCount(notFound.length + manifested.length + busy.length);
  await page.locator('.outcome-tile', { hasText: 'Failed' }).click();
  await look(page, 'results');

  // Retry what may still work: only the two that were busy go again.
  app.sim.sortedPro.clearOverrides(busy);
  app.sim.clearLog();
  await page.getByTestId('retry-may-work').click();
  await expect(page.getByTestId('summary-failed')).toHaveText(String(notFound.length + manifested.length), { timeout: 30_000 });
  expect(app.sim.requests.map((request) => request.path.split('/')[2]).sort()).toEqual([...busy].sort());

  await page.getByTestId('nav-accounts').click();
  await look(page, 'accounts');
});
