/**
 * The checks every id column gets (the reference, and Sendcloud's external order and shipment ids):
 * a spreadsheet that stored an id as a number may have rewritten it in scientific notation, cut it
 * to 15 significant digits (the workbook reader shows those in scientific notation too), or dropped
 * its leading zeros, which shows when the column's other ids all have one width with leading zeros.
 */
import { SCIENTIFIC, shown } from './references';

export interface IdColumn {
  index: number;
  /** As the clerk knows it: its header, or its number. */
  name: string;
  /** The width of the column's zero-padded ids, when its values show one. */
  paddedWidth: number | null;
}

const DIGITS = /^\d+$/;

/** The column's checks, read from the sampled rows. */
export function idColumn(index: number, name: string, sample: readonly (readonly string[])[]): IdColumn {
  return { index, name, paddedWidth: paddedWidth(sample.map((record) => (record[index] ?? '').trim())) };
}

/**
 * The width most of the column's all-digit values have, when some of them start with a zero (so the
 * zeros are part of the id) and at least three in four share it; null otherwise.
 */
function paddedWidth(values: readonly string[]): number | null {
  const widths = new Map<number, number>();
  let digits = 0;
  let padded = 0;
  for (const value of values) {
    if (!DIGITS.test(value)) continue;
    digits++;
    if (value.startsWith('0')) padded++;
    widths.set(value.length, (widths.get(value.length) ?? 0) + 1);
  }
  if (padded < 2) return null;
  const [width, count] = [...widths].sort((a, b) => b[1] - a[1])[0] ?? [0, 0];
  return count * 4 >= digits * 3 ? width : null;
}

/** Why the value cannot be trusted as an id of this column, or null. */
export function idProblem(value: string, column: IdColumn): string | null {
  if (SCIENTIFIC.test(value)) {
    return `${column.name} "${shown(value)}" is a number a spreadsheet rewrote in scientific notation, so digits are lost (it keeps 15). Format the column as Text in the spreadsheet and export again.`;
  }
  if (column.paddedWidth !== null && DIGITS.test(value) && value.length < column.paddedWidth) {
    return `${column.name} "${shown(value)}" has fewer digits than the column's other ids (${column.paddedWidth}, with leading zeros): a spreadsheet probably dropped its leading zeros. Format the column as Text in the spreadsheet and export again.`;
  }
  return null;
}
