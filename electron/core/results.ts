/**
 * Every item's result in the providers' bulk-response shape (`Data`, `IsSuccess`, `Message`,
 * `ApiLinks`, …), for the results table, the CLI and exports; and the CSV form of it, safe to
 * open in a spreadsheet (formula-looking cells are made inert).
 */
import Papa from 'papaparse';
import type { ResultRow } from '../../shared/contract';
import type { Action, ApiLink, ItemState, ProviderId, Reason } from '../../shared/domain';
import type { Db } from './db/open';

export interface ResultFilter {
  states?: readonly ItemState[] | undefined;
  reasons?: readonly Reason[] | undefined;
}

interface ItemRow {
  id: number;
  reference: string;
  state: ItemState;
  reason: Reason | null;
  message: string | null;
  api_links: string | null;
  provider: ProviderId;
  account: string | null;
  action: Action;
  http_status: number | null;
  attempts: number;
  completed_at: number | null;
}

export function listResults(db: Db, batchId: string, filter: ResultFilter = {}): ResultRow[] {
  const rows = db
    .prepare(
      `SELECT i.id, i.reference, i.state, i.reason, i.message, i.api_links, i.provider, a.name AS account,
              i.action, i.http_status, i.attempts, i.completed_at
       FROM items i LEFT JOIN accounts a ON a.id = i.account_id
       WHERE i.batch_id = ?
         AND (? IS NULL OR i.state IN (SELECT value FROM json_each(?)))
         AND (? IS NULL OR i.reason IN (SELECT value FROM json_each(?)))
       ORDER BY i.seq`,
    )
    .all(batchId, ...jsonList(filter.states), ...jsonList(filter.reasons)) as ItemRow[];
  return rows.map(toResult);
}

function jsonList(values: readonly string[] | undefined): [string | null, string | null] {
  const json = values ? JSON.stringify(values) : null;
  return [json, json];
}

function toResult(row: ItemRow): ResultRow {
  return {
    id: row.id,
    Data: row.reference,
    IsSuccess: row.state === 'succeeded',
    Message: row.message ?? '',
    ApiLinks: row.api_links ? (JSON.parse(row.api_links) as ApiLink[]) : null,
    Reason: row.reason,
    State: row.state,
    Provider: row.provider,
    Account: row.account ?? '(removed account)',
    Action: row.action,
    HttpStatus: row.http_status,
    Attempts: row.attempts,
    CompletedAt: row.completed_at === null ? null : new Date(row.completed_at).toISOString(),
  };
}

export const RESULT_COLUMNS = [
  'Data',
  'IsSuccess',
  'Message',
  'ApiLinks',
  'Reason',
  'State',
  'Provider',
  'Account',
  'Action',
  'HttpStatus',
  'Attempts',
  'CompletedAt',
] as const;

/** RFC 4180 CSV (CRLF, quoting as needed) with cells starting `=`, `+`, `-`, `@`, tab or CR made inert. */
export function resultsToCsv(results: readonly ResultRow[]): string {
  const rows = results.map((r) =>
    RESULT_COLUMNS.map((column) => {
      const value = r[column];
      if (value === null) return '';
      if (column === 'ApiLinks') return JSON.stringify(value);
      return String(value);
    }),
  );
  return Papa.unparse({ fields: [...RESULT_COLUMNS], data: rows }, { escapeFormulae: true, newline: '\r\n' }) + '\r\n';
}

/** The records without the table's row id: what the CLI prints and exports contain. */
export function toRecords(results: readonly ResultRow[]): Omit<ResultRow, 'id'>[] {
  return results.map(({ id: _id, ...record }) => record);
}
