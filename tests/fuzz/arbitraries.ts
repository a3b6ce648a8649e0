/** Generators shared by the property tests: valid references of each provider, and the nasty text around them. */
import fc from 'fast-check';

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'.split('');
const chars = (set: string[], length: number) => fc.array(fc.constantFrom(...set), { minLength: length, maxLength: length });

export const electioReference = fc
  .tuple(chars(ALNUM, 3), chars(ALNUM, 3), chars(ALNUM, 3))
  .map(([a, b, c]) => `EC-${a.join('')}-${b.join('')}-${c.join('')}`);
export const sortedReference = fc
  .integer({ min: 20, max: 40 })
  .chain((length) => chars('0123456789'.split(''), length))
  .map((digits) => `sp_${digits.join('')}`);
export const sendcloudReference = fc.uuid();
export const validReference = fc.oneof(electioReference, sortedReference, sendcloudReference);

/** Characters that break naive CSV readers and URL builders. */
export const NASTY = [
  '"',
  ',',
  ';',
  '\t',
  '\n',
  '\r',
  '\r\n',
  ' ',
  '/',
  '..',
  '%2F',
  '?',
  '#',
  '\\',
  '\u0000',
  '\u001f',
  '\u00a0',
  '\uFEFF',
  'é',
  '€',
  '😀',
  '\u202e',
  'EC-',
  'sp_',
];

/** A cell: empty, a reference, plain words, or anything with the nasty characters mixed in. */
export const cell = fc.oneof(
  fc.constant(''),
  validReference,
  fc.string({ maxLength: 20 }),
  fc.array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 4 })), { maxLength: 6 }).map((parts) => parts.join('')),
);

/** Text shaped like a clerk's CSV (rows of cells joined by a delimiter), with every kind of junk in it. */
export const csvText = fc
  .tuple(
    fc.constantFrom(',', ';', '\t'),
    fc.constantFrom('\n', '\r\n', '\r'),
    fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { maxLength: 25 }),
  )
  .map(([delimiter, newline, rows]) => rows.map((row) => row.join(delimiter)).join(newline));

/** Bytes from a seed (xorshift): evenly spread, unlike fast-check's arrays, which favour small values. */
export function noise(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed | 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export const utf8 = (text: string) => new TextEncoder().encode(text);

export function utf16(text: string, endian: 'le' | 'be'): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out.set(endian === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    out.set(endian === 'le' ? [unit & 0xff, unit >> 8] : [unit >> 8, unit & 0xff], 2 + i * 2);
  }
  return out;
}
