/** Hooks that keep a batch's live numbers: the latest summary and the recent pace of work. */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BatchSummary } from '../../shared/contract';
import { waitingCount } from '../../shared/domain';
import { call, messageOf, onEvent } from './api';
import { doneCount } from './components/OutcomeSummary';

/** The rate is measured over this much recent time, so a pause or a slow patch fades out of it. */
const RATE_WINDOW_MS = 20_000;
/** Less than this much measured time gives no rate yet. */
const RATE_MIN_SPAN_MS = 3_000;

/** True when nothing is left to send and the runner has let go of the batch. */
export function isFinished(summary: BatchSummary): boolean {
  return !summary.running && waitingCount(summary.counts) === 0;
}

/** True while items are actually being sent: running, not paused. */
export function isSending(summary: BatchSummary): boolean {
  return summary.running && !summary.paused;
}

interface Sample {
  at: number;
  done: number;
}

interface Live {
  summary: BatchSummary | null;
  /** (time, items done) for each summary seen while sending, within the rate window. */
  samples: readonly Sample[];
}

function withSample(live: Live, next: BatchSummary, reset: boolean): Live {
  const at = Date.now();
  const done = doneCount(next.counts);
  if (!isSending(next) || reset) return { summary: next, samples: isSending(next) ? [{ at, done }] : [] };
  const kept = live.samples.filter((sample) => at - sample.at <= RATE_WINDOW_MS && sample.done <= done);
  return { summary: next, samples: [...kept, { at, done }] };
}

/** Items finished per minute over the recent samples, or null until there is enough to measure. */
function rateOf(samples: readonly Sample[]): number | null {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (!first || !last || last.at - first.at < RATE_MIN_SPAN_MS) return null;
  return ((last.done - first.done) / (last.at - first.at)) * 60_000;
}

/**
 * The batch's summary, kept fresh by main's progress events alone: it is read once on arrival (and
 * when the clerk asks again), and main reports every change after that. A late answer never moves
 * the numbers backwards, and a read answered after an event has come is older than that event and
 * is dropped; a summary that answers one of the clerk's actions (retry failed moves items back to
 * waiting) replaces it outright. Also gives the rate in items per minute over the last seconds,
 * from successive summaries (main reports a sending batch at least every second).
 */
export function useBatchSummary(batchId: string) {
  const [live, setLive] = useState<Live>({ summary: null, samples: [] });
  const [error, setError] = useState<string | null>(null);
  /** Bumped by every event and every replacement: a read sent before it is stale. */
  const epoch = useRef(0);

  const accept = useCallback(
    (next: BatchSummary) => {
      if (next.id !== batchId) return;
      setLive((current) =>
        current.summary && doneCount(next.counts) < doneCount(current.summary.counts)
          ? current
          : withSample(current, next, false),
      );
    },
    [batchId],
  );

  const replace = useCallback(
    (next: BatchSummary) => {
      if (next.id !== batchId) return;
      epoch.current += 1;
      setLive((current) => withSample(current, next, true));
    },
    [batchId],
  );

  useEffect(
    () =>
      onEvent('batch.progress', (next) => {
        if (next.id !== batchId) return;
        epoch.current += 1;
        setError(null);
        accept(next);
      }),
    [accept, batchId],
  );

  const [refreshes, setRefreshes] = useState(0);

  useEffect(() => {
    let alive = true;
    const sentIn = epoch.current;
    call('batch.summary', { batchId })
      .then((found) => {
        if (!alive || sentIn !== epoch.current) return;
        setError(null);
        accept(found);
      })
      .catch((failure: unknown) => alive && setError(messageOf(failure)));
    return () => {
      alive = false;
    };
  }, [accept, batchId, refreshes]);

  const rate = useMemo(() => rateOf(live.samples), [live.samples]);

  return { summary: live.summary, rate, error, replace, refresh: () => setRefreshes((n) => n + 1) };
}
