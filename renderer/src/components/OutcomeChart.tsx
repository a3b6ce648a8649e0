/**
 * A small chart of a batch's outcomes by reason: one bar split by reason, and beside it each reason
 * with its number and share. Each reason filters the table (again shows all); one Tab stop, the arrows
 * move between reasons. For screen readers the bar is one image whose label reads every number;
 * colours follow the outcome (done, queued, failed) and the words carry the meaning too.
 */
import { useMemo } from 'react';
import type { ResultsOverview } from '../../../shared/contract';
import { countReasons, type ReasonCount } from '../resultFilters';
import { useRoving } from '../roving';

const TONE_WORDS: Record<ReasonCount['tone'], string> = {
  ok: 'done',
  pending: 'queued at the provider',
  bad: 'failed',
  stopped: 'not sent',
  waiting: 'not sent yet',
};

function percent(count: number, total: number): string {
  if (total === 0) return '0%';
  const value = (count / total) * 100;
  if (value > 0 && value < 1) return '<1%';
  return `${Math.round(value)}%`;
}

interface Props {
  overview: ResultsOverview;
  /** The reason (or "waiting", "stopped") the table is filtered by, if any. */
  picked: ReasonCount['key'] | null;
  onPick: (key: ReasonCount['key'] | null) => void;
}

export function OutcomeChart({ overview, picked, onPick }: Props) {
  const reasons = useMemo(() => countReasons(overview.outcomes), [overview.outcomes]);
  const roving = useRoving(reasons.length);
  const { total } = overview;
  if (total === 0 || reasons.length === 0) return null;
  const summary = `Outcomes by reason, ${total.toLocaleString()} items: ${reasons
    .map((entry) => `${entry.label} ${entry.count.toLocaleString()} (${TONE_WORDS[entry.tone]})`)
    .join(', ')}.`;

  return (
    <figure className="outcome-chart">
      <figcaption className="visually-hidden">Outcomes by reason</figcaption>
      <div className="chart-bar" role="img" aria-label={summary} data-testid="outcome-chart">
        {reasons.map((entry) => (
          <span
            key={entry.key}
            className={`chart-segment tone-fill-${entry.tone}`}
            style={{ width: `${(entry.count / total) * 100}%` }}
          />
        ))}
      </div>
      <div className="chart-legend" role="group" aria-label="Show only the reason" onKeyDown={roving.onKeyDown}>
        {reasons.map((entry, index) => {
          const pressed = picked === entry.key;
          return (
            <button
              key={entry.key}
              type="button"
              className={pressed ? 'chart-reason pressed' : 'chart-reason'}
              aria-pressed={pressed}
              data-reason={entry.key}
              data-count={entry.count}
              disabled={entry.key === 'none'}
              onClick={() => onPick(pressed ? null : entry.key)}
              {...roving.item(index)}
            >
              <span className={`chart-swatch tone-fill-${entry.tone}`} aria-hidden="true" />
              {entry.label} <span className="chart-number">{entry.count.toLocaleString()}</span>
              <span className="muted"> · {percent(entry.count, total)}</span>
            </button>
          );
        })}
      </div>
    </figure>
  );
}
