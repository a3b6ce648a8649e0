/**
 * History: every batch, newest first, with its source file, when and by whom (OS user @ machine) it
 * was created, its accounts, action, counts and state; a batch opens in Results. A reference search
 * answers "was shipment X cancelled, when, in which batch, by which account?" across all batches.
 * A batch still sending, paused or waiting opens on the Run screen ("Open progress"); only a finished batch's
 * history can be deleted, after an inline confirmation (main refuses too while items wait).
 */
import { useCallback, useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { HistoryBatch, ReferenceHit } from '../../../shared/contract';
import { ACTION_LABELS, REASON_LABELS, type ItemState } from '../../../shared/domain';
import { ApiError, call, messageOf, onEvent } from '../api';
import { formatDateTime, plural, providerName, shortId } from '../format';
import { RetryAlert } from '../components/RetryAlert';

const PAGE = 50;
/** Typing this many characters searches without pressing Enter. */
const SEARCH_AS_YOU_TYPE = 3;
const SEARCH_DELAY_MS = 300;
/** main answers at most this many hits. */
const HIT_LIMIT = 200;

interface Props {
  /** Opens a batch in Results; with a reference, Results searches for it. */
  onOpenBatch: (batchId: string, search?: string) => void;
  /** Opens a batch that is still sending, paused or waiting on the Run screen. */
  onOpenProgress: (batchId: string) => void;
  onImport: () => void;
  /** A batch's history was deleted (the app forgets it if it had it open). */
  onDeleted: (batchId: string) => void;
}

type List =
  { state: 'loading' } | { state: 'failed'; message: string } | { state: 'ready'; batches: HistoryBatch[]; total: number };

export function HistoryScreen({ onOpenBatch, onOpenProgress, onImport, onDeleted }: Props) {
  const [list, setList] = useState<List>({ state: 'loading' });
  const [loads, setLoads] = useState(0);
  const [more, setMore] = useState<'idle' | 'loading' | string>('idle');
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    call('history.list', { limit: PAGE, offset: 0 })
      .then((found) => live && setList({ state: 'ready', batches: found.batches, total: found.total }))
      .catch((failure: unknown) => live && setList({ state: 'failed', message: messageOf(failure) }));
    return () => {
      live = false;
    };
  }, [loads]);

  // A batch that finishes elsewhere changes its counts and state here: read the list again.
  useEffect(() => onEvent('batch.finished', () => setLoads((n) => n + 1)), []);

  async function showMore() {
    if (list.state !== 'ready') return;
    setMore('loading');
    try {
      const found = await call('history.list', { limit: PAGE, offset: list.batches.length });
      setList((current) => {
        if (current.state !== 'ready') return current;
        const known = new Set(current.batches.map((batch) => batch.id));
        return {
          state: 'ready',
          batches: [...current.batches, ...found.batches.filter((batch) => !known.has(batch.id))],
          total: found.total,
        };
      });
      setMore('idle');
    } catch (failure) {
      setMore(messageOf(failure));
    }
  }

  function deleted(batch: HistoryBatch) {
    setList((current) =>
      current.state === 'ready'
        ? { state: 'ready', batches: current.batches.filter((b) => b.id !== batch.id), total: Math.max(0, current.total - 1) }
        : current,
    );
    setNotice(`Deleted the history of ${batchName(batch)} (${plural(batch.total, 'item')}).`);
    onDeleted(batch.id);
  }

  return (
    <section className="screen" aria-labelledby="history-title">
      <div className="screen-head">
        <div>
          <h1 id="history-title">History</h1>
          <p className="lead">Every batch sent from this computer, newest first. Open one to see its results.</p>
        </div>
        <div className="actions">
          <button type="button" className="button" onClick={() => setLoads((n) => n + 1)} disabled={list.state === 'loading'}>
            Refresh
          </button>
        </div>
      </div>

      <ReferenceSearch onOpenBatch={onOpenBatch} />

      <div className="panel">
        <h2>Batches</h2>
        {notice && (
          <p className="success" role="status" data-testid="history-status">
            {notice}
          </p>
        )}
        {list.state === 'loading' && <p className="muted">Loading history…</p>}
        {list.state === 'failed' && (
          <RetryAlert onRetry={() => setLoads((n) => n + 1)}>The history could not be read. {list.message}</RetryAlert>
        )}
        {list.state === 'ready' && list.batches.length === 0 && (
          <div className="empty-state" data-testid="history-empty">
            <p className="lead">No batches yet: import a list to start.</p>
            <button type="button" className="button primary" data-testid="history-import" onClick={onImport}>
              Import a list
            </button>
          </div>
        )}
        {list.state === 'ready' && list.batches.length > 0 && (
          <>
            <p className="muted small" id="history-help">
              Click a batch or press Enter on it to open its results.
            </p>
            <div className="table-wrap">
              <table className="small-table history-table" data-testid="history-table" aria-describedby="history-help">
                <caption className="visually-hidden">Batches, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">File</th>
                    <th scope="col">Created</th>
                    <th scope="col">By</th>
                    <th scope="col">Accounts</th>
                    <th scope="col">Action</th>
                    <th scope="col">Counts</th>
                    <th scope="col">State</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.batches.map((batch) => (
                    <BatchRow
                      key={batch.id}
                      batch={batch}
                      onOpen={() => onOpenBatch(batch.id)}
                      onOpenProgress={() => onOpenProgress(batch.id)}
                      onDeleted={() => deleted(batch)}
                    />
                  ))}
                </tbody>
              </table>
            </div>
            <div className="actions table-foot">
              <span className="muted small" role="status">
                Showing {list.batches.length.toLocaleString()} of {plural(list.total, 'batch', 'batches')}
              </span>
              {list.batches.length < list.total && (
                <button
                  type="button"
                  className="button small-button"
                  data-testid="history-more"
                  onClick={() => void showMore()}
                  disabled={more === 'loading'}
                >
                  {more === 'loading' ? 'Loading…' : `Show ${Math.min(PAGE, list.total - list.batches.length)} more`}
                </button>
              )}
            </div>
            {more !== 'idle' && more !== 'loading' && (
              <p className="error" role="alert">
                More batches could not be read. {more} Press “Show more” to try again.
              </p>
            )}
          </>
        )}
      </div>
    </section>
  );
}

function batchName(batch: { sourceName: string | null }): string {
  return batch.sourceName ?? 'Pasted list';
}

/** Enter or a click on the row itself opens it; keys on its buttons stay theirs. */
function openKeys(open: () => void) {
  return (event: KeyboardEvent<HTMLTableRowElement>) => {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      open();
    }
  };
}

const STATE_LABELS: Record<HistoryBatch['state'], string> = {
  sending: 'Sending',
  paused: 'Paused',
  finished: 'Finished',
};

interface BatchRowProps {
  batch: HistoryBatch;
  onOpen: () => void;
  onOpenProgress: () => void;
  onDeleted: () => void;
}

type Deleting = 'idle' | 'asking' | 'deleting' | { refused: string };

function BatchRow({ batch, onOpen, onOpenProgress, onDeleted }: BatchRowProps) {
  const [deleting, setDeleting] = useState<Deleting>('idle');
  const keep = useRef<HTMLButtonElement>(null);
  const askButton = useRef<HTMLButtonElement>(null);
  const name = batchName(batch);
  const by = [batch.createdBy, batch.machine].filter(Boolean).join(' @ ') || 'unknown';
  const confirmId = `history-delete-${batch.id}`;

  useEffect(() => {
    if (deleting === 'asking') keep.current?.focus();
  }, [deleting]);

  function ask() {
    setDeleting('asking');
  }

  function cancelAsk() {
    setDeleting('idle');
    askButton.current?.focus();
  }

  async function remove() {
    setDeleting('deleting');
    try {
      await call('batch.delete', { batchId: batch.id });
      onDeleted();
    } catch (failure) {
      const refused = failure instanceof ApiError && failure.code === 'conflict';
      setDeleting({
        refused: refused
          ? `Not deleted: ${messageOf(failure)} Let the batch finish, or stop it on the Run screen, then delete its history.`
          : `Not deleted. ${messageOf(failure)} Try again.`,
      });
    }
  }

  const columns = 8;
  return (
    <>
      <tr
        className="history-row"
        data-testid="history-row"
        data-batch={batch.id}
        data-state={batch.state}
        tabIndex={0}
        title="Open this batch’s results"
        onClick={onOpen}
        onKeyDown={openKeys(onOpen)}
      >
        <td className="history-file">
          <span className="strong">{name}</span>
          <span className="muted small mono batch-id" title={batch.id}>
            {shortId(batch.id)}
          </span>
        </td>
        <td className="nowrap">{formatDateTime(batch.createdAt)}</td>
        <td>{by}</td>
        <td>{batch.accounts.length > 0 ? batch.accounts.join(', ') : <span className="muted">none</span>}</td>
        <td>{ACTION_LABELS[batch.action]}</td>
        <td>
          <HistoryCounts counts={batch.counts} total={batch.total} />
        </td>
        <td>
          <span className={`badge state-${batch.state}`} data-testid="history-state">
            {STATE_LABELS[batch.state]}
          </span>
        </td>
        <td className="nowrap">
          {batch.state !== 'finished' ? (
            // A batch still sending, paused or waiting is opened where it can be watched and controlled; only a
            // finished batch's history can be deleted.
            <button
              type="button"
              className="button small-button primary"
              data-testid="history-open-progress"
              data-batch={batch.id}
              aria-label={`Open the progress of ${name}, created ${formatDateTime(batch.createdAt)}`}
              onClick={(event) => {
                event.stopPropagation();
                onOpenProgress();
              }}
            >
              Open progress
            </button>
          ) : (
            <button
              ref={askButton}
              type="button"
              className="button small-button subtle-danger"
              data-testid="history-delete"
              data-batch={batch.id}
              aria-label={`Delete history of ${name}, created ${formatDateTime(batch.createdAt)}`}
              aria-expanded={deleting === 'asking'}
              aria-controls={deleting === 'asking' ? confirmId : undefined}
              onClick={(event) => {
                event.stopPropagation();
                ask();
              }}
              disabled={deleting === 'deleting'}
            >
              Delete history
            </button>
          )}
        </td>
      </tr>
      {(deleting === 'asking' || deleting === 'deleting') && (
        <tr className="history-confirm-row">
          <td colSpan={columns}>
            <div
              className="remove-confirm"
              role="group"
              id={confirmId}
              aria-label={`Delete the history of ${name}?`}
              data-testid="history-delete-ask"
            >
              <span>
                Delete the history of <strong>{name}</strong> ({plural(batch.total, 'item')})? Its results and attempts are
                removed from Bulk Cancel; <strong>this cannot be undone</strong>. The shipments at the provider are not changed.
              </span>
              <button
                type="button"
                className="button danger small-button"
                data-testid="history-delete-confirm"
                data-batch={batch.id}
                onClick={() => void remove()}
                disabled={deleting === 'deleting'}
              >
                {deleting === 'deleting' ? 'Deleting…' : 'Delete history'}
              </button>
              <button
                ref={keep}
                type="button"
                className="button small-button"
                data-testid="history-delete-cancel"
                onClick={cancelAsk}
                disabled={deleting === 'deleting'}
              >
                Keep it
              </button>
            </div>
          </td>
        </tr>
      )}
      {typeof deleting === 'object' && (
        <tr className="history-confirm-row">
          <td colSpan={columns}>
            <div className="notice refused" role="alert" data-testid="history-delete-refused" data-batch={batch.id}>
              <span>{deleting.refused}</span>
              <button type="button" className="button small-button" onClick={cancelAsk}>
                OK
              </button>
            </div>
          </td>
        </tr>
      )}
    </>
  );
}

function HistoryCounts({ counts, total }: { counts: HistoryBatch['counts']; total: number }) {
  const waiting = counts.queued + counts.in_flight;
  const parts: { key: string; value: number; word: string; tone: string }[] = [
    { key: 'succeeded', value: counts.succeeded, word: 'succeeded', tone: 'ok' },
    { key: 'failed', value: counts.failed, word: 'failed', tone: 'bad' },
    { key: 'pending', value: counts.pending, word: 'cancellation queued', tone: 'pending' },
    { key: 'stopped', value: counts.stopped, word: 'stopped', tone: 'plain' },
    { key: 'queued', value: waiting, word: 'waiting', tone: 'plain' },
  ];
  return (
    <ul
      className="history-counts"
      data-testid="history-counts"
      data-succeeded={counts.succeeded}
      data-failed={counts.failed}
      data-pending={counts.pending}
      data-stopped={counts.stopped}
      data-queued={waiting}
      data-total={total}
    >
      {parts.map((part) => (
        <li key={part.key} className={part.value > 0 ? `tone-${part.tone}` : 'zero'}>
          <span className="count-number">{part.value.toLocaleString()}</span> {part.word}
        </li>
      ))}
    </ul>
  );
}

/* Reference search */

const HIT_STATE_WORDS: Record<ItemState, string> = {
  succeeded: '✓ Succeeded',
  pending: '◷ Cancellation queued',
  failed: '✗ Failed',
  queued: 'Waiting',
  in_flight: 'Sending',
  stopped: 'Stopped (not sent)',
};

const HIT_TONES: Partial<Record<ItemState, string>> = { succeeded: 'ok', failed: 'bad', pending: 'pending' };

type Find =
  | { state: 'idle' }
  | { state: 'searching'; reference: string }
  | { state: 'done'; reference: string; hits: ReferenceHit[] }
  | { state: 'failed'; reference: string; message: string };

function ReferenceSearch({ onOpenBatch }: { onOpenBatch: (batchId: string, search?: string) => void }) {
  const [text, setText] = useState('');
  const [find, setFind] = useState<Find>({ state: 'idle' });
  const asked = useRef(0);

  const search = useCallback(async (raw: string) => {
    const reference = raw.trim();
    const ticket = ++asked.current;
    if (!reference) {
      setFind({ state: 'idle' });
      return;
    }
    setFind({ state: 'searching', reference });
    try {
      const hits = await call('history.findReference', { reference });
      if (ticket === asked.current) setFind({ state: 'done', reference, hits });
    } catch (failure) {
      if (ticket === asked.current) setFind({ state: 'failed', reference, message: messageOf(failure) });
    }
  }, []);

  // Searches while typing, once the reference is long enough to mean something.
  useEffect(() => {
    const reference = text.trim();
    if (reference.length < SEARCH_AS_YOU_TYPE) {
      if (!reference) {
        asked.current += 1;
        setFind({ state: 'idle' });
      }
      return;
    }
    const timer = window.setTimeout(() => void search(reference), SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [text, search]);

  function submit(event: FormEvent) {
    event.preventDefault();
    void search(text);
  }

  return (
    <div className="panel history-find">
      <h2 id="history-find-title">Find a shipment</h2>
      <form role="search" aria-labelledby="history-find-title" className="find-form" onSubmit={submit}>
        <label className="field inline" htmlFor="history-search-input">
          <span>Reference</span>
          <input
            id="history-search-input"
            type="search"
            data-testid="history-search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="A shipment reference, or its first characters"
            maxLength={200}
            spellCheck={false}
            autoComplete="off"
          />
        </label>
        <button type="submit" className="button primary small-button" data-testid="history-search-button">
          Find
        </button>
      </form>
      <div role="status" className="find-status small">
        {find.state === 'searching' && <span className="muted">Searching every batch for {find.reference}…</span>}
        {find.state === 'done' && find.hits.length === 0 && (
          <span data-testid="history-no-hits">
            No batch holds “{find.reference}”. Check the reference for typing mistakes, or type just its first characters.
          </span>
        )}
        {find.state === 'done' && find.hits.length > 0 && (
          <span className="muted">
            {find.hits.length >= HIT_LIMIT ? `The first ${HIT_LIMIT}` : plural(find.hits.length, 'item')} for “{find.reference}”,
            newest batch first. Open one to see it in its batch.
          </span>
        )}
      </div>
      {find.state === 'failed' && (
        <p className="error" role="alert">
          The search did not finish. {find.message} Try again.
        </p>
      )}
      {find.state === 'done' && find.hits.length > 0 && (
        <div className="table-wrap hits-wrap">
          <table className="small-table hits-table" data-testid="history-hits">
            <caption className="visually-hidden">Where “{find.reference}” was sent</caption>
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col">Batch</th>
                <th scope="col">When</th>
                <th scope="col">Account</th>
                <th scope="col">Result</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {find.hits.map((hit) => {
                const open = () => onOpenBatch(hit.batchId, hit.reference);
                return (
                  <tr
                    key={`${hit.batchId}:${hit.itemId}`}
                    className="history-row"
                    data-testid="history-hit"
                    data-batch={hit.batchId}
                    data-reference={hit.reference}
                    data-state={hit.state}
                    tabIndex={0}
                    title="Open this batch’s results at this shipment"
                    onClick={open}
                    onKeyDown={openKeys(open)}
                  >
                    <td className="mono">{hit.reference}</td>
                    <td>
                      {batchName(hit)}
                      <span className="muted small"> · created {formatDateTime(hit.createdAt)}</span>
                    </td>
                    <td className="nowrap">
                      {hit.completedAt ? formatDateTime(hit.completedAt) : <span className="muted">not finished</span>}
                    </td>
                    <td>
                      {providerName(hit.provider)} · {hit.account}
                    </td>
                    <td className="nowrap">
                      <span className={`tone-${HIT_TONES[hit.state] ?? 'plain'}`}>{HIT_STATE_WORDS[hit.state]}</span>
                      {hit.reason && <span className="muted"> · {REASON_LABELS[hit.reason]}</span>}
                    </td>
                    <td className="message">{hit.message}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
