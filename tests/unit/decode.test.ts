/**
 * The importer's bytes → text step (decodeBytes, readFile, readText, planImport): UTF-8 with and without
 * BOM, UTF-16 with BOM, the Windows-1252 fallback, binary files refused, empty files.
 */
import { describe, expect, it } from 'vitest';
import { decodeBytes } from '../../electron/core/import/decode';
import { parseList } from '../../electron/core/import/parse';
import { planImport, readFile, readText } from '../../electron/core/import/source';
import { expectAppError } from './helpers';

const A = 'EC-000-05D-1NS';
const B = 'EC-ABC-DEF-123';
const csv = `Name,Consignment Reference\r\nZoë Brontë,${A}\r\nJosé,${B.toLowerCase()}\r\n`;

const utf8 = (text: string) => new TextEncoder().encode(text);
const bytes = (...parts: (number[] | Uint8Array)[]) => Uint8Array.from(parts.flatMap((part) => [...part]));
function utf16(text: string, endian: 'le' | 'be'): Uint8Array {
  const out: number[] = endian === 'le' ? [0xff, 0xfe] : [0xfe, 0xff];
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    out.push(...(endian === 'le' ? [unit & 0xff, unit >> 8] : [unit >> 8, unit & 0xff]));
  }
  return Uint8Array.from(out);
}

/** Decodes and parses, as a dropped file goes through the importer. */
const importBytes = (data: Uint8Array) => planImport(decodeBytes(data));

describe('decodeBytes', () => {
  it('reads UTF-8 without a BOM', () => {
    const decoded = decodeBytes(utf8(csv));
    expect(decoded).toEqual({ text: csv, encoding: 'UTF-8', notes: [] });
  });

  it('reads UTF-8 with a BOM and drops the BOM, so the header name still matches', () => {
    const decoded = decodeBytes(bytes([0xef, 0xbb, 0xbf], utf8(csv)));
    expect(decoded.encoding).toBe('UTF-8 (BOM)');
    expect(decoded.text).toBe(csv);
    expect(decoded.notes).toEqual([]);
    const plan = planImport(decoded);
    expect(plan.column).toMatchObject({ index: 1, name: 'Consignment Reference' });
    expect(plan.entries.map((entry) => entry.reference)).toEqual([A, B]);
  });

  it.each(['le', 'be'] as const)('reads UTF-16%s with a BOM', (endian) => {
    const decoded = decodeBytes(utf16(csv, endian));
    expect(decoded.encoding).toBe(`UTF-16${endian.toUpperCase()}`);
    expect(decoded.text).toBe(csv);
    const plan = planImport(decoded);
    expect(plan.column.name).toBe('Consignment Reference');
    expect(plan.entries.map((entry) => [entry.row, entry.reference])).toEqual([
      [2, A],
      [3, B],
    ]);
  });

  it('falls back to Windows-1252 for text that is not UTF-8, and says so in a note', () => {
    // "Zoë" with ë as 0xEB and a euro sign as 0x80: what an older Excel "CSV" export writes.
    const data = bytes(utf8('Name;Reference\r\nZo'), [0xeb], utf8(' '), [0x80], utf8(`;${A}\r\n`));
    const decoded = decodeBytes(data);
    expect(decoded.encoding).toBe('Windows-1252');
    expect(decoded.text).toBe(`Name;Reference\r\nZoë €;${A}\r\n`);
    expect(decoded.notes).toHaveLength(1);
    expect(decoded.notes[0]).toMatch(/Windows-1252/);
    const plan = planImport(decoded);
    expect(plan.notes).toEqual(decoded.notes);
    expect(plan.encoding).toBe('Windows-1252');
    expect(plan.entries.map((entry) => entry.reference)).toEqual([A]);
  });

  it('maps every Windows-1252 byte from 0x80 to 0x9F as Windows does (not as Latin-1)', () => {
    const high = Array.from({ length: 32 }, (_, i) => 0x80 + i);
    const decoded = decodeBytes(bytes(utf8('Reference,Note\n'), utf8(`${A},`), high));
    const expected = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
    expect(decoded.encoding).toBe('Windows-1252');
    expect(decoded.text).toBe(`Reference,Note\n${A},${expected}`);
  });

  it('reads a UTF-8 BOM file with a few broken bytes instead of failing, with a note', () => {
    const decoded = decodeBytes(bytes([0xef, 0xbb, 0xbf], utf8('Reference,Name\n'), utf8(`${A},Zo`), [0xeb], utf8('\n')));
    expect(decoded.encoding).toBe('UTF-8 (BOM)');
    expect(decoded.text).toBe(`Reference,Name\n${A},Zo\uFFFD\n`);
    expect(decoded.notes[0]).toMatch(/not valid UTF-8/);
    expect(planImport(decoded).entries).toHaveLength(1);
  });

  it('refuses a binary file (NUL bytes) with a clear bad_input error', () => {
    const png = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d], utf8('IHDR'));
    expectAppError(() => decodeBytes(png), 'bad_input', /binary/);
    expectAppError(() => decodeBytes(bytes(utf8(`Reference\n${A}\n`), [0x00])), 'bad_input', /CSV UTF-8/);
  });

  it('refuses binary data even behind a byte-order mark', () => {
    expectAppError(() => decodeBytes(bytes([0xef, 0xbb, 0xbf, 0x00, 0x01, 0x02])), 'bad_input', /binary/);
    expectAppError(() => decodeBytes(bytes([0xff, 0xfe, 0x00, 0x00, 0x41, 0x00])), 'bad_input', /binary/);
  });

  it('decodes an empty file to empty text, which the parser then refuses as an empty list', () => {
    expect(decodeBytes(new Uint8Array()).text).toBe('');
    expect(decodeBytes(bytes([0xef, 0xbb, 0xbf])).text).toBe('');
    expectAppError(() => importBytes(new Uint8Array()), 'bad_input', /empty/);
    expectAppError(() => importBytes(bytes([0xff, 0xfe])), 'bad_input', /empty/);
  });
});

describe('readText, readFile and planImport', () => {
  it('takes pasted text as it is', async () => {
    const decoded = readText(`${A}\n${B}`);
    expect(decoded).toEqual({ text: `${A}\n${B}`, encoding: 'UTF-8', notes: [] });
  });

  it('decodes a file’s bytes', async () => {
    const decoded = await readFile(utf16(csv, 'le'));
    expect(decoded.encoding).toBe('UTF-16LE');
    expect('text' in decoded && decoded.text).toBe(csv);
  });

  it('refuses binary bytes', async () => {
    await expect(readFile(new Uint8Array([0x00, 0x01, 0x02, 0x03, 0x14, 0x00, 0x00, 0x00]))).rejects.toThrow(/binary/);
  });

  it('refuses a broken workbook with a sentence that says what to do', async () => {
    await expect(readFile(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00]))).rejects.toThrow(
      /cannot be read.*save it again/,
    );
  });

  it('plans an import with the parse, the encoding and the notes together', () => {
    const plan = planImport({ text: `Reference\n${A}\nbad\n${A.toLowerCase()}`, encoding: 'UTF-8', notes: ['n'] });
    expect(plan).toMatchObject({
      encoding: 'UTF-8',
      notes: ['n'],
      hasHeader: true,
      duplicates: 1,
      provider: 'electio',
      entries: [{ row: 2, reference: A, provider: 'electio' }],
      rejected: [{ row: 3, value: 'bad' }],
    });
  });

  it('checks references against the provider the clerk chose', () => {
    const plan = planImport({ text: `${A}\n${B}`, encoding: 'UTF-8', notes: [] }, { providers: ['electio'] });
    expect(plan.entries).toHaveLength(2);
    expect(parseList(`${A}\nxyz`, { providers: ['electio'] }).rejected[0]?.error).toContain('Electio');
  });
});
