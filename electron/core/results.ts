/**
 * Every item's result in the providers' bulk-response shape (`Data`, `IsSuccess`, `Message`,
 * `ApiLinks`, …), for the results table, the CLI and exports; and the CSV form of it, safe to
 * open in a spreadsheet (formula-looking cells are made inert).
 */
import Papa from 'papaparse';
import type { AttemptView, ImportPreview, ResultFilter, ResultRow } from '../../shared/contract';
import type { Action, ApiLink, ItemState, ProviderId, Reason } from '../../shared/domain';
import type { Db } from './db/open';

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
         AND (? IS NULL OR i.provider IN (SELECT value FROM json_each(?)))
         AND (? IS NULL OR a.name IN (SELECT value FROM json_each(?)))
         AND (? IS NULL OR instr(lower(i.reference || ' ' || coalesce(i.message, '') || ' ' || coalesce(a.name, '')), lower(?)) > 0)
       ORDER BY i.seq`,
    )
    .all(
      batchId,
      ...jsonList(filter.states),
      ...jsonList(filter.reasons),
      ...jsonList(filter.providers),
      ...jsonList(filter.accounts),
      ...(filter.search?.trim() ? [filter.search.trim(), filter.search.trim()] : [null, null]),
    ) as ItemRow[];
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

/**
 * An export file a clerk opens in a spreadsheet or hands to a script: CSV with a UTF-8 BOM (so
 * spreadsheets read accents right) and inert formula-looking cells, or the provider-style JSON array.
 */
export function exportFile(results: readonly ResultRow[], format: 'csv' | 'json'): string {
  return format === 'csv' ? `\uFEFF${resultsToCsv(results)}` : `${JSON.stringify(toRecords(results), null, 2)}\n`;
}

/** Every request made for an item, oldest first: its time, status, duration and what it meant. */
export function listAttempts(db: Db, itemId: number): AttemptView[] {
  const rows = db
    .prepare(
      `SELECT started_at, duration_ms, endpoint, http_status, outcome, reason, message FROM attempts WHERE item_id = ? ORDER BY id`,
    )
    .all(itemId) as {
    started_at: number;
    duration_ms: number;
    endpoint: string;
    http_status: number | null;
    outcome: string;
    reason: Reason | null;
    message: string | null;
  }[];
  return rows.map((row) => ({
    startedAt: new Date(row.started_at).toISOString(),
    durationMs: row.duration_ms,
    endpoint: row.endpoint,
    httpStatus: row.http_status,
    outcome: row.outcome,
    reason: row.reason,
    message: row.message ?? '',
  }));
}

/** Which of these references an earlier batch already cancelled (or removed), first ones first. */
export function alreadySucceeded(
  db: Db,
  entries: readonly { row: number; reference: string }[],
  limit = 100,
): ImportPreview['alreadyDone'] {
  const done = new Map<string, { batchId: string; completedAt: number | null }>();
  const find = db.prepare(
    `SELECT reference, batch_id AS batchId, MAX(completed_at) AS completedAt FROM items
     WHERE state = 'succeeded' AND reference IN (SELECT value FROM json_each(?)) GROUP BY reference`,
  );
  for (let start = 0; start < entries.length; start += 5000) {
    const slice = entries.slice(start, start + 5000).map((entry) => entry.reference);
    for (const row of find.all(JSON.stringify(slice)) as { reference: string; batchId: string; completedAt: number | null }[]) {
      done.set(row.reference, { batchId: row.batchId, completedAt: row.completedAt });
    }
  }
  const items = entries.flatMap((entry) => {
    const hit = done.get(entry.reference);
    return hit
      ? [
          {
            row: entry.row,
            reference: entry.reference,
            batchId: hit.batchId,
            completedAt: hit.completedAt === null ? null : new Date(hit.completedAt).toISOString(),
          },
        ]
      : [];
  });
  return { total: items.length, items: items.slice(0, limit) };
}
