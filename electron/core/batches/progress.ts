/**
 * A running batch's progress events: the window learns of progress from them alone, so none may be
 * lost to throttling, and a quiet batch still reports now and then (its rate, its offline accounts).
 */

/** Progress events at most this often while a batch sends; the last of a burst still goes, this much later. */
export const PROGRESS_EVERY_MS = 100;
/** While a batch sends, a progress event at least this often, even when nothing changed. */
export const PROGRESS_QUIET_MS = 1000;

export interface ProgressReporter {
  /** Something changed: reported at once, or at the end of the current interval. */
  changed(): void;
  stop(): void;
}

/**
 * A running batch's progress events: at most one per PROGRESS_EVERY_MS, the last change of a burst
 * never lost (the window has no other way to learn it), and one per PROGRESS_QUIET_MS while quiet.
 */
export function progressReporter(now: () => number, emit: () => void): ProgressReporter {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let trailing = false;
  let stopped = false;
  const schedule = (ms: number, forChange: boolean) => {
    clearTimeout(timer);
    timer = setTimeout(send, ms);
    timer.unref();
    trailing = forChange;
  };
  function send() {
    if (stopped) return;
    last = now();
    try {
      emit();
    } catch {
      // A summary the database could not read now (busy, say): the next change or quiet moment reports it.
    }
    schedule(PROGRESS_QUIET_MS, false);
  }
  schedule(PROGRESS_QUIET_MS, false);
  return {
    changed() {
      const wait = PROGRESS_EVERY_MS - (now() - last);
      if (wait <= 0) send();
      else if (!trailing) schedule(wait, true);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
