/**
 * Issue 15 in the window: an Excel "Unicode Text" export is read from the column whose values are
 * references, the preview says why and offers every other column with its counts; choosing another
 * column checks the list again and the counts change; the rejected rows are saved as CSV. By keyboard.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dispatch } from '../../../electron/core/dispatch';
import { SORTED_DEFAULT_API_KEY } from '../../simulator';
import { excelUnicodeText } from '../../support/real-exports';
import { SCREENSHOT_DIR, expect, test } from './harness';

test('the preview shows the column chosen and why, and another column changes the counts', async ({ app, page }) => {
  await dispatch(app.service.handlers, 'accounts.add', {
    provider: 'sorted-pro',
    name: 'Sorted',
    baseUrl: app.sim.url,
    secret: SORTED_DEFAULT_API_KEY,
  });
  await app.open(page);
  await page.getByTestId('nav-import').click();
  await page
    .getByTestId('file-input')
    .setInputFiles({ name: 'unicode text.txt', mimeType: 'text/plain', buffer: excelUnicodeText().bytes });

  await expect(page.getByTestId('preview-items')).toHaveText('95');
  await expect(page.getByTestId('preview-duplicates')).toHaveText('2');
  await expect(page.getByTestId('preview-rejected')).toHaveText('3');
  await expect(page.getByTestId('preview-column-reason')).toHaveText('Shipment Ref: 97 of 99 values are Sorted PRO references.');
  const column = page.getByTestId('preview-column');
  await expect(column.locator('option')).toHaveText([
    'Order No: 0 of 100 values are references (text like "SO-5000")',
    'Shipment Ref: 97 of 99 values are references (Sorted PRO references)',
    'Tracking Reference: 0 of 100 values are references (numbers in scientific notation like "4.66203E+18")',
    'Service: 0 of 100 values are references (text like "Next day")',
    'Weight: 0 of 100 values are references (numbers like "1.0")',
  ]);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'import-column-choice.png'), fullPage: true });

  // Another column, from the keyboard: the list is checked again from it.
  await column.focus();
  await column.selectOption({
    label: 'Tracking Reference: 0 of 100 values are references (numbers in scientific notation like "4.66203E+18")',
  });
  await expect(page.getByTestId('preview-items')).toHaveText('0');
  await expect(page.getByTestId('preview-rejected')).toHaveText('100');
  await expect(page.getByTestId('preview-column-reason')).toHaveText(/^Tracking Reference: chosen by you; 0 of 100 values/);
  await column.selectOption({ label: 'Shipment Ref: 97 of 99 values are references (Sorted PRO references)' });
  await expect(page.getByTestId('preview-items')).toHaveText('95');

  // The duplicates are listed, and the rejected rows saved where the clerk chooses.
  await page.getByTestId('preview-duplicate-rows').locator('summary').press('Enter');
  await expect(page.getByTestId('preview-duplicate-rows').locator('tbody tr')).toHaveCount(2);
  await page.getByTestId('preview-save-rejected').press('Enter');
  await expect(page.getByTestId('preview-saved-rejected')).toHaveText(
    /^Saved 3 rejected rows to .*unicode text rejected rows\.csv\.$/,
  );
  const saved = readFileSync(join(app.exportDir, 'unicode text rejected rows.csv'), 'utf8').split('\r\n');
  expect(saved.slice(0, 2)).toEqual(['\uFEFFRow,Value,Reason', '99,,The reference is empty.']);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'import-column-choice-saved.png'), fullPage: true });
});
