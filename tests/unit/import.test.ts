/**
 * The importer's text → checked list step (parseList): every input form of the foundation issue's
 * step 5 (header or not, column by name / values / only column, delimiters, quotes, line endings,
 * blank lines, spaces) and bad input (per-row errors, duplicates, empty input, broken quotes).
 */
import { describe, expect, it } from 'vitest';
import { parseList, type ParsedList } from '../../electron/core/import/parse';
import { expectAppError, ref } from './helpers';

const A = 'EC-000-05D-1NS';
const B = 'EC-ABC-DEF-123';
const C = 'EC-9Z9-Z9Z-000';
const D = 'EC-111-222-333';

const refs = (list: ParsedList) => list.entries.map((entry) => entry.reference);
const rows = (list: ParsedList) => list.entries.map((entry) => entry.row);
const lines = (...parts: string[]) => parts.join('\n');

describe('header or no header', () => {
  it('reads a single column without a header from row 1', () => {
    const list = parseList(lines(A, B, C));
    expect(list.hasHeader).toBe(false);
    expect(list.column).toMatchObject({ index: 0, name: null });
    expect(refs(list)).toEqual([A, B, C]);
    expect(rows(list)).toEqual([1, 2, 3]);
    expect(list.rejected).toEqual([]);
    expect(list.duplicates).toBe(0);
    expect(list.provider).toBe('electio');
  });

  it('skips a header row and counts it in row numbers', () => {
    const list = parseList(lines('Reference', A, B));
    expect(list.hasHeader).toBe(true);
    expect(list.column).toMatchObject({ index: 0, name: 'Reference' });
    expect(refs(list)).toEqual([A, B]);
    expect(rows(list)).toEqual([2, 3]);
  });

  it('takes an unknown word above a column of references as its header', () => {
    const list = parseList(lines('Parcels', A, B));
    expect(list.hasHeader).toBe(true);
    expect(list.column.name).toBe('Parcels');
    expect(rows(list)).toEqual([2, 3]);
  });

  it('reports a first row that is a bad reference instead of dropping it as a header', () => {
    for (const first of ['EC-12', 'EC-ABC', 'ec-abc-def', '123456789']) {
      const list = parseList(lines(first, A, B));
      expect(list.hasHeader, first).toBe(false);
      expect(list.rejected, first).toEqual([{ row: 1, value: first, error: expect.stringContaining('not a valid reference') }]);
      expect(rows(list), first).toEqual([2, 3]);
    }
  });

  it('reports a mangled first row such as 1.23E+15 as a row that lost digits', () => {
    const list = parseList(lines('1.23E+15', A));
    expect(list.hasHeader).toBe(false);
    expect(list.rejected).toHaveLength(1);
    expect(list.rejected[0]).toMatchObject({ row: 1, value: '1.23E+15' });
    expect(list.rejected[0]?.error).toMatch(/digits/i);
    expect(list.rejected[0]?.error).toMatch(/lost/i);
  });

  it('does not take a first row holding a reference as a header, even beside a header-like word', () => {
    const list = parseList(lines(`${A},Shipment`, `${B},Shipment`));
    expect(list.hasHeader).toBe(false);
    expect(list.column.index).toBe(0);
    expect(refs(list)).toEqual([A, B]);
    expect(rows(list)).toEqual([1, 2]);
  });

  it('gives no entries and no errors for a file with only a header', () => {
    for (const text of ['Reference', 'Reference\n', 'Consignment Reference,Name\r\n', 'Consignments\n\n']) {
      const list = parseList(text);
      expect(list.hasHeader, text).toBe(true);
      expect(list.entries, text).toEqual([]);
      expect(list.rejected, text).toEqual([]);
      expect(list.provider, text).toBeNull();
    }
  });
});

describe('reference column by name', () => {
  const names = [
    'reference',
    'Reference',
    'REFERENCE',
    'Consignment Reference',
    'consignment reference',
    'consignmentReference',
    'ConsignmentReference',
    'shipment_reference',
    'Shipment-Reference',
    'tracking reference',
    'Tracking_Reference',
    '  Consignment  Reference  ',
    'consignment_ref',
    'Ref',
  ];
  it.each(names)('finds the column named %j', (name) => {
    const text = lines(`Order,${name},Weight`, `ORD-1,${A},2.5`, `ORD-2,${B},1.0`);
    const list = parseList(text);
    expect(list.column).toMatchObject({ index: 1, name: name.trim() });
    expect(list.hasHeader).toBe(true);
    expect(refs(list)).toEqual([A, B]);
    expect(rows(list)).toEqual([2, 3]);
  });

  it('prefers the named column over another column that also holds references', () => {
    const list = parseList(lines('Old,Reference', `${C},${A}`, `${D},${B}`));
    expect(list.column.index).toBe(1);
    expect(refs(list)).toEqual([A, B]);
  });

  it('uses the named column even when its values are bad, and reports each', () => {
    const list = parseList(lines('Name,Consignment Reference', 'Smith,nope', `Jones,${A}`));
    expect(list.column.index).toBe(1);
    expect(refs(list)).toEqual([A]);
    expect(list.rejected).toEqual([{ row: 2, value: 'nope', error: expect.stringContaining('EC-000-05D-1NS') }]);
  });
});

describe('reference column by values, else the only column', () => {
  it('finds the column whose values look like references under an unknown header', () => {
    const list = parseList(lines('Order,Parcel,Weight', `ORD-1,${A},2.5`, `ORD-2,${B},1.0`));
    expect(list.column).toMatchObject({ index: 1, name: 'Parcel' });
    expect(list.hasHeader).toBe(true);
    expect(refs(list)).toEqual([A, B]);
  });

  it('finds the column whose values look like references without a header', () => {
    const list = parseList(lines(`ORD-1,${A},2.5`, `ORD-2,${B},1.0`));
    expect(list.column).toMatchObject({ index: 1, name: null });
    expect(list.hasHeader).toBe(false);
    expect(rows(list)).toEqual([1, 2]);
  });

  it('picks the column with the most reference-like values', () => {
    const list = parseList(lines('a,b', `${A},${B}`, `x,${C}`, `y,${D}`));
    expect(list.column.index).toBe(1);
    expect(refs(list)).toEqual([B, C, D]);
  });

  it('prefers values that look like references over a column merely ending in "Reference"', () => {
    const list = parseList(lines('Order Reference,Tracking', `ORD-1,${A}`, `ORD-2,${B}`));
    expect(list.column).toMatchObject({ index: 1, name: 'Tracking' });
    expect(refs(list)).toEqual([A, B]);
    expect(list.rejected).toEqual([]);
  });

  it('never takes a column for its name alone when it merely ends in "Ref": no column holds references', () => {
    const list = parseList(lines('Order,Customer Ref', 'ORD-1,abc', 'ORD-2,def'));
    expect(list.column).toMatchObject({ index: -1, name: null, reason: expect.stringMatching(/^No column of references/) });
    expect(list.entries).toEqual([]);
    expect(list.rejected).toEqual([]);
    expect(list.candidates.map((candidate) => [candidate.name, candidate.looksLike])).toEqual([
      ['Order', 'text like "ORD-1"'],
      ['Customer Ref', 'text like "abc"'],
    ]);
  });

  it('uses the only column even when no value in it is valid, and rejects each row', () => {
    const list = parseList(lines('Consignments', 'abc', 'EC-1', ''));
    expect(list.column.index).toBe(0);
    expect(list.entries).toEqual([]);
    expect(list.rejected.map((row) => [row.row, row.value])).toEqual([
      [2, 'abc'],
      [3, 'EC-1'],
    ]);
  });

  it('treats a single column padded with empty cells as the only column', () => {
    const list = parseList(lines('Consignments,,', 'abc,,', 'EC-1,,,'));
    expect(list.column).toMatchObject({ index: 0, name: 'Consignments' });
    expect(list.rejected.map((row) => [row.row, row.value])).toEqual([
      [2, 'abc'],
      [3, 'EC-1'],
    ]);
  });

  it('says so when none of several columns holds references, and reads no row', () => {
    const list = parseList(lines('Order,Name', 'ORD-1,Smith', 'ORD-2,Jones'));
    expect(list.column.index).toBe(-1);
    expect(list.column.reason).toMatch(/no column of references/i);
    expect(list.column.reason).toMatch(/Reference/);
    expect(list.entries).toEqual([]);
  });

  it('does not take "Delivery Preference" for a reference column', () => {
    expect(parseList(lines('Delivery Preference,Note', 'fast,x')).column.reason).toMatch(/no column of references/i);
  });
});

describe('delimiters', () => {
  it.each([
    [',', 'comma'],
    [';', 'semicolon'],
    ['\t', 'tab'],
  ])('detects %j (%s)', (delimiter) => {
    const text = [
      ['Order', 'Reference', 'Weight'],
      ['ORD-1', A, '2'],
      ['ORD-2', B, '3'],
    ]
      .map((r) => r.join(delimiter))
      .join('\n');
    const list = parseList(`${text}\n`);
    expect(list.delimiter).toBe(delimiter);
    expect(list.column.index).toBe(1);
    expect(refs(list)).toEqual([A, B]);
  });

  it('detects a semicolon file whose fields contain commas (European decimals, names)', () => {
    const list = parseList(lines('Reference;Name;Weight', `${A};Smith, John;1,5`, `${B};Doe, Jane;2,25`, ''));
    expect(list.delimiter).toBe(';');
    expect(refs(list)).toEqual([A, B]);
  });

  it('detects a small two-column semicolon file that ends in a newline', () => {
    const list = parseList(`Name;Reference\nSmith;${A}\n`);
    expect(list.delimiter).toBe(';');
    expect(list.column).toMatchObject({ index: 1, name: 'Reference' });
    expect(refs(list)).toEqual([A]);
  });

  it('detects tabs in a list pasted from a spreadsheet whose cells contain commas', () => {
    const list = parseList(lines(`${A}\tSmith, John`, `${B}\tDoe, Jane`));
    expect(list.delimiter).toBe('\t');
    expect(refs(list)).toEqual([A, B]);
  });

  it('detects a delimiter despite blank lines among the first rows', () => {
    const list = parseList(lines('Name;Reference', '', `Smith;${A}`, '', '', `Jones;${B}`, ''));
    expect(list.delimiter).toBe(';');
    expect(rows(list)).toEqual([3, 6]);
  });
});

describe('quoted fields', () => {
  it('unquotes a quoted reference', () => {
    expect(refs(parseList(lines('"Reference"', `"${A}"`, `"${B}"`)))).toEqual([A, B]);
  });

  it('keeps a delimiter inside quotes within its field', () => {
    const comma = parseList(lines('Reference,Name,Note', `${A},"Smith, John",x`, `"${B}","Doe, Jane",y`));
    expect(comma.column.index).toBe(0);
    expect(refs(comma)).toEqual([A, B]);
    const semi = parseList(lines('Name;Reference', `"Smith; John";${A}`, `"Doe; Jane";${B}`));
    expect(semi.delimiter).toBe(';');
    expect(refs(semi)).toEqual([A, B]);
  });

  it('reads doubled quotes inside a quoted field', () => {
    const list = parseList(lines('Note,Reference', `"He said ""urgent"", twice",${A}`, `"""",${B}`));
    expect(refs(list)).toEqual([A, B]);
    expect(list.rejected).toEqual([]);
  });

  it('counts a record with a newline inside quotes once, so later row numbers stay right', () => {
    const list = parseList(
      lines('Reference,Note', `${A},"line one`, `line two`, `line three"`, `${B},x`, 'bad,y', `${C},"a\r\nb"`, `${D},z`),
    );
    expect(refs(list)).toEqual([A, B, C, D]);
    expect(rows(list)).toEqual([2, 3, 5, 6]);
    expect(list.rejected).toEqual([{ row: 4, value: 'bad', error: expect.any(String) }]);
  });

  it('ignores spaces around a quoted value', () => {
    const list = parseList(lines('Reference', `  "${A}"  `, `\t"${B}"`));
    expect(refs(list)).toEqual([A, B]);
    expect(list.rejected).toEqual([]);
  });

  it('accepts a stray quote in the middle of an unquoted field', () => {
    const list = parseList(lines('Reference,Item', `${A},5" pipe`, `${B},x`));
    expect(refs(list)).toEqual([A, B]);
    expect(list.rejected).toEqual([]);
  });

  it('rejects the row with an unclosed quote and reads the rows after it', () => {
    const list = parseList(lines('Reference,Name', `${A},a`, `${B},"bob`, `${C},c`, `${D},d`));
    expect(refs(list)).toEqual([A, C, D]);
    expect(rows(list)).toEqual([2, 4, 5]);
    expect(list.rejected).toEqual([{ row: 3, value: B, error: expect.stringMatching(/quot.*not closed/i) }]);
  });

  it('rejects an unclosed quote on the reference cell itself', () => {
    const list = parseList(lines(A, `"${B}`, C));
    expect(refs(list)).toEqual([A, C]);
    expect(list.rejected).toEqual([{ row: 2, value: B, error: expect.stringMatching(/not closed/i) }]);
  });

  it('rejects an unclosed quote on the last line', () => {
    const list = parseList(lines('Reference,Name', `${A},a`, `${B},"bob`));
    expect(refs(list)).toEqual([A]);
    expect(list.rejected.map((row) => row.row)).toEqual([3]);
  });

  it('recovers from several unclosed quotes, CRLF line endings included', () => {
    const text = ['Reference,Name', `${A},"x`, `${B},b`, `${C},"y`, `${D},d`, ''].join('\r\n');
    const list = parseList(text);
    expect(refs(list)).toEqual([B, D]);
    expect(rows(list)).toEqual([3, 5]);
    expect(list.rejected.map((row) => [row.row, row.value])).toEqual([
      [2, A],
      [4, C],
    ]);
  });

  it('keeps record numbers right when an unclosed quote follows a multi-line quoted field', () => {
    const list = parseList(lines('Reference,Note,Name', `${A},"one`, `two",ok`, `${B},"fine","unclosed`, `${C},x,y`));
    expect(refs(list)).toEqual([A, C]);
    expect(rows(list)).toEqual([2, 4]);
    expect(list.rejected.map((row) => [row.row, row.value])).toEqual([[3, B]]);
  });

  it('reads empty quoted fields and inner doubled quotes on the rows after an unclosed quote', () => {
    const list = parseList(lines('Reference,Name,X', `${A},"bob`, `${B},"",x`, `${C},a""b,y`, `${D},"q""q`, `${ref(7)},ok,""`));
    expect(refs(list)).toEqual([B, C, ref(7)]);
    expect(rows(list)).toEqual([3, 4, 6]);
    expect(list.rejected.map((row) => [row.row, row.value])).toEqual([
      [2, A],
      [5, D],
    ]);
  });

  it('rejects, rather than silently accepts, a row whose stray quote swallowed the next lines', () => {
    // A stray opening quote that a later line happens to close makes one multi-line field, as a
    // spreadsheet would read it; the stray quote inside marks the row as broken.
    const list = parseList(lines('Reference,Name', `${A},"bob`, `${C},"carl"`, `${D},d`));
    expect(list.rejected).toEqual([{ row: 2, value: A, error: expect.stringMatching(/quotation mark/i) }]);
    expect(refs(list)).toEqual([D]);
  });

  it('rejects a row with text after a closing quote and reads the rows after it', () => {
    const list = parseList(lines('Reference,Name', `${A},"Smith" Jr`, `${B},b`));
    expect(refs(list)).toEqual([B]);
    expect(rows(list)).toEqual([3]);
    expect(list.rejected).toEqual([{ row: 2, value: A, error: expect.stringMatching(/quotation mark/i) }]);
  });
});

describe('line endings, blank lines and spaces', () => {
  const body = ['Reference', A, '', B, C];
  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR only', '\r'],
  ])('reads %s line endings with the same row numbers', (_name, newline) => {
    for (const text of [body.join(newline), body.join(newline) + newline]) {
      const list = parseList(text);
      expect(refs(list)).toEqual([A, B, C]);
      expect(rows(list)).toEqual([2, 4, 5]);
      expect(list.rejected).toEqual([]);
    }
  });

  it('reads a mix of CRLF and LF line endings (lists pasted together)', () => {
    const list = parseList(`Reference\r\n${A}\r\n${B}\n${C}\r\n${D}\n`);
    expect(refs(list)).toEqual([A, B, C, D]);
    expect(rows(list)).toEqual([2, 3, 4, 5]);
  });

  it('ignores blank lines, whitespace-only lines and delimiter-only lines but counts them as rows', () => {
    const list = parseList(lines('', '   ', 'Name,Reference', ',', `Smith,${A}`, ' , ', '\t', `Jones,${B}`, '', ''));
    expect(list.hasHeader).toBe(true);
    expect(refs(list)).toEqual([A, B]);
    expect(rows(list)).toEqual([5, 8]);
    expect(list.rejected).toEqual([]);
  });

  it('ignores spaces around values and header names', () => {
    const list = parseList(lines('  Name ,  Consignment Reference  ', `Smith ,   ${A}   `, `Jones,\u00a0${B}\u00a0`, `\t${C}\t`));
    expect(list.column.index).toBe(1);
    expect(list.column.name).toBe('Consignment Reference');
    expect(refs(list)).toEqual([A, B]);
    expect(list.rejected).toEqual([{ row: 4, value: '', error: 'The reference is empty.' }]);
  });

  it('strips a byte-order mark from pasted text so the header is still found', () => {
    const list = parseList(`\uFEFFReference\n${A}`);
    expect(list.column.name).toBe('Reference');
    expect(refs(list)).toEqual([A]);
  });
});

describe('references stay text', () => {
  it('keeps leading zeros and stores references in upper case', () => {
    const list = parseList(lines('Reference', 'EC-000-05D-1NS', 'ec-000-000-001', 'Ec-0a0-b0C-00d'));
    expect(refs(list)).toEqual(['EC-000-05D-1NS', 'EC-000-000-001', 'EC-0A0-B0C-00D']);
    for (const entry of list.entries) expect(typeof entry.reference).toBe('string');
  });

  it('keeps a numeric-looking extra column from affecting the reference', () => {
    const list = parseList(lines('Reference,Qty', `${A},007`, `${B},1e5`));
    expect(refs(list)).toEqual([A, B]);
  });
});

describe('per-row errors', () => {
  it('rejects a value that does not match the pattern, naming the value and an example', () => {
    const list = parseList(
      lines('Reference', A, 'EC-000-05D', 'EC-000-05D-1NS-X', 'XX-000-05D-1NS', 'EC 000 05D 1NS', 'EC-00!-05D-1NS'),
    );
    expect(refs(list)).toEqual([A]);
    expect(list.rejected.map((row) => row.row)).toEqual([3, 4, 5, 6, 7]);
    for (const row of list.rejected) {
      expect(row.error).toContain(`"${row.value}"`);
      expect(row.error).toMatch(/not a valid reference/);
      expect(row.error).toContain('EC-000-05D-1NS');
    }
  });

  it('rejects an empty reference cell, and a row too short to have one', () => {
    const list = parseList(lines('Name,Reference,Note', `Smith,${A},x`, 'Jones,,y', 'Brown', `Green,  ,z`));
    expect(refs(list)).toEqual([A]);
    expect(list.rejected).toEqual([
      { row: 3, value: '', error: 'The reference is empty.' },
      { row: 4, value: '', error: 'The reference is empty.' },
      { row: 5, value: '', error: 'The reference is empty.' },
    ]);
  });

  it.each(['1.23E+15', '1.23457E+17', '4E+12', '1.5e-3', '9.99999E+20'])(
    'rejects %s as a number a spreadsheet mangled, saying digits were lost',
    (mangled) => {
      const list = parseList(lines('Reference', A, mangled));
      expect(list.rejected).toHaveLength(1);
      const [row] = list.rejected;
      expect(row).toMatchObject({ row: 3, value: mangled });
      expect(row?.error).toContain(mangled);
      expect(row?.error).toMatch(/digits are lost/);
      expect(row?.error).toMatch(/Text/);
    },
  );

  it('rejects a mangled number written with a decimal comma (semicolon-separated file)', () => {
    const list = parseList(lines('Reference;Name', '1,23E+15;Smith', `${A};Jones`));
    expect(list.rejected).toEqual([{ row: 2, value: '1,23E+15', error: expect.stringMatching(/digits are lost/) }]);
    expect(refs(list)).toEqual([A]);
  });

  it('collapses duplicates case-insensitively, keeps the first occurrence with its row, and counts the extras', () => {
    const list = parseList(lines('Reference', A, B, A.toLowerCase(), `  ${A}  `, C, B, `"${A}"`));
    expect(refs(list)).toEqual([A, B, C]);
    expect(rows(list)).toEqual([2, 3, 6]);
    expect(list.duplicates).toBe(4);
    expect(list.rejected).toEqual([]);
  });

  it('reports each bad row even when it repeats, and does not count it as a duplicate', () => {
    const list = parseList(lines('Reference', 'bad', A, 'bad'));
    expect(list.duplicates).toBe(0);
    expect(list.rejected.map((row) => row.row)).toEqual([2, 4]);
  });

  it('ignores extra and ragged columns', () => {
    const list = parseList(lines('Reference,Name', `${A},Smith,extra,more`, B, `${C},Jones`));
    expect(refs(list)).toEqual([A, B, C]);
    expect(list.rejected).toEqual([]);
  });

  it('reports rejected rows in row order with the value as written (trimmed)', () => {
    const list = parseList(lines('Reference', ' zzz ', A, '1E+5', '', 'EC-1'));
    expect(list.rejected.map((row) => [row.row, row.value])).toEqual([
      [2, 'zzz'],
      [4, '1E+5'],
      [6, 'EC-1'],
    ]);
  });
});

describe('empty input', () => {
  it.each(['', '\n', '\r\n\r\n', '   \n\t\n', ',,\n,,\n', '\uFEFF'])('refuses %j with a clear bad_input error', (text) => {
    expectAppError(() => parseList(text), 'bad_input', /empty/i);
  });
});

describe('large input', () => {
  it('parses 100,000 rows with a header, bad rows and duplicates', () => {
    const count = 100_000;
    const body: string[] = ['Order;Consignment Reference;Weight'];
    for (let i = 0; i < count; i++) body.push(`ORD-${i};${ref(i)};${i % 7},5`);
    body[50_001] = 'ORD-X;1.23E+15;1'; // row 50,002 replaces ref(50_000)
    body.push(`ORD-dup;${ref(5).toLowerCase()};1`);
    const list = parseList(body.join('\r\n') + '\r\n');
    expect(list.delimiter).toBe(';');
    expect(list.entries).toHaveLength(count - 1);
    expect(list.entries[0]).toMatchObject({ row: 2, reference: ref(0), provider: 'electio' });
    expect(list.entries.at(-1)).toMatchObject({ row: count + 1, reference: ref(count - 1), provider: 'electio' });
    expect(list.rejected).toEqual([{ row: 50_002, value: '1.23E+15', error: expect.stringMatching(/digits are lost/) }]);
    expect(list.duplicates).toBe(1);
  });

  it('parses 100,000 references pasted one per line without a header', () => {
    const text = Array.from({ length: 100_000 }, (_, i) => ref(i)).join('\n');
    const list = parseList(text);
    expect(list.hasHeader).toBe(false);
    expect(list.entries).toHaveLength(100_000);
    expect(list.entries[99_999]?.row).toBe(100_000);
  });

  it('recovers from many unclosed quotes in a long list', () => {
    const body: string[] = ['Reference,Note'];
    for (let i = 0; i < 20_000; i++) body.push(i % 10 === 0 ? `${ref(i)},"open` : `${ref(i)},ok`);
    const list = parseList(body.join('\n'));
    expect(list.rejected).toHaveLength(2_000);
    expect(list.entries).toHaveLength(18_000);
    expect(list.rejected[1]?.row).toBe(12);
    expect(list.entries.at(-1)?.row).toBe(20_001);
  });
});

describe('every id column gets the same checks (issue 15)', () => {
  const uuid = (n: number) => `39874b59-2a68-4a3d-8e00-${String(n).padStart(12, '0')}`;

  it('rejects an external id that lost its leading zeros when the column shows its zero-padded width', () => {
    const list = parseList(
      lines(
        'external_order_id,external_shipment_id',
        '00012345,S-1',
        '00012346,S-2',
        '12347,S-3',
        '00012348,S-4',
        '7.5733288092349E+16,S-5',
      ),
    );
    expect(list.entries.map((entry) => entry.reference)).toEqual(['00012345/S-1', '00012346/S-2', '00012348/S-4']);
    expect(list.rejected.map((row) => [row.row, row.error.replace(/ Format.*/, '')])).toEqual([
      [
        4,
        'external_order_id "12347" has fewer digits than the column\'s other ids (8, with leading zeros): a spreadsheet probably dropped its leading zeros.',
      ],
      [
        6,
        'external_order_id "7.5733288092349E+16" is a number a spreadsheet rewrote in scientific notation, so digits are lost (it keeps 15).',
      ],
    ]);
  });

  it('leaves ids of different widths alone: no pattern, no guess', () => {
    const list = parseList(lines('external_order_id,external_shipment_id', '0012,S-1', '123456,S-2', '77,S-3'));
    expect(list.rejected).toEqual([]);
  });

  it("names the provider to add when the references are another provider's", () => {
    const list = parseList(lines('Reference', uuid(1), uuid(2), A), { providers: ['electio'] });
    expect(list.entries.map((entry) => entry.reference)).toEqual([A]);
    expect(list.rejected[0]?.error).toBe(
      `"${uuid(1)}" is a Sendcloud reference, but there is no Sendcloud account to send it to here. Add one, then import again.`,
    );
    expect(list.hints).toEqual([
      '2 reference(s) are Sendcloud references, but there is no Sendcloud account to send them to: add one, then import again.',
    ]);
  });

  it('lists each duplicate with the row it repeats', () => {
    const list = parseList(lines('Reference', A, B, A, A));
    expect(list.duplicateRows).toEqual([
      { row: 4, reference: A, firstRow: 2 },
      { row: 5, reference: A, firstRow: 2 },
    ]);
    expect(list.duplicates).toBe(2);
  });
});
