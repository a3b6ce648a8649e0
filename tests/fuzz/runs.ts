/**
 * How hard the property tests push: `FUZZ_RUNS` runs per property (bounded by default so `npm test`
 * stays quick; `npm run fuzz` raises it), and `FUZZ_SEED` to replay a failure fast-check reported.
 */
import fc from 'fast-check';

/** `npm test` runs a quick pass; `npm run fuzz` (vitest --mode fuzz) a long one. */
const DEFAULT_RUNS = process.env.MODE === 'fuzz' ? 2000 : 100;

function envNumber(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, not "${raw}".`);
  return value;
}

export const FUZZ_RUNS = envNumber('FUZZ_RUNS') ?? DEFAULT_RUNS;

/**
 * fast-check parameters for one property. `share` scales the runs for properties whose every run is
 * costly (real HTTP, a real database): 0.2 runs a fifth as many, never fewer than one.
 */
export function runs<T>(share = 1): fc.Parameters<T> {
  const seed = envNumber('FUZZ_SEED');
  return { numRuns: Math.max(1, Math.round(FUZZ_RUNS * share)), ...(seed === undefined ? {} : { seed }) };
}
