/**
 * A list's rejected rows as a CSV file the clerk can fix and import again, or hand on: the row
 * number as the spreadsheet shows it, the value as read, and the reason. Written like the results
 * export (a UTF-8 BOM so spreadsheets read accents right, CRLF, formula-looking cells made inert).
 */
import Papa from 'papaparse';
import type { RejectedRow } from '../../../shared/contract';

export function rejectedRowsCsv(rows: readonly RejectedRow[]): string {
  const data = rows.map((row) => [String(row.row), row.value, row.error]);
  return `\uFEFF${Papa.unparse({ fields: ['Row', 'Value', 'Reason'], data }, { escapeFormulae: true, newline: '\r\n' })}\r\n`;
}
