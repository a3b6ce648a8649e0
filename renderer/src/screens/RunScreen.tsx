/**
 * Run: live progress of one batch while its items are sent — done of total, counts per state,
 * a rough rate and time left — and the way on to the results once it has finished.
 */
import { useState } from 'react';
import { call, messageOf } from '../api';
import { doneCount, OutcomeBar, OutcomeCounts } from '../components/OutcomeSummary';
import { formatDateTime, formatDuration, plural } from '../format';
import { isFinished, useBatchSummary, useRate } from '../hooks';

interface Props {
  batchId: string;
  /** Why starting the batch failed right after it was created, if it did. */
  startProblem: string | null;
  onSeeResults: () => void;
}

export function RunScreen({ batchId, startProblem, onSeeResults }: Props) {
  const { summary, error, refresh } = useBatchSummary(batchId);
  const [startError, setStartError] = useState<string | null>(startProblem);
  const [starting, setStarting] = useState(false);
  const done = summary ? doneCount(summary.counts) : 0;
  const rate = useRate(done);

  async function start() {
    setStarting(true);
    try {
      await call('batch.start', { batchId });
      setStartError(null);
      refresh();
    } catch (failure) {
      setStartError(messageOf(failure));
    } finally {
      setStarting(false);
    }
  }

  if (!summary) {
    return (
      <section className="screen">
        <h1>Cancelling shipments</h1>
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : (
          <p className="muted">Loading progress…</p>
        )}
      </section>
    );
  }

  const finished = isFinished(summary);
  const waiting = !summary.running && !finished;
  const left = summary.total - done;

  return (
    <section className="screen" aria-labelledby="run-title">
      <h1 id="run-title">{finished ? 'Finished' : 'Cancelling shipments'}</h1>
      <p className="lead">
        {summary.sourceName ?? 'Pasted list'} · started {formatDateTime(summary.createdAt)}
      </p>

      <div className="panel run">
        <div className="progress-head">
          <span className="progress-done" data-testid="progress-done">
            {done} of {summary.total}
          </span>
          <span className="muted" role="status">
            {finished && 'All items have a result.'}
            {summary.running &&
              rate !== null &&
              left > 0 &&
              `${rate.toFixed(1)} per second · ${formatDuration(left / rate)} left`}
            {summary.running && rate === null && 'Sending…'}
            {waiting && `Not running · ${plural(left, 'item')} waiting`}
          </span>
        </div>
        <OutcomeBar counts={summary.counts} total={summary.total} />
        <OutcomeCounts counts={summary.counts} />

        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {startError && (
          <p className="error" role="alert">
            {startError}
          </p>
        )}

        <div className="actions">
          {waiting && (
            <button type="button" className="button primary" onClick={() => void start()} disabled={starting}>
              {starting ? 'Starting…' : 'Start sending'}
            </button>
          )}
          {finished && (
            <button type="button" className="button primary" data-testid="see-results" onClick={onSeeResults}>
              See results
            </button>
          )}
        </div>
      </div>
    </section>
  );
}
