/**
 * Results: every item of the batch with its provider, account, outcome, reason, the provider's message,
 * HTTP status and attempts; filter by outcome, provider and reason, and search by reference, account or message.
 * A row opens its attempts; failed items can be sent again (a new round of attempts in the same batch).
 */
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { BatchSummary, ResultRow } from '../../../shared/contract';
import { PROVIDER_IDS, REASON_LABELS, type ProviderId, type Reason } from '../../../shared/domain';
import { call, messageOf, onEvent } from '../api';
import { AttemptsPanel } from '../components/AttemptsPanel';
import { OutcomeCounts } from '../components/OutcomeSummary';
import { ResultsTable } from '../components/ResultsTable';
import { plural, providerName } from '../format';
import { isFinished } from '../hooks';
import { countStates, filterResults, OUTCOME_FILTERS, presentValues, searchTexts, type OutcomeFilter } from '../resultFilters';

interface Props {
  batchId: string | null;
  onImport: () => void;
}

export function ResultsScreen({ batchId, onImport }: Props) {
  if (!batchId) {
    return (
      <section className="screen">
        <h1>Results</h1>
        <p className="lead">No batch yet. Import a list of shipments to cancel and the results appear here.</p>
        <button type="button" className="button primary" onClick={onImport}>
          Import a list
        </button>
      </section>
    );
  }
  return <BatchResults batchId={batchId} />;
}

function BatchResults({ batchId }: { batchId: string }) {
  const [rows, setRows] = useState<ResultRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [loads, setLoads] = useState(0);
  const [filter, setFilter] = useState<OutcomeFilter>('all');
  const [provider, setProvider] = useState<ProviderId | 'all'>('all');
  const [reason, setReason] = useState<Reason | 'all'>('all');
  const [search, setSearch] = useState('');
  const deferredSearch = useDeferredValue(search);
  /** Whether the batch is being sent right now: retrying failed items waits until it is not. */
  const [running, setRunning] = useState(false);
  const [retrying, setRetrying] = useState(false);
  const [retried, setRetried] = useState<number | null>(null);
  const [opened, setOpened] = useState<ResultRow | null>(null);

  useEffect(() => {
    let live = true;
    setLoading(true);
    Promise.all([call('batch.results', { batchId }), call('batch.summary', { batchId })])
      .then(([found, summary]) => {
        if (!live) return;
        setRows(found);
        setRunning(summary.running);
        setError(null);
      })
      .catch((failure: unknown) => live && setError(messageOf(failure)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [batchId, loads]);

  const texts = useMemo(() => searchTexts(rows ?? []), [rows]);
  const counts = useMemo(() => countStates(rows ?? []), [rows]);
  const unfinished = counts.queued + counts.in_flight;

  // When the batch finishes while this screen shows unfinished items, load the final results once.
  const showsUnfinished = useRef(false);
  showsUnfinished.current = rows === null || unfinished > 0;
  useEffect(
    () =>
      onEvent('batch.progress', (summary: BatchSummary) => {
        if (summary.id !== batchId) return;
        setRunning(summary.running);
        if (!isFinished(summary) || !showsUnfinished.current) return;
        showsUnfinished.current = false;
        setLoads((n) => n + 1);
      }),
    [batchId],
  );

  const present = useMemo(() => presentValues(rows ?? []), [rows]);
  const reasons = reason === 'all' || present.reasons.includes(reason) ? present.reasons : [...present.reasons, reason];
  const shown = useMemo(
    () => filterResults(rows ?? [], texts, { outcome: filter, provider, reason, search: deferredSearch }),
    [rows, texts, filter, provider, reason, deferredSearch],
  );

  async function retryFailed() {
    setRetrying(true);
    setError(null);
    try {
      const summary = await call('batch.retryFailed', { batchId });
      setRetried(counts.failed);
      setRunning(summary.running);
      setLoads((n) => n + 1);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setRetrying(false);
    }
  }

  return (
    <section className="screen results-screen" aria-labelledby="results-title">
      <div className="screen-head">
        <h1 id="results-title">Results</h1>
        <div className="actions">
          {counts.failed > 0 && !running && (
            <button
              type="button"
              className="button primary"
              data-testid="retry-failed"
              onClick={() => void retryFailed()}
              disabled={retrying || loading}
            >
              {retrying ? 'Retrying…' : `Retry ${plural(counts.failed, 'failed item')}`}
            </button>
          )}
          <button type="button" className="button" onClick={() => setLoads((n) => n + 1)} disabled={loading}>
            {loading ? 'Refreshing…' : 'Refresh'}
          </button>
        </div>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {rows === null && !error && <p className="muted">Loading results…</p>}
      {rows !== null && (
        <>
          <OutcomeCounts counts={counts} />
          {retried !== null && unfinished > 0 && (
            <p className="status small" role="status" data-testid="retry-started">
              Sending {plural(retried, 'failed item')} again; the Run screen shows their progress.
            </p>
          )}
          {unfinished > 0 && (
            <p className="muted small">
              {plural(unfinished, 'item')} {unfinished === 1 ? 'has' : 'have'} no result yet; Refresh shows the latest state.
            </p>
          )}
          <div className="toolbar">
            <label className="field inline">
              <span>Show</span>
              <select data-testid="results-filter" value={filter} onChange={(e) => setFilter(e.target.value as OutcomeFilter)}>
                {OUTCOME_FILTERS.map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.label}
                  </option>
                ))}
              </select>
            </label>
            <label className="field inline">
              <span>Provider</span>
              <select
                data-testid="results-provider-filter"
                value={provider}
                onChange={(e) => setProvider(e.target.value as ProviderId | 'all')}
              >
                <option value="all">All providers</option>
                {PROVIDER_IDS.map((id) => (
                  <option key={id} value={id}>
                    {providerName(id)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field inline">
              <span>Reason</span>
              <select
                data-testid="results-reason-filter"
                value={reason}
                onChange={(e) => setReason(e.target.value as Reason | 'all')}
              >
                <option value="all">All reasons</option>
                {reasons.map((id) => (
                  <option key={id} value={id}>
                    {REASON_LABELS[id]}
                  </option>
                ))}
              </select>
            </label>
            <label className="field inline grow">
              <span>Search</span>
              <input
                type="search"
                data-testid="results-search"
                value={search}
                onChange={(e) => setSearch(e.target.value)}
                placeholder="Reference, account or message"
                spellCheck={false}
              />
            </label>
            <span className="muted small" role="status">
              {shown.length === rows.length ? `${rows.length} items` : `${shown.length} of ${rows.length} items`}
            </span>
          </div>
          <p className="muted small">Select a row (or press Enter on it) to see every attempt made for it.</p>
          <ResultsTable rows={shown} onOpen={setOpened} />
        </>
      )}
      {opened && <AttemptsPanel key={opened.id} row={opened} onClose={() => setOpened(null)} />}
    </section>
  );
}
