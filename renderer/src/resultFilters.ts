/**
 * Client-side filtering and sorting of a batch's results: by outcome, provider, reason and account,
 * and by text in the reference, account or message; the same filter as main's `ResultFilter` (exports
 * use it), so what is saved is what the table shows. Built for 100,000 rows: the search text and the
 * sort order are computed once per load (or per sort), and filtering keeps the sorted order.
 */
import type { ResultFilter, ResultRow } from '../../shared/contract';
import {
  emptyCounts,
  PROVIDER_IDS,
  REASON_LABELS,
  REASONS,
  type ItemState,
  type ProviderId,
  type Reason,
  type StateCounts,
} from '../../shared/domain';
import { providerName } from './format';

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
  /** An account name, or 'all'. */
  account: string;
  search: string;
}

export const NO_FILTERS: ResultFilters = { outcome: 'all', provider: 'all', reason: 'all', account: 'all', search: '' };

/** The item states an outcome filter keeps, or null for all of them. */
export function outcomeStates(outcome: OutcomeFilter): ItemState[] | null {
  switch (outcome) {
    case 'all':
      return null;
    case 'unfinished':
      return ['queued', 'in_flight'];
    default:
      return [outcome];
  }
}

/** The filters on screen in the contract's words, for main (exports); empty parts are left out. */
export function toResultFilter(filters: ResultFilters): ResultFilter {
  const filter: ResultFilter = {};
  const states = outcomeStates(filters.outcome);
  if (states) filter.states = states;
  if (filters.reason !== 'all') filter.reasons = [filters.reason];
  if (filters.provider !== 'all') filter.providers = [filters.provider];
  if (filters.account !== 'all') filter.accounts = [filters.account];
  const search = filters.search.trim();
  if (search) filter.search = search.slice(0, 200);
  return filter;
}

export function isFiltered(filters: ResultFilters): boolean {
  return (
    filters.outcome !== 'all' ||
    filters.provider !== 'all' ||
    filters.reason !== 'all' ||
    filters.account !== 'all' ||
    filters.search.trim() !== ''
  );
}

/** Lower-cased "reference account message" per row id, built once per load so typing stays quick. */
export function searchTexts(rows: readonly ResultRow[]): Map<number, string> {
  const texts = new Map<number, string>();
  for (const row of rows) texts.set(row.id, `${row.Data} ${row.Message} ${row.Account}`.toLowerCase());
  return texts;
}

/** The rows that pass the filters, in the order given (so a sorted list stays sorted). */
export function filterResults(
  rows: readonly ResultRow[],
  texts: ReadonlyMap<number, string>,
  filters: ResultFilters,
): readonly ResultRow[] {
  const { provider, reason, account } = filters;
  const states = outcomeStates(filters.outcome);
  const needle = filters.search.trim().toLowerCase();
  if (!isFiltered(filters)) return rows;
  const kept: ResultRow[] = [];
  for (const row of rows) {
    if (states && !states.includes(row.State)) continue;
    if (provider !== 'all' && row.Provider !== provider) continue;
    if (reason !== 'all' && row.Reason !== reason) continue;
    if (account !== 'all' && row.Account !== account) continue;
    if (needle && !texts.get(row.id)?.includes(needle)) continue;
    kept.push(row);
  }
  return kept;
}

export function countStates(rows: readonly ResultRow[]): StateCounts {
  const counts = emptyCounts();
  for (const row of rows) counts[row.State] += 1;
  return counts;
}

/** The providers, reasons and accounts present in the rows, in their usual order, for the filter selects. */
export function presentValues(rows: readonly ResultRow[]): { providers: ProviderId[]; reasons: Reason[]; accounts: string[] } {
  const providers = new Set<ProviderId>();
  const reasons = new Set<Reason>();
  const accounts = new Set<string>();
  for (const row of rows) {
    providers.add(row.Provider);
    if (row.Reason) reasons.add(row.Reason);
    accounts.add(row.Account);
  }
  return {
    providers: PROVIDER_IDS.filter((id) => providers.has(id)),
    reasons: REASONS.filter((id) => reasons.has(id)),
    accounts: [...accounts].filter(Boolean).sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' })),
  };
}

/* Sorting */

export const SORT_KEYS = [
  'reference',
  'provider',
  'account',
  'result',
  'reason',
  'message',
  'http',
  'attempts',
  'completed',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export interface Sort {
  key: SortKey;
  direction: 'ascending' | 'descending';
}

/** Results in the order a clerk reads them: done well, done later, failed, waiting, not sent. */
const STATE_ORDER: Record<ItemState, number> = {
  succeeded: 0,
  pending: 1,
  failed: 2,
  in_flight: 3,
  queued: 4,
  stopped: 5,
};

type SortValue = string | number | null;

function sortValue(row: ResultRow, key: SortKey): SortValue {
  switch (key) {
    case 'reference':
      return row.Data;
    case 'provider':
      return providerName(row.Provider);
    case 'account':
      return row.Account.toLowerCase();
    case 'result':
      return STATE_ORDER[row.State];
    case 'reason':
      return row.Reason ? REASON_LABELS[row.Reason] : null;
    case 'message':
      return row.Message ? row.Message.toLowerCase() : null;
    case 'http':
      return row.HttpStatus;
    case 'attempts':
      return row.Attempts;
    case 'completed':
      return row.CompletedAt;
  }
}

/**
 * The rows sorted by one column; empty values last in either direction, ties in import order.
 * Keys are computed once per row (not per comparison), so 100,000 rows sort in a blink.
 */
export function sortResults(rows: readonly ResultRow[], sort: Sort | null): readonly ResultRow[] {
  if (!sort) return rows;
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const keyed = rows.map((row, index) => ({ row, index, value: sortValue(row, sort.key) }));
  keyed.sort((a, b) => {
    if (a.value === b.value) return a.index - b.index;
    if (a.value === null) return 1;
    if (b.value === null) return -1;
    return (a.value < b.value ? -1 : 1) * sign;
  });
  return keyed.map((entry) => entry.row);
}

/* Copying */

export const STATE_WORDS: Record<ItemState, string> = {
  succeeded: 'Succeeded',
  pending: 'Cancellation queued',
  failed: 'Failed',
  queued: 'Waiting',
  in_flight: 'Sending',
  stopped: 'Stopped (not sent)',
};

const COPY_HEADER = [
  'Reference',
  'Provider',
  'Account',
  'Result',
  'Reason',
  'Message',
  'HTTP status',
  'Attempts',
  'Completed at',
];

/** One cell of tab-separated text: no tabs or line breaks inside. */
function tsvCell(value: string | number | null): string {
  return value === null ? '' : String(value).replace(/[\t\r\n]+/g, ' ');
}

/** The rows as tab-separated text with a header line, ready to paste into a spreadsheet or an email. */
export function rowsToTsv(rows: readonly ResultRow[]): string {
  const lines = [COPY_HEADER.join('\t')];
  for (const row of rows) {
    lines.push(
      [
        row.Data,
        providerName(row.Provider),
        row.Account,
        STATE_WORDS[row.State],
        row.Reason ? REASON_LABELS[row.Reason] : '',
        row.Message,
        row.HttpStatus,
        row.Attempts,
        row.CompletedAt,
      ]
        .map(tsvCell)
        .join('\t'),
    );
  }
  return `${lines.join('\n')}\n`;
}

/* Outcomes by reason, for the chart */

export type OutcomeTone = 'ok' | 'pending' | 'bad' | 'stopped' | 'waiting';

export interface ReasonCount {
  key: Reason | 'none' | 'stopped' | 'waiting';
  label: string;
  count: number;
  tone: OutcomeTone;
}

/**
 * How many items ended with each reason, most first; items without a reason yet are "Not sent yet"
 * (waiting or being sent) or "Stopped (not sent)". Retried items count where they are now.
 */
export function countReasons(rows: readonly ResultRow[]): ReasonCount[] {
  const byReason = new Map<Reason | 'none', { count: number; tones: Record<OutcomeTone, number> }>();
  let stopped = 0;
  let waiting = 0;
  for (const row of rows) {
    if (row.State === 'stopped' && !row.Reason) {
      stopped += 1;
      continue;
    }
    if (row.State === 'queued' || row.State === 'in_flight') {
      waiting += 1;
      continue;
    }
    const reason = row.Reason ?? 'none';
    const entry = byReason.get(reason) ?? { count: 0, tones: { ok: 0, pending: 0, bad: 0, stopped: 0, waiting: 0 } };
    entry.count += 1;
    entry.tones[toneOfState(row.State)] += 1;
    byReason.set(reason, entry);
  }
  const list: ReasonCount[] = [...byReason].map(([reason, entry]) => ({
    key: reason,
    label: reason === 'none' ? 'No reason given' : REASON_LABELS[reason],
    count: entry.count,
    tone: mainTone(entry.tones),
  }));
  const order = (key: ReasonCount['key']) => (REASONS as readonly string[]).indexOf(key);
  list.sort((a, b) => b.count - a.count || order(a.key) - order(b.key));
  if (waiting > 0) list.push({ key: 'waiting', label: 'Not sent yet', count: waiting, tone: 'waiting' });
  if (stopped > 0) list.push({ key: 'stopped', label: 'Stopped (not sent)', count: stopped, tone: 'stopped' });
  return list;
}

function toneOfState(state: ItemState): OutcomeTone {
  switch (state) {
    case 'succeeded':
      return 'ok';
    case 'pending':
      return 'pending';
    case 'failed':
      return 'bad';
    case 'stopped':
      return 'stopped';
    default:
      return 'waiting';
  }
}

function mainTone(tones: Record<OutcomeTone, number>): OutcomeTone {
  let best: OutcomeTone = 'waiting';
  let most = -1;
  for (const tone of ['bad', 'ok', 'pending', 'stopped', 'waiting'] as const) {
    if (tones[tone] > most) {
      best = tone;
      most = tones[tone];
    }
  }
  return best;
}
