/**
 * Finds the column that holds the references and whether the first row is a header: by its header
 * name (compared ignoring case, spaces, `_` and `-`), else the column whose values look like
 * references, else a column merely named "… Ref", else the only column.
 */
import { AppError } from '../errors';
import { looksLikeReference, resemblesReference } from './references';

const KNOWN_NAMES = [
  'reference',
  'consignmentreference',
  'shipmentreference',
  'trackingreference',
  'consignmentref',
  'shipmentref',
  'trackingref',
  'ref',
  'references',
  'referencenumber',
  'consignment',
  'shipment',
  'consignmentnumber',
  'consignmentid',
  'shipmentid',
  'shipmentuuid',
  'parcelid',
  'parcel',
];

/** Rows sampled for detection; enough for any real list, cheap on a huge one. */
const SAMPLE_ROWS = 1000;

export function normaliseHeader(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}

/** The index of the column with a known reference-column name in a candidate header row, or -1. */
export function columnByName(header: readonly string[]): number {
  const names = header.map(normaliseHeader);
  for (const known of KNOWN_NAMES) {
    const index = names.indexOf(known);
    if (index >= 0) return index;
  }
  return -1;
}

/**
 * A column whose name ends in the word "Ref" or "Reference" ("Order Reference", "Customer Ref"),
 * or -1. Weaker than values: such a column often holds the shop's own numbers, not the carrier's.
 */
export function columnByLooseName(header: readonly string[]): number {
  return header.findIndex((name) => {
    const words = name
      .trim()
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .split(/[\s_-]+/);
    return /^(ref|refs|reference|references)$/i.test(words.at(-1) ?? '');
  });
}

/** The column whose sampled values most often look like references, or -1 when none do. */
export function columnByValues(records: readonly (readonly string[])[], looks: (value: string) => boolean): number {
  const hits: number[] = [];
  for (const record of records) {
    record.forEach((cell, index) => {
      if (looks(cell.trim())) hits[index] = (hits[index] ?? 0) + 1;
    });
  }
  let best = -1;
  hits.forEach((count, index) => {
    if (count > 0 && (best < 0 || count > (hits[best] ?? 0))) best = index;
  });
  return best;
}

export interface ReferenceColumn {
  index: number;
  hasHeader: boolean;
}

/** Chooses the reference column from the records, `first` being the first non-blank record's index. */
export function findReferenceColumn(records: readonly (readonly string[])[], first: number): ReferenceColumn {
  const header = records[first] ?? [];
  // A row holding a reference is data, whatever words sit beside it.
  const couldBeHeader = !header.some((cell) => looksLikeReference(cell.trim()));
  const named = couldBeHeader ? columnByName(header) : -1;
  if (named >= 0) return { index: named, hasHeader: true };

  const sample = records.slice(first, first + SAMPLE_ROWS);
  const byValues = columnByValues(sample, looksLikeReference);
  if (byValues >= 0) return { index: byValues, hasHeader: isHeaderCell(header[byValues] ?? '') };

  const loose = couldBeHeader ? columnByLooseName(header) : -1;
  if (loose >= 0) return { index: loose, hasHeader: true };

  // Empty padding cells (spreadsheets export `abc,,`) do not make a list several columns wide.
  const width = Math.max(...sample.map((record) => record.filter((cell) => cell.trim() !== '').length));
  if (width > 1) {
    throw new AppError(
      'bad_input',
      'No column of references was found. Name the column "Reference" (or "Consignment Reference"), or import a list with one reference per line.',
    );
  }
  const only = Math.max(
    0,
    columnByValues(sample, (value) => value !== ''),
  );
  return { index: only, hasHeader: isHeaderCell(header[only] ?? '') };
}

/**
 * A first-row cell is a header when it does not look like a reference. A cell that resembles one
 * (digits, a provider's prefix, scientific notation) is taken as a bad reference instead, so a
 * mangled first row is reported, never silently dropped.
 */
function isHeaderCell(cell: string): boolean {
  const value = cell.trim();
  return value !== '' && !resemblesReference(value);
}
