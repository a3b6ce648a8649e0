/**
 * Reads a list of references from CSV or pasted text: delimiter, header and reference column are
 * detected; each row is checked; duplicates are collapsed and counted; every rejected row says why.
 * Row numbers are 1-based record numbers counting the header, as a spreadsheet shows them.
 */
import type { RejectedRow } from '../../../shared/contract';
import { PROVIDER_IDS, type Action, type ProviderId } from '../../../shared/domain';
import { AppError, isAppError } from '../errors';
import { findReferenceColumn, type ReferenceColumn } from './columns';
import { readRecords, type Records } from './records';
import { checkReference, shown } from './references';
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
  action?: Action;
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

export function parseList(text: string, options: ParseOptions = {}): ParsedList {
  return parseTable(readRecords(text), options);
}

/** The same checks for rows that come from a CSV or from a spreadsheet's sheet. */
export function parseTable({ records, delimiter, problems }: Records, options: ParseOptions = {}): ParsedList {
  const allowed = options.providers ?? PROVIDER_IDS;
  const action = options.action ?? 'cancel';
  const firstIndex = records.findIndex((record) => !isBlank(record));
  if (firstIndex < 0) throw new AppError('bad_input', 'The list is empty: there are no references to import.');

  const routing = findRoutingColumns(records[firstIndex] ?? null);
  const { index, hasHeader } = referenceColumn(records, firstIndex, routing);
  const column = { index, name: hasHeader && index >= 0 ? shown(cellAt(records[firstIndex], index)) : null };

  const entries: ImportEntry[] = [];
  const rejected: RejectedRow[] = [];
  const seen = new Set<string>();
  const perProvider = new Map<ProviderId, number>();
  let duplicates = 0;
  for (let i = hasHeader ? firstIndex + 1 : firstIndex; i < records.length; i++) {
    const record = records[i] ?? [];
    if (isBlank(record)) continue;
    const row = i + 1;
    const value = index >= 0 ? cellAt(record, index) : '';
    const problem = problems.get(i);
    if (problem) {
      rejected.push({ row, value: shown(value), error: problem });
      continue;
    }
    const entry = readEntry(record, row, value, hasHeader ? routing : null, allowed, action);
    if ('error' in entry) {
      rejected.push({ row, value: shown(entry.value), error: entry.error });
      continue;
    }
    const key = identity(entry);
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    entries.push(entry);
    perProvider.set(entry.provider, (perProvider.get(entry.provider) ?? 0) + 1);
  }
  const provider = [...perProvider.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  return { delimiter, hasHeader, column, entries, duplicates, rejected, provider };
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
function referenceColumn(records: readonly (readonly string[])[], first: number, routing: RoutingColumns): ReferenceColumn {
  try {
    return findReferenceColumn(records, first);
  } catch (error) {
    if (routing.externalOrder >= 0 && isAppError(error)) return { index: -1, hasHeader: true };
    throw error;
  }
}

/** One row as an entry, or the sentence that says why it cannot be one. */
function readEntry(
  record: readonly string[],
  row: number,
  value: string,
  routing: RoutingColumns | null,
  allowed: readonly ProviderId[],
  action: Action,
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
  const check = checkReference(value, providers, action);
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
