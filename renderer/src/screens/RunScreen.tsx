/**
 * Run: live progress of one batch while its items are sent — done of total, counts per state, the
 * recent rate and time left — with what holds it up (offline, a key to fix, a problem that stopped
 * sending), the clerk's controls (pause, resume, stop, retry failed) and the way on to the results.
 */
import { useEffect, useState } from 'react';
import type { BatchSummary, ResultsOverview } from '../../../shared/contract';
import { mayStillWork, REASON_LABELS, type Reason, type RetryScope } from '../../../shared/domain';
import { call, messageOf } from '../api';
import { doneCount, OutcomeBar, OutcomeCounts } from '../components/OutcomeSummary';
import { failedItems, RetryFailed } from '../components/RetryFailed';
import { formatClock, formatDateTime, formatDuration, formatRate, formatSince, plural } from '../format';
import { isFinished, isSending, useBatchSummary } from '../hooks';

interface Props {
  batchId: string;
  /** Why starting the batch failed right after it was created, if it did. */
  startProblem: string | null;
  /** Opens the batch's results; with a reason, only the items that failed with it. */
  onSeeResults: (reason?: Reason) => void;
  onOpenAccounts: () => void;
  /** A control worked, so the start problem is past: not shown again when the clerk comes back. */
  onStartProblemGone: () => void;
}

type Control = 'pause' | 'resume' | 'stop' | RetryScope;

const CONTROL_CHANNELS = {
  pause: 'batch.pause',
  resume: 'batch.resume',
  stop: 'batch.stop',
} as const;

/** The clerk's control, sent to main: the batch's summary after it. */
function send(which: Control, batchId: string): Promise<BatchSummary> {
  if (which === 'all' || which === 'may-work') return call('batch.retryFailed', { batchId, scope: which });
  return call(CONTROL_CHANNELS[which], { batchId });
}

export function RunScreen({ batchId, startProblem, onSeeResults, onOpenAccounts, onStartProblemGone }: Props) {
  const { summary, rate, error, replace, refresh } = useBatchSummary(batchId);
  const overview = useFinishedOverview(batchId, summary);
  const failures = overview ? failedItems(overview.outcomes) : null;
  const [controlError, setControlError] = useState<string | null>(startProblem);
  const [busy, setBusy] = useState<Control | null>(null);
  const [askStop, setAskStop] = useState(false);

  async function control(which: Control) {
    setBusy(which);
    setControlError(null);
    try {
      replace(await send(which, batchId));
      onStartProblemGone();
      if (which === 'stop') setAskStop(false);
    } catch (failure) {
      setControlError(messageOf(failure));
    } finally {
      setBusy(null);
    }
  }

  if (!summary) {
    return (
      <section className="screen">
        <h1>Cancelling shipments</h1>
        {error ? (
          <>
            <p className="error" role="alert">
              {error}
            </p>
            <button type="button" className="button" onClick={refresh}>
              Try again
            </button>
          </>
        ) : (
          <p className="muted">Loading progress…</p>
        )}
      </section>
    );
  }

  const { counts } = summary;
  const finished = isFinished(summary);
  const sending = isSending(summary);
  const done = doneCount(counts);
  const notSent = counts.queued;
  const canPause = summary.running && !summary.paused;
  const canResume = summary.paused || (!summary.running && notSent > 0);
  const canStop = notSent > 0;
  const canRetry = counts.failed > 0 && !summary.running;
  const neverStarted = controlError !== null && controlError === startProblem;

  return (
    <section className="screen" aria-labelledby="run-title">
      <h1 id="run-title">{finished ? 'Finished' : 'Cancelling shipments'}</h1>
      <p className="lead">
        {summary.sourceName ?? 'Pasted list'} · started {formatDateTime(summary.createdAt)}
      </p>

      {summary.problem && <ProblemBanner problem={summary.problem} />}
      {summary.attention.map((entry) => (
        <AttentionBanner key={entry.accountName} {...entry} onOpenAccounts={onOpenAccounts} />
      ))}
      {summary.offline.length > 0 && <OfflineBanner summary={summary} />}

      <div className="panel run">
        <div className="progress-head">
          <span className="progress-done" data-testid="progress-done">
            {done.toLocaleString()} of {summary.total.toLocaleString()}
          </span>
          <RunState summary={summary} rate={rate} />
        </div>
        <OutcomeBar counts={counts} total={summary.total} />
        <OutcomeCounts counts={counts} sendingNow={summary.requestsInFlight} />
        {summary.running &&
          summary.paces.map((pace) => (
            <p key={pace.accountName} className="muted" data-testid="pace">
              {pace.accountName}: {pace.perMinute.toLocaleString()} requests a minute. {pace.reason}
            </p>
          ))}

        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {controlError && (
          <p className="error" role="alert">
            {controlError}
          </p>
        )}

        {askStop && canStop && (
          <div className="stop-ask" data-testid="batch-stop-ask" role="group" aria-labelledby="stop-question">
            <p id="stop-question">
              <strong>Stop the {plural(notSent, 'shipment')} not sent yet? They will not be cancelled.</strong>{' '}
              <span className="muted">
                {counts.in_flight > 0 &&
                  `${plural(counts.in_flight, 'shipment')} being sent right now ${counts.in_flight === 1 ? 'still finishes' : 'still finish'}. `}
                Results so far are kept.
              </span>
            </p>
            <div className="actions">
              <button
                type="button"
                className="button danger"
                data-testid="batch-stop-confirm"
                onClick={() => void control('stop')}
                disabled={busy !== null}
              >
                {busy === 'stop' ? 'Stopping…' : `Stop ${plural(notSent, 'shipment')}`}
              </button>
              <button
                type="button"
                className="button"
                data-testid="batch-stop-cancel"
                onClick={() => setAskStop(false)}
                disabled={busy === 'stop'}
              >
                Keep them
              </button>
            </div>
          </div>
        )}

        <div className="actions">
          {(canPause || canResume) && (
            // One toggle, never disabled while busy (a disabled button drops keyboard focus): it keeps focus as it flips.
            <button
              type="button"
              className={canPause ? 'button' : 'button primary'}
              data-testid="batch-pause-toggle"
              onClick={() => busy === null && void control(canPause ? 'pause' : 'resume')}
              aria-disabled={busy !== null}
            >
              {toggleLabel(busy, canPause, neverStarted)}
            </button>
          )}
          {canRetry && failures && (
            <RetryFailed
              {...failures}
              busy={busy === 'all' || busy === 'may-work' ? busy : null}
              held={busy !== null}
              onRetry={(scope) => void control(scope)}
            />
          )}
          {finished && (
            <button
              type="button"
              className={failures && failures.mayWork > 0 ? 'button' : 'button primary'}
              data-testid="see-results"
              onClick={() => onSeeResults()}
            >
              See results
            </button>
          )}
          {canStop && !askStop && (
            <button
              type="button"
              className="button subtle-danger push-end"
              data-testid="batch-stop"
              onClick={() => setAskStop(true)}
              disabled={busy !== null}
            >
              Stop…
            </button>
          )}
        </div>
        {sending && <p className="muted small">Pause holds the rest; shipments already being sent still finish.</p>}
        {finished && overview && <FailureReasons overview={overview} onOpen={onSeeResults} />}
      </div>
    </section>
  );
}

function toggleLabel(busy: Control | null, canPause: boolean, neverStarted: boolean): string {
  if (busy === 'pause') return 'Pausing…';
  if (busy === 'resume') return 'Resuming…';
  if (canPause) return 'Pause';
  return neverStarted ? 'Start sending' : 'Resume';
}

/** What the batch is doing, top right of the progress: its pace and time left, or why it waits. */
function RunState({ summary, rate }: { summary: BatchSummary; rate: number | null }) {
  const left = summary.counts.queued + summary.counts.in_flight;
  if (isFinished(summary)) {
    return (
      <span className="muted" role="status">
        All items have a result.
      </span>
    );
  }
  if (summary.paused) {
    return (
      <span className="run-state" role="status">
        <span className="state-label paused" data-testid="batch-paused">
          {summary.running ? 'Pausing' : 'Paused'}
        </span>
        <span className="muted">
          {!summary.running
            ? `${plural(left, 'item')} waiting`
            : summary.counts.in_flight > 0
              ? `${plural(summary.counts.in_flight, 'shipment')} being sent ${summary.counts.in_flight === 1 ? 'finishes' : 'finish'} first`
              : 'finishing up…'}
        </span>
      </span>
    );
  }
  if (!summary.running) {
    return (
      <span className="muted" role="status">
        Not running · {plural(left, 'item')} waiting
      </span>
    );
  }
  // Offline with nothing moving: no speed to measure, and the time left depends on the connection.
  const stalled = summary.offline.length > 0 && (rate === null || rate < 0.05);
  let speed: string;
  let eta: string;
  if (stalled) {
    speed = 'Not sending';
    eta = 'waiting for the connection';
  } else {
    speed = rate === null ? 'Measuring speed…' : formatRate(rate);
    eta = summary.timeLeft
      ? `${formatDuration(summary.timeLeft.seconds)} left · done by ${formatClock(summary.timeLeft.doneBy)}`
      : 'working out time left…';
  }
  const slowest = summary.timeLeft?.lanes.find((lane) => lane.seconds === summary.timeLeft?.seconds);
  const lanes = summary.timeLeft && summary.timeLeft.lanes.length > 1 ? summary.timeLeft.lanes : [];
  return (
    <span className="run-state muted">
      <span data-testid="progress-rate">{speed}</span>
      <span aria-hidden="true">·</span>
      <span
        data-testid="progress-eta"
        title={lanes
          .map((lane) => `${lane.accountName}: ${lane.waiting.toLocaleString()} left, ${formatDuration(lane.seconds)}`)
          .join('\n')}
      >
        {eta}
      </span>
      {slowest && lanes.length > 0 && (
        <span className="small" data-testid="progress-slowest">
          (slowest: {slowest.accountName}, {plural(slowest.waiting, 'item')} at its pace)
        </span>
      )}
    </span>
  );
}

function OfflineBanner({ summary }: { summary: BatchSummary }) {
  const names = summary.offline.map((entry) => entry.accountName);
  const who = names.length === 1 ? `${names[0]} cannot reach its provider.` : `${joinNames(names)} cannot reach their providers.`;
  const earliest = summary.offline.reduce(
    (first, entry) => (entry.since < first ? entry.since : first),
    summary.offline[0]?.since ?? '',
  );
  const messages = [...new Set(summary.offline.map((entry) => entry.message).filter(Boolean))];
  return (
    <div className="banner offline" role="status" data-testid="offline-banner">
      <span className="banner-icon" aria-hidden="true">
        ⚡︎
      </span>
      <div className="banner-text">
        <p>
          <strong>Offline:</strong> {who} {plural(summary.counts.queued, 'shipment')} waiting to send — Bulk Cancel keeps trying
          by itself; nothing is lost.
        </p>
        <p className="small muted">
          No connection since {formatDateTime(earliest)} ({formatSince(earliest)}). Waiting spends none of the items’ attempts.
          {messages.length > 0 && <> Last error: {messages.join('; ')}</>}
        </p>
      </div>
    </div>
  );
}

interface AttentionProps {
  accountName: string;
  message: string;
  onOpenAccounts: () => void;
}

function AttentionBanner({ accountName, message, onOpenAccounts }: AttentionProps) {
  return (
    <div className="banner attention" role="alert" data-testid="attention-banner" data-account={accountName}>
      <span className="banner-icon" aria-hidden="true">
        !
      </span>
      <div className="banner-text">
        <p>
          <strong>{accountName} needs its key fixed.</strong> {message}
        </p>
        <p className="small">
          Its shipments wait — none are sent or marked failed. Fix the key in Accounts, then come back and press Resume.
        </p>
      </div>
      <button type="button" className="button" data-testid="attention-open-accounts" onClick={onOpenAccounts}>
        Open Accounts
      </button>
    </div>
  );
}

function ProblemBanner({ problem }: { problem: string }) {
  const rest = problem.replace(/^Sending stopped:\s*/i, '');
  const text = rest.charAt(0).toUpperCase() + rest.slice(1);
  return (
    <div className="banner problem" role="alert" data-testid="problem-banner">
      <span className="banner-icon" aria-hidden="true">
        ✗
      </span>
      <div className="banner-text">
        <p>
          <strong>Sending stopped.</strong> {text}
        </p>
        <p className="small">Nothing already recorded is lost. Once the cause is fixed, press Resume.</p>
      </div>
    </div>
  );
}

function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The batch's counts by reason once it has finished (read again whenever it finishes anew), else null. */
function useFinishedOverview(batchId: string, summary: BatchSummary | null): ResultsOverview | null {
  const [overview, setOverview] = useState<ResultsOverview | null>(null);
  // The counts at the finish: a retry that finishes again changes them, and the reasons are read anew.
  const finishedAt = summary && isFinished(summary) ? JSON.stringify(summary.counts) : null;
  useEffect(() => {
    if (finishedAt === null) {
      setOverview(null);
      return;
    }
    let live = true;
    call('results.overview', { batchId })
      .then((found) => live && setOverview(found))
      .catch(() => undefined); // the counts above still show; Results says more
    return () => {
      live = false;
    };
  }, [batchId, finishedAt]);
  return overview;
}

/** Why items failed, each reason with its count and a link to the results showing just those items. */
function FailureReasons({ overview, onOpen }: { overview: ResultsOverview; onOpen: (reason?: Reason) => void }) {
  const byReason = new Map<Reason | null, number>();
  for (const { state, reason, count } of overview.outcomes) {
    if (state === 'failed') byReason.set(reason, (byReason.get(reason) ?? 0) + count);
  }
  if (byReason.size === 0) return null;
  const total = [...byReason.values()].reduce((sum, n) => sum + n, 0);
  return (
    <div className="failure-reasons" data-testid="failure-reasons">
      <h2>Why {plural(total, 'item')} failed</h2>
      <ul>
        {[...byReason]
          .sort((a, b) => b[1] - a[1])
          .map(([reason, count]) => (
            <li key={reason ?? 'none'}>
              {reason ? (
                <button
                  type="button"
                  className="link-button"
                  data-testid="failure-reason"
                  data-reason={reason}
                  onClick={() => onOpen(reason)}
                >
                  {REASON_LABELS[reason]}
                </button>
              ) : (
                'No reason given'
              )}{' '}
              <span className="count-number">{count.toLocaleString()}</span>
              {reason && !mayStillWork(reason) && <span className="muted"> · final: sending again will not help</span>}
            </li>
          ))}
      </ul>
    </div>
  );
}
