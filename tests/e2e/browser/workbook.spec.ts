/** An Excel workbook chosen as the file: the first sheet is read, another can be picked, rows checked as CSV. */
import writeXlsxFile from 'write-excel-file/node';
import { ELECTIO_DEFAULT_API_KEY, electioReference } from '../../simulator';
import { dispatch } from '../../../electron/core/dispatch';
import { expect, test } from './harness';

test('a workbook: first sheet by default, another sheet on request', async ({ app, page }) => {
  await dispatch(app.service.handlers, 'accounts.add', {
    provider: 'electio',
    name: 'Electio UK',
    baseUrl: app.sim.url,
    secret: ELECTIO_DEFAULT_API_KEY,
  });
  const sheets = [
    { sheet: 'Monday', data: [[{ value: 'Reference' }], [{ value: electioReference(300_000) }]] },
    {
      sheet: 'Tuesday',
      data: [
        [{ value: 'Reference' }],
        [{ value: electioReference(300_001) }],
        [{ value: electioReference(300_002) }],
        [{ value: Number('1234567890123456789') }],
      ],
    },
  ];
  const buffer = await (writeXlsxFile as unknown as (s: typeof sheets) => { toBuffer(): Promise<Buffer> })(sheets).toBuffer();
  await app.open(page);
  await page.getByTestId('nav-import').click();
  await page
    .getByTestId('file-input')
    .setInputFiles({ name: 'week.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer });
  await expect(page.getByTestId('preview-items')).toHaveText('1');
  await page.getByTestId('preview-sheet').selectOption('Tuesday');
  await expect(page.getByTestId('preview-items')).toHaveText('2');
  await expect(page.getByTestId('preview-rejected')).toHaveText('1');
  await expect(page.getByTestId('preview')).toContainText('digits are lost');
});
