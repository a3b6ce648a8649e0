/**
 * Reads a list of references from CSV or pasted text: delimiter, header and reference column are
 * detected; each row is checked; duplicates are collapsed and counted; every rejected row says why.
 * Row numbers are 1-based record numbers counting the header, as a spreadsheet shows them.
 */
import type { RejectedRow } from '../../../shared/contract';
import { PROVIDER_IDS, type ProviderId } from '../../../shared/domain';
import { AppError } from '../errors';
import { findReferenceColumn } from './columns';
import { readRecords } from './records';
import { checkReference } from './references';

export interface ImportEntry {
  row: number;
  reference: string;
  provider: ProviderId;
}

export interface ParsedList {
  delimiter: string;
  hasHeader: boolean;
  column: { index: number; name: string | null };
  entries: ImportEntry[];
  duplicates: number;
  rejected: RejectedRow[];
  /** The provider most references belong to, for the clerk to confirm. */
  provider: ProviderId | null;
}

export function parseList(text: string, allowed: readonly ProviderId[] = PROVIDER_IDS): ParsedList {
  const { records, delimiter, problems } = readRecords(text);
  const isBlank = (record: readonly string[]) => record.every((cell) => cell.trim() === '');
  const firstIndex = records.findIndex((record) => !isBlank(record));
  if (firstIndex < 0) throw new AppError('bad_input', 'The list is empty: there are no references to import.');

  const { index, hasHeader } = findReferenceColumn(records, firstIndex);
  const column = { index, name: hasHeader ? cellAt(records[firstIndex], index) : null };

  const entries: ImportEntry[] = [];
  const rejected: RejectedRow[] = [];
  const seen = new Set<string>();
  const perProvider = new Map<ProviderId, number>();
  let duplicates = 0;
  for (let i = hasHeader ? firstIndex + 1 : firstIndex; i < records.length; i++) {
    const record = records[i] ?? [];
    if (isBlank(record)) continue;
    const row = i + 1;
    const value = cellAt(record, index);
    const problem = problems.get(i);
    if (problem) {
      rejected.push({ row, value, error: problem });
      continue;
    }
    const check = checkReference(value, allowed);
    if (!check.ok) {
      rejected.push({ row, value, error: check.error });
      continue;
    }
    if (seen.has(check.reference)) {
      duplicates++;
      continue;
    }
    seen.add(check.reference);
    entries.push({ row, reference: check.reference, provider: check.provider });
    perProvider.set(check.provider, (perProvider.get(check.provider) ?? 0) + 1);
  }
  const provider = [...perProvider.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  return { delimiter, hasHeader, column, entries, duplicates, rejected, provider };
}

/**
 * A cell's value without surrounding spaces. A quoted value with spaces before its opening quote
 * is not a quoted field to papaparse, so its quotes are taken off here.
 */
function cellAt(record: readonly string[] | undefined, index: number): string {
  const value = (record?.[index] ?? '').trim();
  const quoted = /^"([\s\S]*)"$/.exec(value);
  return quoted ? (quoted[1] ?? '').replace(/""/g, '"').trim() : value;
}
