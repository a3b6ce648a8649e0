/**
 * Every item's result in the providers' bulk-response shape (`Data`, `IsSuccess`, `Message`,
 * `ApiLinks`, …), for the results table, the CLI and exports; and the CSV form of it, safe to
 * open in a spreadsheet (formula-looking cells are made inert).
 */
import Papa from 'papaparse';
import type {
  AttemptView,
  ImportPreview,
  Response,
  ResultFilter,
  ResultRow,
  ResultSort,
  ResultsOverview,
} from '../../shared/contract';
import {
  PROVIDER_LABELS,
  REASON_LABELS,
  type Action,
  type ApiLink,
  type ItemState,
  type ProviderId,
  type Reason,
} from '../../shared/domain';
import type { Db } from './db/open';
import { AppError } from './errors';

type ResultPage = Response<'results.page'>;

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

/** Where an item's account was removed for good: its results still show. */
const REMOVED_ACCOUNT = '(removed account)';

const COLUMNS = `i.id, i.reference, i.state, i.reason, i.message, i.api_links, i.provider, a.name AS account,
  i.action, i.http_status, i.attempts, i.completed_at`;

const WITH_ACCOUNT = 'items i LEFT JOIN accounts a ON a.key = i.account_key';

/**
 * `FROM … WHERE …` for the items of one batch that pass a filter, and its parameters. Only the parts
 * of the filter in use are in it, and the accounts only when needed (`withAccount`, or a filter on
 * them), so the common questions are answered from the `(batch_key, state, seq)` index alone.
 */
function filtered(batchId: string, filter: ResultFilter, withAccount: boolean): { sql: string; params: (string | number)[] } {
  const where = ['i.batch_key = (SELECT key FROM batches WHERE id = ?)'];
  const params: (string | number)[] = [batchId];
  const oneOf = (column: string, values: readonly (string | number)[] | undefined) => {
    if (!values) return;
    where.push(`${column} IN (SELECT value FROM json_each(?))`);
    params.push(JSON.stringify(values));
  };
  oneOf('i.state', filter.states);
  oneOf('i.reason', filter.reasons);
  oneOf('i.provider', filter.providers);
  oneOf(`coalesce(a.name, '${REMOVED_ACCOUNT}')`, filter.accounts);
  oneOf('i.id', filter.ids);
  oneOf('i.reference', filter.references);
  const search = filter.search?.trim();
  if (search) {
    where.push(`instr(lower(i.reference || ' ' || coalesce(i.message, '') || ' ' || coalesce(a.name, '')), lower(?)) > 0`);
    params.push(search);
  }
  const join = withAccount || filter.accounts !== undefined || Boolean(search);
  return { sql: `FROM ${join ? WITH_ACCOUNT : 'items i'} WHERE ${where.join(' AND ')}`, params };
}

/** `CASE column WHEN key THEN value … END` from a constant table, so SQL sorts by what the clerk reads. */
function caseOf(column: string, table: Record<string, string | number>): string {
  const literal = (value: string | number) => (typeof value === 'number' ? String(value) : `'${value.replace(/'/g, "''")}'`);
  const whens = Object.entries(table).map(([key, value]) => `WHEN ${literal(key)} THEN ${literal(value)}`);
  return `CASE ${column} ${whens.join(' ')} END`;
}

/** Results in the order a clerk reads them: done well, done later, failed, waiting, not sent. */
const STATE_ORDER: Record<ItemState, number> = { succeeded: 0, pending: 1, failed: 2, in_flight: 3, queued: 4, stopped: 5 };

/** What each column sorts by: the words shown (provider and reason labels, text without case), or the number. */
const SORT_VALUES: Record<ResultSort['key'], string> = {
  reference: 'i.reference',
  provider: caseOf('i.provider', PROVIDER_LABELS),
  account: `lower(coalesce(a.name, '${REMOVED_ACCOUNT}'))`,
  result: caseOf('i.state', STATE_ORDER),
  reason: caseOf('i.reason', REASON_LABELS),
  message: "nullif(lower(i.message), '')",
  http: 'i.http_status',
  attempts: 'i.attempts',
  completed: 'i.completed_at',
};

/** Sorted by one column with empty values last in either direction and ties in import order; else import order. */
function orderBy(sort: ResultSort | undefined): string {
  if (!sort) return 'ORDER BY i.seq';
  const value = SORT_VALUES[sort.key];
  return `ORDER BY (${value}) IS NULL, ${value} ${sort.direction === 'ascending' ? 'ASC' : 'DESC'}, i.seq`;
}

function requireBatch(db: Db, batchId: string): void {
  if (!db.prepare('SELECT 1 FROM batches WHERE id = ?').get(batchId))
    throw new AppError('not_found', 'That batch does not exist.');
}

/** Every result the filter selects, in import order (the CLI and exports). */
export function listResults(db: Db, batchId: string, filter: ResultFilter = {}): ResultRow[] {
  const { sql, params } = filtered(batchId, filter, true);
  const rows = db.prepare(`SELECT ${COLUMNS} ${sql} ORDER BY i.seq`).all(...params) as ItemRow[];
  return rows.map(toResult);
}

export interface ResultWindow {
  filter?: ResultFilter | undefined;
  sort?: ResultSort | undefined;
  offset: number;
  limit: number;
}

/**
 * One window of the results as filtered and sorted on screen, and how many the filter selects in all.
 * The window's ids are found first (sorting only ids), then just those rows are read.
 */
export function pageResults(db: Db, batchId: string, window: ResultWindow): ResultPage {
  const ids = resultIds(db, batchId, window);
  const { sql, params } = filtered(batchId, window.filter ?? {}, false);
  const { total } = db.prepare(`SELECT COUNT(*) AS total ${sql}`).get(...params) as { total: number };
  const found = db
    .prepare(`SELECT ${COLUMNS} FROM ${WITH_ACCOUNT} WHERE i.id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(ids)) as ItemRow[];
  const byId = new Map(found.map((row) => [row.id, row]));
  return { rows: ids.flatMap((id) => byId.get(id) ?? []).map(toResult), total };
}

/** The row ids of one window, in the order shown. */
export function resultIds(db: Db, batchId: string, { filter = {}, sort, offset, limit }: ResultWindow): number[] {
  requireBatch(db, batchId);
  const { sql, params } = filtered(batchId, filter, sort?.key === 'account');
  return db
    .prepare(`SELECT i.id ${sql} ${orderBy(sort)} LIMIT ? OFFSET ?`)
    .pluck()
    .all(...params, limit, offset) as number[];
}

/** Items per state and reason, and the accounts the batch went through, counted in one pass over the batch. */
export function resultsOverview(db: Db, batchId: string): ResultsOverview {
  requireBatch(db, batchId);
  const groups = db
    .prepare(
      `SELECT g.state, g.reason, coalesce(a.name, '${REMOVED_ACCOUNT}') AS account, g.count
       FROM (SELECT state, reason, account_key, COUNT(*) AS count FROM items
             WHERE batch_key = (SELECT key FROM batches WHERE id = ?) GROUP BY state, reason, account_key) g
       LEFT JOIN accounts a ON a.key = g.account_key`,
    )
    .all(batchId) as { state: ItemState; reason: Reason | null; account: string; count: number }[];
  const outcomes = new Map<string, ResultsOverview['outcomes'][number]>();
  const accounts = new Set<string>();
  let total = 0;
  for (const { state, reason, account, count } of groups) {
    total += count;
    accounts.add(account);
    const key = `${state} ${reason}`;
    const entry = outcomes.get(key) ?? { state, reason, count: 0 };
    entry.count += count;
    outcomes.set(key, entry);
  }
  return {
    total,
    outcomes: [...outcomes.values()],
    accounts: [...accounts].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' })),
  };
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
    Account: row.account ?? REMOVED_ACCOUNT,
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
    `SELECT i.reference, b.id AS batchId, MAX(i.completed_at) AS completedAt FROM items i JOIN batches b ON b.key = i.batch_key
     WHERE i.state = 'succeeded' AND i.reference IN (SELECT value FROM json_each(?)) GROUP BY i.reference`,
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
