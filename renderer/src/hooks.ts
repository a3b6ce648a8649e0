/** Hooks that keep a batch's live numbers: the latest summary and a rough rate of work. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BatchSummary } from '../../shared/contract';
import { call, messageOf, onEvent } from './api';
import { doneCount } from './components/OutcomeSummary';

const POLL_MS = 1000;

/** True when nothing is left to send and the runner has let go of the batch. */
export function isFinished(summary: BatchSummary): boolean {
  return !summary.running && summary.counts.queued + summary.counts.in_flight === 0;
}

/**
 * The batch's summary, kept fresh by main's progress events and, while the batch is unfinished,
 * a poll every second (events can be missed while the window is busy). A late answer never
 * moves the numbers backwards.
 */
export function useBatchSummary(batchId: string) {
  const [summary, setSummary] = useState<BatchSummary | null>(null);
  const [error, setError] = useState<string | null>(null);

  const accept = useCallback(
    (next: BatchSummary) => {
      if (next.id !== batchId) return;
      setSummary((current) => (current && doneCount(next.counts) < doneCount(current.counts) ? current : next));
    },
    [batchId],
  );

  useEffect(() => onEvent('batch.progress', accept), [accept]);

  const finished = summary !== null && isFinished(summary);
  const [refreshes, setRefreshes] = useState(0);

  useEffect(() => {
    if (finished) return;
    let live = true;
    const load = () =>
      call('batch.summary', { batchId })
        .then((found) => {
          if (!live) return;
          setError(null);
          accept(found);
        })
        .catch((failure: unknown) => live && setError(messageOf(failure)));
    void load();
    const timer = window.setInterval(() => void load(), POLL_MS);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [accept, batchId, finished, refreshes]);

  return { summary, error, refresh: () => setRefreshes((n) => n + 1) };
}

/** Items finished per second since this screen opened, or null until there is something to measure. */
export function useRate(done: number): number | null {
  const first = useRef<{ at: number; done: number } | null>(null);
  if (first.current === null) first.current = { at: Date.now(), done };
  const seconds = (Date.now() - first.current.at) / 1000;
  const finished = done - first.current.done;
  return seconds >= 2 && finished > 0 ? finished / seconds : null;
}
