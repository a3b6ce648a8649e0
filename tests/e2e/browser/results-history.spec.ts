/**
 * A clerk's day with a big list, in the real renderer against the real core and the simulator:
 * import 20,000 rows → confirm (large batches need a second confirm) → run → filter failed by reason →
 * open an item's attempts → retry failed → export CSV and JSON (checked, a crafted =HYPERLINK cell
 * staying inert) → find a reference from an older batch in history. Every screen is checked with
 * axe-core and photographed in the light and the dark theme.
 */
import { readFileSync, readdirSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import Papa from 'papaparse';
import { dispatch } from '../../../electron/core/dispatch';
import { ELECTIO_DEFAULT_API_KEY, electioReference } from '../../simulator';
import { SCREENSHOT_DIR, expect, test } from './harness';

const CRAFTED = '=HYPERLINK("http://evil.example/?x","Click me")';

async function accessible(page: Page, screen: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const { violations } = await new AxeBuilder({ page }).analyze();
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(
      serious.map(
        (v) =>
          `${v.id}: ${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 3)
            .join(' | ')}`,
      ),
      `${screen} (${scheme})`,
    ).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${screen}-${scheme}.png`), fullPage: false });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('20,000 rows: confirm, run, filter, attempts, retry failed, export, history', async ({ app, page }) => {
  test.setTimeout(300_000);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const call = async <T>(channel: string, payload: unknown) => {
    const reply = await dispatch(app.service.handlers, channel, payload);
    if (!reply.ok) throw new Error(reply.error.message);
    return reply.value as T;
  };
  await call('accounts.add', {
    provider: 'electio',
    name: 'Electio UK',
    baseUrl: app.sim.url,
    secret: ELECTIO_DEFAULT_API_KEY,
    settings: { ratePerMinute: 100000 },
  });
  await call('accounts.add', {
    provider: 'sendcloud',
    name: 'Shop',
    baseUrl: app.sim.url,
    secret: 'sim-sc-public:sim-sc-secret',
    settings: { integrationId: 55, ratePerMinute: 100000 },
  });
  app.sim.sendcloud.addIntegration(55);

  // Last week's batch, already done: its reference is what the clerk looks up at the end.
  const older = electioReference(199_999);
  app.sim.electio.add([older]);
  const { draftId } = await call<{ draftId: string }>('import.preview', {
    source: { kind: 'text', fileName: 'last-week.csv', text: older },
  });
  const { batchId: olderBatch } = await call<{ batchId: string }>('import.confirm', { draftId, accounts: {} });
  await call('batch.start', { batchId: olderBatch });
  for (let i = 0; i < 100 && (await call<{ running: boolean }>('batch.summary', { batchId: olderBatch })).running; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const refs = Array.from({ length: 20_000 }, (_, n) => electioReference(200_000 + n));
  const unknown = refs.filter((_, n) => n % 100 === 7); // not at the carrier yet: they fail, then succeed on retry
  const manifested = refs.filter((_, n) => n % 100 === 3);
  app.sim.electio.add(refs.filter((_, n) => n % 100 !== 7 && n % 100 !== 3));
  app.sim.electio.add(manifested, 'manifested');
  const csv = [
    'Reference,external_order_id,external_shipment_id',
    ...refs.map((ref) => `${ref},,`),
    `,"${CRAFTED.replace(/"/g, '""')}",S1`,
  ].join('\r\n');

  await app.open(page);
  await page.getByTestId('nav-import').click();
  await accessible(page, 'import-empty');
  await page.getByTestId('file-input').setInputFiles({ name: 'peak-day.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(page.getByTestId('preview-items')).toHaveText('20,001', { timeout: 30_000 });
  await expect(page.getByTestId('confirm-button')).toBeDisabled();
  await page.getByTestId('confirm-large').check();
  await accessible(page, 'import-preview');
  await page.getByTestId('confirm-button').click();

  await expect(page.getByTestId('progress-done')).toHaveText('20,001 of 20,001', { timeout: 120_000 });
  await accessible(page, 'run');
  await expect(page.getByTestId('summary-failed')).toHaveText(String(unknown.length + manifested.length + 1));

  // Failed, too late: exactly the manifested ones.
  await page.getByTestId('see-results').click();
  await page.getByTestId('results-filter').selectOption({ label: 'Failed' });
  await page.getByTestId('results-reason-filter').selectOption('too_late');
  await expect(page.getByTestId('results-table')).toBeVisible();
  await expect(page.getByTestId('results-count')).toContainText(`${manifested.length} of`);
  await expect(page.getByTestId('results-copy')).toBeEnabled();
  await accessible(page, 'results');
  // A search that finds nothing leaves nothing to copy.
  await page.getByTestId('results-search').fill('EC-ZZZ-ZZZ-ZZZ');
  await expect(page.getByTestId('results-copy')).toBeDisabled();
  await page.getByTestId('results-search').fill('');
  await expect(page.getByTestId('results-copy')).toBeEnabled();

  // One item's attempts.
  await page.getByTestId('results-row').first().click();
  const attempts = page.getByTestId('attempts-panel');
  await expect(attempts).toBeVisible();
  await expect(attempts.getByTestId('attempt-row')).toHaveCount(1);
  await expect(attempts).toContainText('cancellist');
  await accessible(page, 'attempts');
  await page.keyboard.press('Escape');
  await expect(attempts).toBeHidden();

  // The keyboard, with rows read from main a page at a time: End reaches the last row, Ctrl+A selects every row shown.
  await page.getByTestId('results-row').first().focus();
  await page.keyboard.press('End');
  await expect(page.locator('[data-testid="results-row"]:focus')).toHaveAttribute(
    'data-row-index',
    String(manifested.length - 1),
  );
  await page.keyboard.press('Control+a');
  await expect(page.getByTestId('results-count')).toContainText(`${manifested.length} selected`);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('results-count')).not.toContainText('selected');
  // Sorted in the database: the last manifested reference comes first.
  await page.getByTestId('results-sort-reference').click();
  await page.getByTestId('results-sort-reference').click();
  await page.locator('[data-testid="results-row"]').last().focus();
  await page.keyboard.press('Home');
  await expect(page.locator('[data-testid="results-row"]:focus')).toHaveAttribute(
    'data-reference',
    [...manifested].sort().at(-1) ?? '',
  );
  await page.getByTestId('results-sort-reference').click();

  // The unknown references reach the carrier; retry failed sends only the failed ones again.
  app.sim.electio.add(unknown);
  app.sim.clearLog();
  await page.getByTestId('retry-failed').click();
  await expect(page.getByTestId('summary-failed')).toHaveText(String(manifested.length + 1), { timeout: 60_000 });
  const resent = app.sim.requests.flatMap((r) => (r.path === '/consignments/cancellist' ? (JSON.parse(r.body) as string[]) : []));
  expect(resent.sort()).toEqual([...unknown, ...manifested].sort());

  // Export everything, CSV and JSON, and read the files back.
  await page.getByTestId('nav-results').click();
  await page.getByTestId('results-filter').selectOption({ label: 'All' });
  await page.getByTestId('results-reason-filter').selectOption('all');
  await page.getByTestId('export-csv').click();
  await expect(page.getByTestId('export-status')).toContainText('20,001 items');
  await page.getByTestId('export-json').click();
  await expect(page.getByTestId('export-status')).toContainText('.json');
  const files = readdirSync(app.exportDir);
  const csvFile = readFileSync(join(app.exportDir, files.find((f) => f.endsWith('.csv')) ?? ''), 'utf8');
  expect(
    csvFile.startsWith(
      '\uFEFFData,IsSuccess,Message,ApiLinks,Reason,State,Provider,Account,Action,HttpStatus,Attempts,CompletedAt\r\n',
    ),
  ).toBe(true);
  const table = Papa.parse<string[]>(csvFile.slice(1).trim()).data;
  expect(table).toHaveLength(20_002);
  const craftedRow = table.find((row) => row[0]?.includes('HYPERLINK'));
  expect(craftedRow?.[0]).toBe(`'${CRAFTED}/S1`);
  expect(table.slice(1).every((row) => !/^[=+\-@\t\r]/.test(row[0] ?? ''))).toBe(true);
  expect(table.filter((row) => row[5] === 'succeeded')).toHaveLength(20_000 - manifested.length);
  const json = JSON.parse(readFileSync(join(app.exportDir, files.find((f) => f.endsWith('.json')) ?? ''), 'utf8')) as {
    Data: string;
    State: string;
    Reason: string;
  }[];
  expect(json).toHaveLength(20_001);
  expect(json.find((r) => r.Data === `${CRAFTED}/S1`)).toMatchObject({ State: 'failed', Reason: 'not_found' });
  expect(json.filter((r) => r.Reason === 'too_late')).toHaveLength(manifested.length);

  // History: last week's reference, found across batches.
  await page.getByTestId('nav-history').click();
  await expect(page.locator(`[data-testid="history-row"][data-batch="${olderBatch}"]`)).toBeVisible();
  await page.getByTestId('history-search').fill(older);
  await page.getByTestId('history-search').press('Enter');
  await expect(page.locator(`[data-testid="history-hit"][data-batch="${olderBatch}"]`)).toBeVisible();
  await accessible(page, 'history');
  await page.getByTestId('nav-accounts').click();
  await accessible(page, 'accounts');
});
