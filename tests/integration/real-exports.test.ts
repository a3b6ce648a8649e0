/**
 * Issue 15: files shaped like the exports clerks really have, imported with `bulk-cancel import`
 * run as scripts run it (a child process started outside the project, a fresh data folder, the real
 * keychain). Each case gives exact counts: queued, duplicates, rejected by reason, the column chosen.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SENDCLOUD_DEFAULT_PUBLIC_KEY, SENDCLOUD_DEFAULT_SECRET_KEY, startSimulator, type Simulator } from '../simulator';
import { runCli, type CliRun } from '../support/cli';
import { tempDir } from '../support/fixtures';
import {
  excelUnicodeText,
  sendcloudParcelsReport,
  shopifyOrders,
  SHOPIFY_ORDER_COLUMNS,
  twoSheetWorkbook,
  windows1252Export,
} from '../support/real-exports';

let outside: { path: string; remove: () => void };
let sim: Simulator;
let dataDir: string;

const cli = (args: readonly string[], input?: string) => runCli(['--data-dir', dataDir, ...args], input, { cwd: outside.path });

beforeAll(async () => {
  outside = tempDir('bulk-cancel-exports-');
  sim = await startSimulator();
  dataDir = join(outside.path, 'data');
  for (const [provider, name, secret] of [
    ['sorted-pro', 'Sorted', 'sorted-key'],
    ['electio', 'Electio', 'electio-key'],
    ['sendcloud', 'Sendcloud', `${SENDCLOUD_DEFAULT_PUBLIC_KEY}:${SENDCLOUD_DEFAULT_SECRET_KEY}`],
  ] as const) {
    const added = await cli(['account', 'add', '--provider', provider, '--name', name, '--base-url', sim.url], `${secret}\n`);
    expect(added.code, added.stderr).toBe(0);
  }
});
afterAll(async () => {
  // The keys leave the keychain with their accounts (queued batches are stopped first).
  const batches = JSON.parse((await cli(['--json', 'batches'])).stdout) as { batchId: string }[];
  for (const { batchId } of batches) await cli(['stop', '--batch', batchId]);
  for (const name of ['Sorted', 'Electio', 'Sendcloud']) await cli(['account', 'remove', name]);
  await sim?.close();
  outside?.remove();
});

interface ImportDocument {
  batchId: string;
  items: number;
  duplicates: number;
  rejected: { row: number; value: string; error: string }[];
  column: { number: number | null; name: string | null; reason: string };
  sheet: string | null;
  candidates: { number: number; name: string | null; valid: number; values: number; looksLike: string }[];
  duplicateRows: { row: number; reference: string; firstRow: number }[];
  hints: string[];
}

function written(name: string, bytes: Buffer): string {
  const file = join(outside.path, name);
  writeFileSync(file, bytes);
  return file;
}

function documentOf(run: CliRun): ImportDocument {
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(run.stdout) as ImportDocument;
}

/** How many rejected rows give each reason, the reason cut to its words before the first quoted value. */
function byReason(rejected: ImportDocument['rejected']): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { error } of rejected) {
    const key = error.replace(/"[^"]*"/g, '"…"');
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('an Excel "Unicode Text" export (UTF-16LE, tabs)', () => {
  it('reads Shipment Ref, whose values are references, not the higher-ranked Tracking Reference of rounded numbers', async () => {
    const { bytes, references } = excelUnicodeText();
    const file = written('unicode text.txt', bytes);
    const document = documentOf(await cli(['--json', 'import', file]));
    expect(document.column).toEqual({
      number: 2,
      name: 'Shipment Ref',
      reason: 'Shipment Ref: 97 of 99 values are Sorted PRO references.',
    });
    expect(document.items).toBe(95);
    expect(document.duplicates).toBe(2);
    expect(document.duplicateRows).toEqual([
      { row: 97, reference: references[3], firstRow: 5 },
      { row: 98, reference: references[40], firstRow: 42 },
    ]);
    expect(document.rejected.map((row) => [row.row, row.value])).toEqual([
      [99, ''],
      [100, 'sp_123'],
      [101, 'N/A'],
    ]);
    expect(document.candidates.slice(0, 2)).toEqual([
      { number: 2, name: 'Shipment Ref', valid: 97, values: 99, looksLike: 'Sorted PRO references' },
      expect.objectContaining({ valid: 0, values: 100 }),
    ]);
    expect(document.candidates.find((candidate) => candidate.name === 'Tracking Reference')).toEqual({
      number: 3,
      name: 'Tracking Reference',
      valid: 0,
      values: 100,
      looksLike: 'numbers in scientific notation like "4.66203E+18"',
    });
  });

  it('--column chooses another column, by name or number; a column that does not exist is bad usage (exit 2)', async () => {
    const file = written('unicode text 2.txt', excelUnicodeText().bytes);
    const tracking = await cli(['--json', 'import', '--column', 'Tracking Reference', file]);
    expect(tracking.code).toBe(2);
    expect(tracking.stderr).toMatch(
      /^No valid reference to cancel was found in this list; nothing was queued\. Row 2: .*scientific notation/,
    );
    const byNumber = documentOf(await cli(['--json', 'import', '--column', '2', file]));
    expect(byNumber.column).toMatchObject({
      number: 2,
      name: 'Shipment Ref',
      reason: expect.stringMatching(/^Shipment Ref: chosen by you; 97 of 99/),
    });
    expect(byNumber.items).toBe(95);
    const missing = await cli(['import', '--column', 'Parcel', file]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      'There is no column "Parcel" in this list (columns: 1 Order No, 2 Shipment Ref, 3 Tracking Reference, 4 Service, 5 Weight).\n',
    );
  });
});

describe("Shopify's orders export", () => {
  it('says in one sentence that no column holds shipment references, lists every column with what it holds, exits 2', async () => {
    expect(SHOPIFY_ORDER_COLUMNS).toHaveLength(79);
    const file = written('orders_export.csv', shopifyOrders());
    const before = JSON.parse((await cli(['--json', 'status'])).stdout) as { queued: number };
    const run = await cli(['import', file]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines.at(-1)).toBe(
      'No column of references was found: none of the 79 columns holds shipment references. Choose one with --column NAME|NUMBER, or name it "Reference".',
    );
    expect(lines).toContain('  column 49 Payment Reference: text like "c23456789012.1"');
    expect(lines).toContain('  column 56 Id: numbers like "5123456789012"');
    expect(lines.filter((line) => line.startsWith('  column '))).toHaveLength(79);
    expect(JSON.parse((await cli(['--json', 'status'])).stdout)).toEqual(before);
  });
});

describe('a Windows-1252 CSV with CRLF', () => {
  it('recognises "Custom Field 1" as the header of the reference column, not a rejected reference', async () => {
    const { bytes, references } = windows1252Export();
    const file = written('wms export.csv', bytes);
    const document = documentOf(await cli(['--json', 'import', file]));
    expect(document.column).toEqual({
      number: 3,
      name: 'Custom Field 1',
      reason: 'Custom Field 1: 30 of 30 values are Electio (Sorted PRO v1) references.',
    });
    expect([document.items, document.duplicates, document.rejected]).toEqual([30, 0, []]);
    expect(references).toHaveLength(30);
  });
});

describe('a workbook with two sheets and ids Excel stored as numbers', () => {
  it('--sheet by name or number; every 17-digit external_order_id stored as a number is rejected, never queued', async () => {
    const { bytes } = twoSheetWorkbook();
    const file = written('shop shipments.xlsx', bytes);
    for (const sheet of ['Shop shipments', '2']) {
      const document = documentOf(await cli(['--json', 'import', '--sheet', sheet, file]));
      expect(document.sheet).toBe('Shop shipments');
      expect(document.items).toBe(12);
      expect(document.column.number).toBeNull();
      expect(byReason(document.rejected)).toEqual({
        'external_order_id "…" is a number a spreadsheet rewrote in scientific notation, so digits are lost (it keeps 15). Format the column as Text in the spreadsheet and export again.': 8,
      });
      expect(document.rejected.map((row) => row.row)).toEqual([14, 15, 16, 17, 18, 19, 20, 21]);
    }
    const first = await cli(['import', file]);
    expect(first.code).toBe(2);
    expect(first.stderr).toMatch(/Read the sheet "Summary" of 2 \(Summary, Shop shipments\)/);
    const missing = await cli(['import', '--sheet', '3', file]);
    expect([missing.code, missing.stderr]).toEqual([2, 'There is no sheet named "3" (sheets: Summary, Shop shipments).\n']);
    const text = await cli(['import', '--sheet', 'Summary', written('list.csv', Buffer.from('EC-000-05D-1NS\n'))]);
    expect([text.code, text.stderr]).toEqual([2, 'Only an Excel workbook (.xlsx) has sheets to choose from.\n']);
  });
});

describe("Sendcloud's parcels report", () => {
  it('with the default action: nothing queued, a hint to use cancel-label, and the rejected rows saved with --rejected', async () => {
    const { bytes } = sendcloudParcelsReport();
    const file = written('parcels report.csv', bytes);
    const out = join(outside.path, 'rejected.csv');
    const run = await cli(['import', '--rejected', out, file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      ' parcel_id holds Sendcloud parcel ids (185 of them): to cancel those labels, choose the action "Cancel label" (cancel-label).',
    );
    const saved = readFileSync(out, 'utf8').split('\r\n');
    expect(saved[0]).toBe('\uFEFFRow,Value,Reason');
    expect(saved[1]).toMatch(/^2,331000000,"""331000000"" is not a valid reference \(expected .*Sendcloud/);
    expect(saved.filter((line) => line !== '')).toHaveLength(186);
  });

  it('with --action cancel-label: all 185 parcel ids queued from parcel_id', async () => {
    const { bytes, parcelIds } = sendcloudParcelsReport();
    const file = written('parcels report 2.csv', bytes);
    const document = documentOf(await cli(['--json', 'import', '--action', 'cancel-label', file]));
    expect(document.column).toMatchObject({ number: 1, name: 'parcel_id' });
    expect(document.column.reason).toBe('parcel_id: 185 of 185 values are Sendcloud references.');
    expect([document.items, document.duplicates, document.rejected.length, document.hints]).toEqual([185, 0, 0, []]);
    expect(parcelIds).toHaveLength(185);
  });
});
