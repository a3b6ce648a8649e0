/**
 * A small chart of a batch's outcomes by reason: one horizontal bar per reason, longest first, with
 * the label and the number beside each bar. Inline SVG, no chart library. For screen readers it is
 * one image whose label reads every number; colours follow the outcome (done, queued, failed) and
 * the words carry the meaning too.
 */
import { useMemo } from 'react';
import type { ResultsOverview } from '../../../shared/contract';
import { countReasons, type ReasonCount } from '../resultFilters';

const LABEL_WIDTH = 170;
const BAR_WIDTH = 220;
const NUMBER_WIDTH = 90;
const ROW = 24;
const BAR = 14;

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

export function OutcomeChart({ overview }: { overview: ResultsOverview }) {
  const reasons = useMemo(() => countReasons(overview.outcomes), [overview.outcomes]);
  const { total } = overview;
  if (total === 0 || reasons.length === 0) return null;
  const most = Math.max(...reasons.map((entry) => entry.count));
  const height = reasons.length * ROW;
  const width = LABEL_WIDTH + BAR_WIDTH + NUMBER_WIDTH;
  const summary = `Outcomes by reason, ${total.toLocaleString()} items: ${reasons
    .map((entry) => `${entry.label} ${entry.count.toLocaleString()} (${TONE_WORDS[entry.tone]})`)
    .join(', ')}.`;

  return (
    <figure className="outcome-chart">
      <figcaption className="chart-caption">Outcomes by reason</figcaption>
      <svg
        role="img"
        aria-label={summary}
        data-testid="outcome-chart"
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        className="chart-svg"
      >
        {reasons.map((entry, index) => {
          const y = index * ROW;
          const barLength = Math.max(2, Math.round((entry.count / most) * BAR_WIDTH));
          return (
            <g key={entry.key} data-reason={entry.key} data-count={entry.count}>
              <text x={LABEL_WIDTH - 10} y={y + ROW / 2} className="chart-label" textAnchor="end" dominantBaseline="central">
                {entry.label}
              </text>
              <rect x={LABEL_WIDTH} y={y + (ROW - BAR) / 2} width={BAR_WIDTH} height={BAR} rx={3} className="chart-track" />
              <rect
                x={LABEL_WIDTH}
                y={y + (ROW - BAR) / 2}
                width={barLength}
                height={BAR}
                rx={3}
                className={`chart-bar tone-fill-${entry.tone}`}
              />
              <text x={LABEL_WIDTH + BAR_WIDTH + 10} y={y + ROW / 2} className="chart-number" dominantBaseline="central">
                {entry.count.toLocaleString()} · {percent(entry.count, total)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
