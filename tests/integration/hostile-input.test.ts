/**
 * Hostile or mistaken input to the CLI is refused with exit 2 and one sentence, never a crash: a 1 GB
 * file, `/dev/zero` and an endless stream on stdin (and `/dev/zero` as a key), a text under the size
 * limit with too many rows or cells, and `.xlsx` zip bombs (a sheet that inflates to 2 GiB, with a
 * true or a lying size in the archive, and a tiny sheet whose one cell makes it span millions of rows
 * or cells).
 */
import { closeSync, openSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { SHEET_END, SHEET_START, entry, workbook, type ZipEntry } from '../support/xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electioAccount, testWorld, type TestWorld } from '../support/fixtures';
import { runCli, type CliInput, type CliRun } from '../support/cli';

let world: TestWorld;
beforeAll(async () => {
  world = testWorld();
  // import reads its input only once an account can take the references.
  await electioAccount(world, 'http://127.0.0.1:9');
});
afterAll(async () => {
  await world.close();
});

const importing = (file: string, input?: CliInput) => runCli(['--data-dir', world.dataDir, 'import', file], input);

/** Exit 2, nothing on stdout, one plain sentence on stderr, and the process ended by itself (no signal). */
function expectRefusal(run: CliRun, pattern: RegExp): void {
  expect({ code: run.code, signal: run.signal, stdout: run.stdout }, run.stderr).toEqual({ code: 2, signal: null, stdout: '' });
  expect(run.stderr).toMatch(/^[^\n]+\.\n$/);
  expect(run.stderr).not.toMatch(/\bat .*:\d+:\d+|Error:|node:internal/);
  expect(run.stderr).toMatch(pattern);
}

const TOO_LARGE = /larger than 64 MiB/;

describe('bulk-cancel import refuses hostile input', () => {
  it('a 1 GB file (sparse: 1 GB of NUL bytes)', async () => {
    const file = join(world.dataDir, 'huge.csv');
    writeFileSync(file, 'reference\nEC-000-000-001\n');
    truncateSync(file, 1024 ** 3);
    expectRefusal(await importing(file), TOO_LARGE);
  });

  it('/dev/zero as the file and as stdin', async () => {
    expectRefusal(await importing('/dev/zero'), TOO_LARGE);
    const zero = openSync('/dev/zero', 'r');
    try {
      expectRefusal(await importing('-', zero), TOO_LARGE);
    } finally {
      closeSync(zero);
    }
  });

  it('/dev/zero as the key of account add', async () => {
    const zero = openSync('/dev/zero', 'r');
    try {
      const run = await runCli(['--data-dir', world.dataDir, 'account', 'add', '--provider', 'electio', '--name', 'Zero'], zero);
      expectRefusal(run, /API key on stdin is longer than 64 KiB/);
    } finally {
      closeSync(zero);
    }
  });

  it('an endless stream on stdin', async () => {
    const line = Buffer.from('EC-000-000-001\n'.repeat(4096));
    const endless = new Readable({ read: () => void endless.push(line) });
    expectRefusal(await importing('-', endless), TOO_LARGE);
  });

  it('a text under the size limit with too many rows, or too many cells', async () => {
    const rows = join(world.dataDir, 'rows.csv');
    writeFileSync(rows, Buffer.alloc(60 * 1024 ** 2, '\n'));
    expectRefusal(await importing(rows), /more than 1,000,000 rows/);
    const cells = join(world.dataDir, 'cells.csv');
    writeFileSync(cells, Buffer.alloc(60 * 1024 ** 2, ','));
    expectRefusal(await importing(cells), /more than 10,000,000 cells/);
  });

  it('an .xlsx whose sheet inflates to 2 GiB, whether the archive states that size or lies about it', async () => {
    for (const lying of [false, true]) {
      const file = join(world.dataDir, `bomb-${lying}.xlsx`);
      writeFileSync(file, workbook(bombSheet(2048, lying)));
      expectRefusal(await importing(file), /more than 64 MiB .*unpacked/);
    }
  });

  it('a tiny .xlsx whose one cell sits far out (the sheet spans its last row, or 1.6 billion cells)', async () => {
    for (const [address, refusal] of [
      ['XFD1048576', /more than 1,000,000 rows/],
      ['XFD100000', /more than 10,000,000 cells/],
    ] as const) {
      const file = join(world.dataDir, `${address}.xlsx`);
      const row = address.replace(/^[A-Z]+/, '');
      const sheet = `${SHEET_START}<row r="${row}"><c r="${address}" t="inlineStr"><is><t>EC-000-000-001</t></is></c></row>${SHEET_END}`;
      writeFileSync(file, workbook(entry('xl/worksheets/sheet1.xml', Buffer.from(sheet))));
      expectRefusal(await importing(file), refusal);
    }
  });
});

/**
 * A sheet of `mebibytes` MiB of rows, deflated without ever holding it: one MiB deflated with a full
 * flush is a self-contained block, so the same bytes repeated inflate to that MiB again and again.
 */
function bombSheet(mebibytes: number, lying: boolean): ZipEntry {
  const row = '<row><c t="inlineStr"><is><t>EC-000-000-001</t></is></c></row>';
  const mebibyte = Buffer.alloc(1024 ** 2, row);
  const start = Buffer.from(SHEET_START);
  const end = Buffer.from(SHEET_END);
  const flush = { finishFlush: constants.Z_FULL_FLUSH };
  const block = deflateRawSync(mebibyte, flush);
  let crc = crc32(start);
  for (let i = 0; i < mebibytes; i++) crc = crc32(mebibyte, crc);
  crc = crc32(end, crc);
  const data = Buffer.concat([deflateRawSync(start, flush), ...Array<Buffer>(mebibytes).fill(block), deflateRawSync(end)]);
  const size = start.length + mebibytes * mebibyte.length + end.length;
  return { name: 'xl/worksheets/sheet1.xml', data, crc, size: lying ? 1024 : size };
}
