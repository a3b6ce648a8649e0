/**
 * Client-side filtering of a batch's results by outcome, provider and reason, and by text in the
 * reference, account or message.
 */
import type { ResultRow } from '../../shared/contract';
import { emptyCounts, PROVIDER_IDS, REASONS, type ProviderId, type Reason, type StateCounts } from '../../shared/domain';

export const OUTCOME_FILTERS = [
  { value: 'all', label: 'All' },
  { value: 'succeeded', label: 'Succeeded' },
  { value: 'pending', label: 'Cancellation queued' },
  { value: 'failed', label: 'Failed' },
  { value: 'unfinished', label: 'Not finished' },
  { value: 'stopped', label: 'Stopped (not sent)' },
] as const;
export type OutcomeFilter = (typeof OUTCOME_FILTERS)[number]['value'];

export interface ResultFilters {
  outcome: OutcomeFilter;
  provider: ProviderId | 'all';
  reason: Reason | 'all';
  search: string;
}

function matchesOutcome(row: ResultRow, filter: OutcomeFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'unfinished':
      return row.State === 'queued' || row.State === 'in_flight';
    default:
      return row.State === filter;
  }
}

/** Lower-cased "reference account message" per row, built once per load so typing stays quick. */
export function searchTexts(rows: readonly ResultRow[]): string[] {
  return rows.map((row) => `${row.Data}\n${row.Account}\n${row.Message}`.toLowerCase());
}

export function filterResults(rows: readonly ResultRow[], texts: readonly string[], filters: ResultFilters): ResultRow[] {
  const { outcome, provider, reason } = filters;
  const needle = filters.search.trim().toLowerCase();
  if (outcome === 'all' && provider === 'all' && reason === 'all' && !needle) return rows as ResultRow[];
  const kept: ResultRow[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!row || !matchesOutcome(row, outcome)) continue;
    if (provider !== 'all' && row.Provider !== provider) continue;
    if (reason !== 'all' && row.Reason !== reason) continue;
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

/** The providers and reasons present in the rows, in their usual order, for the filter selects. */
export function presentValues(rows: readonly ResultRow[]): { providers: ProviderId[]; reasons: Reason[] } {
  const providers = new Set<ProviderId>();
  const reasons = new Set<Reason>();
  for (const row of rows) {
    providers.add(row.Provider);
    if (row.Reason) reasons.add(row.Reason);
  }
  return { providers: PROVIDER_IDS.filter((id) => providers.has(id)), reasons: REASONS.filter((id) => reasons.has(id)) };
}
