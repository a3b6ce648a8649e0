/**
 * Results: every item of the batch with its provider, account, outcome, reason, the provider's message,
 * HTTP status and attempts. A summary strip gives the counts and a chart of outcomes by reason. Filter
 * by outcome, provider, reason and account, search by reference, account or message, sort by any
 * column, select rows and copy them. A row opens its attempts; failed items can be sent again; what is
 * shown can be exported as CSV or JSON (main asks where to save it). Main counts, filters and sorts in
 * the database; the table asks for the rows near the view a page at a time.
 */
import { useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import {
  MAX_RESULTS_PAGE,
  type BatchSummary,
  type ResultFilter,
  type ResultRow,
  type ResultSort,
  type ResultsOverview,
} from '../../../shared/contract';
import { PROVIDER_IDS, REASON_LABELS, type ProviderId, type Reason, type RetryScope } from '../../../shared/domain';
import { call, messageOf, onEvent } from '../api';
import { copyText } from '../clipboard';
import { AttemptsPanel } from '../components/AttemptsPanel';
import { OutcomeChart } from '../components/OutcomeChart';
import { OutcomeTiles } from '../components/OutcomeTiles';
import { NO_SELECTION, ResultsTable, type Selection } from '../components/ResultsTable';
import { RetryAlert } from '../components/RetryAlert';
import { failedItems, RetryFailed } from '../components/RetryFailed';
import { formatDateTime, plural, providerName } from '../format';
import { isFinished } from '../hooks';
import {
  countStates,
  isFiltered,
  NO_FILTERS,
  OUTCOME_FILTERS,
  pastedReferences,
  pickedReason,
  pickReason,
  presentReasons,
  rowsToTsv,
  toResultFilter,
  type OutcomeFilter,
  type ResultFilters,
} from '../resultFilters';
import { useResultPages } from '../resultPages';

interface Props {
  batchId: string | null;
  /** Text to search for when the screen opens (a reference found in History). */
  initialSearch?: string | undefined;
  /** Failed items of this reason only, when the screen opens (a reason picked on the Run screen). */
  initialReason?: Reason | undefined;
  onImport: () => void;
  onHistory: () => void;
}

export function ResultsScreen({ batchId, initialSearch, initialReason, onImport, onHistory }: Props) {
  if (!batchId) {
    return (
      <section className="screen" aria-labelledby="results-title">
        <h1 id="results-title">Results</h1>
        <div className="panel empty-state" data-testid="results-empty">
          <p className="lead">No batch open. Import a list of shipments to cancel, or open an earlier batch from History.</p>
          <div className="actions">
            <button type="button" className="button primary" onClick={onImport}>
              Import a list
            </button>
            <button type="button" className="button" onClick={onHistory}>
              Open History
            </button>
          </div>
        </div>
      </section>
    );
  }
  const initial: ResultFilters = initialReason
    ? { ...NO_FILTERS, search: initialSearch ?? '', outcome: 'failed', reason: initialReason }
    : { ...NO_FILTERS, search: initialSearch ?? '' };
  return <BatchResults batchId={batchId} initial={initial} />;
}

type ExportStatus = { tone: 'ok' | 'muted' | 'error'; text: string };
type CopyStatus = { tone: 'ok' | 'error'; text: string; fallback?: string };

function BatchResults({ batchId, initial }: { batchId: string; initial: ResultFilters }) {
  const [overview, setOverview] = useState<ResultsOverview | null>(null);
  const [batch, setBatch] = useState<BatchSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [loads, setLoads] = useState(0);
  const [filters, setFilters] = useState<ResultFilters>(initial);
  const deferredSearch = useDeferredValue(filters.search);
  const [sort, setSort] = useState<ResultSort | null>(null);
  const [selection, setSelection] = useState<Selection>(NO_SELECTION);
  /** Whether the batch is being sent right now: retrying failed items waits until it is not. */
  const [running, setRunning] = useState(false);
  const [retrying, setRetrying] = useState<RetryScope | null>(null);
  const [retried, setRetried] = useState<number | null>(null);
  const [opened, setOpened] = useState<ResultRow | null>(null);
  const [exporting, setExporting] = useState<'csv' | 'json' | null>(null);
  const [exportStatus, setExportStatus] = useState<ExportStatus | null>(null);
  const [copyStatus, setCopyStatus] = useState<CopyStatus | null>(null);

  // The rows are asked for first: they are what the clerk waits for; the counts follow.
  const { outcome, provider, reason, account } = filters;
  const filter = useMemo(
    () => toResultFilter({ outcome, provider, reason, account, search: deferredSearch }),
    [outcome, provider, reason, account, deferredSearch],
  );
  const pages = useResultPages({ batchId, filter, sort, version: loads });

  useEffect(() => {
    let live = true;
    setLoading(true);
    Promise.all([call('results.overview', { batchId }), call('batch.summary', { batchId })])
      .then(([found, summary]) => {
        if (!live) return;
        setOverview(found);
        setBatch(summary);
        setRunning(summary.running);
        setError(null);
      })
      .catch((failure: unknown) => live && setError(messageOf(failure)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [batchId, loads]);

  const counts = useMemo(() => countStates(overview?.outcomes ?? []), [overview]);
  const failures = useMemo(() => failedItems(overview?.outcomes ?? []), [overview]);
  const unfinished = counts.queued + counts.in_flight;

  // While the results shown are not final (or the batch is being sent, e.g. just after Retry failed), watch
  // the batch by main's events: they report every change, so the final results are loaded once, when
  // it has finished. Listening starts before the first counts are read, so no event falls between.
  const needsFinal = overview === null || unfinished > 0 || running;
  useEffect(() => {
    if (!needsFinal) return;
    let fired = false;
    let alive = true;
    const seen = (summary: BatchSummary, finished: boolean) => {
      if (!alive || summary.id !== batchId) return;
      setRunning(summary.running);
      if (!finished || fired) return;
      fired = true;
      setLoads((n) => n + 1);
    };
    const stopProgress = onEvent('batch.progress', (summary) => seen(summary, isFinished(summary)));
    const stopFinished = onEvent('batch.finished', (summary) => seen(summary, true));
    return () => {
      alive = false;
      stopProgress();
      stopFinished();
    };
  }, [batchId, needsFinal, overview]);

  const present = useMemo(() => presentReasons(overview?.outcomes ?? []), [overview]);
  const reasons = filters.reason === 'all' || present.includes(filters.reason) ? present : [...present, filters.reason];
  const presentAccounts = overview?.accounts ?? [];
  const accounts =
    filters.account === 'all' || presentAccounts.includes(filters.account)
      ? presentAccounts
      : [...presentAccounts, filters.account];

  const shownTotal = pages.total ?? overview?.total ?? 0;
  const total = overview?.total ?? shownTotal;
  /** A new filter shows other rows: the selection was made among the rows shown before. */
  function changeFilters(next: (current: ResultFilters) => ResultFilters) {
    setFilters(next);
    setSelection(NO_SELECTION);
    setExportStatus(null);
  }

  function setFilter<K extends keyof ResultFilters>(key: K, value: ResultFilters[K]) {
    changeFilters((current) => ({ ...current, [key]: value }));
  }

  async function retryFailed(scope: RetryScope) {
    setRetrying(scope);
    setError(null);
    try {
      const summary = await call('batch.retryFailed', { batchId, scope });
      setRetried(scope === 'all' ? failures.failed : failures.mayWork);
      setRunning(summary.running);
      setLoads((n) => n + 1);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setRetrying(null);
    }
  }

  async function exportAs(format: 'csv' | 'json') {
    setExporting(format);
    setExportStatus(null);
    try {
      const filter = toResultFilter(filters);
      const saved = await call('results.export', {
        batchId,
        format,
        ...(Object.keys(filter).length > 0 ? { filter } : {}),
      });
      setExportStatus(
        saved.path
          ? { tone: 'ok', text: `Saved ${plural(saved.items, 'item')} to ${saved.path}` }
          : { tone: 'muted', text: 'Export cancelled' },
      );
    } catch (failure) {
      setExportStatus({
        tone: 'error',
        text: `The export was not saved. ${messageOf(failure)} Try again, or choose another folder.`,
      });
    } finally {
      setExporting(null);
    }
  }

  /** Copies the selected rows, in the order shown; with none selected, the row the clerk is on (Ctrl+C in the table). */
  const copySelected = useCallback(
    async (focused: ResultRow | null = null) => {
      let copied: ResultRow[];
      try {
        copied = selection.ids.size > 0 ? await selectedRows(batchId, filter, sort, selection.ids) : focused ? [focused] : [];
      } catch (failure) {
        setCopyStatus({ tone: 'error', text: `The selected rows could not be read. ${messageOf(failure)}` });
        return;
      }
      if (copied.length === 0) {
        setCopyStatus({
          tone: 'error',
          text: 'Select rows first: Ctrl+click or Shift+click them, or press Ctrl+A in the table.',
        });
        return;
      }
      const text = rowsToTsv(copied);
      const what = plural(copied.length, 'row');
      if (await copyText(text)) {
        setCopyStatus({
          tone: 'ok',
          text: `Copied ${what} to the clipboard, with a header line. Paste them into a spreadsheet.`,
        });
      } else {
        setCopyStatus({
          tone: 'error',
          text: `The clipboard could not be reached. The ${what} are in the box below: select them there and press Ctrl+C.`,
          fallback: text,
        });
      }
    },
    [batchId, filter, sort, selection.ids],
  );

  const selecting = useCallback((next: Selection) => {
    setSelection(next);
    setCopyStatus(null);
  }, []);

  const filtered = isFiltered(filters);
  const scope = filtered ? `the ${plural(shownTotal, 'item')} shown` : `all ${plural(total, 'item')}`;
  const selected = selection.ids.size;

  return (
    <section className="screen results-screen" aria-labelledby="results-title">
      <div className="screen-head">
        <div className="title-line">
          <h1 id="results-title">Results</h1>
          {batch && (
            <p className="lead" data-testid="results-batch">
              {batch.sourceName ?? 'Pasted list'} · started {formatDateTime(batch.createdAt)} · {plural(batch.total, 'item')}
            </p>
          )}
        </div>
        <div className="actions">
          {!running && <RetryFailed {...failures} busy={retrying} held={loading} onRetry={(scope) => void retryFailed(scope)} />}
          <button type="button" className="button" onClick={() => setLoads((n) => n + 1)} disabled={loading}>
            {loading ? 'Refreshing…' : 'Refresh'}
          </button>
        </div>
      </div>
      {error && (
        <RetryAlert onRetry={() => setLoads((n) => n + 1)} disabled={loading}>
          {error}
        </RetryAlert>
      )}
      {overview === null && pages.total === null && !error && <p className="muted">Loading results…</p>}
      {(overview !== null || pages.total !== null) && (
        <>
          {overview && (
            <div className="results-overview" data-testid="results-summary">
              <h2 className="visually-hidden">Summary</h2>
              <OutcomeTiles counts={counts} value={filters.outcome} onChange={(value) => setFilter('outcome', value)} />
              <OutcomeChart overview={overview} picked={pickedReason(filters)} onPick={(key) => changeFilters(pickReason(key))} />
              {unfinished > 0 && (
                <p
                  className="muted small results-note"
                  role="status"
                  data-testid={retried !== null ? 'retry-started' : undefined}
                >
                  {retried !== null
                    ? `Sending ${plural(retried, 'failed item')} again; the Run screen shows their progress.`
                    : `${plural(unfinished, 'item')} ${unfinished === 1 ? 'has' : 'have'} no result yet; Refresh shows the latest state.`}
                </p>
              )}
            </div>
          )}

          <div className="toolbar" role="group" aria-label="Filter results">
            <label className="field inline grow search-field">
              <span>Search</span>
              <input
                type="search"
                data-testid="results-search"
                value={filters.search}
                onChange={(e) => setFilter('search', e.target.value)}
                onPaste={(e) => {
                  // A pasted column of references keeps its breaks as spaces (an input would run them together).
                  const text = e.clipboardData.getData('text');
                  if (!/[\r\n]/.test(text)) return;
                  e.preventDefault();
                  setFilter('search', pastedReferences(text).join(' '));
                }}
                placeholder="References (paste a list), account or message"
                spellCheck={false}
              />
            </label>
            <FilterSelect
              label="Show"
              testId="results-filter"
              value={filters.outcome}
              options={OUTCOME_FILTERS.map((option) => [option.value, option.label] as const)}
              onChange={(value) => setFilter('outcome', value as OutcomeFilter)}
            />
            <FilterSelect
              label="Reason"
              testId="results-reason-filter"
              value={filters.reason}
              options={[['all', 'All reasons'], ...reasons.map((id) => [id, REASON_LABELS[id]] as const)]}
              onChange={(value) => setFilter('reason', value as Reason | 'all')}
            />
            <FilterSelect
              label="Provider"
              testId="results-provider-filter"
              value={filters.provider}
              options={[['all', 'All providers'], ...PROVIDER_IDS.map((id) => [id, providerName(id)] as const)]}
              onChange={(value) => setFilter('provider', value as ProviderId | 'all')}
            />
            <FilterSelect
              label="Account"
              testId="results-account-filter"
              value={filters.account}
              options={[['all', 'All accounts'], ...accounts.map((name) => [name, name] as const)]}
              onChange={(value) => setFilter('account', value)}
            />
            {filtered && (
              <button
                type="button"
                className="button small-button"
                data-testid="results-clear-filters"
                onClick={() => changeFilters(() => NO_FILTERS)}
              >
                Clear filters
              </button>
            )}
          </div>

          <p className="visually-hidden" id="results-table-help">
            Press Enter on a row, or click it, to see every attempt made for it. Space or Ctrl+click selects rows, Shift extends,
            Ctrl+A selects every row shown, Ctrl+C copies them. Arrow up from the first row reaches the column headers, which
            sort.
          </p>
          {pages.error && (
            <RetryAlert onRetry={() => setLoads((n) => n + 1)}>Some results could not be read. {pages.error}</RetryAlert>
          )}
          <ResultsTable
            rows={pages}
            total={shownTotal}
            sort={sort}
            onSort={setSort}
            selection={selection}
            onSelect={selecting}
            onCopy={(focused) => void copySelected(focused)}
            onOpen={setOpened}
          />
          <div className="table-bar" role="group" aria-label="Rows shown">
            <span className="muted small" role="status" data-testid="results-count">
              {shownTotal === total ? plural(total, 'item') : `${shownTotal.toLocaleString()} of ${plural(total, 'item')}`}
              {selected > 0 && ` · ${selected.toLocaleString()} selected`}
            </span>
            <p className="small export-line" role="status">
              {exportStatus ? (
                <span className={`tone-line-${exportStatus.tone}`} data-testid="export-status">
                  {exportStatus.text}
                </span>
              ) : (
                <span className="muted">
                  {exporting
                    ? `Choose where to save the ${exporting.toUpperCase()} file…`
                    : `Export saves ${scope}, in import order.`}
                </span>
              )}
            </p>
            <div className="actions">
              <button
                type="button"
                className="button small-button"
                data-testid="results-copy"
                onClick={() => void copySelected()}
                disabled={shownTotal === 0}
                aria-keyshortcuts="Control+C"
                title="Copy the selected rows as tab-separated text (Ctrl+C in the table)"
              >
                {selected > 0 ? `Copy ${plural(selected, 'row')}` : 'Copy'}
              </button>
              <button
                type="button"
                className="button small-button"
                data-testid="export-csv"
                onClick={() => void exportAs('csv')}
                disabled={exporting !== null || shownTotal === 0}
                title={`Save ${scope} as a CSV file for a spreadsheet`}
              >
                {exporting === 'csv' ? 'Exporting…' : 'Export CSV'}
              </button>
              <button
                type="button"
                className="button small-button"
                data-testid="export-json"
                onClick={() => void exportAs('json')}
                disabled={exporting !== null || shownTotal === 0}
                title={`Save ${scope} as a JSON file in the provider's bulk-response shape`}
              >
                {exporting === 'json' ? 'Exporting…' : 'Export JSON'}
              </button>
            </div>
          </div>
          {copyStatus && (
            <div className={copyStatus.tone === 'ok' ? 'success small' : 'notice small'} role="status" data-testid="copy-status">
              <p>{copyStatus.text}</p>
              {copyStatus.fallback !== undefined && (
                <textarea
                  className="copy-fallback"
                  data-testid="copy-fallback"
                  aria-label="Selected rows as tab-separated text"
                  readOnly
                  rows={6}
                  value={copyStatus.fallback}
                  onFocus={(e) => e.currentTarget.select()}
                />
              )}
            </div>
          )}
        </>
      )}
      {opened && <AttemptsPanel key={opened.id} row={opened} onClose={() => setOpened(null)} />}
    </section>
  );
}

/** The selected rows the filter shows, in the order shown, read from main a page at a time. */
async function selectedRows(
  batchId: string,
  filter: ResultFilter,
  sort: ResultSort | null,
  ids: ReadonlySet<number>,
): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  const window = { batchId, filter: { ...filter, ids: [...ids] }, ...(sort ? { sort } : {}), limit: MAX_RESULTS_PAGE };
  for (let offset = 0; ; offset += MAX_RESULTS_PAGE) {
    const page = await call('results.page', { ...window, offset });
    rows.push(...page.rows);
    if (page.rows.length < MAX_RESULTS_PAGE) return rows;
  }
}

interface FilterSelectProps {
  label: string;
  testId: string;
  value: string;
  /** [value, label] pairs, in the order shown. */
  options: readonly (readonly [string, string])[];
  onChange: (value: string) => void;
}

/** One labelled filter of the results table. */
function FilterSelect({ label, testId, value, options, onChange }: FilterSelectProps) {
  return (
    <label className="field inline">
      <span>{label}</span>
      <select data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map(([optionValue, optionLabel]) => (
          <option key={optionValue} value={optionValue}>
            {optionLabel}
          </option>
        ))}
      </select>
    </label>
  );
}
