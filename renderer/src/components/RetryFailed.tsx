/**
 * "Retry failed", split: the items that may still work (the connection, the provider or its pace was at
 * fault) are the main action; sending every failed item again, the final ones too (too late, not
 * found, invalid: they will most likely fail the same way), is a plain button that says so.
 */
import type { ResultsOverview } from '../../../shared/contract';
import { mayStillWork, type RetryScope } from '../../../shared/domain';
import { plural } from '../format';

/** Failed items, and how many of them may still work, from the overview's counts. */
export function failedItems(outcomes: ResultsOverview['outcomes']): { failed: number; mayWork: number } {
  let failed = 0;
  let mayWork = 0;
  for (const { state, reason, count } of outcomes) {
    if (state !== 'failed') continue;
    failed += count;
    if (mayStillWork(reason)) mayWork += count;
  }
  return { failed, mayWork };
}

interface Props {
  failed: number;
  mayWork: number;
  /** The scope being retried right now, if any. */
  busy: RetryScope | null;
  /** Something else is under way: the buttons wait. */
  held?: boolean;
  onRetry: (scope: RetryScope) => void;
}

export function RetryFailed({ failed, mayWork, busy, held = false, onRetry }: Props) {
  if (failed === 0) return null;
  const final = failed - mayWork;
  const wait = busy !== null || held;
  return (
    <>
      {mayWork > 0 && (
        <button
          type="button"
          className="button primary"
          data-testid="retry-may-work"
          onClick={() => !wait && onRetry('may-work')}
          aria-disabled={wait}
          title="Sends again the items that failed for a reason that may pass: no connection, the provider failing or busy, a refused key"
        >
          {busy === 'may-work' ? 'Retrying…' : `Retry ${plural(mayWork, 'item')} that may still work`}
        </button>
      )}
      <button
        type="button"
        className="button"
        data-testid="retry-failed"
        onClick={() => !wait && onRetry('all')}
        aria-disabled={wait}
        title={
          final > 0
            ? `Sends every failed item again, with the ${plural(final, 'item')} that failed for good (too late, not found, invalid): they will most likely fail again`
            : 'Sends every failed item again'
        }
      >
        {busy === 'all'
          ? 'Retrying…'
          : final > 0
            ? `Retry all ${plural(failed, 'failed item')}`
            : `Retry ${plural(failed, 'failed item')}`}
      </button>
    </>
  );
}
