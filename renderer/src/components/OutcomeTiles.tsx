/**
 * The results' counts per outcome as tiles that filter the table: a click (or Enter) on "Failed"
 * shows the failed items, again shows all. One Tab stop; the arrows move between tiles.
 */
import type { StateCounts } from '../../../shared/domain';
import type { OutcomeFilter } from '../resultFilters';
import { useRoving } from '../roving';

interface Tile {
  filter: Exclude<OutcomeFilter, 'all'>;
  label: string;
  tone: string;
  testId: string;
  count: (counts: StateCounts) => number;
}

const TILES: readonly Tile[] = [
  { filter: 'succeeded', label: '✓ Succeeded', tone: 'ok', testId: 'summary-succeeded', count: (c) => c.succeeded },
  { filter: 'pending', label: '◷ Cancellation queued', tone: 'pending', testId: 'summary-pending', count: (c) => c.pending },
  { filter: 'failed', label: '✗ Failed', tone: 'bad', testId: 'summary-failed', count: (c) => c.failed },
  {
    filter: 'unfinished',
    label: 'Not finished',
    tone: 'plain',
    testId: 'summary-unfinished',
    count: (c) => c.queued + c.in_flight,
  },
  { filter: 'stopped', label: 'Stopped (not sent)', tone: 'plain', testId: 'summary-stopped', count: (c) => c.stopped },
];

interface Props {
  counts: StateCounts;
  value: OutcomeFilter;
  onChange: (value: OutcomeFilter) => void;
}

export function OutcomeTiles({ counts, value, onChange }: Props) {
  // Stopped and not finished are shown only when there are some (or the table is filtered by them).
  const tiles = TILES.filter((tile) => tile.tone !== 'plain' || tile.count(counts) > 0 || tile.filter === value);
  const roving = useRoving(tiles.length);
  return (
    <div className="outcome-tiles" role="group" aria-label="Show only" onKeyDown={roving.onKeyDown}>
      {tiles.map((tile, index) => {
        const pressed = value === tile.filter;
        return (
          <button
            key={tile.filter}
            type="button"
            className={`outcome-tile tone-${tile.tone}${pressed ? ' pressed' : ''}`}
            aria-pressed={pressed}
            title={pressed ? 'Show every item again' : `Show only these items`}
            onClick={() => onChange(pressed ? 'all' : tile.filter)}
            {...roving.item(index)}
          >
            <span className="tile-label">{tile.label}</span>
            <span className="tile-count" data-testid={tile.testId}>
              {tile.count(counts).toLocaleString()}
            </span>
          </button>
        );
      })}
    </div>
  );
}
