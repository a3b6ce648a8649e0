/**
 * Reads a list of references from CSV or pasted text: delimiter, header and reference column are
 * detected; each row is checked; duplicates are collapsed and counted; every rejected row says why.
 * Row numbers are 1-based record numbers counting the header, as a spreadsheet shows them.
 */
import type { RejectedRow } from '../../../shared/contract';
import { PROVIDER_IDS, PROVIDER_LABELS, type Action, type ProviderId } from '../../../shared/domain';
import { AppError } from '../errors';
import { chooseColumn, SAMPLE_ROWS, type ColumnCandidate, type ColumnChoice, type ColumnPick } from './columns';
import { idColumn, idProblem, type IdColumn } from './id-checks';
import { readRecords, type Records } from './records';
import { checkReference, referenceProvider, shown } from './references';
import { findRoutingColumns, providerFromCell, type RoutingColumns } from './routing';

export interface ImportEntry {
  row: number;
  /** What the item is known by: the reference, or Sendcloud's `external_order_id/external_shipment_id`. */
  reference: string;
  provider: ProviderId;
  /** The account named on the row (an `account` column), if any. */
  accountName: string | null;
  external: { orderId: string; shipmentId: string } | null;
}

export interface ParseOptions {
  /** Providers a reference may belong to (those with an account); all when not given. */
  providers?: readonly ProviderId[];
  /** Providers that have an account (when `providers` leaves some of them out); `providers` when not given. */
  withAccounts?: readonly ProviderId[];
  action?: Action;
  /** The column the clerk chose; else the one whose values are references. */
  column?: ColumnPick;
}

/** A row collapsed into an earlier one with the same shipment. */
export interface DuplicateRow {
  row: number;
  reference: string;
  /** The row it repeats. */
  firstRow: number;
}

export interface ParsedList {
  delimiter: string;
  hasHeader: boolean;
  column: { index: number; name: string | null; reason: string };
  /** Every column with what it holds, best first, for the clerk to choose another. */
  candidates: ColumnCandidate[];
  entries: ImportEntry[];
  duplicates: number;
  duplicateRows: DuplicateRow[];
  rejected: RejectedRow[];
  /** What the clerk could do about the rejected rows, when the file shows it (another action, an account to add). */
  hints: string[];
  /** The provider most references belong to, for the clerk to confirm. */
  provider: ProviderId | null;
}

export function parseList(text: string, options: ParseOptions = {}): ParsedList {
  return parseTable(readRecords(text), options);
}

/** The same checks for rows that come from a CSV or from a spreadsheet's sheet. */
export function parseTable({ records, delimiter, problems }: Records, options: ParseOptions = {}): ParsedList {
  const allowed = options.providers ?? PROVIDER_IDS;
  const withAccounts = options.withAccounts ?? allowed;
  const action = options.action ?? 'cancel';
  const firstIndex = records.findIndex((record) => !isBlank(record));
  if (firstIndex < 0) throw new AppError('bad_input', 'The list is empty: there are no references to import.');

  const routing = findRoutingColumns(records[firstIndex] ?? null);
  const choice = referenceColumn(records, firstIndex, routing, action, options.column);
  const { index, hasHeader } = choice;
  const header = hasHeader ? records[firstIndex] : undefined;
  const column = { index, name: header && index >= 0 ? shown(cellAt(header, index)) : null, reason: choice.reason };
  const ids = idColumns(records, firstIndex, header, index, routing);
  // No column holds references (and no external ids name the shipments): nothing to read row by row.
  const last = index < 0 && routing.externalOrder < 0 ? firstIndex : records.length;

  const entries: ImportEntry[] = [];
  const rejected: RejectedRow[] = [];
  const duplicateRows: DuplicateRow[] = [];
  const seen = new Map<string, number>();
  const perProvider = new Map<ProviderId, number>();
  const withoutAccount = new Map<ProviderId, number>();
  for (let i = hasHeader ? firstIndex + 1 : firstIndex; i < last; i++) {
    const record = records[i] ?? [];
    if (isBlank(record)) continue;
    const row = i + 1;
    const value = index >= 0 ? cellAt(record, index) : '';
    const problem = problems.get(i) ?? idProblems(record, ids);
    if (problem) {
      rejected.push({ row, value: shown(value), error: problem });
      continue;
    }
    const entry = readEntry(record, row, value, hasHeader ? routing : null, { allowed, withAccounts, action });
    if ('error' in entry) {
      rejected.push({ row, value: shown(entry.value), error: entry.error });
      const elsewhere = referenceProvider(value, action);
      if (elsewhere && !withAccounts.includes(elsewhere)) withoutAccount.set(elsewhere, (withoutAccount.get(elsewhere) ?? 0) + 1);
      continue;
    }
    const key = identity(entry);
    const firstRow = seen.get(key);
    if (firstRow !== undefined) {
      duplicateRows.push({ row, reference: entry.reference, firstRow });
      continue;
    }
    seen.set(key, row);
    entries.push(entry);
    perProvider.set(entry.provider, (perProvider.get(entry.provider) ?? 0) + 1);
  }
  const provider = [...perProvider.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  const hints = hintsFor(choice, column.name, entries.length, action, allowed, withoutAccount);
  return {
    delimiter,
    hasHeader,
    column,
    candidates: choice.candidates,
    entries,
    duplicates: duplicateRows.length,
    duplicateRows,
    rejected,
    hints,
    provider,
  };
}

/** The id columns whose every value is checked: the reference column and the external id pair. */
function idColumns(
  records: readonly (readonly string[])[],
  first: number,
  header: readonly string[] | undefined,
  index: number,
  routing: RoutingColumns,
): IdColumn[] {
  const sample = records.slice(first, first + 1 + SAMPLE_ROWS);
  const named = (at: number, fallback: string) => (header ? shown(cellAt(header, at)) : fallback) || fallback;
  return [
    ...(index >= 0 ? [idColumn(index, named(index, `Column ${index + 1}`), sample)] : []),
    ...(header && routing.externalOrder >= 0
      ? [
          idColumn(routing.externalOrder, named(routing.externalOrder, 'external_order_id'), sample),
          idColumn(routing.externalShipment, named(routing.externalShipment, 'external_shipment_id'), sample),
        ]
      : []),
  ];
}

/** The first id of the row a spreadsheet has mangled, said in a sentence (the reference's own checks come later). */
function idProblems(record: readonly string[], ids: readonly IdColumn[]): string | null {
  for (const column of ids) {
    const problem = idProblem(cellAt(record, column.index), column);
    if (problem) return problem;
  }
  return null;
}

/** Hints that fit the file: another action for Sendcloud parcel ids, an account to add for another provider's references. */
function hintsFor(
  choice: ColumnChoice,
  name: string | null,
  queued: number,
  action: Action,
  allowed: readonly ProviderId[],
  withoutAccount: ReadonlyMap<ProviderId, number>,
): string[] {
  const hints: string[] = [];
  if (queued === 0 && action !== 'cancel-label' && choice.otherActionValid > 0 && allowed.includes('sendcloud')) {
    hints.push(
      `${name ?? `Column ${choice.index + 1}`} holds Sendcloud parcel ids (${choice.otherActionValid} of them): to cancel those labels, choose the action "Cancel label" (cancel-label).`,
    );
  }
  for (const [provider, count] of withoutAccount) {
    hints.push(
      `${count} reference(s) are ${PROVIDER_LABELS[provider]} references, but there is no ${PROVIDER_LABELS[provider]} account to send them to: add one, then import again.`,
    );
  }
  return hints;
}

/**
 * What makes two entries the same shipment. An external id pair stays a pair: its shown reference
 * `order/shipment` would make `a/b` + `c` and `a` + `b/c` one item, and the second never sent.
 */
function identity(entry: ImportEntry): string {
  return JSON.stringify(entry.external ? [entry.external.orderId, entry.external.shipmentId] : [entry.reference]);
}

/** A record with nothing but spaces in it (blank lines are one empty cell). */
function isBlank(record: readonly string[]): boolean {
  for (const cell of record) {
    if (cell !== '' && cell.trim() !== '') return false;
  }
  return true;
}

/** The reference column; optional when the Sendcloud external id pair names the shipments. */
function referenceColumn(
  records: readonly (readonly string[])[],
  first: number,
  routing: RoutingColumns,
  action: Action,
  pick: ColumnPick | undefined,
): ColumnChoice {
  const choice = chooseColumn(records, first, action, pick);
  if (choice.index >= 0 || routing.externalOrder < 0) return choice;
  const reason = 'No reference column: each row names its Sendcloud shipment by external_order_id and external_shipment_id.';
  return { ...choice, hasHeader: true, reason };
}

/** One row as an entry, or the sentence that says why it cannot be one. */
function readEntry(
  record: readonly string[],
  row: number,
  value: string,
  routing: RoutingColumns | null,
  { allowed, withAccounts, action }: { allowed: readonly ProviderId[]; withAccounts: readonly ProviderId[]; action: Action },
): ImportEntry | { value: string; error: string } {
  const providerCell = routing && routing.provider >= 0 ? cellAt(record, routing.provider) : '';
  const named = providerCell ? providerFromCell(providerCell) : undefined;
  if (providerCell && !named) {
    return {
      value: providerCell,
      error: `"${shown(providerCell)}" is not a provider Bulk Cancel knows (${PROVIDER_IDS.join(', ')}).`,
    };
  }
  const accountName = (routing && routing.account >= 0 ? cellAt(record, routing.account) : '') || null;
  const providers = named ? [named] : allowed;
  const orderId = routing && routing.externalOrder >= 0 ? cellAt(record, routing.externalOrder) : '';
  const shipmentId = routing && routing.externalShipment >= 0 ? cellAt(record, routing.externalShipment) : '';
  if (value === '' && (orderId || shipmentId)) {
    if (!orderId || !shipmentId) {
      return {
        value: orderId || shipmentId,
        error: 'A Sendcloud shop shipment needs both external_order_id and external_shipment_id.',
      };
    }
    if (!providers.includes('sendcloud')) {
      return {
        value: `${orderId}/${shipmentId}`,
        error: 'External order and shipment ids name a Sendcloud shipment, but no Sendcloud account can take it.',
      };
    }
    return { row, reference: `${orderId}/${shipmentId}`, provider: 'sendcloud', accountName, external: { orderId, shipmentId } };
  }
  const check = checkReference(value, providers, action, withAccounts);
  if (!check.ok) return { value, error: check.error };
  return { row, reference: check.reference, provider: check.provider, accountName, external: null };
}

/**
 * A cell's value without surrounding spaces. A quoted value with spaces before its opening quote
 * is not a quoted field to papaparse, so its quotes are taken off here.
 */
function cellAt(record: readonly string[] | undefined, index: number): string {
  const value = (record?.[index] ?? '').trim();
  if (!value.startsWith('"')) return value;
  const quoted = /^"([\s\S]*)"$/.exec(value);
  return quoted ? (quoted[1] ?? '').replace(/""/g, '"').trim() : value;
}
