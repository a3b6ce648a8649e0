/** Client-side filtering of a batch's results by outcome and by text in the reference or message. */
import type { ResultRow } from '../../shared/contract';
import { emptyCounts, type StateCounts } from '../../shared/domain';

export const OUTCOME_FILTERS = [
  { value: 'all', label: 'All' },
  { value: 'succeeded', label: 'Succeeded' },
  { value: 'failed', label: 'Failed' },
  { value: 'unfinished', label: 'Not finished' },
] as const;
export type OutcomeFilter = (typeof OUTCOME_FILTERS)[number]['value'];

function matchesOutcome(row: ResultRow, filter: OutcomeFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'succeeded':
      return row.State === 'succeeded';
    case 'failed':
      return row.State === 'failed';
    case 'unfinished':
      return row.State === 'queued' || row.State === 'in_flight';
  }
}

/** Lower-cased "reference message" per row, built once per load so typing stays quick. */
export function searchTexts(rows: readonly ResultRow[]): string[] {
  return rows.map((row) => `${row.Data}\n${row.Message}`.toLowerCase());
}

export function filterResults(
  rows: readonly ResultRow[],
  texts: readonly string[],
  filter: OutcomeFilter,
  search: string,
): ResultRow[] {
  const needle = search.trim().toLowerCase();
  if (filter === 'all' && !needle) return rows as ResultRow[];
  const kept: ResultRow[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!row || !matchesOutcome(row, filter)) continue;
    if (needle && !texts[i]?.includes(needle)) continue;
    kept.push(row);
  }
  return kept;
}

export function countStates(rows: readonly ResultRow[]): StateCounts {
  const counts = emptyCounts();
  for (const row of rows) counts[row.State] += 1;
  return counts;
}
