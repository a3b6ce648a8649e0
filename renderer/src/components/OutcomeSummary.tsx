/**
 * The outcome of a batch at a glance: a bar split by state (a small chart) and the numbers beside it,
 * in words and symbols as well as colours. "Cancellation queued" (the provider accepted it and finishes
 * it later) is its own outcome, neither success nor failure.
 */
import type { StateCounts } from '../../../shared/domain';

interface Props {
  counts: StateCounts;
  total: number;
}

const SEGMENTS = [
  { state: 'succeeded', className: 'seg-succeeded' },
  { state: 'pending', className: 'seg-pending' },
  { state: 'failed', className: 'seg-failed' },
  { state: 'stopped', className: 'seg-stopped' },
  { state: 'in_flight', className: 'seg-in-flight' },
] as const;

/** Items that have their final result. */
export function doneCount(counts: StateCounts): number {
  return counts.succeeded + counts.pending + counts.failed + counts.stopped;
}

export function OutcomeBar({ counts, total }: Props) {
  const done = doneCount(counts);
  return (
    <div
      className="outcome-bar"
      role="progressbar"
      aria-label="Items finished"
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={done}
      aria-valuetext={`${done.toLocaleString()} of ${total.toLocaleString()} finished`}
      data-testid="progress"
    >
      {total > 0 &&
        SEGMENTS.map(({ state, className }) =>
          counts[state] > 0 ? (
            <div key={state} className={`seg ${className}`} style={{ width: `${(counts[state] / total) * 100}%` }} />
          ) : null,
        )}
    </div>
  );
}

/** The counts of a batch, and the requests under way right now ("sending now": a list of 100 Electio items is one). */
export function OutcomeCounts({ counts, sendingNow }: { counts: StateCounts; sendingNow: number }) {
  return (
    <dl className="outcome-counts">
      <div className="outcome ok">
        <dt>✓ Succeeded</dt>
        <dd data-testid="summary-succeeded">{counts.succeeded.toLocaleString()}</dd>
      </div>
      <div className="outcome pending">
        <dt>◷ Cancellation queued</dt>
        <dd data-testid="summary-pending">{counts.pending.toLocaleString()}</dd>
      </div>
      <div className="outcome bad">
        <dt>✗ Failed</dt>
        <dd data-testid="summary-failed">{counts.failed.toLocaleString()}</dd>
      </div>
      <div className="outcome">
        <dt>Waiting to send</dt>
        <dd data-testid="summary-queued">{(counts.queued + counts.in_flight).toLocaleString()}</dd>
      </div>
      <div className="outcome">
        <dt>Requests under way</dt>
        <dd data-testid="summary-in-flight">{sendingNow.toLocaleString()}</dd>
      </div>
      {counts.stopped > 0 && (
        <div className="outcome">
          <dt>Stopped (not sent)</dt>
          <dd data-testid="summary-stopped">{counts.stopped}</dd>
        </div>
      )}
    </dl>
  );
}
