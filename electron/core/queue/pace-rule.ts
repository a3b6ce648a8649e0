/**
 * The automatic pace's rule, apart from where the pace is kept: an account's pace rises while its
 * answers stay clean and fast and the pace is what holds the run back, and falls at once when the
 * carrier pushes back (a 429 with Retry-After, a 503) or its answers slow down. Never above the
 * ceiling (the account's, and the provider's published limit), never below the floor.
 */
import type { Outcome } from '../providers/outcome';

export interface PaceLimits {
  /** Where a pace starts: the account's rate (its setting, or the provider's default). */
  startPerMinute: number;
  /** Never above: the lower of the account's ceiling (default 10× the start) and a published limit. */
  ceilingPerMinute: number;
  /** What the ceiling is, in the clerk's words: "the account's ceiling", "Sendcloud's published limit". */
  ceilingName: string;
  /** Never below, however often the carrier pushes back. */
  floorPerMinute: number;
}

export interface PaceState {
  perMinute: number;
  /** The pace at which the carrier last pushed back: rises stop short of it until it is probed again. */
  pushbackPerMinute: number | null;
  /** Why the pace is what it is, for the clerk. */
  reason: string;
}

/** What one window of answers (about half a second's worth) said. */
export interface PaceWindow {
  answers: number;
  meanLatencyMs: number;
  /** Some answer was a failure worth retrying (a timeout, a 5xx): no reason to rise, nor to fall. */
  troubled: boolean;
  /** A request waited for the pace: the pace, not the concurrency or the carrier, held the run back. */
  paceLimited: boolean;
}

/** How a request's answers bear on the pace. */
export type PaceSignal = 'clean' | 'troubled' | 'rate_limited' | 'unavailable';

/** A window closes after this long and this many answers. */
export const WINDOW_MS = 500;
export const WINDOW_ANSWERS = 5;
/** Rises before the carrier ever pushed back, and after. */
const FIRST_RISE = 2;
const RISE = 1.1;
/** A fall takes the pace to this share of what it was. */
const FALL = 0.6;
/** Rises stop this far short of the pace where the carrier pushed back… */
const SHORT_OF_PUSHBACK = 0.95;
/** …until the pace has held there this long: then the carrier is asked again, a little higher. */
export const PROBE_AFTER_MS = 60_000;
const PROBE = 1.05;
/** Answers are "slower" when their mean passes the usual latency × this, plus a margin. */
const LATENCY_RISE = 1.5;
const LATENCY_MARGIN_MS = 10;

export const STARTING = 'Starting at the account’s usual pace.';

export function paceSignal(outcomes: readonly Outcome[]): PaceSignal {
  if (outcomes.some((outcome) => outcome.kind === 'retry' && outcome.reason === 'rate_limited')) return 'rate_limited';
  if (outcomes.some((outcome) => outcome.httpStatus === 503)) return 'unavailable';
  return outcomes.some((outcome) => outcome.kind === 'retry') ? 'troubled' : 'clean';
}

export function startingPace(limits: PaceLimits): PaceState {
  return { perMinute: within(limits, limits.startPerMinute), pushbackPerMinute: null, reason: STARTING };
}

/** The pace kept within the limits (they may have changed since it was stored). */
export function within(limits: PaceLimits, perMinute: number): number {
  return Math.max(limits.floorPerMinute, Math.min(limits.ceilingPerMinute, perMinute));
}

/** The carrier pushed back: the pace falls at once, and rises will stop short of where this happened. */
export function fallen(state: PaceState, limits: PaceLimits, why: string): PaceState {
  const perMinute = within(limits, state.perMinute * FALL);
  return { perMinute, pushbackPerMinute: state.perMinute, reason: `Slowed to ${perMinutePhrase(perMinute)}: ${why}.` };
}

/**
 * The pace after a window of answers: lower when they came slower than usual, higher when they were
 * clean and the pace held the run back; null when it stays. `heldSince`: since when the pace has
 * stayed where it is (a pace held short of a pushback that long probes higher).
 */
export function afterWindow(
  state: PaceState,
  window: PaceWindow,
  usualLatencyMs: number | null,
  limits: PaceLimits,
  heldForMs: number,
): PaceState | null {
  if (usualLatencyMs !== null && window.meanLatencyMs > usualLatencyMs * LATENCY_RISE + LATENCY_MARGIN_MS) {
    const why = `answers took ${Math.round(window.meanLatencyMs)} ms, up from ${Math.round(usualLatencyMs)} ms`;
    return fallen(state, limits, why);
  }
  if (window.troubled || !window.paceLimited) return null;
  let pushback = state.pushbackPerMinute;
  if (pushback !== null && state.perMinute >= pushback * SHORT_OF_PUSHBACK && heldForMs >= PROBE_AFTER_MS) pushback *= PROBE;
  const cap = Math.min(limits.ceilingPerMinute, pushback === null ? Infinity : pushback * SHORT_OF_PUSHBACK);
  const perMinute = within(limits, Math.min(cap, state.perMinute * (pushback === null ? FIRST_RISE : RISE)));
  if (perMinute <= state.perMinute) return null;
  const reason =
    perMinute >= limits.ceilingPerMinute
      ? `At ${limits.ceilingName} (${perMinutePhrase(perMinute)}): answers are clean and fast.`
      : pushback !== null && perMinute >= pushback * SHORT_OF_PUSHBACK
        ? `Holding at ${perMinutePhrase(perMinute)}, just under where the carrier asked to slow down.`
        : `Rising to ${perMinutePhrase(perMinute)}: answers are clean and fast.`;
  return { perMinute, pushbackPerMinute: pushback, reason };
}

/**
 * The usual latency after a window: the lowest window mean, drifting up slowly so that a carrier
 * lastingly slower is accepted; after a fall for slowness, the next window says anew what is usual.
 */
export function usualLatency(usual: number | null, window: PaceWindow, fellForLatency: boolean): number | null {
  if (fellForLatency) return null;
  return usual === null ? window.meanLatencyMs : Math.min(usual * 1.02, window.meanLatencyMs);
}

/** "1,350 a minute" (by hand: the first toLocaleString of a process costs ~10 ms of ICU set-up). */
export function perMinutePhrase(perMinute: number): string {
  return `${String(Math.round(perMinute)).replace(/\B(?=(\d{3})+$)/g, ',')} a minute`;
}
