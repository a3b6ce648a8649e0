/**
 * How much one import may hold, the same for the app and the CLI: the input's size, the rows and
 * cells it may make, and what an .xlsx may unpack to. A huge file, an endless stdin or a zip bomb is
 * refused with one sentence instead of exhausting memory; any real list fits far inside them.
 */
import { MAX_IMPORT_BYTES } from '../../../shared/domain';
import { AppError } from '../errors';

export { MAX_IMPORT_BYTES };
export const MAX_IMPORT_ROWS = 1_000_000;
export const MAX_IMPORT_CELLS = 10_000_000;

const SPLIT = 'the most Bulk Cancel imports at once; split it into smaller files';
const MIB = `${MAX_IMPORT_BYTES / 1024 ** 2} MiB`;

export function inputTooLarge(): AppError {
  return new AppError('bad_input', `This list is larger than ${MIB}, ${SPLIT}.`);
}

export function workbookTooLarge(): AppError {
  return new AppError('bad_input', `This workbook holds more than ${MIB} once unpacked, ${SPLIT}.`);
}

export function checkSize(bytes: number): void {
  if (bytes > MAX_IMPORT_BYTES) throw inputTooLarge();
}

/** Rows and cells counted before they are made (an upper bound is enough), so too many are never built. */
export function checkShape(rows: number, cells: number): void {
  if (rows > MAX_IMPORT_ROWS) {
    throw new AppError('bad_input', `This list has more than ${MAX_IMPORT_ROWS.toLocaleString('en')} rows, ${SPLIT}.`);
  }
  if (cells > MAX_IMPORT_CELLS) {
    throw new AppError(
      'bad_input',
      `This list has more than ${MAX_IMPORT_CELLS.toLocaleString('en')} cells, ${SPLIT}, or keep only the columns it needs.`,
    );
  }
}
