/**
 * The importer on bad input, as a dropped file goes through it (readFile, then planImport): arbitrary
 * bytes, UTF-16, binary files, huge fields, very wide rows, deep and unterminated quotes. Every file
 * ends as a preview (accepted references, and a reason for every rejected row) or a clear refusal;
 * nothing else is ever thrown, and no row is lost without a word.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../electron/core/errors';
import { readRecords } from '../../electron/core/import/records';
import { checkReference } from '../../electron/core/import/references';
import { planImport, readFile, type ImportPlan } from '../../electron/core/import/source';
import { cell, csvText, electioReference, noise, utf16, utf8, validReference } from './arbitraries';
import { runs } from './runs';
import { workbookOf } from '../support/xlsx';

/** What the clerk gets for a file: its preview and the text it was read from, or the sentence that refuses it. */
async function importFile(bytes: Uint8Array): Promise<{ plan: ImportPlan; text: string | null } | AppError> {
  try {
    const decoded = await readFile(bytes);
    return { plan: planImport(decoded), text: 'text' in decoded ? decoded.text : null };
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
}

function expectClearRefusal(error: AppError): void {
  expect(error.code).toBe('bad_input');
  expect(error.message).toMatch(/^[A-Z].{20,250}[.)]$/);
}

/** A preview a clerk can trust: only valid references, every rejection explained briefly, every row accounted for. */
function expectSoundPlan(plan: ImportPlan, text: string | null): void {
  if (plan.column.index < 0 && plan.entries.every((entry) => entry.external === null)) {
    // No column holds references: one sentence says so, and no row is read as anything.
    expect(plan.column.reason).toMatch(/^No column of references was found: .{20,200}\.$/);
    expect([plan.entries, plan.rejected, plan.duplicates]).toEqual([[], [], 0]);
    return;
  }
  const rows = [...plan.entries.map((entry) => entry.row), ...plan.rejected.map((row) => row.row)];
  expect(new Set(rows).size).toBe(rows.length);
  for (const entry of plan.entries) {
    if (entry.external) continue;
    expect(checkReference(entry.reference, [entry.provider])).toEqual({
      ok: true,
      reference: entry.reference,
      provider: entry.provider,
    });
  }
  for (const rejected of plan.rejected) {
    expect(rejected.row).toBeGreaterThan(0);
    expect(rejected.value.length).toBeLessThanOrEqual(80);
    expect(rejected.error).toMatch(/^\S/);
    expect(rejected.error.length).toBeLessThan(400);
  }
  if (text === null) return;
  const { records } = readRecords(text);
  const nonBlank = records.filter((record) => record.some((value) => value.trim() !== '')).length;
  expect(plan.entries.length + plan.rejected.length + plan.duplicates).toBe(nonBlank - (plan.hasHeader ? 1 : 0));
  for (const row of rows) expect(row).toBeLessThanOrEqual(records.length);
}

async function expectPreviewOrRefusal(bytes: Uint8Array): Promise<void> {
  const result = await importFile(bytes);
  if (result instanceof AppError) expectClearRefusal(result);
  else expectSoundPlan(result.plan, result.text);
}

async function expectRefused(bytes: Uint8Array, message: RegExp): Promise<void> {
  const result = await importFile(bytes);
  expect(result).toBeInstanceOf(AppError);
  expectClearRefusal(result as AppError);
  expect((result as AppError).message).toMatch(message);
}

const BOMS: Record<string, number[]> = { none: [], utf8: [0xef, 0xbb, 0xbf], utf16le: [0xff, 0xfe], utf16be: [0xfe, 0xff] };
const concat = (...parts: ArrayLike<number>[]) => Uint8Array.from(parts.flatMap((part) => Array.from(part)));

describe('the importer on arbitrary input', () => {
  it('answers any bytes with a preview or a clear refusal', async () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 3000 }),
      fc
        .tuple(fc.constantFrom(...Object.values(BOMS)), fc.uint8Array({ maxLength: 3000 }))
        .map(([bom, rest]) => concat(bom, rest)),
      csvText.map(utf8),
      fc.tuple(csvText, fc.constantFrom('le', 'be') as fc.Arbitrary<'le' | 'be'>).map(([text, endian]) => utf16(text, endian)),
    );
    await fc.assert(fc.asyncProperty(bytes, expectPreviewOrRefusal), runs());
  });

  it('reads a CSV of any junk as a sound preview: only valid references, every other row explained', async () => {
    await fc.assert(
      fc.asyncProperty(csvText, async (text) => {
        // Pasted text skips the decoding step: the parser alone must hold.
        try {
          expectSoundPlan(planImport({ text, encoding: 'UTF-8', notes: [] }), text);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          expectClearRefusal(error);
        }
      }),
      runs(),
    );
  });

  it('reads UTF-16 LE and BE with a BOM exactly as UTF-8', async () => {
    await fc.assert(
      fc.asyncProperty(csvText, async (text) => {
        const outcome = async (bytes: Uint8Array) => {
          const result = await importFile(bytes);
          if (result instanceof AppError) return result.message;
          const { entries, rejected, duplicates, column, hasHeader } = result.plan;
          return { entries, rejected, duplicates, column, hasHeader };
        };
        const expected = await outcome(utf8(text));
        expect(await outcome(utf16(text, 'le'))).toEqual(expected);
        expect(await outcome(utf16(text, 'be'))).toEqual(expected);
      }),
      runs(),
    );
  });

  it('finds every reference of a well-formed CSV, whatever the other columns hold', async () => {
    const table = fc
      .integer({ min: 0, max: 3 })
      .chain((width) =>
        fc.array(
          fc.tuple(
            fc.oneof(validReference, fc.constantFrom('', 'n/a', 'pending')),
            fc.array(fc.string(), { minLength: width, maxLength: width }),
          ),
          { minLength: 1, maxLength: 30 },
        ),
      );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(',', ';', '\t'), table, async (delimiter, rows) => {
        const quote = (value: string) => `"${value.replace(/"/g, '""')}"`;
        const header = ['Reference', ...(rows[0]?.[1] ?? []).map((_, i) => `Note ${i + 1}`)].join(delimiter);
        const text = [header, ...rows.map(([ref, others]) => [ref, ...others].map(quote).join(delimiter))].join('\r\n');
        const plan = planImport({ text, encoding: 'UTF-8', notes: [] });
        const valid = rows.flatMap(([ref]) =>
          checkReference(ref).ok ? [(checkReference(ref) as { reference: string }).reference] : [],
        );
        expect(plan.entries.map((entry) => entry.reference)).toEqual([...new Set(valid)]);
        const blank = (cells: string[]) => cells.every((value) => value.trim() === '');
        expect(plan.rejected.map((rejected) => rejected.value)).toEqual(
          rows.flatMap(([ref, others]) => (!blank([ref, ...others]) && !checkReference(ref).ok ? [ref] : [])),
        );
      }),
      runs(),
    );
  });
});

describe('binary files given as a list', () => {
  const SIGNATURES: Record<string, { start: number[]; message: RegExp }> = {
    png: { start: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], message: /binary/ },
    jpeg: { start: [0xff, 0xd8, 0xff, 0xe0], message: /binary/ },
    gif: { start: [...utf8('GIF89a')], message: /binary/ },
    gzip: { start: [0x1f, 0x8b, 0x08], message: /binary/ },
    zip: { start: [0x50, 0x4b, 0x03, 0x04], message: /spreadsheet but cannot be read/ },
    pdf: { start: [...utf8('%PDF-1.7\n')], message: /PDF/ },
    xls: { start: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], message: /\.xls/ },
  };

  it('refuses a file with a binary signature, whatever follows it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(SIGNATURES)),
        fc.integer(),
        // Real files of these kinds are never shorter: a PNG's next bytes, for one, hold NULs.
        fc.integer({ min: 64, max: 4096 }),
        async (kind, seed, length) => {
          const { start, message } = SIGNATURES[kind] ?? { start: [], message: /./ };
          await expectRefused(concat(start, noise(seed, length)), message);
        },
      ),
      runs(),
    );
  });

  it('refuses random binary data, with or without NUL bytes, even behind a UTF-8 BOM', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer(), fc.integer({ min: 512, max: 8192 }), fc.boolean(), async (seed, length, bom) => {
        const data = noise(seed, length);
        if (data[0] === 0xff || data[0] === 0xfe || data[0] === 0xef) data[0] = 0x01;
        await expectRefused(concat(bom ? (BOMS.utf8 ?? []) : [], data), /binary|PDF|\.xls|spreadsheet/);
      }),
      runs(),
    );
  });

  it('refuses a text list with a NUL byte anywhere in its first 8 KB', async () => {
    await fc.assert(
      fc.asyncProperty(csvText, fc.nat(), async (text, at) => {
        const bytes = utf8(text);
        const cut = bytes.length === 0 ? 0 : at % Math.min(bytes.length, 8000);
        await expectRefused(concat(bytes.subarray(0, cut), [0], bytes.subarray(cut)), /binary/);
      }),
      runs(),
    );
  });
});

describe('huge fields, wide rows and broken quotes', () => {
  it('rejects a huge field on its row, shown cut short, and keeps the references around it', async () => {
    await fc.assert(
      fc.asyncProperty(
        electioReference,
        electioReference,
        fc.integer({ min: 10_000, max: 2_000_000 }),
        fc.constantFrom('A', 'é', '9', 'x"', '€ '),
        async (first, last, length, unit) => {
          const huge = unit.repeat(Math.ceil(length / unit.length));
          const result = await importFile(utf8(`Reference\n${first}\n${huge}\n${last}\n`));
          if (result instanceof AppError) throw result;
          expectSoundPlan(result.plan, result.text);
          expect(result.plan.entries.map((entry) => entry.row)).toEqual(first === last ? [2] : [2, 4]);
          expect(result.plan.rejected).toHaveLength(1);
          expect(result.plan.rejected[0]?.row).toBe(3);
          expect(result.plan.rejected[0]?.value).toMatch(/…$/);
        },
      ),
      runs(0.05),
    );
  });

  it('finds the reference column in a very wide list', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 200_000 }), fc.nat(), electioReference, electioReference, (width, at, a, b) => {
        const column = at % width;
        const line = (ref: string) => `${','.repeat(column)}${ref}${','.repeat(width - column - 1)}`;
        const plan = planImport({ text: `${line(a)}\n${line(b)}`, encoding: 'UTF-8', notes: [] });
        expect(plan.column.index).toBe(column);
        expect(plan.entries.map((entry) => entry.reference)).toEqual([...new Set([a, b].map((ref) => ref.toUpperCase()))]);
      }),
      runs(0.05),
    );
  });

  it('reads a row of a million columns without hanging', () => {
    const ref = 'EC-000-05D-1NS';
    const plan = planImport({ text: `${ref}${',x'.repeat(999_999)}\n`, encoding: 'UTF-8', notes: [] });
    expect(plan.entries.map((entry) => entry.reference)).toEqual([ref]);
  });

  it('keeps the references after a line of any number of quotation marks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50_000 }), fc.array(electioReference, { minLength: 1, maxLength: 20 }), (n, refs) => {
        const text = `${'"'.repeat(n)}\n${refs.join('\n')}`;
        const plan = planImport({ text, encoding: 'UTF-8', notes: [] });
        expectSoundPlan(plan, text);
        expect(plan.entries.map((entry) => entry.reference)).toEqual([...new Set(refs.map((ref) => ref.toUpperCase()))]);
      }),
      runs(0.2),
    );
  });

  it('rejects a row whose quote is never closed, and only that row', () => {
    fc.assert(
      fc.property(fc.array(electioReference, { minLength: 2, maxLength: 30 }), fc.nat(), (refs, at) => {
        const unique = [...new Set(refs.map((ref) => ref.toUpperCase()))];
        const broken = at % unique.length;
        const text = unique.map((ref, i) => (i === broken ? `"${ref}` : ref)).join('\n');
        const plan = planImport({ text, encoding: 'UTF-8', notes: [] });
        expect(plan.rejected).toEqual([{ row: broken + 1, value: unique[broken], error: expect.stringMatching(/not closed/) }]);
        expect(plan.entries.map((entry) => entry.reference)).toEqual(unique.filter((_, i) => i !== broken));
      }),
      runs(0.5),
    );
  });
});

describe('regressions found by fuzzing', () => {
  const A = 'EC-000-05D-1NS';

  it('a PDF whose text holds a reference is refused, not imported', async () => {
    await expectRefused(utf8(`%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n${A}\n`), /PDF/);
  });

  it('a PNG cut after its 8-byte signature is refused as binary', async () => {
    await expectRefused(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), /binary/);
  });

  it('an old .xls workbook is refused with what to do', async () => {
    await expectRefused(Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), /\.xls.*save it as \.xlsx/);
  });

  it('a 20 MB field is rejected with its value cut short, not repeated whole in the message', () => {
    const plan = planImport({ text: `Reference\n${A}\n${'A'.repeat(20_000_000)}\n`, encoding: 'UTF-8', notes: [] });
    expect(plan.rejected).toHaveLength(1);
    expect(plan.rejected[0]?.value).toBe(`${'A'.repeat(79)}…`);
    expect(plan.rejected[0]?.error.length).toBeLessThan(400);
  });
});

describe('workbooks of arbitrary cells', () => {
  it('reads any sheet as a sound preview that finds every reference of the column holding most (Reference on a tie)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.oneof(validReference, cell), fc.oneof(cell, fc.double({ noNaN: true }))), {
          minLength: 1,
          maxLength: 20,
        }),
        async (rows) => {
          const result = await importFile(workbookOf([['Reference', 'Note'], ...rows]));
          if (result instanceof AppError) throw result;
          expectSoundPlan(result.plan, null);
          const validIn = (column: 0 | 1) =>
            rows.flatMap((row) => {
              const check = checkReference(String(row[column]).trim());
              return check.ok ? [check.reference] : [];
            });
          const distinct = (column: 0 | 1) =>
            new Set(rows.map((row) => String(row[column]).trim()).filter((v) => checkReference(v).ok)).size;
          const chosen = distinct(1) > distinct(0) ? 1 : 0;
          expect(result.plan.column.index).toBe(chosen);
          expect(result.plan.entries.map((entry) => entry.reference)).toEqual([...new Set(validIn(chosen))]);
        },
      ),
      runs(0.1),
    );
  });
});
