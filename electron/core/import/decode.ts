/**
 * Turns a dropped or chosen file's bytes into text: UTF-8 with or without BOM, UTF-16 with BOM,
 * and the Windows-1252 that older spreadsheet exports produce. Binary files are refused.
 */
import { AppError } from '../errors';

export interface DecodedText {
  text: string;
  encoding: string;
  notes: string[];
}

export function decodeBytes(bytes: Uint8Array): DecodedText {
  if (OLE2.every((byte, i) => bytes[i] === byte)) {
    throw new AppError(
      'bad_input',
      'This is an old Excel (.xls) workbook or another Office document. Open it in Excel and save it as .xlsx or as "CSV UTF-8".',
    );
  }
  const decoded = decode(bytes);
  // Checked on the text, so a BOM in front of binary data does not let it through.
  const sample = decoded.text.slice(0, 8192);
  if (sample.startsWith('%PDF-')) {
    throw new AppError(
      'bad_input',
      'This file is a PDF, not a list. Export the list from your system as CSV, or copy the references and paste them.',
    );
  }
  if (BINARY_STARTS.some((start) => start.every((byte, i) => bytes[i] === byte)) || looksBinary(sample)) {
    throw new AppError(
      'bad_input',
      'This file is not a text list (it contains binary data). Save it from your spreadsheet as "CSV UTF-8" and import that.',
    );
  }
  return decoded;
}

/** The start of an old Office file (.xls, .doc): binary, but worth a sentence of its own. */
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** Files picked by mistake (a screenshot, a compressed export) are known by their start, however short. */
const BINARY_STARTS = [
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF8
  [0x1f, 0x8b], // gzip
];

/**
 * Text holds no NUL and hardly any other control character; binary data read as Windows-1252
 * (every byte decodes) is full of them. Tabs, line ends and form feeds are text.
 */
function looksBinary(sample: string): boolean {
  let controls = 0;
  for (let i = 0; i < sample.length; i++) {
    const code = sample.charCodeAt(i);
    if (code === 0) return true;
    if ((code < 0x20 && (code < 0x09 || code > 0x0d)) || code === 0x7f) controls++;
  }
  return controls > 4 && controls * 50 > sample.length;
}

function decode(bytes: Uint8Array): DecodedText {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const body = bytes.subarray(3);
    try {
      return { text: utf8(body), encoding: 'UTF-8 (BOM)', notes: [] };
    } catch {
      // The BOM says UTF-8, so a few broken bytes are shown as such rather than re-read as another encoding.
      return {
        text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(body),
        encoding: 'UTF-8 (BOM)',
        notes: ['Some characters in the file are not valid UTF-8; they were replaced by \uFFFD.'],
      };
    }
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'UTF-16LE', notes: [] };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'UTF-16BE', notes: [] };
  }
  try {
    return { text: utf8(bytes), encoding: 'UTF-8', notes: [] };
  } catch {
    return {
      text: windows1252(bytes),
      encoding: 'Windows-1252',
      notes: ['The file is not UTF-8; it was read as Windows-1252 (the usual encoding of older Excel exports).'],
    };
  }
}

/**
 * Windows-1252 differs from Latin-1 only in 0x80–0x9F (€, curly quotes, dashes). Node's
 * TextDecoder takes a Latin-1 fast path for it (nodejs/node#56542), so those bytes are mapped here;
 * the mapping is a no-op where the runtime already decodes them right.
 */
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function windows1252(bytes: Uint8Array): string {
  return new TextDecoder('windows-1252')
    .decode(bytes)
    .replace(/[\u0080-\u009f]/g, (char) => CP1252_HIGH[char.charCodeAt(0) - 0x80] ?? char);
}

function utf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
}
