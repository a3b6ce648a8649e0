/**
 * Every item of a batch with its result, as a virtualized table: only the rows in view are in the
 * page, so tens of thousands of items scroll smoothly. Outcomes are words and symbols, not only colour;
 * the provider cell marks a Sendcloud label cancel (its tooltip says what the action does).
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useRef } from 'react';
import type { ResultRow } from '../../../shared/contract';
import { actionDescription, REASON_LABELS, type ItemState } from '../../../shared/domain';
import { formatDateTime, providerName } from '../format';

const ROW_HEIGHT = 32;

const COLUMNS: { name: string; title?: string; className: string }[] = [
  { name: 'Reference', className: 'results-cell' },
  { name: 'Provider', className: 'results-cell' },
  { name: 'Account', className: 'results-cell' },
  { name: 'Result', className: 'results-cell' },
  { name: 'Reason', className: 'results-cell' },
  { name: 'Message', className: 'results-cell' },
  { name: 'HTTP', title: 'HTTP status', className: 'results-cell num' },
  { name: 'Attempts', className: 'results-cell num' },
  { name: 'Completed at', className: 'results-cell' },
];

const OUTCOME_WORDS: Record<ItemState, string> = {
  succeeded: '✓ Succeeded',
  pending: '◷ Cancellation queued',
  failed: '✗ Failed',
  queued: 'Waiting…',
  in_flight: 'Sending…',
  stopped: 'Stopped',
};

export function ResultsTable({ rows }: { rows: readonly ResultRow[] }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => rows[index]?.id ?? index,
    overscan: 12,
    useFlushSync: false,
  });

  return (
    <div className="results-table" role="table" aria-label="Results" aria-rowcount={rows.length + 1} data-testid="results-table">
      <div className="results-head" role="rowgroup">
        <div className="results-grid" role="row" aria-rowindex={1}>
          {COLUMNS.map(({ name, title, className }) => (
            <div key={name} role="columnheader" className={className} title={title ?? name}>
              {name}
            </div>
          ))}
        </div>
      </div>
      <div className="results-body" ref={scroller} role="rowgroup" tabIndex={0} aria-label="Result rows, scrollable">
        {rows.length === 0 ? (
          <p className="muted empty">No items match.</p>
        ) : (
          <div className="results-space" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = rows[item.index];
              return row ? <ResultLine key={item.key} row={row} index={item.index} top={item.start} /> : null;
            })}
          </div>
        )}
      </div>
    </div>
  );
}

interface LineProps {
  row: ResultRow;
  index: number;
  top: number;
}

const ResultLine = memo(function ResultLine({ row, index, top }: LineProps) {
  const reason = row.Reason ? REASON_LABELS[row.Reason] : '';
  const provider = providerName(row.Provider);
  const action = `${provider}: ${actionDescription(row.Action, row.Provider)}`;
  return (
    <div
      className={`results-grid results-row state-${row.State}`}
      role="row"
      aria-rowindex={index + 2}
      data-testid="results-row"
      data-reference={row.Data}
      style={{ transform: `translateY(${top}px)` }}
    >
      <div role="cell" className="results-cell mono" title={row.Data}>
        {row.Data}
      </div>
      <div role="cell" className="results-cell" title={action}>
        {provider}
        {row.Action === 'cancel-label' && <span className="muted"> · label</span>}
      </div>
      <div role="cell" className="results-cell" title={row.Account}>
        {row.Account}
      </div>
      <div role="cell" className="results-cell outcome-word" title={OUTCOME_WORDS[row.State]}>
        {OUTCOME_WORDS[row.State]}
      </div>
      <div role="cell" className="results-cell" title={reason}>
        {reason}
      </div>
      <div role="cell" className="results-cell" title={row.Message}>
        {row.Message}
      </div>
      <div role="cell" className="results-cell num">
        {row.HttpStatus ?? ''}
      </div>
      <div role="cell" className="results-cell num">
        {row.Attempts}
      </div>
      <div role="cell" className="results-cell">
        {formatDateTime(row.CompletedAt)}
      </div>
    </div>
  );
});
