/**
 * One item's audit trail: every request sent for it, with its local time, endpoint, HTTP status,
 * duration, what it meant (succeeded, will retry, key refused…), the reason and the provider's message.
 * A modal dialog: Escape, the close button or a click outside closes it, and focus goes back to the row.
 */
import { useEffect, useRef, useState, type MouseEvent } from 'react';
import type { AttemptView, ResultRow } from '../../../shared/contract';
import { REASON_LABELS } from '../../../shared/domain';
import { call, messageOf } from '../api';
import { formatDateTime, plural, providerName } from '../format';

/** What an attempt's outcome meant, in words; the raw value if it is a new one. */
const OUTCOME_WORDS: Record<string, string> = {
  succeeded: '✓ Succeeded',
  failed: '✗ Failed',
  pending: '◷ Cancellation queued',
  retry: '↻ Will retry',
  account: '! Key problem — waiting',
  offline: '⚡︎ Offline — waiting',
};

const OUTCOME_TONES: Record<string, string> = {
  succeeded: 'ok',
  failed: 'bad',
  pending: 'pending',
  account: 'warn',
};

type Load = { state: 'loading' } | { state: 'ready'; attempts: AttemptView[] } | { state: 'failed'; message: string };

interface Props {
  row: ResultRow;
  onClose: () => void;
}

export function AttemptsPanel({ row, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [load, setLoad] = useState<Load>({ state: 'loading' });

  // Opened as a modal once mounted; on unmount focus goes back to where it was (the row).
  // The dialog is not closed here: closing fires `close`, which would report a close nobody asked for.
  const [before] = useState(() => document.activeElement);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => {
      if (before instanceof HTMLElement && before.isConnected) before.focus({ preventScroll: true });
    };
  }, [before]);

  useEffect(() => {
    let live = true;
    call('item.attempts', { itemId: row.id })
      .then((attempts) => live && setLoad({ state: 'ready', attempts }))
      .catch((failure: unknown) => live && setLoad({ state: 'failed', message: messageOf(failure) }));
    return () => {
      live = false;
    };
  }, [row.id]);

  // A click on the backdrop lands on the dialog element itself, outside its box.
  function clickOutside(event: MouseEvent<HTMLDialogElement>) {
    if (event.target !== event.currentTarget) return;
    const box = event.currentTarget.getBoundingClientRect();
    const inside =
      event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
    if (!inside) dialog.current?.close();
  }

  const reason = row.Reason ? REASON_LABELS[row.Reason] : null;

  return (
    // Closing the native dialog (Escape, the button, the backdrop) fires `close`, which tells the screen.
    <dialog
      ref={dialog}
      className="attempts-panel"
      role="dialog"
      aria-modal="true"
      aria-label={`Attempts for ${row.Data}`}
      data-testid="attempts-panel"
      onClose={onClose}
      onClick={clickOutside}
    >
      <div className="attempts-head">
        <div className="attempts-title">
          <h2>
            Attempts for <span className="mono">{row.Data}</span>
          </h2>
          <p className="muted small">
            {providerName(row.Provider)} · {row.Account} ·{' '}
            <span className={`state-word state-${row.State}`}>{stateWord(row)}</span>
            {reason && <> · {reason}</>}
            {row.CompletedAt && <> · finished {formatDateTime(row.CompletedAt)}</>}
          </p>
        </div>
        <button
          type="button"
          className="button small-button"
          data-testid="attempts-close"
          aria-label="Close attempts"
          onClick={() => dialog.current?.close()}
          autoFocus
        >
          Close
        </button>
      </div>

      {row.Message && (
        <p className="attempts-message" data-testid="attempts-message">
          {row.Message}
        </p>
      )}
      {load.state === 'loading' && <p className="muted">Loading attempts…</p>}
      {load.state === 'failed' && (
        <p className="error" role="alert">
          {load.message}
        </p>
      )}
      {load.state === 'ready' && load.attempts.length === 0 && (
        <p className="muted" data-testid="attempts-empty">
          {row.State === 'stopped' ? 'Never sent: it was stopped before its turn.' : 'Nothing sent for this shipment yet.'}
        </p>
      )}
      {load.state === 'ready' && load.attempts.length > 0 && (
        <>
          <p className="small muted" role="status">
            {plural(load.attempts.length, 'request')} recorded, oldest first. Times are your local time.
          </p>
          <div className="attempts-wrap">
            <table className="small-table attempts-table">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    #
                  </th>
                  <th scope="col">Time</th>
                  <th scope="col">Endpoint</th>
                  <th scope="col" className="num">
                    HTTP
                  </th>
                  <th scope="col" className="num">
                    Duration
                  </th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Message</th>
                </tr>
              </thead>
              <tbody>
                {load.attempts.map((attempt, index) => (
                  <tr key={index} data-testid="attempt-row" data-outcome={attempt.outcome}>
                    <td className="num muted">{index + 1}</td>
                    <td className="nowrap">{formatDateTime(attempt.startedAt)}</td>
                    <td className="mono nowrap" title={attempt.endpoint}>
                      {attempt.endpoint}
                    </td>
                    <td className="num">{attempt.httpStatus ?? <span className="muted">none</span>}</td>
                    <td className="num nowrap">{attempt.durationMs.toLocaleString()} ms</td>
                    <td className={`nowrap tone-${OUTCOME_TONES[attempt.outcome] ?? 'plain'}`}>
                      {OUTCOME_WORDS[attempt.outcome] ?? attempt.outcome}
                    </td>
                    <td className="nowrap">{attempt.reason ? REASON_LABELS[attempt.reason] : ''}</td>
                    <td className="message">{attempt.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <p className="small muted attempts-foot">
        Waiting while offline or for a key to be fixed spends no attempt. Press Escape to close.
      </p>
    </dialog>
  );
}

function stateWord(row: ResultRow): string {
  switch (row.State) {
    case 'succeeded':
      return '✓ Succeeded';
    case 'failed':
      return '✗ Failed';
    case 'pending':
      return '◷ Cancellation queued';
    case 'queued':
      return 'Waiting';
    case 'in_flight':
      return 'Sending';
    case 'stopped':
      return 'Stopped (not sent)';
  }
}
