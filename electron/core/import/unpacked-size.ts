/**
 * Measures an .xlsx workbook (a zip archive) before the spreadsheet library unpacks it, which it does
 * whole and in memory: every entry is inflated here with a ceiling, so an archive that states a small
 * size and inflates to gigabytes (a zip bomb) is refused after reading no more than the limit, and each
 * sheet's rows and cells are counted from its cell addresses, since the library fills a sheet out to its
 * last row and column (one cell at XFD1048576 would make seventeen billion).
 */
import { inflateRawSync } from 'node:zlib';
import { AppError } from '../errors';
import { MAX_IMPORT_BYTES, checkShape, workbookTooLarge } from './limits';

interface Entry {
  name: string;
  method: number;
  /** Where the entry's local header starts, and how many compressed bytes follow that header. */
  offset: number;
  compressedSize: number;
}

export const unreadableWorkbook = () =>
  new AppError(
    'bad_input',
    'This file looks like a spreadsheet but cannot be read. Open it in Excel and save it again as .xlsx or as "CSV UTF-8".',
  );

/** Refuses a workbook that unpacks to more than the import limit, or whose sheets span too many rows or cells. */
export function checkUnpackedSize(bytes: Uint8Array): void {
  const archive = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let budget = MAX_IMPORT_BYTES;
  let rows = 0;
  let cells = 0;
  const { entries, directoryStart } = centralDirectory(archive);
  const located = entries.map((entry) => ({ entry, ...compressedData(archive, entry) }));
  checkTiled(located, directoryStart);
  for (const { entry, data } of located) {
    const content = inflate(entry, data, budget);
    budget -= content.length;
    if (/^xl\/worksheets\/[^/]+\.xml$/i.test(entry.name)) {
      const span = sheetSpan(content.toString('latin1'));
      rows += span.rows;
      cells += span.rows * span.columns;
    }
  }
  checkShape(rows, cells);
}

/** The entries the archive's directory lists, and where that directory starts. */
function centralDirectory(archive: Buffer): { entries: Entry[]; directoryStart: number } {
  const end = archive.lastIndexOf(END_OF_DIRECTORY);
  if (end < 0 || end + 22 > archive.length) throw unreadableWorkbook();
  const count = archive.readUInt16LE(end + 10);
  const directoryStart = archive.readUInt32LE(end + 16);
  let at = directoryStart;
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > archive.length || archive.readUInt32LE(at) !== 0x02014b50) throw unreadableWorkbook();
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const name = archive.toString('utf8', at + 46, at + 46 + nameLength);
    const extra = archive.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
    const sizes = zip64(extra, archive.readUInt32LE(at + 24), archive.readUInt32LE(at + 20), archive.readUInt32LE(at + 42));
    entries.push({ name, method: archive.readUInt16LE(at + 10), ...sizes });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return { entries, directoryStart };
}

const END_OF_DIRECTORY = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const ZIP64_MARK = 0xffffffff;

/** A field too large for 32 bits is in the entry's Zip64 extra field instead, in this order. */
function zip64(extra: Buffer, size: number, compressedSize: number, offset: number): Omit<Entry, 'name' | 'method'> {
  let compressed = compressedSize;
  let start = offset;
  for (let at = 0; at + 4 <= extra.length; at += 4 + extra.readUInt16LE(at + 2)) {
    if (extra.readUInt16LE(at) !== 0x0001) continue;
    let field = at + 4;
    const next = () => {
      if (field + 8 > extra.length) throw unreadableWorkbook();
      const value = Number(extra.readBigUInt64LE(field));
      field += 8;
      return value;
    };
    if (size === ZIP64_MARK) next();
    if (compressed === ZIP64_MARK) compressed = next();
    if (start === ZIP64_MARK) start = next();
  }
  return { offset: start, compressedSize: compressed };
}

/** After an entry's data may stand its data descriptor: signature, CRC and two 64-bit sizes at most. */
const DATA_DESCRIPTOR_MAX = 24;

/**
 * The spreadsheet library reads the archive front to back, not by its directory: the entries must fill
 * the archive up to the directory, so none can hide from the directory, and so from this measure.
 */
function checkTiled(spans: readonly { start: number; end: number }[], directoryStart: number): void {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let covered = 0;
  for (const { start, end } of [...sorted, { start: directoryStart, end: directoryStart }]) {
    if (start < covered || start - covered > DATA_DESCRIPTOR_MAX) throw unreadableWorkbook();
    covered = end;
  }
}

/**
 * An entry's compressed bytes, found through its local header, which must agree with the directory,
 * and the span from that header to the data's end.
 */
function compressedData(archive: Buffer, entry: Entry): { data: Buffer; start: number; end: number } {
  const { offset } = entry;
  if (offset + 30 > archive.length || archive.readUInt32LE(offset) !== 0x04034b50) throw unreadableWorkbook();
  // Without a data descriptor (flag bit 3) the local header states the size the library reads by.
  const stated = archive.readUInt32LE(offset + 18);
  if ((archive.readUInt16LE(offset + 6) & 0x08) === 0 && stated !== ZIP64_MARK && stated !== entry.compressedSize) {
    throw unreadableWorkbook();
  }
  const start = offset + 30 + archive.readUInt16LE(offset + 26) + archive.readUInt16LE(offset + 28);
  const data = archive.subarray(start, start + entry.compressedSize);
  if (data.length !== entry.compressedSize) throw unreadableWorkbook();
  return { data, start: offset, end: start + data.length };
}

/** An entry's content, inflated to at most `budget` bytes; more than that is the workbook refused. */
function inflate(entry: Entry, data: Buffer, budget: number): Buffer {
  if (entry.method === 0) {
    if (data.length > budget) throw workbookTooLarge();
    return data;
  }
  if (entry.method !== 8) throw unreadableWorkbook();
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, budget) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw workbookTooLarge();
    throw unreadableWorkbook();
  }
}

/**
 * The rows and columns a sheet spans: the last row and column any `<row>` or `<c>` names, or
 * reaches by counting when it names none (the address is optional).
 */
function sheetSpan(xml: string): { rows: number; columns: number } {
  let row = 0;
  let column = 0;
  let rows = 0;
  let columns = 0;
  for (const [, tag = '', attributes = ''] of xml.matchAll(/<(?:\w+:)?(row|c)\b([^>]*)>/g)) {
    const address = /\br="([A-Z]*)(\d*)"/.exec(attributes);
    if (tag === 'row') {
      row = address?.[2] ? Number(address[2]) : row + 1;
      column = 0;
    } else {
      column = address?.[1] ? columnNumber(address[1]) : column + 1;
      if (address?.[2]) row = Math.max(row, Number(address[2]));
    }
    rows = Math.max(rows, row);
    columns = Math.max(columns, column);
  }
  return { rows, columns };
}

/** `A` is 1, `Z` 26, `AA` 27, `XFD` 16384. */
function columnNumber(letters: string): number {
  let number = 0;
  for (const letter of letters) number = number * 26 + letter.charCodeAt(0) - 64;
  return number;
}
