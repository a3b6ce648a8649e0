/**
 * Excel workbooks (.xlsx) import like CSV: the first sheet or a chosen one, the same column detection
 * and per-row errors, and numbers read back exactly as stored, so a reference a spreadsheet turned
 * into a long number is flagged rather than guessed back.
 */
import writeXlsxFile from 'write-excel-file/node';
import { describe, expect, it } from 'vitest';
import { planImport, readFile } from '../../electron/core/import/source';
import { isXlsx } from '../../electron/core/import/spreadsheet';
import { workbookOf } from '../support/xlsx';
import { ref } from './helpers';

async function workbook(): Promise<Buffer> {
  const sheets = [
    { sheet: 'Notes', data: [[{ value: 'Nothing to cancel here' }]] },
    {
      sheet: 'Cancel today',
      data: [
        [{ value: 'Order' }, { value: 'Consignment Reference' }],
        [{ value: 1001 }, { value: ref(1) }],
        [{ value: 1002 }, { value: ref(2) }],
        // A 19-digit reference a spreadsheet stored as a number: it has already lost digits.
        [{ value: 1003 }, { value: Number('1234567890123456789') }],
        [{ value: 1004 }, { value: ref(1).toLowerCase() }],
      ],
    },
  ];
  return (writeXlsxFile as unknown as (s: typeof sheets) => { toBuffer(): Promise<Buffer> })(sheets).toBuffer();
}

describe('spreadsheets', () => {
  it('reads cells named like a JavaScript object’s own properties as the text they are', async () => {
    const names = ['toString', '__proto__', 'constructor', 'hasOwnProperty'];
    const plan = planImport(await readFile(workbookOf([['Reference'], ...names.map((name) => [name]), [ref(1)]])));
    expect(plan.entries.map((e) => e.reference)).toEqual([ref(1)]);
    expect(plan.rejected.map((r) => r.value)).toEqual(names);
  });

  it('reads the chosen sheet with the same checks as CSV, numbers as stored', async () => {
    const bytes = await workbook();
    expect(isXlsx(bytes)).toBe(true);
    const plan = planImport(await readFile(bytes, 'Cancel today'));
    expect(plan.sheets).toEqual(['Notes', 'Cancel today']);
    expect(plan.encoding).toMatch(/xlsx/);
    expect(plan.column).toMatchObject({ index: 1, name: 'Consignment Reference' });
    expect(plan.entries.map((e) => [e.row, e.reference])).toEqual([
      [2, ref(1)],
      [3, ref(2)],
    ]);
    expect(plan.duplicates).toBe(1);
    expect(plan.rejected).toHaveLength(1);
    expect(plan.rejected[0]).toMatchObject({ row: 4 });
    expect(plan.rejected[0]?.error).toMatch(/scientific notation, so digits are lost/);
  });

  it('reads the first sheet by default, and says which sheets there are', async () => {
    const decoded = await readFile(await workbook());
    expect('records' in decoded && decoded.sheet).toBe('Notes');
    expect(decoded.notes.join(' ')).toMatch(/sheet "Notes" of 2/);
    await expect(readFile(await workbook(), 'Missing')).rejects.toThrow(
      /no sheet named "Missing" \(sheets: Notes, Cancel today\)/,
    );
  });
});
