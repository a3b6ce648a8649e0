/**
 * Every item of a batch with its result, as a virtualized table: only the rows in view are in the
 * page, so tens of thousands of items scroll smoothly. Outcomes are words and symbols, not only colour;
 * the provider cell marks a Sendcloud label cancel (its tooltip says what the action does).
 * A row opens its attempts on click or Enter; arrow keys, Page Up/Down, Home and End move between rows
 * (one row at a time is in the tab order, so Tab leaves the table).
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useRef, useState, type KeyboardEvent } from 'react';
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
  stopped: 'Stopped (not sent)',
};

interface Props {
  rows: readonly ResultRow[];
  /** The clerk asked to see this row's attempts. */
  onOpen: (row: ResultRow) => void;
}

export function ResultsTable({ rows, onOpen }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const current = Math.min(active, Math.max(0, rows.length - 1));
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => rows[index]?.id ?? index,
    overscan: 12,
    useFlushSync: false,
  });

  const focusRow = useCallback(
    (index: number) => {
      setActive(index);
      virtualizer.scrollToIndex(index, { align: 'auto' });
      // A row out of view is only rendered after the scroll: look for it again on the next frames.
      let tries = 0;
      const find = () => {
        const row = scroller.current?.querySelector<HTMLElement>(`[data-row-index="${index}"]`);
        if (row) row.focus({ preventScroll: true });
        else if (++tries < 5) requestAnimationFrame(find);
      };
      find();
    },
    [virtualizer],
  );

  const open = useCallback(
    (index: number) => {
      const row = rows[index];
      if (!row) return;
      setActive(index);
      onOpen(row);
    },
    [rows, onOpen],
  );

  function keyDown(event: KeyboardEvent<HTMLDivElement>) {
    const target = (event.target as HTMLElement).closest<HTMLElement>('[data-row-index]');
    if (!target) return;
    const index = Number(target.dataset.rowIndex);
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    const last = rows.length - 1;
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + page,
      PageUp: index - page,
      Home: 0,
      End: last,
    };
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      open(index);
    } else if (event.key in moves) {
      event.preventDefault();
      focusRow(Math.max(0, Math.min(last, moves[event.key] ?? index)));
    }
  }

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
      <div
        className="results-body"
        ref={scroller}
        role="rowgroup"
        tabIndex={rows.length === 0 ? 0 : -1}
        aria-label="Result rows, scrollable"
        onKeyDown={keyDown}
      >
        {rows.length === 0 ? (
          <p className="muted empty">No items match.</p>
        ) : (
          <div className="results-space" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = rows[item.index];
              return row ? (
                <ResultLine
                  key={item.key}
                  row={row}
                  index={item.index}
                  top={item.start}
                  tabbable={item.index === current}
                  onOpen={open}
                />
              ) : null;
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
  /** The one row in the tab order. */
  tabbable: boolean;
  onOpen: (index: number) => void;
}

const ResultLine = memo(function ResultLine({ row, index, top, tabbable, onOpen }: LineProps) {
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
      data-row-index={index}
      tabIndex={tabbable ? 0 : -1}
      aria-haspopup="dialog"
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => {
        // Selecting text in a row (to copy a message) is not a request to open it.
        if (!window.getSelection()?.toString()) onOpen(index);
      }}
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
