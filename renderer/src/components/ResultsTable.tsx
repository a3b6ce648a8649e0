/**
 * Every item of a batch with its result, as a virtualized grid: only the rows in view are in the
 * page, and only the pages of rows near the view are asked of main (see `useResultPages`), so
 * 100,000 items open at once and scroll smoothly; a row whose page is on its way shows as loading. Outcomes are words and symbols, not only colour; the
 * provider cell marks a Sendcloud label cancel (its tooltip says what the action does).
 *
 * Column headers sort (ascending, descending, then back to import order). Rows are selected without
 * checkboxes: a click selects one row and opens its attempts, Ctrl+click adds or removes a row,
 * Shift+click selects a range; from the keyboard Space selects, Shift+arrows extend, Ctrl+A selects
 * every row shown, Ctrl+C copies, Escape clears, Enter opens the attempts. Arrow keys, Page Up/Down,
 * Home and End move between rows (one row at a time is in the tab order, so Tab leaves the table;
 * coming back lands on a row in view). ArrowUp from the first row reaches the column headers, where
 * ArrowLeft and ArrowRight move, Enter sorts, and ArrowDown goes back to the rows.
 *
 * In a narrow window (200% zoom of a laptop screen) each row reflows onto two lines, so the reason and
 * the message stay in view without scrolling sideways; HTTP, attempts and completion time are then in
 * the row's attempts (Enter).
 */
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type FocusEvent,
  type KeyboardEvent,
  type MouseEvent,
} from 'react';
import type { ResultRow, ResultSort } from '../../../shared/contract';
import { actionDescription, REASON_LABELS, type ItemState } from '../../../shared/domain';
import { formatDateTime, providerName } from '../format';
import type { ResultPages } from '../resultPages';

/** A row's height on one line, and on two in a narrow window (kept equal to `.results-row` in styles.css). */
const ROW_HEIGHT = 28;
const TWO_LINE_HEIGHT = 48;
const NARROW = '(max-width: 1099px)';

function subscribeNarrow(onChange: () => void): () => void {
  const query = window.matchMedia(NARROW);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

/** The height of a row as the window's width draws it. */
function useRowHeight(): number {
  const narrow = useSyncExternalStore(subscribeNarrow, () => window.matchMedia(NARROW).matches);
  return narrow ? TWO_LINE_HEIGHT : ROW_HEIGHT;
}
/** Rows drawn beyond the view on either side. */
const OVERSCAN = 12;

const COLUMNS: { key: ResultSort['key']; name: string; title?: string; numeric?: boolean }[] = [
  { key: 'reference', name: 'Reference' },
  { key: 'provider', name: 'Provider' },
  { key: 'account', name: 'Account' },
  { key: 'result', name: 'Result' },
  { key: 'reason', name: 'Reason' },
  { key: 'message', name: 'Message' },
  { key: 'http', name: 'HTTP', title: 'HTTP status', numeric: true },
  { key: 'attempts', name: 'Attempts', numeric: true },
  { key: 'completed', name: 'Completed at' },
];

const OUTCOME_WORDS: Record<ItemState, string> = {
  succeeded: '✓ Succeeded',
  pending: '◷ Cancellation queued',
  failed: '✗ Failed',
  queued: 'Waiting…',
  in_flight: 'Sending…',
  stopped: 'Stopped (not sent)',
};

/** A change of selection: the row ids now selected and the row a Shift range starts from. */
export interface Selection {
  ids: ReadonlySet<number>;
  /** Row id the next Shift+click or Shift+arrow extends from. */
  anchor: number | null;
}

export const NO_SELECTION: Selection = { ids: new Set(), anchor: null };

interface Props {
  /** The rows as filtered and sorted on screen, a page at a time; `total` of them. */
  rows: ResultPages;
  total: number;
  sort: ResultSort | null;
  onSort: (sort: ResultSort | null) => void;
  selection: Selection;
  onSelect: (selection: Selection) => void;
  /** The clerk pressed Ctrl+C in the table, on this row (copied when no row is selected). */
  onCopy: (focused: ResultRow | null) => void;
  /** The clerk asked to see this row's attempts. */
  onOpen: (row: ResultRow) => void;
}

/** Sort cycle per header: ascending, descending, then import order again. */
function nextSort(current: ResultSort | null, key: ResultSort['key']): ResultSort | null {
  if (!current || current.key !== key) return { key, direction: 'ascending' };
  return current.direction === 'ascending' ? { key, direction: 'descending' } : null;
}

/** Whether a row is among those drawn for the view (the view and its overscan). */
function isNear(index: number, range: { startIndex: number; endIndex: number } | null): boolean {
  return range === null || (index >= range.startIndex - OVERSCAN && index <= range.endIndex + OVERSCAN);
}

export function ResultsTable({ rows, total, sort, onSort, selection, onSelect, onCopy, onOpen }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const head = useRef<HTMLDivElement>(null);
  /** Where the rows were scrolled to, as of the last scroll event (a focus scrolls before it is reported). */
  const viewTop = useRef(0);
  const [active, setActive] = useState(0);
  const rowHeight = useRowHeight();
  const current = Math.min(active, Math.max(0, total - 1));
  // The row in the tab order stays drawn even when scrolled out of view, so focus on it is never lost.
  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      if (total === 0 || indexes.includes(current)) return indexes;
      return [...indexes, current].sort((a, b) => a - b);
    },
    [current, total],
  );
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: useCallback(() => rowHeight, [rowHeight]),
    overscan: OVERSCAN,
    useFlushSync: false,
    rangeExtractor,
  });
  // The window became narrow or wide: every row is placed again at its new height.
  useLayoutEffect(() => virtualizer.measure(), [virtualizer, rowHeight]);
  const shown = virtualizer.getVirtualItems();
  const inRange = shown.filter((item) => item.index !== current || isNear(item.index, virtualizer.range));
  const first = inRange[0]?.index ?? 0;
  // With no rows yet, the first page: its answer says how many there are.
  const last = inRange[inRange.length - 1]?.index ?? 0;
  const { want, rowAt, indexOf, idsBetween } = rows;
  // The pages under the rows in view (and the overscan), once per change of view or of question.
  useEffect(() => want(first, last), [want, first, last]);

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

  /** Where a Shift range starts: the anchor row if it is among the rows at hand, else the row given. */
  const anchorIndex = useCallback(
    (fallback: number) => {
      if (selection.anchor === null) return fallback;
      const found = indexOf(selection.anchor);
      return found >= 0 ? found : fallback;
    },
    [indexOf, selection.anchor],
  );

  /** Selects the rows from index `from` to `to` (with `keep`, added to those already selected). */
  const selectRange = useCallback(
    (from: number, to: number, anchor: number | null, keep: ReadonlySet<number> = new Set()) => {
      void idsBetween(from, to).then(
        (ids) => onSelect({ ids: new Set([...keep, ...ids]), anchor }),
        () => undefined, // the table's own page error says what went wrong
      );
    },
    [idsBetween, onSelect],
  );

  function clickRow(index: number, event: MouseEvent<HTMLDivElement>) {
    const row = rowAt(index);
    if (!row) return;
    setActive(index);
    event.currentTarget.focus({ preventScroll: true });
    const toggle = event.ctrlKey || event.metaKey;
    if (event.shiftKey) {
      selectRange(anchorIndex(index), index, selection.anchor ?? row.id, toggle ? selection.ids : undefined);
      return;
    }
    if (toggle) {
      const ids = new Set(selection.ids);
      if (ids.has(row.id)) ids.delete(row.id);
      else ids.add(row.id);
      onSelect({ ids, anchor: row.id });
      return;
    }
    // Selecting text in a row (to copy a message) is not a request to open it.
    if (window.getSelection()?.toString()) return;
    onSelect({ ids: new Set([row.id]), anchor: row.id });
    onOpen(row);
  }
  // The rows get one click handler for good, so a page arriving re-renders only the rows it fills.
  const latestClick = useRef(clickRow);
  useLayoutEffect(() => {
    latestClick.current = clickRow;
  });
  const onRowClick = useCallback((index: number, event: MouseEvent<HTMLDivElement>) => latestClick.current(index, event), []);

  function keyDown(event: KeyboardEvent<HTMLDivElement>) {
    const target = (event.target as HTMLElement).closest<HTMLElement>('[data-row-index]');
    if (!target) return;
    const index = Number(target.dataset.rowIndex);
    const row = rowAt(index);
    const command = event.ctrlKey || event.metaKey;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (command && key === 'a') {
      event.preventDefault();
      if (total > 0) selectRange(0, total - 1, row?.id ?? selection.anchor);
      return;
    }
    if (command && key === 'c') {
      // Text the clerk selected with the mouse is copied by the browser as usual.
      if (window.getSelection()?.toString()) return;
      event.preventDefault();
      onCopy(row ?? null);
      return;
    }
    if (event.key === 'Escape' && selection.ids.size > 0) {
      event.preventDefault();
      onSelect(NO_SELECTION);
      return;
    }
    if (event.key === 'Enter') {
      event.preventDefault();
      if (row) onOpen(row);
      return;
    }
    if (event.key === ' ') {
      event.preventDefault();
      if (!row) return;
      if (event.shiftKey) {
        selectRange(anchorIndex(index), index, selection.anchor ?? row.id);
        return;
      }
      const ids = new Set(selection.ids);
      if (ids.has(row.id)) ids.delete(row.id);
      else ids.add(row.id);
      onSelect({ ids, anchor: row.id });
      return;
    }
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? rowHeight * 10) / rowHeight) - 1);
    const end = total - 1;
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + page,
      PageUp: index - page,
      Home: 0,
      End: end,
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    if (event.key === 'ArrowUp' && index === 0 && !event.shiftKey) {
      headerButtons()[0]?.focus();
      return;
    }
    const next = Math.max(0, Math.min(end, moves[event.key] ?? index));
    if (event.shiftKey && row) {
      const from = anchorIndex(index);
      selectRange(from, next, rowAt(from)?.id ?? row.id);
    }
    focusRow(next);
  }

  /** The sort buttons, in column order: one Tab stop with the rows, reached with ArrowUp from the first row. */
  function headerButtons(): HTMLButtonElement[] {
    return [...(head.current?.querySelectorAll<HTMLButtonElement>('.sort-button') ?? [])];
  }

  function headerKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const buttons = headerButtons();
    const at = buttons.indexOf(event.target as HTMLButtonElement);
    const moves: Record<string, number> = { ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: buttons.length - 1 };
    if (event.key === 'ArrowDown' && total > 0) {
      event.preventDefault();
      focusRow(current);
    } else if (event.key in moves) {
      event.preventDefault();
      buttons[Math.max(0, Math.min(buttons.length - 1, moves[event.key] ?? at))]?.focus();
    }
  }

  /**
   * Coming into the table from outside (Tab, Shift+Tab) lands on a row in view: after the wheel moved
   * the view, the row last in the tab order may be far away.
   */
  function enterRows(event: FocusEvent<HTMLDivElement>) {
    const element = scroller.current;
    if (!element || element.contains(event.relatedTarget as Node | null)) return;
    const index = Number((event.target as HTMLElement).dataset.rowIndex);
    if (Number.isNaN(index)) return;
    // Focus has already scrolled the row into view; the view the clerk left is the one before that.
    const scrollTop = viewTop.current;
    const top = Math.ceil(scrollTop / rowHeight);
    const bottom = Math.floor((scrollTop + element.clientHeight) / rowHeight) - 1;
    if (index >= top && index <= bottom) return;
    element.scrollTop = scrollTop;
    focusRow(Math.min(top, total - 1));
  }

  return (
    <div
      className="results-table"
      role="grid"
      aria-label="Results"
      aria-multiselectable="true"
      aria-rowcount={total + 1}
      aria-colcount={COLUMNS.length}
      aria-describedby="results-table-help"
      data-testid="results-table"
    >
      <div className="results-head" role="rowgroup" ref={head} onKeyDown={headerKeyDown}>
        <div className="results-grid" role="row" aria-rowindex={1}>
          {COLUMNS.map(({ key, name, title, numeric }) => {
            const sorted = sort?.key === key ? sort.direction : undefined;
            return (
              <div
                key={key}
                role="columnheader"
                className={numeric ? 'results-cell num' : 'results-cell'}
                aria-sort={sorted ?? 'none'}
              >
                <button
                  type="button"
                  className="sort-button"
                  tabIndex={-1}
                  data-testid={`results-sort-${key}`}
                  title={`Sort by ${title ?? name}${sorted === 'ascending' ? ' (descending next)' : sorted === 'descending' ? ' (import order next)' : ''}`}
                  onClick={() => onSort(nextSort(sort, key))}
                >
                  <span>{name}</span>
                  <span className={sorted ? 'sort-mark on' : 'sort-mark'} aria-hidden="true">
                    {sorted === 'descending' ? '▼' : '▲'}
                  </span>
                </button>
              </div>
            );
          })}
        </div>
      </div>
      <div
        className="results-body"
        ref={scroller}
        role="rowgroup"
        tabIndex={-1}
        onKeyDown={keyDown}
        onFocus={enterRows}
        onScroll={(event) => (viewTop.current = event.currentTarget.scrollTop)}
      >
        {total === 0 ? (
          <div className="results-empty" role="row" aria-rowindex={2}>
            <div role="gridcell" className="muted empty" tabIndex={0}>
              No items match these filters. Choose “All” or clear the search to see every item.
            </div>
          </div>
        ) : (
          <div className="results-space" style={{ height: virtualizer.getTotalSize() }}>
            {shown.map((item) => {
              const row = rowAt(item.index);
              return (
                <ResultLine
                  key={item.index}
                  row={row}
                  index={item.index}
                  top={item.start}
                  tabbable={item.index === current}
                  selected={row !== undefined && selection.ids.has(row.id)}
                  onClick={onRowClick}
                />
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}

interface LineProps {
  /** Undefined while the row's page is on its way: the line shows as loading and keeps its place and focus. */
  row: ResultRow | undefined;
  index: number;
  top: number;
  /** The one row in the tab order. */
  tabbable: boolean;
  selected: boolean;
  onClick: (index: number, event: MouseEvent<HTMLDivElement>) => void;
}

const ResultLine = memo(function ResultLine({ row, index, top, tabbable, selected, onClick }: LineProps) {
  return (
    <div
      className={`results-grid results-row ${row ? `state-${row.State}` : 'loading'}${selected ? ' selected' : ''}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      aria-busy={row ? undefined : true}
      data-testid={row ? 'results-row' : 'results-row-loading'}
      data-reference={row?.Data}
      data-row-index={index}
      tabIndex={tabbable ? 0 : -1}
      aria-haspopup="dialog"
      style={{ transform: `translateY(${top}px)` }}
      // Shift+click picks a range: keep the browser from selecting text between the two clicks.
      onMouseDown={(event) => event.shiftKey && event.preventDefault()}
      onClick={(event) => onClick(index, event)}
    >
      <ResultCells row={row} />
    </div>
  );
});

/** The cells: the same elements whether the row is here or on its way, so its arrival only changes text. */
function ResultCells({ row }: { row: ResultRow | undefined }) {
  const reason = row?.Reason ? REASON_LABELS[row.Reason] : '';
  const provider = row ? providerName(row.Provider) : '';
  const action = row ? `${provider}: ${actionDescription(row.Action, row.Provider)}` : '';
  const outcome = row ? OUTCOME_WORDS[row.State] : '';
  return (
    <>
      <div role="gridcell" className={row ? 'results-cell mono' : 'results-cell muted'} title={row?.Data}>
        {row ? <MiddleCut text={row.Data} /> : 'Loading…'}
      </div>
      <div role="gridcell" className="results-cell" title={action}>
        {provider}
        {row?.Action === 'cancel-label' && <span className="muted"> · label</span>}
      </div>
      <div role="gridcell" className="results-cell" title={row?.Account}>
        {row?.Account}
      </div>
      <div role="gridcell" className="results-cell outcome-word" title={outcome}>
        {outcome}
      </div>
      <div role="gridcell" className="results-cell" title={reason}>
        {reason}
      </div>
      <div role="gridcell" className="results-cell" title={row?.Message}>
        {row?.Message}
      </div>
      <div role="gridcell" className="results-cell num">
        {row?.HttpStatus ?? ''}
      </div>
      <div role="gridcell" className="results-cell num">
        {row?.Attempts}
      </div>
      <div role="gridcell" className="results-cell">
        {row ? formatDateTime(row.CompletedAt) : ''}
      </div>
    </>
  );
}

/** Characters a long reference keeps at its end when the cell is too narrow: where references of one account differ. */
const KEPT_TAIL = 8;

/** The text in one line that, when too long for its cell, loses its middle ("sp_0079…34549504"). */
function MiddleCut({ text }: { text: string }) {
  if (text.length <= KEPT_TAIL * 2) return <>{text}</>;
  return (
    <span className="middle-cut">
      <span className="cut-head">{text.slice(0, -KEPT_TAIL)}</span>
      <span className="cut-tail">{text.slice(-KEPT_TAIL)}</span>
    </span>
  );
}
