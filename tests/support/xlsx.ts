/**
 * Workbooks written by hand for tests: a minimal .xlsx (the parts Excel needs) around one sheet, in
 * a plain zip of deflated entries. Cells are inline strings and numbers, so no shared-string table
 * can mix values up (write-excel-file keys its table by a plain object: a cell named "toString" is
 * written as that function's source).
 */
import { crc32, deflateRawSync } from 'node:zlib';

export const SHEET_START =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
export const SHEET_END = '</sheetData></worksheet>';

export interface ZipEntry {
  name: string;
  /** The deflated data. */
  data: Buffer;
  crc: number;
  size: number;
}

export function entry(name: string, content: Buffer): ZipEntry {
  return { name, data: deflateRawSync(content), crc: crc32(content), size: content.length };
}

/** A sheet of a workbook: its name as Excel shows it, and its part (named xl/worksheets/sheetN.xml). */
export interface NamedSheet {
  name: string;
  part: ZipEntry;
}

/** A minimal .xlsx around its sheets (Sheet1, Sheet2, … unless named): the parts Excel needs to open it. */
export function workbook(...sheets: (ZipEntry | NamedSheet)[]): Buffer {
  const named = sheets.map((sheet, i) => ('part' in sheet ? sheet : { name: `Sheet${i + 1}`, part: sheet }));
  const overrides = named
    .map(
      ({ part }) =>
        `<Override PartName="/${part.name}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
    )
    .join('');
  const list = named.map(({ name }, i) => `<sheet name="${escapeXml(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
  const relations = named
    .map(
      ({ part }, i) =>
        `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="${part.name.replace('xl/', '')}"/>`,
    )
    .join('');
  const parts: [string, string][] = [
    [
      '[Content_Types].xml',
      `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${overrides}</Types>`,
    ],
    [
      '_rels/.rels',
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    ],
    [
      'xl/workbook.xml',
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${list}</sheets></workbook>`,
    ],
    [
      'xl/_rels/workbook.xml.rels',
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${relations}</Relationships>`,
    ],
  ];
  return zip([...parts.map(([name, text]) => entry(name, Buffer.from(text))), ...named.map(({ part }) => part)]);
}

/** A zip archive of deflated entries: local headers and data, then the central directory. */
function zip(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data, crc, size } of entries) {
    const fileName = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const escapeXml = (text: string) =>
  text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] as string);

/** A column's letters: 0 → A, 25 → Z, 26 → AA. */
const column = (n: number): string => (n < 26 ? '' : column(Math.floor(n / 26) - 1)) + String.fromCharCode(65 + (n % 26));

/** A sheet's part holding these rows: strings as inline strings (kept as written), numbers as numbers. */
function sheetPart(rows: readonly (readonly (string | number)[])[], number: number): ZipEntry {
  const cells = rows
    .map(
      (row, r) =>
        `<row r="${r + 1}">${row
          .map((value, c) =>
            typeof value === 'number'
              ? `<c r="${column(c)}${r + 1}"><v>${value}</v></c>`
              : `<c r="${column(c)}${r + 1}" t="inlineStr"><is><t xml:space="preserve">${escapeXml(value)}</t></is></c>`,
          )
          .join('')}</row>`,
    )
    .join('');
  return entry(`xl/worksheets/sheet${number}.xml`, Buffer.from(`${SHEET_START}${cells}${SHEET_END}`));
}

/** A workbook of one sheet holding these rows. */
export function workbookOf(rows: readonly (readonly (string | number)[])[]): Buffer {
  return workbook(sheetPart(rows, 1));
}

/** A workbook of several named sheets, in this order. */
export function workbookOfSheets(sheets: readonly { name: string; rows: readonly (readonly (string | number)[])[] }[]): Buffer {
  return workbook(...sheets.map(({ name, rows }, i) => ({ name, part: sheetPart(rows, i + 1) })));
}
