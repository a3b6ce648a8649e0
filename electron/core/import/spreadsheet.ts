/**
 * Reads an Excel workbook (.xlsx) into rows of cell text, the first sheet or a chosen one, with the
 * read-excel-file library. Numbers are kept exactly as the file stores them, so a reference that a
 * spreadsheet turned into a number (and into scientific notation) is caught by the same checks as CSV.
 */
import readXlsxFile from 'read-excel-file/node';
import { AppError } from '../errors';
import { checkUnpackedSize, unreadableWorkbook } from './unpacked-size';

export interface Table {
  records: string[][];
  sheets: string[];
  sheet: string;
}

/** The start of every .xlsx file (it is a zip archive). */
export function isXlsx(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

export async function readSpreadsheet(bytes: Uint8Array, sheet?: string): Promise<Table> {
  checkUnpackedSize(bytes);
  let workbook;
  try {
    workbook = await readXlsxFile<string>(Buffer.from(bytes), { parseNumber: numberText });
  } catch {
    throw unreadableWorkbook();
  }
  const sheets = workbook.map((entry) => entry.sheet);
  // A sheet by its name, else by its number (1 = first) when no sheet has that name.
  const chosen =
    sheet === undefined
      ? workbook[0]
      : (workbook.find((entry) => entry.sheet === sheet) ?? (/^\d+$/.test(sheet) ? workbook[Number(sheet) - 1] : undefined));
  if (!chosen) {
    throw new AppError(
      'bad_input',
      sheet === undefined ? 'This workbook has no sheets.' : `There is no sheet named "${sheet}" (sheets: ${sheets.join(', ')}).`,
    );
  }
  const records = chosen.data.map((row) => row.map((cell) => cellText(cell)));
  return { records, sheets, sheet: chosen.sheet };
}

/**
 * A number cell as the clerk would see it. Spreadsheets keep 15 significant digits: a longer number
 * has lost digits, and is shown the way Excel shows it (1.23457E+18), which the importer flags.
 */
function numberText(raw: string): string {
  const significant = raw.replace(/^[+-]/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '');
  if (/e/i.test(raw) || significant.length > 15) return Number(raw).toExponential().toUpperCase();
  return raw;
}

function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return String(cell);
}
