/**
 * The results filters on screen (outcome, provider, reason, account, and text in the reference,
 * account or message) in main's words: main filters, sorts and counts in the database, for the table
 * and for exports alike, so what is saved is what the table shows. Also: the counts and the chart's
 * outcomes from main's overview, and copying rows as tab-separated text.
 */
import type { ResultFilter, ResultRow, ResultsOverview } from '../../shared/contract';
import {
  emptyCounts,
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

/** Items with one state and reason, as the overview counts them. */
type Outcome = ResultsOverview['outcomes'][number];

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
  const references = pastedReferences(filters.search);
  if (references.length > 1) filter.references = references.slice(0, MAX_REFERENCES);
  else if (filters.search.trim()) filter.search = filters.search.trim().slice(0, MAX_SEARCH);
  return filter;
}

/** The longest text searched for, and the most references a pasted list may name (as the contract allows). */
export const MAX_SEARCH = 200;
const MAX_REFERENCES = 10_000;

/** A pasted list in the search box (references one a line, or apart by spaces, commas or semicolons), each once. */
export function pastedReferences(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).filter(Boolean))];
}

/** The reason (or "not sent yet", "stopped") of the chart the filters stand for, if they stand for one. */
export function pickedReason(filters: ResultFilters): ReasonCount['key'] | null {
  if (filters.reason !== 'all') return filters.reason;
  if (filters.outcome === 'unfinished') return 'waiting';
  if (filters.outcome === 'stopped') return 'stopped';
  return null;
}

/** The filters for a reason picked in the chart (null: that reason again, so every reason). */
export function pickReason(key: ReasonCount['key'] | null): (current: ResultFilters) => ResultFilters {
  return (current) => {
    const cleared = { ...current, reason: 'all' as const, outcome: 'all' as const };
    if (key === null || key === 'none') return cleared;
    if (key === 'waiting') return { ...cleared, outcome: 'unfinished' };
    if (key === 'stopped') return { ...cleared, outcome: 'stopped' };
    return { ...cleared, reason: key };
  };
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

/** Items per state, from the overview's counts per state and reason. */
export function countStates(outcomes: readonly Outcome[]): StateCounts {
  const counts = emptyCounts();
  for (const { state, count } of outcomes) counts[state] += count;
  return counts;
}

/** The reasons present, in their usual order, for the reason filter. */
export function presentReasons(outcomes: readonly Outcome[]): Reason[] {
  const present = new Set(outcomes.map((outcome) => outcome.reason));
  return REASONS.filter((reason) => present.has(reason));
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
export function countReasons(outcomes: readonly Outcome[]): ReasonCount[] {
  const byReason = new Map<Reason | 'none', { count: number; tones: Record<OutcomeTone, number> }>();
  let stopped = 0;
  let waiting = 0;
  for (const { state, reason: given, count } of outcomes) {
    if (state === 'stopped' && !given) {
      stopped += count;
      continue;
    }
    if (state === 'queued' || state === 'in_flight') {
      waiting += count;
      continue;
    }
    const reason = given ?? 'none';
    const entry = byReason.get(reason) ?? { count: 0, tones: { ok: 0, pending: 0, bad: 0, stopped: 0, waiting: 0 } };
    entry.count += count;
    entry.tones[toneOfState(state)] += count;
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
